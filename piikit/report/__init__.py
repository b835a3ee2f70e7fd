"""``report.html``: one self-contained page per run, and one per sweep.

The evaluate stage writes ``<run dir>/report.html`` (:func:`write_run_report`); the sweep
summary writes ``<sweep dir>/report.html`` (:func:`write_sweep_report`); ``piikit report
run=<dir>`` rebuilds either from the files on disk (:func:`main`).

Pages are Jinja2 templates (``templates/``) filled with plain data (:mod:`piikit.report.run`,
:mod:`piikit.report.sweep`): CSS and JS inline, plots inline SVG, a Content-Security-Policy
that forbids any fetch — the file opens anywhere, offline, and can be mailed as is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from piikit.errors import PiikitError
from piikit.io import atomic_open
from piikit.rundir import REPORT_FILE, RunDir



def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    from piikit.report.run import fmt

    env = Environment(
        loader=PackageLoader("piikit.report", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    return env


def render(template: str, data: dict[str, Any]) -> str:
    return _env().get_template(template).render(**data)


def write_run_report(run_dir: Path, options: Any = None, from_run: Path | None = None, out: Path | None = None) -> Path:
    """Build ``report.html`` for a run dir (``options``: a :class:`~piikit.config.ReportConfig`)."""
    from piikit.report.run import run_page

    run_dir = Path(run_dir)
    html = render("run.html", run_page(run_dir, options, from_run))
    path = Path(out) if out else RunDir(run_dir).report
    with atomic_open(path) as fh:
        fh.write(html)
    return path


def write_sweep_report(sweep_dir: Path, sort_by: str | None = None, metrics: list[str] | None = None, out: Path | None = None) -> Path:
    """Build ``report.html`` for a multirun sweep dir."""
    from piikit.report.sweep import sweep_page

    sweep_dir = Path(sweep_dir)
    html = render("sweep.html", sweep_page(sweep_dir, sort_by, metrics))
    path = Path(out) if out else sweep_dir / REPORT_FILE
    with atomic_open(path) as fh:
        fh.write(html)
    return path


# --------------------------------------------------------------------------- CLI
USAGE = "piikit report run=DIR, optionally report.redact_examples=false report.worst_examples=N sweep.sort_by=METRIC out=FILE"


def is_run_dir(path: Path) -> bool:
    return RunDir(path).metrics.is_file()


def is_sweep_dir(path: Path) -> bool:
    return (Path(path) / "multirun.yaml").is_file()  # Hydra writes it at the top of every sweep dir


def _parse(args: list[str]) -> dict[str, str]:
    allowed = ("run", "out", "report.redact_examples", "report.worst_examples", "sweep.sort_by")
    opts: dict[str, str] = {}
    for arg in args:
        key, eq, value = arg.partition("=")
        if not eq or key not in allowed:
            raise PiikitError(f"piikit report: unexpected argument '{arg}'", f"usage: {USAGE}")
        opts[key] = value
    if not opts.get("run"):
        raise PiikitError("piikit report needs run=<dir>", f"usage: {USAGE}")
    return opts


def _cli_settings(opts: dict[str, str]) -> dict[str, Any]:
    """``report.*`` values given on the command line, checked."""
    out: dict[str, Any] = {}
    if "report.redact_examples" in opts:
        value = opts["report.redact_examples"].lower()
        if value not in ("true", "false"):
            raise PiikitError(f"report.redact_examples={opts['report.redact_examples']!r} is not valid", "use true or false")
        out["redact_examples"] = value == "true"
    if "report.worst_examples" in opts:
        try:
            out["worst_examples"] = int(opts["report.worst_examples"])
        except ValueError:
            raise PiikitError(f"report.worst_examples={opts['report.worst_examples']!r} is not a number", "give a whole number, e.g. 5") from None
    return out


def _report_options(run_dir: Path, settings: dict[str, Any]):
    """The run's own ``report.*`` settings (its saved config), overridden from the command line."""
    from piikit.config import ReportConfig
    from piikit.report.run import saved_config

    saved = saved_config(run_dir).get("report") or {}
    merged = {k: saved[k] for k in ("redact_examples", "worst_examples") if k in saved} | settings
    return ReportConfig(**merged)


def main(args: list[str]) -> Path:
    """``piikit report run=<dir> ...``: (re)write the run's or the sweep's report.html."""
    opts = _parse(args)
    settings = _cli_settings(opts)
    target = Path(opts["run"]).expanduser()
    out = Path(opts["out"]).expanduser() if opts.get("out") else None
    if is_run_dir(target):
        options = _report_options(target, settings)
        if not options.redact_examples and options.worst_examples:
            import sys

            print("piikit: warning: report.redact_examples=false: the examples in report.html show raw text, PII included", file=sys.stderr)
        return write_run_report(target, options, out=out)
    if target.is_dir() and is_sweep_dir(target):
        return write_sweep_report(target, sort_by=opts.get("sweep.sort_by"), out=out)
    if not target.is_dir():
        raise PiikitError(f"run={target} is not a directory", "give a run dir (outputs/<date>/<time>) or a sweep dir (outputs/multirun/<date>/<time>)")
    raise PiikitError(
        f"{target} is not a piikit run dir (no evaluate/metrics.json) nor a sweep dir",
        "give a run that ran the evaluate stage (outputs/<date>/<time>) or a sweep dir (outputs/multirun/<date>/<time>)",
    )
