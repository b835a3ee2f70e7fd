"""The data behind a sweep's ``report.html``: the multirun summary as a page.

Jobs are read the way the sweep summary reads them (:mod:`piikit.sweep`: ``status.json``,
``evaluate/metrics.json``, ``tune/manifest.json`` of every job dir), sorted by the chosen
metric (``sweep.sort_by``, best first); one row per job, linked to the job's own report.html.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Any

from piikit.errors import PiikitError
from piikit.report.run import HELP, fmt, fmt_fact, is_number

DEFAULT_SORT = "span_f2"


def sweep_settings(sweep_dir: Path) -> dict[str, Any]:
    """``sweep.*`` of the composed config Hydra saved at the top of the sweep dir ({} if none)."""
    import yaml

    path = Path(sweep_dir) / "multirun.yaml"
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return {}
    settings = data.get("sweep") if isinstance(data, dict) else None
    return settings if isinstance(settings, dict) else {}


def sweep_page(sweep_dir: Path, sort_by: str | None = None, metrics: list[str] | None = None) -> dict[str, Any]:
    from piikit import __version__, sweep
    from piikit import charts
    from piikit.rundir import REPORT_FILE

    sweep_dir = Path(sweep_dir)
    saved = sweep_settings(sweep_dir)
    sort_by = sort_by or saved.get("sort_by") or DEFAULT_SORT
    metrics = [str(m) for m in (metrics or saved.get("metrics") or [])]
    if sort_by not in metrics:
        metrics.insert(0, sort_by)
    jobs = sweep.sort_jobs(sweep.collect(sweep_dir, metrics), sort_by)
    if not jobs:
        raise PiikitError(f"{sweep_dir} has no job dirs", "give the dir of a `piikit -m ...` sweep (outputs/multirun/<date>/<time>)")
    keys = sweep.swept_keys(jobs)

    columns = [{"key": "status", "label": "status", "help": "", "numeric": False}]
    columns += [{"key": k, "label": k, "help": "swept parameter", "numeric": False} for k in keys]
    columns += [{"key": m, "label": m.replace("_", " "), "help": HELP.get(m, ""), "numeric": True} for m in metrics]
    columns += [{"key": "seconds", "label": "seconds", "help": "wall time of the job", "numeric": True}]
    rows = []
    for job in jobs:
        params = job.params
        cells = [{"key": "status", "value": job.status, "text": job.status, "sort": job.status, "cls": "" if job.status == "completed" else "bad-text"}]
        cells += [{"key": k, "value": params.get(k, ""), "text": params.get(k, ""), "sort": _sort_key(params.get(k, ""))} for k in keys]
        for m in metrics + ["seconds"]:
            v = job.seconds if m == "seconds" else job.metrics.get(m)
            cells.append({"key": m, "value": v, "text": f"{v:.4f}" if m != "seconds" and isinstance(v, float) else fmt_fact(v), "sort": v if is_number(v) else ""})
        report = job.dir / REPORT_FILE
        rows.append({
            "name": str(job.num),
            "link": os.path.relpath(report, sweep_dir) if report.is_file() else None,
            "cls": "" if job.status == "completed" else "failed",
            "cells": cells,
            "overrides": job.overrides,
            "reason": job.reason,
        })

    done = [j for j in jobs if j.status == "completed" and sort_by in j.metrics]
    plots = [{"param": k, "svg": charts.to_svg(charts.sweep_figure([sweep.panel(done, k, sort_by)], sort_by))} for k in keys if done]
    best = done[0] if done else None
    failed = [j for j in jobs if j.status != "completed"]
    return {
        "kind": "sweep",
        "title": f"piikit sweep report — {len(jobs)} jobs, sorted by {sort_by}",
        "sweep_dir": str(sweep_dir),
        "sweep_name": "/".join(sweep_dir.resolve().parts[-2:]),
        "generated": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip(),
        "version": __version__,
        "sort_by": sort_by,
        "lower_is_better": sort_by in sweep.LOWER_IS_BETTER,
        "metrics": metrics,
        "swept": keys,
        "n_jobs": len(jobs),
        "n_failed": len(failed),
        "best": {"name": str(best.num), "value": best.metrics[sort_by], "text": fmt(best.metrics[sort_by]), "overrides": best.overrides,
                 "link": os.path.relpath(best.dir / REPORT_FILE, sweep_dir) if (best.dir / REPORT_FILE).is_file() else None} if best else None,
        "failures": [{"name": str(j.num), "reason": j.reason or "", "overrides": j.overrides} for j in failed],
        "jobs": {"name_header": "job", "columns": columns, "rows": rows},
        "plots": plots,
    }


def _sort_key(value: str) -> Any:
    try:
        return float(value)
    except ValueError:
        return value
