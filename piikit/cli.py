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
GROUPS = ("dataset", "prompt", "split", "tuner", "evaluator", "experiment", "eval_dataset", "label_map")

HELP = """\
piikit — fine-tune a model to mask PII in text, and measure how well it masks.

Usage:
  piikit [OVERRIDE ...]            run the stages (default: prepare → tune → evaluate)
  piikit -m KEY=A,B [...]          multirun sweep over values
  piikit plugins                   list installed datasets, tuners and evaluators
  piikit report run=DIR            (re)write DIR/report.html for a run or sweep dir
  piikit --cfg job [OVERRIDE ...]  print the composed config and exit
  piikit --version                 piikit's version (and Hydra's)
  piikit --hydra-help              Hydra's own options

Examples:
  piikit                                         offline: synthetic data, CRF, evaluate
  piikit dataset=hf dataset.max_rows=2000        the real ai4privacy/pii-masking-200k
  piikit dataset=local dataset.path=my.jsonl split=random split.test_fraction=0.1
  piikit stages=[prepare] prompt=seed_article
  piikit stages=[evaluate] from_run=outputs/2026-11-27/10-00-00
  piikit stages=[mask] mask.input='exports/*.jsonl' mask.model=outputs/2026-11-27/10-00-00
  piikit eval_dataset=local eval_dataset.path=other.jsonl label_map=presidio   (cross-dataset)

Config groups (choose with GROUP=OPTION):
{groups}
Top-level keys: stages, seed, from_run, cache_dir, evaluate.*, mask.*  (every key: docs/reference/config.md)
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
        options["eval_dataset"] |= set(plugins.registry("dataset"))
    except Exception:  # a broken third-party plugin must not break --help
        pass
    return {g: sorted(o) for g, o in options.items()}


def print_help() -> None:
    lines = "".join(f"  {g + ':':<12} {', '.join(opts) or '-'}\n" for g, opts in group_options().items())
    print(HELP.format(groups=lines), end="")


def print_plugins() -> None:
    from rich.markup import escape
    from rich.table import Table

    from piikit import plugins
    from piikit.console import console

    table = Table(title="piikit plugins")
    for col in ("kind", "name", "source", "description"):
        table.add_column(col)
    for e in plugins.listing():  # escaped: "pip install 'piikit[transformer]'" is not markup
        table.add_row(*(escape(str(x)) for x in (e.kind, e.name, e.source, e.help)))
    console.print(table)


def _report(args: list[str]) -> None:
    from piikit import report

    try:
        path = report.main(args)
    except PiikitError as e:
        _fail(e.one_line(), e.exit_code)
    print(f"report → {path}")


_NOISE = ("full_key", "object_type", "reference_type", "Set the environment", "To append", "invalid literal for")


def _hydra_error_line(exc: BaseException) -> str:
    """Hydra/OmegaConf errors are multi-line; keep the informative lines, joined."""
    parts: list[str] = []
    seen: set[str] = set()
    e: BaseException | None = exc
    from omegaconf.errors import MissingMandatoryValue

    from piikit.config import REMOVED_KEYS

    while e is not None:
        if isinstance(e, MissingMandatoryValue) and getattr(e, "full_key", None):
            return f"{e.full_key} is required — set {e.full_key}=... on the command line or in your config"
        removed = REMOVED_KEYS.get((getattr(e, "object_type", None), str(getattr(e, "key", ""))))
        if removed is not None:  # a key of an older piikit: say what replaced it
            return removed.one_line()
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
        hint = _unknown_key_hint(e)
        if hint and hint not in seen:
            seen.add(hint)
            parts.append(hint)
        if head_only:
            break
        e = e.__cause__ or e.__context__
    return " — ".join(parts) or type(exc).__name__


def _unknown_key_hint(e: BaseException) -> str | None:
    """``Key 'datset' not in 'Config'``: which keys there are (and the closest one)."""
    import dataclasses

    from omegaconf.errors import ConfigAttributeError, ConfigKeyError

    from piikit.errors import did_you_mean

    schema, key = getattr(e, "object_type", None), getattr(e, "key", None)
    if not isinstance(e, (ConfigAttributeError, ConfigKeyError)) or not key or not dataclasses.is_dataclass(schema):
        return None
    names = [f.name for f in dataclasses.fields(schema)]
    return did_you_mean("key", str(key), names).hint if str(key) not in names else None


def _user_error_types() -> tuple[type[BaseException], ...]:
    from hydra.errors import HydraException, MissingConfigException
    from omegaconf.errors import OmegaConfBaseException

    return (HydraException, MissingConfigException, OmegaConfBaseException)


def _fail(message: str, code: int) -> None:
    from rich.markup import escape

    from piikit.console import err_console

    # escape: a message may quote config values such as [1000, 5000], which are not markup
    err_console.print(f"[bold red]piikit: error:[/] {escape(message)}", markup=True, highlight=False, soft_wrap=True)
    sys.exit(code)


# open-ended maps: `evaluate.fail_under.span_f1=0.9` adds a key, which Hydra spells `++...`
_OPEN_MAPS = ("evaluate.fail_under.", "evaluate.fail_over.", "evaluate.label_map.", "mask.spark.conf.")


def _open_map_overrides(args: list[str]) -> list[str]:
    return ["++" + a if a.startswith(_OPEN_MAPS) and "=" in a else a for a in args]


class Terminated(KeyboardInterrupt):
    """SIGTERM: stops a run like Ctrl-C (same message, same resume hint), exit 143."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


