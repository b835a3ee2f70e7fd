"""Tune stage: fit the selected tuner on the prepared train split, then predict the test split.

Writes ``tune/model/`` (when the tuner trains), ``snapshots.jsonl``, ``loss.png``,
``predictions.jsonl`` and ``manifest.json``.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from piikit.config import Config, eval_enabled
from piikit.console import console, progress, rate_column
from piikit.data.schema import Row
from piikit.errors import PiikitError
from piikit.io import read_jsonl, write_json, write_jsonl
from piikit.model import trained_model_dir
from piikit.pipeline import RunContext
from piikit.tuners.base import build_tuner


def load_rows(path: Path) -> list[Row]:
    return [Row.from_dict(d) for d in read_jsonl(path)]


def print_plan(plan: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title="dry run: the plan (no API call made)", show_header=False)
    for key, value in plan.items():
        shown = "\n".join(map(str, value)) if isinstance(value, list) else f"{value:,}" if isinstance(value, int) else str(value)
        table.add_row(key, shown)
    console.print(table)


def dry_run(cfg: Config, ctx: RunContext, tuner, test: list[Row]) -> dict[str, Any]:
    """``tuner.dry_run=true``: the tuner's ``plan(train, test)`` printed and saved; nothing else."""
    ctx.stage_dir("tune")
    if not hasattr(tuner, "plan"):
        raise PiikitError(f"tuner {cfg.tuner.name} has no dry run", "drop tuner.dry_run")
    train = load_rows(ctx.find("prepare_train"))
    plan = tuner.plan(train, test)
    print_plan(plan)
    write_json(ctx.paths.plan, plan)
    write_json(ctx.paths.tune_manifest, {"stage": "tune", "dry_run": True, "tuner": asdict(cfg.tuner), "plan": plan})
    return {"tuner": cfg.tuner.name, "dry_run": True, "examples": plan.get("examples"), "total steps": plan.get("total_steps")}


def predict_all(tuner, rows: list[Row], name: str, what: str) -> tuple[list[dict], float]:
    """One prediction dict per row, in order (any tuner); and the seconds it took."""
    t0 = time.perf_counter()
    predictions = []
    with progress(rate_column()) as p:
        task = p.add_task(f"predicting {what} ({name})", total=len(rows))
        for pred in tuner.predict(rows):
            predictions.append(pred.to_dict())
            p.advance(task)
    if len(predictions) != len(rows):
        raise RuntimeError(f"tuner {name} returned {len(predictions)} predictions for {len(rows)} {what} rows")
    wrong = next((i for i, (p, r) in enumerate(zip(predictions, rows)) if str(p["id"]) != r.id), None)
    if wrong is not None:
        raise RuntimeError(f"tuner {name} returned prediction id {predictions[wrong]['id']!r} for {what} row {rows[wrong].id!r} (#{wrong})")
    return predictions, time.perf_counter() - t0


