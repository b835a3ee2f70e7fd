"""A small evaluated run dir for the report tests (hand-written rows; no prepare/tune stages)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from evaluate_helpers import make_rows, write_run

from piikit.config import Config, ReportConfig
from piikit.io import atomic_open, write_json, write_jsonl
from piikit.pipeline import RunContext
from piikit.stages import evaluate as stage
from piikit.tuners.simple import ReferenceTuner


def predictions(rows):
    """Mostly right, with the failures a report must show: a leak, an error that quotes the
    input, an unmasked row, a failed row that still returned text, a partly masked phone number."""
    preds = [p.to_dict() for p in ReferenceTuner(None).predict(rows)]
    preds[0] = {"id": rows[0].id, "prediction": rows[0].target_text.replace("[LASTNAME]", rows[0].privacy_mask[1].value)}
    preds[1] = {"id": rows[1].id, "prediction": None, "error": f"blocked: the input mentions {rows[1].privacy_mask[0].value}"}
    preds[3] = {"id": rows[3].id, "prediction": rows[3].source_text}
    preds[7] = {"id": rows[7].id, "prediction": rows[7].source_text, "error": "timeout"}  # failed, yet has text
    phone = rows[5].privacy_mask[0].value  # "+44 20 7946 0958"
    head = " ".join(phone.split()[:2])
    preds[5] = {"id": rows[5].id, "prediction": rows[5].target_text.replace("[PHONENUMBER]", f"{head} [PHONENUMBER]")}
    return preds


def make_run(run_dir: Path, report: ReportConfig | None = None) -> Path:
    """An evaluated run dir with a saved config, overrides and loss snapshots; the evaluate
    stage writes its report.html."""
    rows = make_rows()
    write_run(run_dir, rows, predictions(rows))
    with atomic_open(run_dir / ".hydra" / "config.yaml") as fh:
        fh.write("stages: [prepare, tune, evaluate]\nseed: 42\ntuner:\n  name: toy\n  model: null\ndataset:\n  name: handmade\n")
    with atomic_open(run_dir / ".hydra" / "overrides.yaml") as fh:
        fh.write("- tuner=toy\n- seed=42\n")
    write_jsonl(run_dir / "tune" / "snapshots.jsonl", [{"step": s, "epoch": s // 2, "loss": 2.0 / (s + 1)} for s in range(6)])
    write_json(run_dir / "tune" / "manifest.json", {"stage": "tune", "tuner": {"name": "toy", "model": None}, "train_rows": 0, "test_rows": len(rows), "fit_seconds": 1.25, "final_loss": 0.333})
    cfg = Config(stages=["evaluate"], report=report or ReportConfig())
    stage.run(cfg, RunContext(run_dir=run_dir, cache_dir=run_dir / "cache"))
    return run_dir


class Values(HTMLParser):
    """Every ``data-metric`` element of a page: (metric, data-value, shown text)."""

    def __init__(self):
        super().__init__()
        self.found: list[list[str]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-metric" in a:
            self._open = [a["data-metric"], a.get("data-value", ""), ""]
            self.found.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open[2] += data

    def handle_endtag(self, tag):
        self._open = None


def metric_values(html: str) -> list[list[str]]:
    p = Values()
    p.feed(html)
    return p.found


RESOURCE = re.compile(
    r"""(?:\b(?:src|href|action|poster|srcset|data|background)\s*=\s*["']?\s*(?:https?:)?//)|url\(\s*["']?\s*(?:https?:)?//|@import|<link\b|<iframe\b|<object\b|<embed\b""",
    re.I,
)


def external_references(html: str) -> list[str]:
    return RESOURCE.findall(html)


def section(html: str, name: str) -> str:
    start = html.index(f'<section id="{name}">')
    return html[start : html.index("</section>", start)]


def make_job(root: Path, num: int, overrides: list[str], status: dict | None, metrics: dict | None) -> Path:
    job = root / str(num)
    with atomic_open(job / ".hydra" / "overrides.yaml") as fh:
        fh.write("".join(f"- {o}\n" for o in overrides))
    with atomic_open(job / ".hydra" / "hydra.yaml") as fh:
        fh.write(f"hydra:\n  job:\n    num: {num}\n")
    if status is not None:
        write_json(job / "status.json", status)
    if metrics is not None:
        write_json(job / "evaluate" / "metrics.json", metrics)
    return job


def make_sweep(root: Path) -> Path:
    """A sweep dir as ``piikit -m`` leaves it: multirun.yaml and one dir per job. Job 1 is a
    real evaluated run (it has its own report.html); job 3 failed."""
    ok = {"status": "completed", "seconds": 2.5, "reason": None, "exit_code": 0}
    with atomic_open(root / "multirun.yaml") as fh:
        fh.write("sweep:\n  sort_by: span_f2\n  metrics: [span_f2, span_f1, leak_rate]\n  plot: true\n")
    make_run(root / "1")
    make_job(root, 1, ["tuner.c2=0.1", "seed=2"], ok, None)
    make_job(root, 0, ["tuner.c2=0.01", "seed=1"], ok, {"span_f2": 0.5, "span_f1": 0.55, "leak_rate": 0.25, "rows": 12})
    make_job(root, 2, ["tuner.c2=1", "seed=1"], ok, {"span_f2": 0.6, "span_f1": 0.65, "leak_rate": 0.125, "rows": 12})
    make_job(root, 3, ["tuner.c2=-1", "seed=2"], {"status": "failed", "seconds": 0.1, "reason": "tuner.c2=-1 must be >= 0", "exit_code": 2}, None)
    return root
