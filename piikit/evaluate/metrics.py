"""The built-in metric families, one evaluator each (registered in :mod:`piikit.builtin`).

Definitions (all on normalised spans, see :func:`piikit.evaluate.normalize_spans`):

- ``span``: strict — a predicted span is correct when a gold span has the same start, end and
  label; ``overlap`` — type-agnostic: a predicted span counts if it overlaps any gold span, a
  gold span is found if any predicted span overlaps it (labels ignored). Precision, recall, F1
  and F2 (β=2: a missed PII span costs more than an extra mask), micro (pooled counts) and macro
  (mean over labels), overall, per label and per language.
- ``token``: type-agnostic over whitespace tokens of the source: a token is PII when it
  overlaps a gold span, predicted PII when it overlaps a predicted span.
- ``leak``: share of gold PII values that occur verbatim (at word boundaries) in the
  prediction — more often than in the gold masked text, so a value that also appears unmasked
  in the gold text is not a leak.
- ``fidelity``: share of the source's non-PII, non-whitespace characters that survive unchanged
  (not masked, not dropped or rewritten); ``over_masking``: share of them that were masked.
- ``exact``: share of rows whose prediction equals the gold masked text (outer whitespace
  ignored).
- ``validity``: share of placeholders whose label is in the dataset's label set.

Failed rows (error, empty, alignment failed) recover no spans (every gold span is missed),
keep nothing (fidelity 0) and leak nothing (there is no output).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any, Sequence

from piikit.data.schema import Prediction, Row, Span
from piikit.evaluate import EvalContext

WS_TOKEN = re.compile(r"\S+")


def fbeta(p: float, r: float, beta: float) -> float:
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall, F1, F2. With nothing predicted and nothing to find, all are 1.0."""
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    return {"precision": p, "recall": r, "f1": fbeta(p, r, 1.0), "f2": fbeta(p, r, 2.0)}


def _prefixed(prefix: str, scores: dict[str, float]) -> dict[str, float]:
    return {f"{prefix}_{k}": v for k, v in scores.items()}


def _macro(per_label: dict[str, dict[str, float]], prefix: str) -> dict[str, float]:
    if not per_label:
        return {f"{prefix}_macro_{k}": 1.0 for k in ("precision", "recall", "f1", "f2")}
    n = len(per_label)
    return {f"{prefix}_macro_{k}": sum(v[k] for v in per_label.values()) / n for k in ("precision", "recall", "f1", "f2")}


def _overlaps(a: Span, spans: Sequence[Span]) -> bool:
    for b in spans:
        if a.start < b.end and b.start < a.end:
            return True
    return False


class SpanEvaluator:
    name = "span"

    def evaluate(self, rows: Sequence[Row], predictions: Sequence[Prediction], ctx: EvalContext) -> dict[str, Any]:
        strict = defaultdict(lambda: [0, 0, 0])  # label -> tp, fp, fn
        loose = defaultdict(lambda: [0, 0, 0, 0])  # label -> pred hit, pred total, gold hit, gold total
        lang_counts = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])  # tp fp fn, ov_p_hit ov_p ov_g_hit ov_g
        lang_strict = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))  # language -> label -> tp, fp, fn
        per_row = []
        for row, gold, pred in zip(rows, ctx.gold, ctx.pred):
            gk = {(s.start, s.end, s.label) for s in gold}
            pk = {(s.start, s.end, s.label) for s in pred}
            hit = gk & pk
            by_label = lang_strict[row.language]
            for k, keys in enumerate((hit, pk - hit, gk - hit)):
                for s in keys:
                    strict[s[2]][k] += 1
                    by_label[s[2]][k] += 1
            p_hit = g_hit = 0
            for s in pred:
                h = _overlaps(s, gold)
                p_hit += h
                c = loose[s.label]
                c[0] += h
                c[1] += 1
            for s in gold:
                h = _overlaps(s, pred)
                g_hit += h
                c = loose[s.label]
                c[2] += h
                c[3] += 1
            tp, fp, fn = len(hit), len(pk) - len(hit), len(gk) - len(hit)
            lc = lang_counts[row.language]
            for k, v in enumerate((tp, fp, fn, p_hit, len(pred), g_hit, len(gold))):
                lc[k] += v
            per_row.append({"span_tp": tp, "span_fp": fp, "span_fn": fn, "span_f1": prf(tp, fp, fn)["f1"]})

        per_label: dict[str, dict[str, float]] = {}
        macro_strict: dict[str, dict[str, float]] = {}
        macro_loose: dict[str, dict[str, float]] = {}
        for label in sorted(set(strict) | set(loose)):
            tp, fp, fn = strict[label]
            s = prf(tp, fp, fn)
            ph, pt, gh, gt = loose[label]
            o = _overlap_scores(ph, pt, gh, gt)
            macro_strict[label], macro_loose[label] = s, o
            per_label[label] = {"support": tp + fn, "predicted": tp + fp, **_prefixed("span", s), **_prefixed("overlap", o)}
        T = [sum(v[k] for v in strict.values()) for k in range(3)]
        L = [sum(v[k] for v in loose.values()) for k in range(4)]
        out: dict[str, Any] = {
            **_prefixed("span", prf(*T)),
            **_prefixed("overlap", _overlap_scores(*L)),
            **_macro(macro_strict, "span"),
            **_macro(macro_loose, "overlap"),
            "span_tp": T[0], "span_fp": T[1], "span_fn": T[2], "gold_spans": T[0] + T[2], "predicted_spans": T[0] + T[1],
        }
        out["per_label"] = per_label
        out["per_language"] = {
            lang: {
                "rows": 0,
                **_prefixed("span", prf(*c[:3])),
                **_prefixed("overlap", _overlap_scores(*c[3:])),
                **_macro({label: prf(*t) for label, t in lang_strict[lang].items()}, "span"),
            }
            for lang, c in sorted(lang_counts.items())
        }
        for row in rows:
            out["per_language"][row.language]["rows"] += 1
        out["per_row"] = per_row
        return out


