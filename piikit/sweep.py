"""Sweep summary: one comparison for a ``piikit -m ...`` multirun.

Every job writes ``<job dir>/status.json`` (status, seconds, one-line reason when it failed;
see :func:`write_status`). When the sweep ends, the Hydra callback :class:`piikit.sweep_callback.SweepSummary`
(configured under ``hydra.callbacks`` in ``conf/config.yaml``) reads every job dir of the
sweep dir and writes ``summary.csv``, ``summary.md`` and ``summary.png`` there (:func:`summarize`),
and prints a table sorted by ``sweep.sort_by`` (best first).

Metrics come from each job's ``evaluate/metrics.json`` (flat keys such as ``span_f2``), then
``tune/manifest.json`` (``fit_seconds``, ``final_loss``, ...). Nothing here imports heavy
libraries at module level: matplotlib only when the plot is drawn.
"""

from __future__ import annotations

import csv
import io
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from piikit.io import atomic_open, read_json, write_json
from piikit.rundir import RunDir

log = logging.getLogger("piikit")

METRIC_SOURCES = ("metrics", "tune_manifest", "prepare_manifest")  # RunDir names, looked up in this order
# metrics where smaller is better (sorted ascending); everything else sorts descending
LOWER_IS_BETTER = {"leak_rate", "over_masking", "seconds", "fit_seconds", "predict_seconds", "final_loss"}


@dataclass
class Job:
    num: int | str
    dir: Path
    overrides: list[str]
    status: str  # completed | failed | unknown
    seconds: float | None = None
    reason: str | None = None
    exit_code: int | None = None
    metrics: dict[str, float] = field(default_factory=dict)

    @property
    def params(self) -> dict[str, str]:
        return dict(_split_override(o) for o in self.overrides)


@dataclass
class SweepOutcome:
    sweep_dir: Path
    jobs: list[Job]

    @property
    def failed(self) -> list[Job]:
        return [j for j in self.jobs if j.status != "completed"]

    def exit_code(self) -> int:
        """0 when every job completed; else the most serious failure (bug 1 < user 2 < gate 3)."""
        codes = [j.exit_code or 1 for j in self.failed]
        return min(codes) if codes else 0


def write_status(run_dir: Path, status: str, seconds: float, reason: str | None = None, exit_code: int = 0) -> None:
    """Record how a run ended (read back by the sweep summary)."""
    write_json(RunDir(run_dir).status, {"status": status, "seconds": round(seconds, 3), "reason": reason, "exit_code": exit_code})


def _split_override(override: str) -> tuple[str, str]:
    key, _, value = override.partition("=")
    return key.lstrip("+~"), value


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def read_job(job_dir: Path, metrics: list[str]) -> Job:
    import yaml

    run = RunDir(job_dir)
    overrides = [str(o) for o in (yaml.safe_load(run.hydra_overrides.read_text()) or [])]
    num: int | str = job_dir.name
    try:
        num = int(yaml.safe_load(run.hydra_hydra.read_text())["hydra"]["job"]["num"])
    except Exception:  # a hand-made or older job dir: fall back to its folder name
        pass
    status_path = run.status
    if status_path.is_file():
        st = read_json(status_path)
        job = Job(num, job_dir, overrides, st.get("status", "unknown"), st.get("seconds"), st.get("reason"), st.get("exit_code"))
    else:
        job = Job(num, job_dir, overrides, "unknown", reason="no status.json: the job did not finish (killed or still running)")
    paths = [getattr(run, name) for name in METRIC_SOURCES]
    sources = [read_json(path) for path in paths if path.is_file()]
    for name in metrics:
        for src in sources:
            value = _number(src.get(name)) if isinstance(src, dict) else None
            if value is not None:
                job.metrics[name] = value
                break
    if job.seconds is not None and "seconds" in metrics:
        job.metrics["seconds"] = job.seconds
    return job


def collect(sweep_dir: Path, metrics: list[str]) -> list[Job]:
    """Every job dir under ``sweep_dir`` (those with ``.hydra/overrides.yaml``), by job number."""
    dirs = sorted({p.parent.parent for p in Path(sweep_dir).glob("**/.hydra/overrides.yaml")})
    jobs = [read_job(d, metrics) for d in dirs if d != Path(sweep_dir)]
    return sorted(jobs, key=lambda j: (isinstance(j.num, str), j.num if isinstance(j.num, int) else 0, str(j.num)))


def swept_keys(jobs: list[Job]) -> list[str]:
    """Override keys whose value differs between jobs, in first-seen order."""
    keys: list[str] = []
    for job in jobs:
        for key in job.params:
            if key not in keys:
                keys.append(key)
    return [k for k in keys if len({job.params.get(k) for job in jobs}) > 1]


def job_metric_names(job: Job) -> list[str]:
    """The numeric keys a job left in its metric sources (what ``sweep.sort_by`` can name)."""
    names: list[str] = []
    for name in METRIC_SOURCES:
        path = getattr(RunDir(job.dir), name)
        src = read_json(path) if path.is_file() else None
        if isinstance(src, dict):
            names += [k for k, v in src.items() if _number(v) is not None and k not in names]
    return names


