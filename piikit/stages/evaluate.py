"""Evaluate stage: score ``tune/predictions.jsonl`` against ``prepare/test.jsonl``.

Aligns each prediction once (:mod:`piikit.evaluate.align`), runs the selected evaluators
(built-ins and plugins alike, ``evaluate.evaluators``), and writes under ``evaluate/``:
``metrics.json`` (flat headline metrics + ``per_label`` / ``per_language``),
``per_label.csv``, ``scored_predictions.jsonl``, ``per_label.png`` and ``manifest.json``.

An evaluator that raises does not stop the others; its error is recorded in metrics.json and
the stage fails at the end (exit 1). ``evaluate.fail_under`` / ``fail_over`` gates raise
:class:`~piikit.errors.QualityGateError` (exit 3) after everything is written.
"""

from __future__ import annotations

import gc
import logging
import time
from pathlib import Path
from typing import Any, Sequence

from piikit.config import Config
from piikit.data.schema import JOINED_PARTS, Prediction, Row
from piikit.data.stored import restored, stored
from piikit.errors import EXIT_BUG, PiikitError, QualityGateError, did_you_mean
from piikit.io import read_json, read_jsonl, write_json, write_jsonl
from piikit.pipeline import RunContext
from piikit.rundir import METRICS, SCORED_PREDICTIONS

log = logging.getLogger("piikit")


class EvaluatorFailed(PiikitError):
    """An evaluator (usually a plugin) raised: the others ran, the run still fails."""

    exit_code = EXIT_BUG


# --------------------------------------------------------------------------- inputs
def load_test_rows(path: Path) -> list[Row]:
    rows = [Row.from_dict(d) for d in read_jsonl(path)]
    if not rows:
        raise PiikitError(f"{path} has no rows", "re-run the prepare stage")
    seen: set[str] = set()
    for r in rows:
        if r.id in seen:
            raise PiikitError(f"{path}: row id '{r.id}' appears twice", "re-run the prepare stage")
        seen.add(r.id)
    return rows


def _sample(ids: Sequence[str]) -> str:
    shown = ", ".join(repr(i) for i in ids[:3])
    return shown + (", ..." if len(ids) > 3 else "")


def load_predictions(path: Path, rows: Sequence[Row]) -> list[Prediction]:
    """Predictions in row order; unknown, duplicate or missing ids are a one-line error."""
    by_id: dict[str, Prediction] = {}
    dups: list[str] = []
    texts = {r.id: r.source_text for r in rows}
    n = 0
    for n, d in enumerate(read_jsonl(path), 1):
        if not isinstance(d, dict) or "id" not in d:
            raise PiikitError(f"{path}: prediction #{n} has no 'id'", "each line needs {\"id\": ..., \"prediction\": ...}")
        try:
            d = restored(d, texts.get(str(d["id"])))
        except ValueError as e:
            raise PiikitError(f"{path}: prediction for id '{d['id']}' does not fit its test row ({e})", "predictions and prepare/test.jsonl must come from the same run (check from_run=)") from None
        text = d.get("prediction")
        if text is not None and not isinstance(text, str):
            raise PiikitError(f"{path}: prediction for id '{d['id']}' is a {type(text).__name__}, not text", "'prediction' must be the masked text or null")
        try:
            p = Prediction.from_dict(d)
        except (KeyError, TypeError, ValueError) as e:
            raise PiikitError(f"{path}: prediction for id '{d['id']}' has malformed spans ({e})", "spans need start, end, label, value") from None
        if p.id in by_id:
            dups.append(p.id)
        by_id[p.id] = p
    if n == 0:
        raise PiikitError(f"{path} is empty", "re-run the tune stage, or point from_run= at a run with predictions")
    if dups:
        raise PiikitError(f"{len(dups)} duplicate prediction id(s) in {path}: {_sample(dups)}", "keep exactly one prediction per test row")
    ids = {r.id for r in rows}
    unknown = [i for i in by_id if i not in ids]
    if unknown:
        raise PiikitError(
            f"{len(unknown)} prediction id(s) are not in the test split: {_sample(unknown)}",
            "predictions and prepare/test.jsonl must come from the same run (check from_run=)",
        )
    missing = [r.id for r in rows if r.id not in by_id]
    if missing:
        raise PiikitError(
            f"{len(missing)} of {len(rows)} test rows have no prediction: {_sample(missing)}",
            "re-run the tune stage; a failed row should still get a line with an 'error'",
        )
    return [by_id[r.id] for r in rows]


