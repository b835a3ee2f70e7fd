"""The data behind a run's ``report.html``: everything the template shows, as plain values.

Read from the run dir (and ``from_run`` for stages it reused): ``.hydra/config.yaml`` and
``overrides.yaml``, ``prepare/manifest.json`` + ``test.jsonl``, ``tune/manifest.json`` +
``snapshots.jsonl``, ``evaluate/metrics.json`` + ``manifest.json`` +
``scored_predictions.jsonl``. Only ``evaluate/metrics.json`` is required; a missing piece shows
as "not recorded" on the page.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from piikit.errors import PiikitError
from piikit.evaluate.report import BUILTIN_PREFIXES
from piikit.io import read_json, read_jsonl
from piikit.rundir import RunDir

HEADLINE_GROUPS: list[tuple[str, list[str]]] = [
    ("Spans (strict: same start, end and label)", ["span_precision", "span_recall", "span_f1", "span_f2"]),
    ("Spans (overlap, any label)", ["overlap_precision", "overlap_recall", "overlap_f1", "overlap_f2"]),
    ("Tokens (any label)", ["token_precision", "token_recall", "token_f1", "token_f2"]),
    ("Privacy and text", ["leak_rate", "fidelity", "over_masking", "exact_match", "placeholder_validity"]),
    ("Rows", ["rows", "prediction_errors", "alignment_failures", "fuzzy_alignments"]),
]

LOWER_IS_BETTER = {
    "leak_rate", "over_masking", "error_rate", "prediction_errors", "alignment_failures", "fuzzy_alignments",
    "rewritten", "unaligned_placeholders", "spans_text_mismatches", "span_fp", "span_fn", "token_fp", "token_fn",
    "leaked_values", "leaked",
}

HELP = {
    "span_precision": "share of predicted spans with the gold start, end and label",
    "span_recall": "share of gold spans predicted exactly (start, end, label)",
    "span_f1": "harmonic mean of strict span precision and recall",
    "span_f2": "strict span F-beta with beta=2: a missed PII span costs more than an extra mask",
    "overlap_precision": "share of predicted spans that overlap any gold span, whatever the label",
    "overlap_recall": "share of gold spans overlapped by any predicted span, whatever the label",
    "overlap_f1": "a span counts when it overlaps any gold span, whatever the label",
    "overlap_f2": "overlap F-beta with beta=2",
    "token_precision": "share of tokens predicted as PII that are PII",
    "token_recall": "share of PII tokens predicted as PII",
    "token_f1": "whitespace tokens of the source: PII or not, labels ignored",
    "token_f2": "token F-beta with beta=2",
    "leak_rate": "share of gold PII values that appear verbatim in the prediction (lower is better)",
    "fidelity": "share of non-PII characters that survive unchanged",
    "over_masking": "share of non-PII characters that were masked (lower is better)",
    "exact_match": "share of rows whose prediction equals the expected masked text",
    "placeholder_validity": "share of placeholders whose label is a known label",
    "span_macro_f1": "strict span F1 averaged over labels (rare labels weigh as much as common ones)",
    "leaked_values": "gold PII values that appear verbatim in predictions",
    "rows": "test rows scored",
    "error_rate": "share of rows the tuner returned an error or no text for",
    "unaligned_placeholders": "placeholders in predictions that match no source text",
    "spans_text_mismatches": "rows whose tagger spans disagree with their masked text",
    "rewritten": "share of non-PII characters changed or dropped",
    "prediction_errors": "rows the tuner returned an error or no text for",
    "alignment_failures": "predictions that could not be aligned to their source text",
    "fuzzy_alignments": "predictions aligned only approximately (the model rewrote text)",
}

PER_LABEL_FIRST = [
    "support", "predicted", "span_precision", "span_recall", "span_f1", "span_f2",
    "overlap_precision", "overlap_recall", "overlap_f1", "overlap_f2", "leak_rate", "leaked",
]
PER_LANGUAGE_FIRST = [
    "rows", "span_precision", "span_recall", "span_f1", "span_f2", "span_macro_f1", "overlap_f1", "token_f1", "token_f2",
    "leak_rate", "fidelity", "over_masking", "exact_match",
]


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.4f}"
    if v is None:
        return ""
    return str(v)


def fmt_fact(v: Any) -> str:
    """A fact (seconds, rows/s, loss): a few significant digits, not four decimals."""
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 100 else f"{v:.4g}"
    return fmt(v)


def metric(key: str, value: Any) -> dict[str, Any]:
    """One metric for the template: formatted text, exact value, help, direction, 0-1 bar."""
    rate = isinstance(value, float) and 0.0 <= value <= 1.0
    return {
        "key": key,
        "label": key.replace("_", " "),
        "value": value,
        "text": fmt(value),
        "help": HELP.get(key, ""),
        "lower_is_better": key in LOWER_IS_BETTER,
        "bar": round(100 * value, 1) if rate else None,
    }


def table(groups: dict[str, dict[str, Any]], first: list[str], name_header: str) -> dict[str, Any]:
    """``{name: {column: value}}`` → columns + rows of cells (text and sort key)."""
    present = {k for v in groups.values() for k in v}
    cols = [c for c in first if c in present] + sorted(present - set(first))
    rows = []
    for name, values in groups.items():
        cells = []
        for c in cols:
            v = values.get(c)
            text = f"{v:.3f}" if isinstance(v, float) else fmt(v)
            cells.append({"key": c, "value": v, "text": text, "sort": v if is_number(v) else (fmt(v) or "")})
        rows.append({"name": name, "cells": cells})
    return {
        "name_header": name_header,
        "columns": [{"key": c, "label": c.replace("_", " "), "help": HELP.get(c, ""), "numeric": any(is_number(g.get(c)) for g in groups.values())} for c in cols],
        "rows": rows,
    }


class RunFiles:
    """Files of a run dir; stages it reused come from ``from_run`` (like the pipeline's find)."""

    def __init__(self, run_dir: Path, from_run: Path | None = None):
        self.run_dir = Path(run_dir)
        self.from_run = Path(from_run) if from_run else None

    def find(self, name: str) -> Path | None:
        """A :class:`~piikit.rundir.RunDir` path by name (e.g. ``"tune_manifest"``), if it exists."""
        for base in (self.run_dir, self.from_run):
            if base is not None and getattr(RunDir(base), name).is_file():
                return getattr(RunDir(base), name)
        return None

    def json(self, name: str) -> dict[str, Any] | None:
        path = self.find(name)
        if path is None:
            return None
        try:
            data = read_json(path)
        except (ValueError, OSError):
            return None
        return data if isinstance(data, dict) else None


def saved_config(run_dir: Path) -> dict[str, Any]:
    """The run's resolved config (``.hydra/config.yaml``) as plain data ({} if absent)."""
    import yaml

    path = RunDir(run_dir).hydra_config
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def from_run_of(run_dir: Path) -> Path | None:
    """The ``from_run`` a run reused, when its saved config names one that still exists."""
    value = saved_config(run_dir).get("from_run")
    if not value:
        return None
    for path in (Path(str(value)).expanduser(), Path(run_dir) / str(value)):
        if path.is_dir():
            return path
    return None


def _dataset_summary(manifest: dict[str, Any] | None) -> dict[str, Any] | None:
    if manifest is None:
        return None
    counts = manifest.get("rows") or {}
    train, test = manifest.get("train") or {}, manifest.get("test") or {}
    labels = sorted(set(train.get("labels") or {}) | set(test.get("labels") or {}))
    langs = sorted(set(train.get("languages") or {}) | set(test.get("languages") or {}))
    dedupe = manifest.get("dedupe") or {}
    facts = [
        ("dataset", (manifest.get("dataset") or {}).get("name", "")),
        ("split", (manifest.get("split") or {}).get("name", "")),
        *((f"rows {k.replace('_', ' ')}", v) for k, v in counts.items()),
        ("test rows dropped as duplicates of train", dedupe.get("dropped", "")),
        ("data fingerprint", str(manifest.get("data_fingerprint", ""))[:16]),
        ("config hash", manifest.get("config_hash", "")),
    ]
    return {
        "facts": [(k, fmt(v)) for k, v in facts if v != ""],
        "dataset": manifest.get("dataset") or {},
        "split": manifest.get("split") or {},
        "splits": [
            {"name": name, "rows": part.get("rows", 0), "spans": part.get("spans", 0), "rows_without_pii": part.get("rows_without_pii", 0)}
            for name, part in (("train", train), ("test", test)) if part
        ],
        "languages": [{"name": lang, "train": (train.get("languages") or {}).get(lang, 0), "test": (test.get("languages") or {}).get(lang, 0)} for lang in langs],
        "labels": [{"name": lab, "train": (train.get("labels") or {}).get(lab, 0), "test": (test.get("labels") or {}).get(lab, 0)} for lab in labels],
    }


def _tune_summary(files: RunFiles) -> dict[str, Any]:
    manifest = files.json("tune_manifest")
    snaps_path = files.find("snapshots")
    snapshots = list(read_jsonl(snaps_path)) if snaps_path else []
    out: dict[str, Any] = {"recorded": manifest is not None, "snapshots": len(snapshots), "loss_svg": None, "facts": []}
    if manifest:
        tuner = manifest.get("tuner") or {}
        out["tuner"] = tuner
        keys = ("train_rows", "test_rows", "fit_seconds", "predict_seconds", "predict_rows_per_s", "final_loss", "prediction_errors")
        out["facts"] = [(k.replace("_", " "), fmt_fact(manifest[k])) for k in keys if manifest.get(k) is not None]
    if snapshots:
        from piikit import charts

        out["loss_svg"] = charts.to_svg(charts.loss_figure(snapshots))
        losses = [s["loss"] for s in snapshots if is_number(s.get("loss"))]
        if losses:
            out["facts"] += [("first loss", fmt_fact(float(losses[0]))), ("last loss", fmt_fact(float(losses[-1])))]
    return out


def _examples(files: RunFiles, options: Any, label_map: dict[str, str]) -> dict[str, Any]:
    from piikit.data.schema import Row
    from piikit.data.stored import read_restored
    from piikit.report.examples import worst_examples

    n = int(getattr(options, "worst_examples", 5))
    out: dict[str, Any] = {"items": [], "note": None, "count": n}
    if n == 0:
        out["note"] = "report.worst_examples=0: no examples shown."
        return out
    test_path = files.find("prepare_test")
    scored_path = RunDir(files.run_dir).scored_predictions
    if test_path is None or not scored_path.is_file():
        out["note"] = "No examples: prepare/test.jsonl or evaluate/scored_predictions.jsonl is missing."
        return out
    rows_by_id = {}
    for d in read_jsonl(test_path):
        rows_by_id[str(d["id"])] = Row.from_dict(d)
    scored = list(read_restored(scored_path, {i: r.source_text for i, r in rows_by_id.items()}))  # the text back
    out["items"] = worst_examples(rows_by_id, scored, n, bool(getattr(options, "redact_examples", True)), label_map)
    if not out["items"]:
        out["note"] = "Every row matches the expected text and leaks nothing: no examples to show."
    return out


def run_page(run_dir: Path, options: Any = None, from_run: Path | None = None) -> dict[str, Any]:
    """Everything ``run.html`` shows. ``options``: a :class:`~piikit.config.ReportConfig`."""
    from piikit import __version__
    from piikit.config import ReportConfig

    options = options or ReportConfig()
    run_dir = Path(run_dir)
    metrics_path = RunDir(run_dir).metrics
    if not metrics_path.is_file():
        raise PiikitError(f"{run_dir} has no evaluate/metrics.json", "give the dir of a run that ran the evaluate stage (outputs/<date>/<time>)")
    metrics = read_json(metrics_path)
    files = RunFiles(run_dir, from_run if from_run is not None else from_run_of(run_dir))
    eval_manifest = files.json("evaluate_manifest") or {}
    label_map = dict(eval_manifest.get("label_map") or {})

    config_path = RunDir(run_dir).hydra_config
    overrides_path = RunDir(run_dir).hydra_overrides
    import yaml

    overrides = []
    if overrides_path.is_file():
        overrides = [str(o) for o in (yaml.safe_load(overrides_path.read_text(encoding="utf-8")) or [])]
    config = saved_config(run_dir)

    scalars = {k: v for k, v in metrics.items() if is_number(v)}
    groups = []
    shown: set[str] = set()
    for title, keys in HEADLINE_GROUPS:
        items = [metric(k, scalars[k]) for k in keys if k in scalars]
        shown.update(k for k in keys if k in scalars)
        if items:
            groups.append({"title": title, "metrics": items})
    plugin = [metric(k, v) for k, v in scalars.items() if k not in shown and not k.startswith(BUILTIN_PREFIXES)]
    if plugin:
        groups.append({"title": "Plugin metrics", "metrics": plugin})

    per_label = metrics.get("per_label") or {}
    per_label_sorted = dict(sorted(per_label.items(), key=lambda kv: (-kv[1].get("support", 0), kv[0])))
    per_language = metrics.get("per_language") or {}

    prepare = _dataset_summary(files.json("prepare_manifest"))
    tune = _tune_summary(files)
    tuner_name = (tune.get("tuner") or {}).get("name") or (config.get("tuner") or {}).get("name") or "?"
    dataset_name = ((prepare or {}).get("dataset") or {}).get("name") or (config.get("dataset") or {}).get("name") or "?"
    from piikit import charts

    return {
        "kind": "run",
        "title": f"piikit run report — {tuner_name} on {dataset_name}",
        "run_dir": str(run_dir),
        "run_name": "/".join(run_dir.resolve().parts[-2:]),
        "from_run": str(files.from_run) if files.from_run else None,
        "generated": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip(),
        "version": __version__,
        "redact_examples": bool(options.redact_examples),
        "tuner_name": tuner_name,
        "dataset_name": dataset_name,
        "rows": metrics.get("rows"),
        "config_text": config_path.read_text(encoding="utf-8") if config_path.is_file() else None,
        "overrides": overrides,
        "headline": groups,
        "all_metrics": [metric(k, v) for k, v in scalars.items()],
        "alignment_methods": metrics.get("alignment_methods") or {},
        "evaluators": metrics.get("evaluators") or [],
        "evaluator_errors": metrics.get("evaluator_errors") or {},
        "gates": metrics.get("gates") or {},
        "per_label": table(per_label_sorted, PER_LABEL_FIRST, "label") if per_label else None,
        "per_label_svg": charts.to_svg(charts.per_label_figure(per_label)) if per_label else None,
        "per_language": table(dict(sorted(per_language.items())), PER_LANGUAGE_FIRST, "language") if per_language else None,
        "prepare": prepare,
        "tune": tune,
        "examples": _examples(files, options, label_map),
        "eval_seconds": eval_manifest.get("seconds"),
    }