_RUN_DIRS = ("hydra.run.dir=", "hydra.sweep.dir=")


def _expand_home_in_run_dirs(args: list[str]) -> list[str]:
    """``hydra.run.dir='~/runs/x'``: ``~`` is the home dir there too, as in ``mask.*`` (Hydra would
    create a directory named ``~``); the value is passed on quoted, so Hydra's lexer accepts it."""
    out = []
    for arg in args:
        key = next((k for k in _RUN_DIRS if arg.lstrip("+").startswith(k)), None)
        if key is not None:
            prefix, value = arg.split("=", 1)
            bare = value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"" else value
            if bare.startswith("~") and "'" not in bare:
                arg = f"{prefix}='{os.path.expanduser(bare)}'"
        out.append(arg)
    return out


def _refuse_unknown_added_keys(args: list[str]) -> None:
    """``+key=value`` / ``++key=value`` lets Hydra add a key no schema has, and Hydra saves every
    override in the run dir before piikit sees the config: compose once first and refuse a key
    no schema knows, so a mistyped (or secret) key fails before anything is written."""
    overrides = [a for a in args if "=" in a and not a.startswith("-") and not a.lstrip("+~").startswith("hydra.")]
    if not any(a.startswith("+") for a in overrides) or any(a.startswith("-") and a not in ("-m", "--multirun") for a in args):
        return  # nothing added; or another config (--config-path ...), checked by Hydra alone
    from hydra import compose, initialize_config_module
    from hydra.core.override_parser.overrides_parser import OverridesParser

    first = []  # a sweep (-m key=a,b): its first value is enough to know the keys
    for line, o in zip(overrides, OverridesParser.create().parse_overrides(overrides)):
        first.append(f"{o.get_key_element()}={next(iter(o.sweep_string_iterator()))}" if o.is_sweep_override() else line)
    with initialize_config_module(config_module="piikit.conf", version_base="1.3"):
        cfg = compose(config_name="config", overrides=first)
    _check_known_keys(cfg, "")


def _check_known_keys(node, path: str) -> None:
    import dataclasses

    from omegaconf import DictConfig, OmegaConf

    from piikit.errors import did_you_mean

    schema = OmegaConf.get_type(node)
    if not dataclasses.is_dataclass(schema):
        return  # an open map (evaluate.fail_under, mask.spark.conf, ...): any key is fine
    names = [f.name for f in dataclasses.fields(schema)]
    for key in node.keys():
        full = f"{path}{key}"
        if key not in names:
            hint = did_you_mean("key", str(key), names).hint
            raise PiikitError(f"unknown key '{full}': +{full}=... adds a setting no config has (nothing was run or saved)",
                              hint.replace("available: ", f"available in {path.rstrip('.') or 'the top level'}: ") if hint else None)
        child = node._get_node(key)
        if isinstance(child, DictConfig) and not child._is_missing() and not child._is_none():
            _check_known_keys(child, f"{full}.")


def _os_user_error(e: BaseException, creating: bool = False) -> PiikitError | None:
    """A full disk or a place piikit may not write to is the user's to fix: one line, exit 2.
    ``creating`` (the run dir): also a path whose parent does not exist (``hydra.run.dir=/proc/x``)."""
    import errno

    if not isinstance(e, OSError) or e.filename is None and e.errno not in (errno.ENOSPC, errno.EDQUOT):
        return None
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return PiikitError(f"the disk is full ({e.strerror}) while writing {e.filename or 'the run dir'}",
                           "free some space and run again (an interrupted mask run continues with mask.resume=true)")
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EEXIST) or creating and e.errno == errno.ENOENT:
        return PiikitError(f"cannot write {e.filename}: {e.strerror}", "choose a directory you can write to (hydra.run.dir=..., mask.output=...)")
    return None