def dataset_labels(ctx: RunContext, extra: Sequence[str] | None) -> list[str]:
    """Labels a placeholder may use: the prepared train split's (if any) plus configured ones."""
    labels = set(extra or ())
    try:
        train = ctx.find("prepare_train")
    except PiikitError:
        return sorted(labels)
    for d in read_jsonl(train):
        for s in d.get("privacy_mask") or []:
            labels.add(s["label"])
    for kind, parts in JOINED_PARTS.items():  # a value's parts joined into one (tuner.join_values)
        if labels & parts:
            labels.add(kind)
    return sorted(labels)


# --------------------------------------------------------------------------- evaluators
def resolve_evaluators(names: Sequence[str]) -> list[str]:
    from piikit import plugins

    out: list[str] = []
    for name in names:
        expanded = list(plugins.registry("evaluator")) if name == "all" else [name]
        for n in expanded:
            plugins.get("evaluator", n)
            if n not in out:
                out.append(n)
    return out


def run_evaluators(names: Sequence[str], rows, predictions, ectx) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, str]]:
    """Run each evaluator; merge results; an evaluator that raises is recorded, not fatal."""
    from piikit import plugins

    merged: dict[str, Any] = {"per_label": {}, "per_language": {}}
    per_row: list[dict[str, Any]] = [{} for _ in rows]
    errors: dict[str, str] = {}
    for name in names:
        t0 = time.perf_counter()
        try:
            evaluator = plugins.get("evaluator", name).load()()
            result = evaluator.evaluate(rows, predictions, ectx)
            if not isinstance(result, dict):
                raise TypeError(f"evaluate() returned {type(result).__name__}, not a dict")
        except Exception as e:  # a broken plugin must not take the other metrics down
            errors[name] = f"{type(e).__name__}: {e}"
            log.error("evaluator '%s' failed: %s", name, errors[name], exc_info=log.isEnabledFor(logging.DEBUG))
            continue
        for key, value in result.items():
            if key in ("per_label", "per_language"):
                for group, scores in value.items():
                    merged[key].setdefault(group, {}).update(scores)
            elif key == "per_row":
                if len(value) != len(rows):
                    errors[name] = f"per_row has {len(value)} entries for {len(rows)} rows"
                    continue
                for acc, d in zip(per_row, value):
                    acc.update(d)
            elif value is None or isinstance(value, (bool, int, float, str)):
                merged[key] = value
            else:
                merged.setdefault(name, {})[key] = value
        log.debug("evaluator %s: %.2fs", name, time.perf_counter() - t0)
    return merged, per_row, errors


# --------------------------------------------------------------------------- gates
def check_gates(metrics: dict[str, Any], fail_under: dict[str, float], fail_over: dict[str, float]) -> list[str]:
    """Failed gates as ``"span_f1=0.71 < 0.9"``; an unknown metric name is a user error."""
    numeric = sorted(k for k, v in metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool))
    failures: list[str] = []
    for kind, gates, worse in (("fail_under", fail_under, lambda v, t: v < t), ("fail_over", fail_over, lambda v, t: v > t)):
        for key, threshold in gates.items():
            if key not in numeric:
                err = did_you_mean("metric", key, numeric)
                raise PiikitError(f"evaluate.{kind}.{key}: {err.message}", err.hint)
            if worse(metrics[key], threshold):
                failures.append(f"{key}={metrics[key]:.4g} {'<' if kind == 'fail_under' else '>'} {threshold:g}")
    return failures


# --------------------------------------------------------------------------- stage
def _write_report(cfg: Config, ctx: RunContext) -> None:
    """``<run dir>/report.html`` (:mod:`piikit.report`); a broken page never fails the run."""
    from piikit.report import write_run_report

    try:
        path = write_run_report(ctx.run_dir, cfg.report, from_run=ctx.from_run)
    except Exception as e:
        log.warning("could not write report.html: %s: %s", type(e).__name__, e, exc_info=log.isEnabledFor(logging.DEBUG))
    else:
        log.info("report → %s", path)