def _overlap_scores(p_hit: int, p_total: int, g_hit: int, g_total: int) -> dict[str, float]:
    p = p_hit / p_total if p_total else (1.0 if g_total == 0 else 0.0)
    r = g_hit / g_total if g_total else (1.0 if p_total == 0 else 0.0)
    return {"precision": p, "recall": r, "f1": fbeta(p, r, 1.0), "f2": fbeta(p, r, 2.0)}


class TokenEvaluator:
    """Type-agnostic token level (presidio-research style): whitespace tokens of the source."""

    name = "token"

    def evaluate(self, rows: Sequence[Row], predictions: Sequence[Prediction], ctx: EvalContext) -> dict[str, Any]:
        totals = [0, 0, 0]
        langs = defaultdict(lambda: [0, 0, 0])
        per_row = []
        for row, gold, pred in zip(rows, ctx.gold, ctx.pred):
            tp = fp = fn = 0
            if gold or pred:
                text = row.source_text
                g = _token_ids(text, gold)
                if pred is gold:
                    tp = len(g)
                else:
                    p = _token_ids(text, pred)
                    tp, fp, fn = len(g & p), len(p - g), len(g - p)
            totals[0] += tp
            totals[1] += fp
            totals[2] += fn
            lc = langs[row.language]
            lc[0] += tp
            lc[1] += fp
            lc[2] += fn
            per_row.append({"token_tp": tp, "token_fp": fp, "token_fn": fn})
        out: dict[str, Any] = {**_prefixed("token", prf(*totals)), "token_tp": totals[0], "token_fp": totals[1], "token_fn": totals[2]}
        out["per_language"] = {lang: _prefixed("token", prf(*c)) for lang, c in sorted(langs.items())}
        out["per_row"] = per_row
        return out


def _token_ids(text: str, spans: Sequence[Span]) -> set[int]:
    """Start offsets of the whitespace tokens of ``text`` that overlap any of ``spans``."""
    ids: set[int] = set()
    for s in spans:
        a = s.start
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        ids.update(m.start() for m in WS_TOKEN.finditer(text, a, s.end))
    return ids


def _count_verbatim(haystack: str, needle: str) -> int:
    """Occurrences of ``needle`` in ``haystack`` not glued to a letter/digit on either side
    (``Ann`` does not occur in ``Annual``)."""
    if not needle:
        return 0
    n = 0
    pos = haystack.find(needle)
    check_left = needle[0].isalnum()
    check_right = needle[-1].isalnum()
    L = len(needle)
    while pos >= 0:
        ok = not (check_left and pos > 0 and haystack[pos - 1].isalnum())
        if ok and check_right and pos + L < len(haystack) and haystack[pos + L].isalnum():
            ok = False
        if ok:
            n += 1
            pos = haystack.find(needle, pos + L)
        else:
            pos = haystack.find(needle, pos + 1)
    return n


class LeakEvaluator:
    name = "leak"

    def evaluate(self, rows: Sequence[Row], predictions: Sequence[Prediction], ctx: EvalContext) -> dict[str, Any]:
        leaked_by_label: Counter = Counter()
        total_by_label: Counter = Counter()
        langs = defaultdict(lambda: [0, 0])
        per_row = []
        for i, (row, p) in enumerate(zip(rows, predictions)):
            gold = ctx.gold[i]
            text = None if ctx.alignments[i].method == "error" else p.prediction  # unaligned text can leak too
            leaked_values: list[str] = []
            by_value: dict[str, list[Span]] = defaultdict(list)
            for s in gold:
                total_by_label[s.label] += 1
                by_value[s.value].append(s)
            if text:
                for value, spans in by_value.items():
                    found = _count_verbatim(text, value)
                    if not found:
                        continue
                    extra = found - _count_verbatim(ctx.targets[i], value)
                    for s in spans[: max(0, extra)]:
                        leaked_by_label[s.label] += 1
                        leaked_values.append(s.label)
            lc = langs[row.language]
            lc[0] += len(leaked_values)
            lc[1] += len(gold)
            per_row.append({"leaked": len(leaked_values), "leaked_labels": leaked_values})
        leaked, total = sum(leaked_by_label.values()), sum(total_by_label.values())
        return {
            "leak_rate": leaked / total if total else 0.0,
            "leaked_values": leaked,
            "per_label": {lab: {"leak_rate": leaked_by_label[lab] / n, "leaked": leaked_by_label[lab]} for lab, n in sorted(total_by_label.items())},
            "per_language": {lang: {"leak_rate": c[0] / c[1] if c[1] else 0.0} for lang, c in sorted(langs.items())},
            "per_row": per_row,
        }


