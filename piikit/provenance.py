"""What a run needs to be shared and re-run exactly.

Hydra saves ``<run>/.hydra/{config,hydra,overrides}.yaml``; :func:`write_versions` adds
``<run>/versions.json`` (Python and key package versions). :func:`rerun_overrides` reads a run
dir back into command-line overrides for ``piikit rerun=<run dir>``.
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from pathlib import Path

from piikit.errors import PiikitError
from piikit.io import read_json, write_json
from piikit.rundir import RunDir

# packages whose version can change a run's results (listed when installed)
KEY_PACKAGES = (
    "piikit",
    "hydra-core",
    "omegaconf",
    "numpy",
    "pandas",
    "pyarrow",
    "datasets",
    "Faker",
    "python-crfsuite",
    "google-generativeai",
    "google-genai",
    "google-cloud-aiplatform",
    "torch",
    "transformers",
    "rich",
    "pluggy",
    "matplotlib",
    "joblib",
    "hydra-joblib-launcher",
    "hydra-submitit-launcher",
)


def versions() -> dict:
    packages = {}
    for name in KEY_PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {"python": platform.python_version(), "platform": platform.platform(), "packages": packages}


def write_versions(run_dir: Path) -> None:
    write_json(RunDir(run_dir).versions, versions())


def version_changes(run_dir: Path) -> list[str]:
    """``name: old -> new`` for every key package whose version differs from the run's."""
    path = RunDir(run_dir).versions
    if not path.is_file():
        return []
    old, new = read_json(path), versions()
    changes = [f"python: {old.get('python')} -> {new['python']}"] if old.get("python") != new["python"] else []
    before, now = old.get("packages", {}), new["packages"]
    for name in sorted(set(before) | set(now)):
        if before.get(name) != now.get(name):
            changes.append(f"{name}: {before.get(name, 'not installed')} -> {now.get(name, 'not installed')}")
    return changes


def rerun_overrides(run_dir: str) -> list[str]:
    """The command line a run was made with: ``<run>/.hydra/overrides.yaml``, plus the extra
    config folders it searched (``--config-dir``, ``hydra.searchpath=``) from ``hydra.yaml``."""
    import yaml

    run = RunDir(Path(run_dir).expanduser())
    path = run.hydra_overrides
    if not path.is_file():
        raise PiikitError(
            f"rerun={run_dir} has no .hydra/overrides.yaml",
            "give the run dir of an earlier piikit run (outputs/<date>/<time>, or a sweep's job dir)",
        )
    args = [str(o) for o in (yaml.safe_load(path.read_text(encoding="utf-8")) or [])]
    hydra_yaml = run.hydra_hydra
    if hydra_yaml.is_file():
        hydra = (yaml.safe_load(hydra_yaml.read_text(encoding="utf-8")) or {}).get("hydra", {})
        searchpath = [str(o) for o in hydra.get("overrides", {}).get("hydra", []) if str(o).startswith("hydra.searchpath")]
        config_dirs = [
            ["--config-dir", src["path"]]
            for src in hydra.get("runtime", {}).get("config_sources", [])
            if src.get("provider") == "command-line" and src.get("schema") == "file"
        ]
        args = [a for pair in config_dirs for a in pair] + searchpath + args
    return args


def expand_rerun(args: list[str]) -> list[str]:
    """Replace ``rerun=<run dir>`` in ``args`` by that run's overrides (later args still win)."""
    out: list[str] = []
    for arg in args:
        if not arg.startswith("rerun="):
            out.append(arg)
            continue
        run_dir = arg.split("=", 1)[1]
        overrides = rerun_overrides(run_dir)
        for change in version_changes(Path(run_dir).expanduser()):
            print(f"piikit: warning: rerun with a different version — {change}", file=sys.stderr)
        print(f"piikit: re-running {run_dir} with: {' '.join(overrides) or '(no overrides)'}", file=sys.stderr)
        out.extend(overrides)
    return out