def main() -> None:
    sys.argv[1:] = _expand_home_in_run_dirs(_open_map_overrides(sys.argv[1:]))
    args = sys.argv[1:]
    if any(a in ("-h", "--help") for a in args):
        print_help()
        return
    if args[:1] in (["--version"], ["-V"]):
        from importlib.metadata import version

        from piikit import __version__

        print(f"piikit {__version__}\nHydra {version('hydra-core')}")
        return
    if args[:1] == ["plugins"]:
        try:  # a broken plugin set (e.g. two plugins under one name) is a user error here too
            print_plugins()
        except PiikitError as e:
            _fail(e.one_line(), e.exit_code)
        return
    if args[:1] == ["report"]:
        _report(args[1:])
        return
    os.environ.setdefault("HYDRA_FULL_ERROR", "1")  # let errors reach us instead of Hydra's printer
    show_trace = os.environ.get("PIIKIT_TRACEBACK", "") not in ("", "0")
    try:
        if any(a.startswith("rerun=") for a in args):  # piikit rerun=<run dir>: that run's overrides
            from piikit.provenance import expand_rerun

            args = expand_rerun(args)
        _check_plus_groups(args)
        _check_shared_run_dir(args)
        sys.argv[1:] = _absolute_config_path(args)
        from piikit.config import register_configs

        register_configs()
        _refuse_unknown_added_keys(sys.argv[1:])
        import signal

        signal.signal(signal.SIGTERM, _on_sigterm)
        _hydra_entry()
        _sweep_exit()
    except PiikitError as e:
        if show_trace:
            raise
        _fail(e.one_line(), e.exit_code)
    except Terminated:
        _fail("interrupted (SIGTERM)", 143)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as e:
        user_errors = _user_error_types()
        if isinstance(e, user_errors) and not show_trace:
            _fail(_lexer_error_line(e) or _hydra_error_line(e), EXIT_USER)
        os_error = _os_user_error(e, creating=True)
        if os_error is not None and not show_trace:
            _fail(os_error.one_line(), EXIT_USER)
        raise


def _check_plus_groups(args: list[str]) -> None:
    """``+experiment=quick``: every group is already in the defaults list, so Hydra's '+' (add)
    fails with "Multiple values for experiment"; say what to type instead."""
    for arg in args:
        group = arg[1:].split("=", 1)[0].split("@", 1)[0]
        if arg.startswith("+") and not arg.startswith("++") and "=" in arg and group in GROUPS:
            raise PiikitError(f"'{arg}': piikit already has the '{group}' group, so '+' cannot add it", f"drop the '+': {arg[1:]}")


def _check_shared_run_dir(args: list[str]) -> None:
    """The processes of ``torchrun``/``accelerate launch`` must share one run dir (checkpoints,
    outputs), and Hydra's default one is named by each process's own clock."""
    from piikit.distributed import world_size

    if world_size() > 1 and not any(a.startswith(("hydra.run.dir=", "hydra.sweep.dir=")) for a in args):
        raise PiikitError(
            f"a launch of {world_size()} processes needs one run dir for all of them",
            "add hydra.run.dir=outputs/<name> (see docs/transformer-training.md)",
        )


def _lexer_error_line(e: BaseException) -> str | None:
    """Hydra's lexer stops at an unquoted ``~``, a non-ASCII letter, ...: say where, and how to quote."""
    import re

    from hydra.errors import OverrideParseException

    if not isinstance(e, OverrideParseException) or "LexerNoViableAlt" not in str(e):
        return None
    where = re.search(r"token recognition error at: '(.+?)'", str(e.__cause__ or e.__context__ or e))
    char = f" at '{where.group(1)}'" if where else ""
    return (f"cannot read the override {e.override}: Hydra's parser stops{char} — quote the value for Hydra, "
            "e.g. \"mask.input='~/data/é.jsonl'\" (the outer quotes are for the shell)")


