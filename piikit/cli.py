"""The ``piikit`` entrypoint: the only module that touches Hydra.

plugins → ConfigStore → @hydra.main → typed Config → pipeline.run. User mistakes (bad
override, unknown option, bad value, bad input) print one line and exit 2; a failed quality
gate exits 3; anything else is a bug (traceback, exit 1). ``PIIKIT_TRACEBACK=1`` shows the
traceback for user errors too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from piikit.errors import EXIT_USER, PiikitError

CONF_DIR = Path(__file__).parent / "conf"
GROUPS = ("dataset", "prompt", "split", "tuner", "evaluator", "experiment")

HELP = """\
piikit — fine-tune a model to mask PII in text, and measure how well it masks.

Usage:
  piikit [OVERRIDE ...]            run the stages (default: prepare → tune → evaluate)
  piikit -m KEY=A,B [...]          multirun sweep over values
  piikit plugins                   list installed datasets, tuners and evaluators
  piikit --cfg job [OVERRIDE ...]  print the composed config and exit
  piikit --hydra-help              Hydra's own options

Examples:
  piikit                                         offline: synthetic data, CRF, evaluate
  piikit dataset=hf dataset.max_rows=2000        the real ai4privacy/pii-masking-200k
  piikit dataset=local dataset.path=my.jsonl split=random split.test_fraction=0.1
  piikit stages=[prepare] prompt=seed_article
  piikit stages=[evaluate] from_run=outputs/2026-11-27/10-00-00
  piikit stages=[mask] mask.input='exports/*.jsonl' mask.model=outputs/2026-11-27/10-00-00

Config groups (choose with GROUP=OPTION):
{groups}
Top-level keys: stages, seed, from_run, cache_dir, evaluate.*, mask.*  (see README)
"""


def group_options() -> dict[str, list[str]]:
    """Options per config group: YAML files in conf/ plus plugin-registered ones (no imports
    of heavy libraries: this backs ``piikit --help``)."""
    options: dict[str, set[str]] = {}
    for group in GROUPS:
        folder = CONF_DIR / group
        options[group] = {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()
    try:
        from piikit import plugins

        for kind in ("dataset", "tuner"):
            options[kind] |= set(plugins.registry(kind))
    except Exception:  # a broken third-party plugin must not break --help
        pass
    return {g: sorted(o) for g, o in options.items()}


def print_help() -> None:
    lines = "".join(f"  {g + ':':<12} {', '.join(opts) or '-'}\n" for g, opts in group_options().items())
    print(HELP.format(groups=lines), end="")


def print_plugins() -> None:
    from rich.table import Table

    from piikit import plugins
    from piikit.console import console

    table = Table(title="piikit plugins")
    for col in ("kind", "name", "source", "description"):
        table.add_column(col)
    for e in plugins.listing():
        table.add_row(e.kind, e.name, e.source, e.help)
    console.print(table)


_NOISE = ("full_key", "object_type", "reference_type", "Set the environment", "To append", "invalid literal for")


def _hydra_error_line(exc: BaseException) -> str:
    """Hydra/OmegaConf errors are multi-line; keep the informative lines, joined."""
    parts: list[str] = []
    seen: set[str] = set()
    e: BaseException | None = exc
    from omegaconf.errors import MissingMandatoryValue

    while e is not None:
        if isinstance(e, MissingMandatoryValue) and getattr(e, "full_key", None):
            return f"{e.full_key} is required — set {e.full_key}=... on the command line or in your config"
        if isinstance(e, PiikitError):
            parts.append(e.one_line())
            break
        lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
        if "Config search path:" in lines:  # unknown group option: list the options on one line
            cut = lines.index("Config search path:")
            avail = next((i for i, ln in enumerate(lines) if ln.startswith("Available options")), cut)
            options = lines[avail + 1 : cut]
            lines = lines[:1] + ([f"available: {', '.join(options)}"] if options else [])
            head_only = True
        else:
            head_only = False
        for line in lines:
            if "$VALUE" in line or line.startswith(_NOISE):
                continue
            if line not in seen:
                seen.add(line)
                parts.append(line)
        if head_only:
            break
        e = e.__cause__ or e.__context__
    return " — ".join(parts) or type(exc).__name__


def _user_error_types() -> tuple[type[BaseException], ...]:
    from hydra.errors import HydraException, MissingConfigException
    from omegaconf.errors import OmegaConfBaseException

    return (HydraException, MissingConfigException, OmegaConfBaseException)


def _fail(message: str, code: int) -> None:
    from piikit.console import err_console

    err_console.print(f"[bold red]piikit: error:[/] {message}", markup=True, highlight=False, soft_wrap=True)
    sys.exit(code)


# open-ended maps: `evaluate.fail_under.span_f1=0.9` adds a key, which Hydra spells `++...`
_OPEN_MAPS = ("evaluate.fail_under.", "evaluate.fail_over.", "evaluate.label_map.", "mask.spark.conf.")


def _open_map_overrides(args: list[str]) -> list[str]:
    return ["++" + a if a.startswith(_OPEN_MAPS) and "=" in a else a for a in args]


def main() -> None:
    sys.argv[1:] = _open_map_overrides(sys.argv[1:])
    args = sys.argv[1:]
    if any(a in ("-h", "--help") for a in args):
        print_help()
        return
    if args[:1] == ["plugins"]:
        print_plugins()
        return
    os.environ.setdefault("HYDRA_FULL_ERROR", "1")  # let errors reach us instead of Hydra's printer
    show_trace = os.environ.get("PIIKIT_TRACEBACK", "") not in ("", "0")
    try:
        from piikit.config import register_configs

        register_configs()
        _hydra_entry()
    except PiikitError as e:
        if show_trace:
            raise
        _fail(e.one_line(), e.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as e:
        user_errors = _user_error_types()
        if isinstance(e, user_errors) and not show_trace:
            _fail(_hydra_error_line(e), EXIT_USER)
        raise


def _to_typed(cfg):
    """DictConfig → plain dataclasses (runs each schema's __post_init__ validation)."""
    from omegaconf import OmegaConf

    return OmegaConf.to_object(cfg)


def _task(cfg) -> dict:
    from hydra.core.hydra_config import HydraConfig

    from piikit import pipeline
    from piikit.console import setup_logging

    from hydra.types import RunMode

    hc = HydraConfig.get()
    setup_logging()
    try:
        typed = _to_typed(cfg)
        ctx = pipeline.make_context(typed, Path(hc.runtime.output_dir), list(hc.overrides.task))
        return pipeline.run(typed, ctx)
    except Exception as e:
        if isinstance(e, _user_error_types()):
            e = PiikitError(_hydra_error_line(e))
        elif not isinstance(e, PiikitError):
            raise
        if hc.mode == RunMode.MULTIRUN or os.environ.get("PIIKIT_TRACEBACK", "") not in ("", "0"):
            raise  # a sweep records the failed job and goes on
        _fail(e.one_line(), e.exit_code)


def _hydra_entry() -> None:
    import hydra

    hydra.main(version_base="1.3", config_path="conf", config_name="config")(_task)()


if __name__ == "__main__":  # pragma: no cover
    main()
