"""One module knows the run-dir layout (piikit/rundir.py), and one function finds a trained model
(piikit/model.py) for tuner.model, mask.model and Masker.load."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import piikit
from piikit.errors import PiikitError
from piikit.model import resolve_model, trained_model_dir
from piikit.pipeline import RunContext
from piikit.rundir import RunDir

ROOT = Path(piikit.__file__).parent
NAMES = [n for n, v in vars(RunDir).items() if isinstance(v, property)]


def _layout_strings() -> set[str]:
    """Every relative path of the layout, and every file name in it (``tune/manifest.json``,
    ``manifest.json``, ``predictions.jsonl``, ``.hydra``, ...); not the bare stage names."""
    run = RunDir("run")
    found: set[str] = set()
    for name in NAMES:
        relative = run.relative(name)
        if "/" in relative or "." in relative:
            found.add(relative)
        leaf = relative.rsplit("/", 1)[-1]
        if "." in leaf:
            found.add(leaf)
    return found


def test_the_layout_names_every_stage_output():
    run = RunDir("/r")
    assert run.tune_manifest == Path("/r/tune/manifest.json") and run.model == Path("/r/tune/model")
    assert run.prepare_test == Path("/r/prepare/test.jsonl") and run.predictions == Path("/r/tune/predictions.jsonl")
    assert run.metrics == Path("/r/evaluate/metrics.json") and run.manifest("mask") == run.mask_manifest
    assert {"tune/manifest.json", "prepare/train.jsonl", "evaluate/scored_predictions.jsonl", "report.html"} <= _layout_strings()


def test_no_other_module_spells_out_a_run_dir_path():
    forbidden = _layout_strings()
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path == ROOT / "rundir.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not found, "ask piikit.rundir.RunDir for these paths:\n" + "\n".join(found)


def test_find_says_which_stage_to_add(tmp_path):
    ctx = RunContext(run_dir=tmp_path / "run", cache_dir=tmp_path / "cache")
    with pytest.raises(PiikitError) as e:
        ctx.find("predictions")
    assert e.value.message == "no tune/predictions.jsonl in this run" and "add 'tune' to stages" in e.value.hint
    earlier = RunDir(tmp_path / "earlier")
    earlier.prepare.mkdir(parents=True)
    earlier.prepare_test.write_text("{}\n")
    ctx.from_run = earlier.path
    assert ctx.find("prepare_test") == earlier.prepare_test


def _crf_run(root: Path) -> RunDir:
    """A run dir as the tune stage leaves it (a manifest naming the tuner, a model dir)."""
    import json

    run = RunDir(root)
    run.model.mkdir(parents=True)
    (run.hydra).mkdir()
    run.tune_manifest.write_text(json.dumps({"stage": "tune", "tuner": {"name": "crf", "c1": 0.2}}))
    return run


def test_one_resolver_for_tuner_model_and_mask_model(tmp_path):
    from piikit.tuners.crf.tuner import CRFConfig

    run = _crf_run(tmp_path / "run")
    spec = resolve_model(str(run.path), None, None)  # mask.model: the manifest names the tuner
    assert spec.model_dir == run.model and spec.tuner_config.name == "crf" and spec.tuner_config.c1 == 0.2
    assert trained_model_dir(str(run.path), CRFConfig()) == run.model  # tuner.model: the same answer
    assert trained_model_dir(str(run.model), CRFConfig()) == run.model  # a model dir is taken as it is
    with pytest.raises(PiikitError) as e:
        trained_model_dir(str(tmp_path / "nope"), CRFConfig())
    assert e.value.message.startswith("tuner.model=") and "does not exist" in e.value.message
    run.tune_manifest.unlink()
    with pytest.raises(PiikitError) as e:  # a run dir whose tune stage never finished
        resolve_model(str(run.path), CRFConfig(), None)
    assert e.value.message.startswith("mask.model=") and "no tune/manifest.json" in e.value.message
