"""The masker: a loaded tuner plus a strategy, applied to a batch of texts.

:func:`mask_batch` is a pure function of its inputs — the local engine's worker processes call
it, and so can a Spark ``mapInPandas`` function (load the model once per executor with
:func:`piikit.model.load_model`, then call ``mask_batch`` per pandas batch).
"""

from __future__ import annotations

from typing import Any, NamedTuple, Sequence

from piikit.data.schema import Row, Span
from piikit.mask.strategies import Replacer, Strategy, apply_spans


class MaskedBatch(NamedTuple):
    """One entry per input text. A row the model failed on (``Prediction.error``, or masked
    text that cannot be aligned to the source) has ``masked=None``, ``spans=None`` and its
    reason in ``errors`` — never the unmasked text."""

    masked: list[str | None]
    spans: list[list[Span] | None]
    errors: list[str | None]


def normalize_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Sorted, clipped to the text, overlaps merged (the longer span's label wins), values
    taken from ``text`` itself."""
    clean = sorted(
        ((max(0, s.start), min(len(text), s.end), s.label) for s in spans if s.end > s.start),
        key=lambda t: (t[0], -t[1]),
    )
    merged: list[list[Any]] = []
    for start, end, label in clean:
        if start >= end:
            continue
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if end - start > last[1] - last[0]:
                last[2] = label
            last[1] = max(last[1], end)
        else:
            merged.append([start, end, label])
    return [Span(start, end, label, text[start:end]) for start, end, label in merged]


_REPLACERS: dict[Strategy, Replacer] = {}


def replacer_for(strategy: Strategy) -> Replacer:
    """One :class:`Replacer` (and so one Faker) per strategy per process."""
    rep = _REPLACERS.get(strategy)
    if rep is None:
        rep = _REPLACERS[strategy] = Replacer(strategy)
    return rep


def mask_batch(texts: Sequence[str], model: Any, strategy: Strategy) -> MaskedBatch:
    """Mask ``texts`` with ``model`` (a :class:`~piikit.tuners.base.Tuner`) and ``strategy``.

    Spans come from the model (taggers) or, for models that only return masked text, from
    :func:`piikit.evaluate.align.align`. The output is always rebuilt from the source text and
    those spans, so every strategy works with every model and nothing the model rewrote leaks
    into the output."""
    rows = [Row(id=str(i), source_text=t) for i, t in enumerate(texts)]
    predictions = list(model.predict(rows))
    if len(predictions) != len(rows):
        raise RuntimeError(f"the model returned {len(predictions)} predictions for {len(rows)} texts")
    replace = replacer_for(strategy)
    masked: list[str | None] = []
    found: list[list[Span] | None] = []
    errors: list[str | None] = []
    for text, pred in zip(texts, predictions):
        if pred.error is not None:
            masked.append(None)
            found.append(None)
            errors.append(f"model error: {pred.error}")
            continue
        spans_given = pred.spans
        if spans_given is None:  # a generative model: find what its masked text replaced
            from piikit.evaluate.align import align

            a = align(text, pred.prediction)
            if not a.ok or a.unaligned:
                # a placeholder we cannot place would leave its value in the output: skip the row
                masked.append(None)
                found.append(None)
                errors.append(f"model output could not be aligned to the text ({a.method}, {a.unaligned} placeholders unplaced)")
                continue
            spans_given = a.spans
        spans = normalize_spans(text, spans_given)
        masked.append(apply_spans(text, spans, replace))
        found.append(spans)
        errors.append(None)
    return MaskedBatch(masked, found, errors)