def check_sort_by(jobs: list[Job], sort_by: str) -> str | None:
    """A warning when completed jobs exist but none has ``sort_by`` (a typo would leave the
    summary unsorted and the plot missing without a word)."""
    done = [j for j in jobs if j.status == "completed"]
    if not done or any(sort_by in j.metrics for j in done) or sort_by == "seconds":
        return None
    from piikit.errors import did_you_mean

    err = did_you_mean("metric", sort_by, job_metric_names(done[0]) or ["(none)"])
    return f"sweep.sort_by={sort_by}: no completed job has this metric, so the summary is not sorted by it — {err.hint}"


def sort_jobs(jobs: list[Job], sort_by: str) -> list[Job]:
    """Completed jobs with the metric first (best first), then jobs without it, then failures."""
    sign = 1.0 if sort_by in LOWER_IS_BETTER else -1.0

    def key(job: Job):
        value = job.metrics.get(sort_by)
        return (job.status != "completed", value is None, sign * value if value is not None else 0.0)

    return sorted(jobs, key=key)


def _fmt(value: float | None, digits: int = 4) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}" if abs(value) >= 1000 else f"{value:.{digits}g}"


def rows(jobs: list[Job], keys: list[str], metrics: list[str], digits: int = 4) -> tuple[list[str], list[list[str]]]:
    """The summary table: job, status, one column per swept parameter, metrics, seconds,
    all overrides, and the one-line reason of a failed job."""
    header = ["job", "status", *keys, *metrics, "seconds", "overrides", "reason"]
    body = []
    for job in jobs:
        params = job.params
        body.append(
            [
                str(job.num),
                job.status,
                *[params.get(k, "") for k in keys],
                *[_fmt(job.metrics.get(m), digits) for m in metrics],
                _fmt(job.seconds, digits),
                " ".join(job.overrides),
                job.reason or "",
            ]
        )
    return header, body


def write_csv(path: Path, header: list[str], body: list[list[str]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(body)
    with atomic_open(path) as fh:
        fh.write(buf.getvalue())


def write_markdown(path: Path, header: list[str], body: list[list[str]], title: str) -> None:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ") or " "

    lines = [f"# {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in body]
    with atomic_open(path) as fh:
        fh.write("\n".join(lines) + "\n")


def print_table(header: list[str], body: list[list[str]], title: str) -> None:
    """The summary on the console, without the long ``overrides`` column (it is in the files)."""
    from rich.table import Table

    from piikit.console import console

    skip = header.index("overrides")
    table = Table(title=title)
    for col in header[:skip] + header[skip + 1 :]:
        table.add_column(col, overflow="fold", justify="left" if col in ("status", "reason") else "right")
    for row in body:
        table.add_row(*(row[:skip] + row[skip + 1 :]), style=None if row[1] == "completed" else "red")
    console.print(table)


def panel(jobs: list[Job], key: str, metric: str) -> tuple[str, list[tuple[str, float]]]:
    """One chart panel: ``key`` and each job's (value of ``key``, ``metric``)."""
    return key, [(j.params.get(key, ""), j.metrics[metric]) for j in jobs]


def plot(jobs: list[Job], keys: list[str], metric: str, path: Path) -> Path | None:
    """``metric`` against each swept parameter (one panel each); completed jobs only."""
    from piikit import charts

    done = [j for j in jobs if j.status == "completed" and metric in j.metrics]
    if not done or not keys:
        return None
    fig = charts.sweep_figure([panel(done, k, metric) for k in keys], metric, title=f"{metric} by swept parameter")
    return charts.write_png(fig, path, dpi=110)


def summarize(sweep_dir: Path, sort_by: str = "span_f2", metrics: list[str] | None = None, draw: bool = True, show: bool = True) -> SweepOutcome:
    """Write summary.csv / summary.md (/ summary.png) in ``sweep_dir`` and print the table."""
    sweep_dir = Path(sweep_dir)
    metrics = list(metrics or [])
    if sort_by not in metrics:
        metrics.insert(0, sort_by)
    jobs = sort_jobs(collect(sweep_dir, metrics), sort_by)
    outcome = SweepOutcome(sweep_dir, jobs)
    if not jobs:
        log.warning("no job dirs found under %s: no sweep summary", sweep_dir)
        return outcome
    warning = check_sort_by(jobs, sort_by)
    if warning:
        log.warning("%s", warning)
    keys = swept_keys(jobs)
    header, body = rows(jobs, keys, metrics)
    failed = len(outcome.failed)
    title = f"piikit sweep: {len(jobs)} jobs, {failed} failed, sorted by {sort_by}"
    write_csv(sweep_dir / "summary.csv", *rows(jobs, keys, metrics, digits=8))
    write_markdown(sweep_dir / "summary.md", header, body, title)
    if show:
        print_table(header, body, title)
    if draw:
        try:
            png = plot(jobs, keys, sort_by, sweep_dir / "summary.png")
        except Exception as e:  # a plot must never lose the summary
            log.warning("could not draw summary.png: %s", e)
            png = None
        if png is None:
            log.info("no summary.png: needs a swept parameter and completed jobs with %s", sort_by)
    log.info("sweep summary → %s", sweep_dir / "summary.md")
    return outcome
