"""What the evaluate stage shows and writes besides metrics.json: the terminal tables, the worst
examples with their differences highlighted, ``per_label.csv`` and the per-label plot."""

from __future__ import annotations

import csv
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from piikit.io import atomic_open
from piikit.report.examples import DIFF_TOKEN, worst_indices

HEADLINE = (
    "span_f1", "span_f2", "span_precision", "span_recall", "span_macro_f1",
    "overlap_f1", "overlap_f2", "token_f1", "token_f2",
    "leak_rate", "fidelity", "over_masking", "exact_match", "placeholder_validity",
    "alignment_failures", "fuzzy_alignments", "prediction_errors",
)
BUILTIN_PREFIXES = (  # metric names of the built-in evaluators start with these
    "span_", "overlap_", "token_", "leak", "fidelity", "over_", "exact", "placeholder", "alignment", "prediction",
    "rows", "error", "gold_", "predicted_", "unaligned", "spans_", "fuzzy", "nonpii", "rewritten", "eval_",
)


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def metrics_table(metrics: dict[str, Any], title: str = "evaluate"):
    from rich.table import Table

    table = Table(title=title, show_edge=False)
    table.add_column("metric")
    table.add_column("value", justify="right")
    keys = [k for k in HEADLINE if k in metrics]
    # plus plugin metrics (built-in details stay in metrics.json)
    keys += [k for k, v in metrics.items() if k not in keys and isinstance(v, (int, float)) and not k.startswith(BUILTIN_PREFIXES)]
    for k in keys:
        table.add_row(k, _fmt(metrics[k]))
    return table


def per_label_table(per_label: dict[str, dict[str, Any]], limit: int = 20):
    from rich.table import Table

    names = {"support": "n", "span_precision": "P", "span_recall": "R", "span_f1": "F1", "overlap_f1": "overlap F1", "leak_rate": "leak"}
    cols = [c for c in names if any(c in v for v in per_label.values())]
    table = Table(title="per label (strict span scores, by support)", show_edge=False)
    table.add_column("label")
    for c in cols:
        table.add_column(names[c], justify="right")
    rows = sorted(per_label.items(), key=lambda kv: -kv[1].get("support", 0))
    for label, v in rows[:limit]:
        table.add_row(label, *(f"{v[c]:.3f}" if isinstance(v.get(c), float) else str(v.get(c, "")) for c in cols))
    if len(rows) > limit:
        table.caption = f"{len(rows) - limit} more in per_label.csv"
    return table


def diff_texts(expected: str, predicted: str):
    """Two rich Texts; tokens that differ are highlighted (green: expected, red: predicted)."""
    from rich.text import Text

    a, b = DIFF_TOKEN.findall(expected), DIFF_TOKEN.findall(predicted)
    ea, pb = Text(), Text()
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            ea.append("".join(a[i1:i2]))
            pb.append("".join(b[j1:j2]))
        else:
            ea.append("".join(a[i1:i2]), style="bold black on green")
            pb.append("".join(b[j1:j2]), style="bold white on red")
    return ea, pb


def _clip(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit] + " …"


def print_worst(console, rows, predictions, scored, targets, n: int, redact: bool = True) -> None:
    """The worst rows as expected / predicted panels. ``redact`` (``report.redact_examples``, the
    default): no source text, and every gold value the prediction leaked shown as
    ``[LEAKED:LABEL]`` (as in report.html); otherwise the source and the raw prediction too."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    for i in worst_indices(scored, n):
        row, pred, s = rows[i], predictions[i], scored[i]
        predicted = pred.prediction if pred.prediction is not None else ""
        error = pred.error
        if redact:
            from piikit.report.examples import find_leaks, redact_free_text
            from piikit.report.examples import redact as redact_leaks

            predicted, _ = redact_leaks(predicted, find_leaks(predicted, targets[i], row.privacy_mask).marks)
            error = redact_free_text(error, row.privacy_mask) if error else error
        exp_t, pred_t = diff_texts(_clip(targets[i]), _clip(predicted))
        if error:
            pred_t = Text(f"<{error}> ", style="bold red") + pred_t
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold")
        grid.add_column()
        if not redact:
            grid.add_row("source", Text(_clip(row.source_text)))
        grid.add_row("expected", exp_t)
        grid.add_row("predicted", pred_t)
        facts = [f"alignment={s['alignment']}"] + [f"{k}={_fmt(s[k])}" for k in ("span_f1", "leaked", "fidelity") if k in s]
        console.print(Panel(grid, title=f"row {row.id} ({row.language})", subtitle=" ".join(facts), title_align="left"))


def write_per_label_csv(path: Path, per_label: dict[str, dict[str, Any]]) -> None:
    first = ["support", "predicted", "span_precision", "span_recall", "span_f1", "span_f2", "overlap_precision", "overlap_recall", "overlap_f1", "overlap_f2", "leak_rate", "leaked"]
    present = {k for v in per_label.values() for k in v}
    cols = [c for c in first if c in present] + sorted(present - set(first))
    with atomic_open(path) as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["label", *cols])
        for label, v in sorted(per_label.items(), key=lambda kv: (-kv[1].get("support", 0), kv[0])):
            w.writerow([label, *(v.get(c, "") for c in cols)])