def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    # millions of small acyclic objects: the cycle collector would only cost time (~2x)
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(cfg, ctx)
    finally:
        if enabled:
            gc.enable()


def _score(names, rows, predictions, labels, label_map, ctx):
    """Align and run the evaluators on one set of rows: (metrics, eval context, per-row scores,
    evaluator errors, align seconds, total seconds)."""
    from piikit.evaluate import alignment_summary, build_context

    t0 = time.perf_counter()
    ectx = build_context(rows, predictions, labels=labels, label_map=dict(label_map), run=ctx)
    align_seconds = time.perf_counter() - t0
    merged, per_row, errors = run_evaluators(names, rows, predictions, ectx)
    seconds = time.perf_counter() - t0
    summary = alignment_summary(ectx)
    methods = summary.pop("alignment_methods")
    per_label = merged.pop("per_label")
    per_language = merged.pop("per_language")
    metrics: dict[str, Any] = {**summary, **merged}
    metrics["per_label"] = per_label
    metrics["per_language"] = per_language
    metrics["alignment_methods"] = methods
    metrics["evaluators"] = names
    metrics["evaluator_errors"] = errors
    return metrics, ectx, per_row, errors, align_seconds, seconds


def _write_details(out: Path, rows, predictions, ectx, per_row, per_label, span_values: bool = False) -> tuple[list[str], list[dict]]:
    """per_label.csv, scored_predictions.jsonl, per_label.png; returns (file names, scored rows)."""
    from piikit.evaluate import report

    report.write_per_label_csv(out / "per_label.csv", per_label)
    scored = []
    for row, p, a, rec, extra in zip(rows, predictions, ectx.alignments, ectx.pred, per_row):
        d: dict[str, Any] = {"id": row.id, "language": row.language, "prediction": p.prediction}
        if p.error:
            d["error"] = p.error
        d["alignment"] = a.method
        d["edits"] = a.edits
        d["spans"] = [s.to_dict() for s in rec]
        d.update(extra)
        scored.append(d)  # in memory: the text and the values; on disk: neither, unless span_values=true
    write_jsonl(out / SCORED_PREDICTIONS, (stored(d, row.source_text, span_values) for d, row in zip(scored, rows)))
    from piikit import charts

    plot = charts.write_png(charts.per_label_figure(per_label, "Per-label span F1 and leak rate"), out / "per_label.png")
    return [METRICS, "per_label.csv", SCORED_PREDICTIONS, *(["per_label.png"] if plot else [])], scored


def _flat(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in metrics.items() if v is None or isinstance(v, (bool, int, float, str))}


