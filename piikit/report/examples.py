"""Worst examples for the HTML report: source / expected / predicted as marked-up segments.

A text becomes a list of :class:`Segment` (a piece of text plus CSS classes), so the template
only loops and escapes. Marks:

- source: ``pii`` on every gold span, ``leaked`` on those the prediction leaked;
- expected / predicted: ``diff`` on tokens that differ (same tokenizer as the terminal view);
- predicted: ``leak`` on a gold value found verbatim (the leak evaluator's rule: at word
  boundaries, more often than in the gold masked text), ``leak-part`` on a word of a gold value
  left unmasked (a partial leak, which the leak rate does not count).

Redaction (``report.redact_examples=true``) drops the source and replaces every leak and
partial leak in the prediction with ``[LEAKED:LABEL]``, so the page holds masked text only.
Only verbatim copies can be found: a model that rewrites a value (``Jon`` for ``John``) leaks
it in a form no report can recognise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Sequence

from piikit.data.schema import Row, Span, mask_text

PLACEHOLDER = re.compile(r"\[[A-Z0-9_]+\]")
# the tokens two texts are compared by (a placeholder, a word, a run of spaces, one symbol), here
# and in the terminal's diff (piikit.evaluate.report)
DIFF_TOKEN = re.compile(r"\[[A-Z0-9_]+\]|\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Segment:
    text: str
    cls: str = ""  # space-separated CSS classes ("" = plain text)
    title: str = ""  # tooltip


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    cls: str
    title: str = ""
    label: str = ""  # the gold label behind a leak mark


def verbatim_ranges(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Where ``needle`` occurs in ``haystack`` not glued to a letter/digit on either side
    (the leak evaluator's rule: ``Ann`` does not occur in ``Annual``)."""
    out: list[tuple[int, int]] = []
    if not needle:
        return out
    n = len(needle)
    check_left, check_right = needle[0].isalnum(), needle[-1].isalnum()
    pos = haystack.find(needle)
    while pos >= 0:
        ok = not (check_left and pos > 0 and haystack[pos - 1].isalnum())
        if ok and check_right and pos + n < len(haystack) and haystack[pos + n].isalnum():
            ok = False
        if ok:
            out.append((pos, pos + n))
            pos = haystack.find(needle, pos + n)
        else:
            pos = haystack.find(needle, pos + 1)
    return out


def segments(text: str, marks: Sequence[Mark]) -> list[Segment]:
    """Split ``text`` at every mark boundary; each piece carries the classes of the marks over it."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        over = [m for m in marks if m.start <= a and b <= m.end]
        classes: list[str] = []
        titles: list[str] = []
        for m in over:
            if m.cls not in classes:
                classes.append(m.cls)
            if m.title and m.title not in titles:
                titles.append(m.title)
        seg = Segment(text[a:b], " ".join(classes), "; ".join(titles))
        if out and out[-1].cls == seg.cls and out[-1].title == seg.title:
            out[-1] = Segment(out[-1].text + seg.text, seg.cls, seg.title)
        else:
            out.append(seg)
    return out


def diff_marks(expected: str, predicted: str) -> tuple[list[Mark], list[Mark]]:
    """Token ranges that differ between the two texts (``diff`` marks on each side)."""
    ta = [(m.start(), m.end()) for m in DIFF_TOKEN.finditer(expected)]
    tb = [(m.start(), m.end()) for m in DIFF_TOKEN.finditer(predicted)]
    sa = [expected[a:b] for a, b in ta]
    sb = [predicted[a:b] for a, b in tb]
    ea: list[Mark] = []
    pb: list[Mark] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if i2 > i1:
            ea.append(Mark(ta[i1][0], ta[i2 - 1][1], "diff", "differs from the prediction"))
        if j2 > j1:
            pb.append(Mark(tb[j1][0], tb[j2 - 1][1], "diff", "differs from the expected text"))
    return ea, pb


def _word_is_identifying(word: str) -> bool:
    """Words of a gold value worth flagging on their own: 3+ characters, or capitalised, or with a
    digit (``Li`` of ``Li Wei``; not ``de`` of ``Rue de la Paix``)."""
    return len(word) >= 3 or any(c.isupper() or c.isdigit() for c in word)


def _overlaps(a: int, b: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(a < y and x < b for x, y in ranges)


@dataclass
class LeakHits:
    """Gold values found in a prediction: ``marks`` over the prediction (``leak`` / ``leak-part``)
    and ``leaked_spans``: the gold spans the leak evaluator counts as leaked."""

    marks: list[Mark]
    leaked_spans: list[Span]


def find_leaks(predicted: str, target: str, gold: Sequence[Span]) -> LeakHits:
    by_value: dict[str, list[Span]] = {}
    for s in gold:
        by_value.setdefault(s.value, []).append(s)
    protected = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(predicted)]
    marks: list[Mark] = []
    leaked: list[Span] = []
    taken: list[tuple[int, int]] = list(protected)
    for value, spans in sorted(by_value.items(), key=lambda kv: -len(kv[0])):
        found = verbatim_ranges(predicted, value)
        extra = len(found) - len(verbatim_ranges(target, value))
        if not found or extra <= 0:
            continue
        leaked.extend(spans[:extra])
        label = spans[0].label
        for a, b in found:
            if not _overlaps(a, b, taken):
                marks.append(Mark(a, b, "leak", f"leaked {label}", label))
                taken.append((a, b))
    for value, spans in sorted(by_value.items(), key=lambda kv: -len(kv[0])):
        words = {w for w in _WORD.findall(value) if w != value and _word_is_identifying(w)}
        for word in sorted(words, key=len, reverse=True):
            found = verbatim_ranges(predicted, word)
            if len(found) <= len(verbatim_ranges(target, word)):
                continue
            for a, b in found:
                if not _overlaps(a, b, taken):
                    marks.append(Mark(a, b, "leak-part", f"part of a {spans[0].label} value left unmasked", spans[0].label))
                    taken.append((a, b))
    marks.sort(key=lambda m: m.start)
    leaked.sort(key=lambda s: s.start)
    return LeakHits(marks, leaked)


def redact(predicted: str, marks: Sequence[Mark]) -> tuple[str, list[Mark]]:
    """Replace every leak mark's text with ``[LEAKED:LABEL]``; marks over the new text."""
    out: list[str] = []
    new_marks: list[Mark] = []
    pos = 0
    size = 0
    for m in sorted(marks, key=lambda m: m.start):
        if m.cls not in ("leak", "leak-part"):
            continue
        out.append(predicted[pos : m.start])
        size += m.start - pos
        token = f"[LEAKED:{m.label}]"
        new_marks.append(Mark(size, size + len(token), m.cls, f"{m.title} (redacted)", m.label))
        out.append(token)
        size += len(token)
        pos = m.end
    out.append(predicted[pos:])
    return "".join(out), new_marks


