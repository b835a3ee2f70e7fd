"""Scoring masked text: alignment (``align.py``), the built-in metric families (``metrics.py``)
and the contract every evaluator — built-in or plugin — follows.

An **evaluator** is any object with ``name: str`` and
``evaluate(rows, predictions, ctx) -> dict``; it is registered through the
``piikit_register_evaluators`` hook (see :mod:`piikit.hookspecs`). ``rows`` and ``predictions``
are parallel lists (one :class:`~piikit.data.schema.Prediction` per
:class:`~piikit.data.schema.Row`, same order); ``ctx`` is the :class:`EvalContext` below, which
holds the work shared by all evaluators (alignment, normalised spans), so a plugin never aligns
text again.

The returned dict may hold:

- flat scalar metrics, prefixed with the family (``span_f1``, ``leak_rate``): they go to the top
  of ``metrics.json``, the terminal table and the quality gates;
- ``per_label`` / ``per_language``: ``{label: {metric: value}}``, merged across evaluators;
- ``per_row``: a list with one dict per row, merged into ``scored_predictions.jsonl``;
- anything else (nested tables): stored under the evaluator's name in ``metrics.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence, runtime_checkable

from piikit.data.schema import Prediction, Row, Span, stripped
from piikit.evaluate.align import Alignment, align


@runtime_checkable
class Evaluator(Protocol):
    name: str

    def evaluate(self, rows: Sequence[Row], predictions: Sequence[Prediction], ctx: "EvalContext") -> dict[str, Any]: ...


@dataclass
class EvalContext:
    """Shared, precomputed view of the test set and its predictions (index ``i`` = row ``i``).

    ``gold`` / ``pred``: normalised spans per row (whitespace trimmed, ``label_map`` applied,
    adjacent spans of one mapped group merged); ``pred`` is empty for failed rows.
    ``alignments``: how each prediction was aligned (method, edits, rewritten ranges,
    placeholders). ``failed[i]``: the row produced no usable prediction (error, empty, or
    alignment failed). ``targets``: the gold masked text. ``labels``: labels a placeholder may
    use. ``run``: the :class:`~piikit.pipeline.RunContext` (None in unit tests).
    """

    gold: list[list[Span]]
    pred: list[list[Span]]
    alignments: list[Alignment]
    failed: list[bool]
    targets: list[str]
    labels: frozenset[str]
    label_map: dict[str, str] = field(default_factory=dict)
    run: Any = None


def normalize_spans(text: str, spans: Sequence[Span], label_map: dict[str, str]) -> list[Span]:
    """Trim whitespace, map labels, merge adjacent spans of one mapped group (sorted output)."""
    out: list[Span] = []
    groups = set(label_map.values())
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        a, b = stripped(text, s.start, s.end)
        if a >= b:
            continue
        label = label_map.get(s.label, s.label)
        if out and label in groups and out[-1].label == label and not text[out[-1].end : a].strip():
            prev = out.pop()
            a = prev.start
        if a == s.start and b == s.end and label == s.label:
            out.append(s)
        else:
            out.append(Span(a, b, label, text[a:b]))
    return out


def _start(s: Span) -> int:
    return s.start


def is_error(row: Row, pred: Prediction) -> bool:
    """A row whose prediction is unusable: an error, no text, or empty text for non-empty input."""
    return bool(pred.error) or pred.prediction is None or (not pred.prediction.strip() and bool(row.source_text.strip()))


def build_context(
    rows: Sequence[Row],
    predictions: Sequence[Prediction],
    labels: Sequence[str] | None = None,
    label_map: dict[str, str] | None = None,
    run: Any = None,
) -> EvalContext:
    """Align every prediction once and normalise spans for all evaluators."""
    from piikit.data.schema import mask_text

    label_map = dict(label_map or {})
    gold_labels = {s.label for r in rows for s in r.privacy_mask}
    valid = frozenset(gold_labels | set(labels or ()) | set(label_map) | set(label_map.values()))
    gold, pred, aligns, failed, targets = [], [], [], [], []
    for row, p in zip(rows, predictions):
        text = row.source_text
        g = normalize_spans(text, row.privacy_mask, label_map)
        gold_sorted = sorted(row.privacy_mask, key=_start)
        masked = mask_text(text, gold_sorted)
        target = row.target_text if row.target_text is not None else masked
        if is_error(row, p):
            a = Alignment(method="error")
        elif p.prediction == target == masked and (p.spans is None or sorted(p.spans, key=_start) == gold_sorted):
            # the gold masked text itself: aligning it gives the gold spans (fast path)
            a = Alignment(spans=gold_sorted, method="glob", placeholders=[s.label for s in gold_sorted])
        else:
            a = align(text, p.prediction, p.spans, row.privacy_mask)
        gold.append(g)
        aligns.append(a)
        failed.append(not a.ok)
        if not a.ok:
            pred.append([])
        elif a.spans == gold_sorted:
            pred.append(g)  # the same list object: evaluators may take `pred is gold` as "all right"
        else:
            pred.append(normalize_spans(text, a.spans, label_map))
        targets.append(target)
    return EvalContext(gold=gold, pred=pred, alignments=aligns, failed=failed, targets=targets, labels=valid, label_map=label_map, run=run)


def alignment_summary(ctx: EvalContext) -> dict[str, Any]:
    """Counts that are always reported: nothing about alignment is hidden."""
    methods: dict[str, int] = {}
    for a in ctx.alignments:
        methods[a.method] = methods.get(a.method, 0) + 1
    n = len(ctx.alignments)
    return {
        "rows": n,
        "prediction_errors": methods.get("error", 0),
        "error_rate": methods.get("error", 0) / n if n else 0.0,
        "alignment_failures": methods.get("failed", 0),
        "fuzzy_alignments": methods.get("fuzzy", 0),
        "unaligned_placeholders": sum(a.unaligned for a in ctx.alignments),
        "spans_text_mismatches": sum(1 for a in ctx.alignments if a.spans_mismatch),
        "alignment_methods": methods,
    }