def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    ctx.stage_dir("tune")
    tuner = build_tuner(cfg.tuner, ctx)
    test = load_rows(ctx.find("prepare_test"))
    if getattr(cfg.tuner, "dry_run", False):
        return dry_run(cfg, ctx, tuner, test)
    t0 = time.perf_counter()
    snapshots: list[dict] = []
    trained_on = 0
    model_from = getattr(cfg.tuner, "model", None)
    if tuner.needs_training and model_from:
        tuner.load(trained_model_dir(model_from, cfg.tuner, ctx))
        console.print(f"reusing the trained model from [bold]{model_from}[/]")
    elif tuner.needs_training:
        train = load_rows(ctx.find("prepare_train"))
        trained_on = len(train)
        snapshots = [s.to_dict() for s in tuner.fit(train)]
        from piikit.distributed import is_main, rank

        if not is_main():  # another process of a multi-GPU launch: rank 0 saves, predicts, evaluates
            return {"tuner": cfg.tuner.name, "rank": rank(), "stop": True}
        tuner.save(ctx.paths.model)
    fit_seconds = time.perf_counter() - t0
    if snapshots:
        write_jsonl(ctx.paths.snapshots, snapshots)
        from piikit import charts

        title = f"{cfg.tuner.name} training loss"
        fig = charts.loss_figure(snapshots, title, getattr(tuner, "loss_xlabel", None), getattr(tuner, "loss_ylabel", None))
        charts.write_png(fig, ctx.paths.loss_png)

    predictions, predict_seconds = predict_all(tuner, test, cfg.tuner.name, "test")
    write_jsonl(ctx.paths.predictions, _safe(predictions, test, cfg.span_values))
    if cfg.show_rows:
        show_rows(test, predictions, cfg.show_rows)
    errors = sum(1 for p in predictions if p.get("error"))
    eval_info = None
    if eval_enabled(cfg):  # the cross-dataset rows: same model, every row, no training on them
        eval_rows = load_rows(ctx.find("prepare_eval"))
        eval_preds, eval_seconds = predict_all(tuner, eval_rows, cfg.tuner.name, "eval")
        write_jsonl(ctx.paths.eval_predictions, _safe(eval_preds, eval_rows, cfg.span_values))
        eval_info = {
            "rows": len(eval_rows),
            "prediction_errors": sum(1 for p in eval_preds if p.get("error")),
            "predict_seconds": round(eval_seconds, 3),
            "predict_rows_per_s": round(len(eval_rows) / eval_seconds, 1) if eval_seconds > 0 else None,
            "predict_chars_per_s": round(sum(len(r.source_text) for r in eval_rows) / eval_seconds) if eval_seconds > 0 else None,
        }
    elif ctx.paths.eval_predictions.exists():
        ctx.paths.eval_predictions.unlink()
    manifest = {
        "stage": "tune",
        "tuner": asdict(cfg.tuner),
        "train_rows": trained_on,
        "test_rows": len(test),
        "prediction_errors": errors,
        "fit_seconds": round(fit_seconds, 3),
        "predict_seconds": round(predict_seconds, 3),
        "predict_rows_per_s": round(len(test) / predict_seconds, 1) if predict_seconds > 0 else None,
        "final_loss": snapshots[-1]["loss"] if snapshots else None,
        "snapshots": len(snapshots),
        "model_from": model_from if tuner.needs_training and model_from else None,
        "model_info": getattr(tuner, "info", None) or {},  # tuner-specific facts (sizes, timings)
        "eval": eval_info,  # eval_dataset predictions (tune/eval_predictions.jsonl), if any
    }
    write_json(ctx.paths.tune_manifest, manifest)
    summary = {"tuner": cfg.tuner.name, "train rows": trained_on, "predictions": len(predictions), "errors": errors}
    if eval_info:
        summary["eval predictions"] = eval_info["rows"]
    if snapshots:
        summary["final loss"] = round(snapshots[-1]["loss"], 4)
    return summary


def _safe(predictions: list[dict], rows: list[Row], span_values: bool) -> list[dict]:
    """What predictions.jsonl holds (:mod:`piikit.data.stored`): no text of the source, no span
    values, unless ``span_values=true``. ``predictions`` are in ``rows``' order."""
    from piikit.data.stored import stored

    return [stored(p, row.source_text, span_values) for p, row in zip(predictions, rows)]


def show_rows(test: list[Row], predictions: list[dict], wanted: list[str]) -> None:
    """Print the chosen test rows (``show_rows=[...]``, by row id): input, gold, prediction."""
    from rich.table import Table

    by_id = {row.id: (row, pred) for row, pred in zip(test, predictions)}
    missing = [w for w in wanted if str(w) not in by_id]
    table = Table(title="selected test rows (show_rows)", show_lines=True)
    for col in ("row", "source_text", "target_text (gold)", "prediction"):
        table.add_column(col, overflow="fold")
    for w in wanted:
        if str(w) in by_id:
            row, pred = by_id[str(w)]
            table.add_row(row.id, row.source_text, row.target_text or "", pred.get("prediction") or f"[error: {pred.get('error')}]")
    if table.row_count:
        console.print(table)
    if missing:
        console.print(f"[yellow]show_rows: not in the test split: {', '.join(map(str, missing))}[/]")