def _nonws(text: str, a: int, b: int) -> int:
    seg = text[a:b]
    return len(seg) - sum(1 for ch in seg if ch.isspace()) if len(seg) < 8 else len("".join(seg.split()))


def char_accounting(text: str, gold: Sequence[Span], pred: Sequence[Span], changed: Sequence[tuple[int, int]], failed: bool) -> tuple[int, int, int]:
    """(non-PII chars, of which masked, of which dropped/rewritten) — non-whitespace only."""
    gold_chars = sum(_nonws(text, s.start, s.end) for s in gold)
    nonpii = _nonws(text, 0, len(text)) - gold_chars
    if failed:
        return nonpii, 0, nonpii
    if (not pred or pred is gold) and not changed:
        return nonpii, 0, 0
    g = [(s.start, s.end) for s in gold]
    p = [(s.start, s.end) for s in pred]
    masked = sum(_nonws(text, a, b) for a, b in _subtract(p, g))
    rewritten = sum(_nonws(text, a, b) for a, b in _subtract(_subtract(list(changed), g), p))
    return nonpii, masked, rewritten


def _subtract(xs: list[tuple[int, int]], ys: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of intervals ``xs`` not covered by intervals ``ys`` (both sorted by start)."""
    out = []
    for a, b in xs:
        for c, d in ys:
            if d <= a or c >= b:
                continue
            if c > a:
                out.append((a, c))
            a = max(a, d)
            if a >= b:
                break
        if a < b:
            out.append((a, b))
    return out


class FidelityEvaluator:
    name = "fidelity"

    def evaluate(self, rows: Sequence[Row], predictions: Sequence[Prediction], ctx: EvalContext) -> dict[str, Any]:
        tot = [0, 0, 0]
        langs = defaultdict(lambda: [0, 0, 0])
        per_row = []
        for i, row in enumerate(rows):
            a = ctx.alignments[i]
            nonpii, masked, rewritten = char_accounting(row.source_text, ctx.gold[i], ctx.pred[i], a.changed, ctx.failed[i])
            for acc in (tot, langs[row.language]):
                acc[0] += nonpii
                acc[1] += masked
                acc[2] += rewritten
            per_row.append({"fidelity": 1 - (masked + rewritten) / nonpii if nonpii else (0.0 if ctx.failed[i] else 1.0), "over_masked_chars": masked, "rewritten_chars": rewritten})

        def scores(c):
            return {
                "fidelity": 1 - (c[1] + c[2]) / c[0] if c[0] else 1.0,
                "over_masking": c[1] / c[0] if c[0] else 0.0,
                "rewritten": c[2] / c[0] if c[0] else 0.0,
            }

        return {**scores(tot), "nonpii_chars": tot[0], "per_language": {lang: scores(c) for lang, c in sorted(langs.items())}, "per_row": per_row}


class ExactEvaluator:
    name = "exact"

    def evaluate(self, rows: Sequence[Row], predictions: Sequence[Prediction], ctx: EvalContext) -> dict[str, Any]:
        langs = defaultdict(lambda: [0, 0])
        hits = 0
        per_row = []
        for i, (row, p) in enumerate(zip(rows, predictions)):
            ok = not ctx.alignments[i].method == "error" and (p.prediction or "").strip() == ctx.targets[i].strip()
            hits += ok
            langs[row.language][0] += ok
            langs[row.language][1] += 1
            per_row.append({"exact": ok})
        n = len(rows)
        return {
            "exact_match": hits / n if n else 0.0,
            "per_language": {lang: {"exact_match": c[0] / c[1]} for lang, c in sorted(langs.items())},
            "per_row": per_row,
        }


class ValidityEvaluator:
    name = "validity"

    def evaluate(self, rows: Sequence[Row], predictions: Sequence[Prediction], ctx: EvalContext) -> dict[str, Any]:
        total = 0
        invalid: Counter = Counter()
        per_row = []
        for a in ctx.alignments:
            bad = [label for label in a.placeholders if label not in ctx.labels]
            total += len(a.placeholders)
            invalid.update(bad)
            per_row.append({"placeholders": len(a.placeholders), "invalid_placeholders": bad})
        n_bad = sum(invalid.values())
        return {
            "placeholder_validity": (total - n_bad) / total if total else 1.0,
            "placeholders": total,
            "invalid_placeholder_labels": dict(invalid.most_common()),
            "per_row": per_row,
        }