def _run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    from piikit.config import eval_enabled
    from piikit.console import console
    from piikit.evaluate import report

    ecfg = cfg.evaluate
    out = ctx.stage_dir("evaluate")
    names = resolve_evaluators(ecfg.evaluators)
    test_path = ctx.find("prepare_test")
    pred_path = ctx.find("predictions")
    rows = load_test_rows(test_path)
    predictions = load_predictions(pred_path, rows)
    labels = dataset_labels(ctx, ecfg.labels)

    metrics, ectx, per_row, errors, align_seconds, seconds = _score(names, rows, predictions, labels, ecfg.label_map, ctx)

    # the eval_dataset (cross-dataset): same evaluators, its own label map, under evaluate/eval/
    ev = None
    if eval_enabled(cfg):
        ev_rows = load_test_rows(ctx.find("prepare_eval"))
        ev_pred_path = ctx.find("eval_predictions")
        ev_preds = load_predictions(ev_pred_path, ev_rows)
        ev_labels = sorted(set(labels) | set(ecfg.eval_label_map.values()))
        ev_metrics, ev_ctx, ev_per_row, ev_errors, _, ev_seconds = _score(names, ev_rows, ev_preds, ev_labels, ecfg.eval_label_map, ctx)
        ev_out = ctx.stage_dir(ctx.paths.relative("evaluate_eval"))
        ev_outputs, ev_scored = _write_details(ev_out, ev_rows, ev_preds, ev_ctx, ev_per_row, ev_metrics["per_label"], cfg.span_values)
        write_json(ev_out / METRICS, ev_metrics)
        for k, v in _flat(ev_metrics).items():  # eval_* next to the test metrics (gates can use them)
            metrics[f"eval_{k}"] = v
        errors = {**errors, **{f"eval:{k}": v for k, v in ev_errors.items()}}
        ev = dict(rows=ev_rows, preds=ev_preds, ctx=ev_ctx, scored=ev_scored, metrics=ev_metrics, path=ev_pred_path, seconds=ev_seconds, outputs=ev_outputs)

    per_label = metrics.pop("per_label")
    try:
        failures = check_gates(metrics, dict(ecfg.fail_under), dict(ecfg.fail_over))
        gate_error = None
    except PiikitError as e:
        failures, gate_error = [], e
    metrics["per_label"] = per_label
    metrics["evaluator_errors"] = errors
    metrics["gates"] = {"fail_under": dict(ecfg.fail_under), "fail_over": dict(ecfg.fail_over), "failed": failures}
    write_json(ctx.paths.metrics, metrics)
    outputs, scored = _write_details(out, rows, predictions, ectx, per_row, per_label, cfg.span_values)

    tuner = None
    try:
        tuner = read_json(ctx.find("tune_manifest")).get("tuner")
    except (PiikitError, ValueError, OSError):
        pass
    inputs = {"test": str(test_path), "predictions": str(pred_path)}
    if ev:
        inputs["eval_predictions"] = str(ev["path"])
    write_json(ctx.paths.evaluate_manifest, {
        "stage": "evaluate",
        "inputs": inputs,
        "tuner": tuner,
        "rows": len(rows),
        "eval_rows": len(ev["rows"]) if ev else None,
        "evaluators": names,
        "evaluator_errors": errors,
        "label_map": dict(ecfg.label_map),
        "eval_label_map": dict(ecfg.eval_label_map) if ev else None,
        "gates": metrics["gates"],
        "align_seconds": round(align_seconds, 3),
        "seconds": round(seconds, 3),
        "rows_per_s": round(len(rows) / seconds, 1) if seconds > 0 else None,
        "eval_seconds": round(ev["seconds"], 3) if ev else None,
        "outputs": outputs + ([f"eval/{o}" for o in ev["outputs"]] if ev else []),
    })

    console.print(report.metrics_table(metrics, title=f"evaluate — {len(rows)} test rows"))
    if per_label:
        console.print(report.per_label_table(per_label))
    redact = cfg.report.redact_examples
    if not redact and (ecfg.worst_examples or cfg.report.worst_examples):
        log.warning("report.redact_examples=false: the examples below and in report.html show raw text, PII included")
    if ecfg.worst_examples:
        report.print_worst(console, rows, predictions, scored, ectx.targets, ecfg.worst_examples, redact)
    if ev:
        console.print(report.metrics_table(_flat(ev["metrics"]), title=f"eval_dataset — {len(ev['rows'])} rows ({cfg.eval_dataset.name}), in evaluate/eval/"))
        if ev["metrics"]["per_label"]:
            console.print(report.per_label_table(ev["metrics"]["per_label"]))
        if ecfg.worst_examples:
            report.print_worst(console, ev["rows"], ev["preds"], ev["scored"], ev["ctx"].targets, ecfg.worst_examples, redact)

    _write_report(cfg, ctx)

    if errors:
        more = f"; quality gates failed too: {'; '.join(failures)}" if failures else ""
        raise EvaluatorFailed(
            "evaluator(s) failed: " + "; ".join(f"{k}: {v}" for k, v in errors.items()) + more,
            f"the other evaluators' metrics are in {ctx.paths.metrics}",
        )
    if gate_error is not None:
        raise gate_error
    if failures:
        raise QualityGateError(f"quality gate failed: {'; '.join(failures)}", f"metrics in {ctx.paths.metrics}")
    keys = ("span_f1", "span_f2", "leak_rate", "fidelity", "exact_match")
    headline = {k: round(metrics[k], 4) for k in keys if isinstance(metrics.get(k), float)}
    if ev:
        headline.update({f"eval_{k}": round(metrics[f"eval_{k}"], 4) for k in ("token_precision", "token_recall", "token_f2", "leak_rate") if isinstance(metrics.get(f"eval_{k}"), float)})
    return {"rows": len(rows), **headline, "alignment failures": metrics["alignment_failures"]}