def example(row: Row, scored: dict[str, Any], gold: Sequence[Span], redact_text: bool) -> dict[str, Any]:
    """One worst example for the template: facts and three (or two, redacted) marked texts."""
    target = row.target_text if row.target_text is not None else mask_text(row.source_text, sorted(row.privacy_mask, key=lambda s: s.start))
    predicted = scored.get("prediction")
    failed = scored.get("alignment") == "error"
    text = predicted or ""
    # a failed row's text is not scored (it leaks nothing by the metric's rule), but it is shown:
    # mark and redact what it copies all the same
    hits = find_leaks(text, target, gold) if text else LeakHits([], [])
    if redact_text:
        text, leak_marks = redact(text, hits.marks)
    else:
        leak_marks = hits.marks
    exp_marks, pred_marks = diff_marks(target, text)
    out: dict[str, Any] = {
        "id": row.id,
        "language": row.language,
        "error": scored.get("error"),
        "alignment": scored.get("alignment"),
        "facts": {k: scored[k] for k in ("span_f1", "leaked", "fidelity", "exact", "edits") if k in scored},
        "leaked_labels": [] if failed else [s.label for s in hits.leaked_spans],
        "partial_leaks": sum(1 for m in hits.marks if m.cls == "leak-part"),
        "expected": segments(target, exp_marks),
        "predicted": segments(text, pred_marks + leak_marks) if predicted is not None else None,
        "source": None,
    }
    if not redact_text:
        leaked = set(hits.leaked_spans)
        src_marks = [Mark(s.start, s.end, "pii leaked" if s in leaked else "pii", f"{s.label} (leaked)" if s in leaked else s.label) for s in gold]
        out["source"] = segments(row.source_text, src_marks)
    if redact_text and out["error"]:
        out["error"] = redact_free_text(out["error"], gold)
    return out


def redact_free_text(text: str, gold: Sequence[Span]) -> str:
    """An error message may quote the input: drop any gold value or identifying word of one."""
    for s in sorted(gold, key=lambda s: -len(s.value)):
        for piece in [s.value, *(w for w in _WORD.findall(s.value) if _word_is_identifying(w))]:
            for a, b in reversed(verbatim_ranges(text, piece)):
                text = text[:a] + f"[{s.label}]" + text[b:]
    return text


def worst_indices(scored: Sequence[dict[str, Any]], n: int) -> list[int]:
    """Rows worth a look: failures first, then most leaks, lowest span F1, lowest fidelity."""
    bad = [i for i, r in enumerate(scored) if not r.get("exact", False) or r.get("leaked")]
    bad.sort(key=lambda i: (
        scored[i]["alignment"] not in ("failed", "error"),
        -scored[i].get("leaked", 0),
        scored[i].get("span_f1", 1.0),
        scored[i].get("fidelity", 1.0),
    ))
    return bad[:n]


def worst_examples(rows_by_id: dict[str, Row], scored: Sequence[dict[str, Any]], n: int, redact_text: bool, label_map: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The ``n`` rows worth a look (the terminal's choice: failures, leaks, low F1), marked up."""
    from piikit.evaluate import normalize_spans

    out = []
    for i in worst_indices(scored, n):
        s = scored[i]
        row = rows_by_id.get(str(s["id"]))
        if row is None:
            continue
        gold = normalize_spans(row.source_text, row.privacy_mask, dict(label_map or {}))
        out.append(example(row, s, gold, redact_text))
    return out