def _absolute_config_path(args: list[str]) -> list[str]:
    """``--config-path outputs/<run>/.hydra``: Hydra reads a relative path against piikit's own
    package; users mean their working directory."""
    out = list(args)
    for i, arg in enumerate(out):
        for flag in ("--config-path", "-cp"):
            if arg == flag and i + 1 < len(out):
                value, at, prefix = out[i + 1], i + 1, ""
            elif arg.startswith(flag + "="):
                value, at, prefix = arg.split("=", 1)[1], i, flag + "="
            else:
                continue
            if not Path(value).is_absolute() and "://" not in value and Path(value).is_dir():
                out[at] = prefix + str(Path(value).resolve())
    return out


def _to_typed(cfg):
    """DictConfig → plain dataclasses (runs each schema's __post_init__ validation)."""
    from omegaconf import OmegaConf

    if OmegaConf.get_type(cfg) is dict:  # a saved config (--config-path <run>/.hydra): re-apply the schemas
        cfg = _retype(cfg)
    return OmegaConf.to_object(cfg)


def _retype(cfg):
    """A run's saved ``.hydra/config.yaml`` has no defaults list: merge it into the typed schemas
    (dataset and tuner schemas chosen by their ``name``) so it is validated like a composed one."""
    from omegaconf import OmegaConf

    from piikit import plugins
    from piikit.config import Config

    plain = OmegaConf.to_container(cfg, resolve=False)
    for kind in ("dataset", "tuner"):
        node = plain.get(kind)
        if isinstance(node, dict) and node.get("name"):
            plain[kind] = OmegaConf.merge(OmegaConf.structured(plugins.get(kind, node["name"]).config), node)
    return OmegaConf.merge(OmegaConf.structured(Config), plain)


def _parallel_launcher(hc) -> bool:
    """Jobs of a multirun that run side by side (joblib, SLURM, ...): anything but the basic launcher."""
    target = str(hc.launcher.get("_target_", "")) if hc.get("launcher") else ""
    return not target.endswith("BasicLauncher")


def _task(cfg):
    import logging
    import time
    import traceback

    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    from piikit import pipeline
    from piikit.console import setup_logging
    from piikit.errors import EXIT_BUG
    from piikit.provenance import write_versions
    from piikit.sweep import write_status

    hc = HydraConfig.get()
    multirun = hc.mode == RunMode.MULTIRUN
    if multirun and _parallel_launcher(hc):
        os.environ["PIIKIT_PROGRESS"] = "0"  # bars from parallel jobs would interleave
    setup_logging()
    run_dir = Path(hc.runtime.output_dir)
    write_versions(run_dir)
    t0 = time.perf_counter()
    try:
        typed = _to_typed(cfg)
        ctx = pipeline.make_context(typed, run_dir, list(hc.overrides.task))
        result = pipeline.run(typed, ctx)
    except Exception as e:
        os_error = _os_user_error(e)
        bug = not isinstance(e, (PiikitError, *_user_error_types())) and os_error is None
        if bug:
            reason, code = " ".join(f"{type(e).__name__}: {e}".split()), EXIT_BUG
        else:
            pe = e if isinstance(e, PiikitError) else os_error or PiikitError(_hydra_error_line(e))
            reason, code = pe.one_line(), pe.exit_code
        write_status(run_dir, "failed", time.perf_counter() - t0, reason, code)
        if multirun:  # record the failed job and let the sweep go on; main() exits non-zero at the end
            logging.getLogger("piikit").error("job failed: %s", reason)
            if bug:
                logging.getLogger("piikit").error("%s", traceback.format_exc())
            return {"failed": reason, "exit_code": code}
        if bug or os.environ.get("PIIKIT_TRACEBACK", "") not in ("", "0"):
            raise
        _fail(reason, code)
    from piikit.distributed import is_main

    if is_main():  # helper processes of a multi-GPU launch stop after training; rank 0 says how it ended
        write_status(run_dir, "completed", time.perf_counter() - t0)
    return result


def _sweep_exit() -> None:
    """After a multirun: exit non-zero when any job failed (the summary lists why)."""
    from piikit import sweep_callback

    outcome, sweep_callback.last_outcome = sweep_callback.last_outcome, None
    if outcome is not None and outcome.failed:
        n, total = len(outcome.failed), len(outcome.jobs)
        _fail(f"{n} of {total} sweep jobs failed — see {outcome.sweep_dir / 'summary.md'}", outcome.exit_code())


def _hydra_entry() -> None:
    import hydra

    hydra.main(version_base="1.3", config_path="conf", config_name="config")(_task)()


if __name__ == "__main__":  # pragma: no cover
    main()
