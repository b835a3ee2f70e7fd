"""Recover which character ranges of ``source_text`` a masked text replaced, and by which label.

A generative model returns text, not spans: ``"Hi [FIRSTNAME], call me"``. To score it we need
the spans of the source it masked. :func:`align` recovers them in three steps, cheapest first:

1. **Spans given** (taggers): when a :class:`Prediction` carries ``spans``, they are used as
   they are — after checking that they are well formed and that masking the source with them
   gives the prediction text. If not, the text wins (it is what the user gets) and it is
   aligned like a generative output (``spans_mismatch`` is set).
2. **Exact glob** (method ``glob``): the prediction is read as a pattern
   ``lit0 [L1] lit1 [L2] ... litk``; the source must start with ``lit0``, end with ``litk`` and
   contain the middle literals in order; each placeholder takes the text between them. Middle
   literals are found leftmost (linear time, no backtracking), except that when a gold span
   starts where the placeholder starts and the literal follows it, that boundary is taken: the
   masked text cannot tell the two apart, so ties go to the gold boundaries. Placeholders
   separated only by whitespace (``[FIRSTNAME] [LASTNAME]``) form a *run* that shares one gap;
   the gap is cut at the starts of the gold spans inside it (text before the first one goes to
   the first placeholder), else at whitespace, else at word boundaries (first placeholders take
   one token each, the last one the rest).
   When that fails, the same glob runs on both texts with all whitespace removed (the model
   changed spacing or line breaks only) and positions are mapped back.
3. **Fuzzy** (method ``fuzzy``): when the model dropped, added or changed words, both texts are tokenised (``\\w+`` or one punctuation character; whitespace is
   ignored) and aligned by dynamic programming: matching tokens cost 0, a dropped or added
   token 2, a changed token 3, a placeholder run matches any number of source tokens for free
   and an empty run (a placeholder where the source has nothing) costs 1. Long inputs are first anchored on matching blocks of >= 3 tokens
   (:class:`difflib.SequenceMatcher`), so the quadratic DP only runs between anchors. Source
   tokens the model dropped or changed are returned as ``changed`` (they count against
   fidelity), added tokens as ``edits``.

Every row that cannot be aligned is counted, never hidden: alignment *fails* (method
``failed``, no spans recovered) when more than half of the prediction's literal tokens match
nothing in the source, or a gap between anchors is too large to align (> ``MAX_CELLS``).

Limits: fuzzy spans snap to token boundaries (``ID[NUM]`` for ``ID12345`` is scored as a
rewrite of ``ID12345``); text the model dropped right next to a placeholder is indistinguishable
from text it masked, so it is counted as masked (over-masking); when a value occurs both masked
and as plain text near a dropped word, treating a placeholder as inserted can be cheaper than
treating the word as dropped, and the wrong occurrence is chosen; placeholders are upper-case
``[LABEL]`` or ``[LABEL_<n>]`` (the number is dropped), and a bracketed word that also occurs in
the source text is treated as literal text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Sequence

from piikit.data.schema import Span, stripped

PLACEHOLDER = re.compile(r"\[([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*?)(?:_(\d+))?\]")
TOKEN = re.compile(r"\w+|[^\w\s]")
WORD = re.compile(r"\S+")
MAX_CELLS = 250_000  # DP cells per gap between anchors (~0.2 s); beyond that the row fails
ANCHOR_MIN = 3  # matching blocks of at least this many tokens anchor the fuzzy alignment
DIRECT_DP_CELLS = 400  # below this, skip anchoring and run the DP on the whole text
INDEL, SUB, EMPTY_RUN = 2, 3, 1  # DP costs (a match or a run absorbing source tokens costs 0)


@dataclass(slots=True)
class Alignment:
    """What a prediction did to its source text.

    ``spans``: source ranges replaced by a placeholder (label without ``_<n>``); ``method``:
    ``spans`` | ``glob`` | ``fuzzy`` | ``failed`` | ``error``; ``edits``: tokens the model
    dropped, added or changed (fuzzy only); ``changed``: source ranges dropped or rewritten;
    ``placeholders``: every placeholder label in the prediction text; ``unaligned``:
    placeholders that got no source text.
    """

    spans: list[Span] = field(default_factory=list)
    method: str = "glob"
    edits: int = 0
    changed: list[tuple[int, int]] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    unaligned: int = 0
    spans_mismatch: bool = False

    @property
    def ok(self) -> bool:
        return self.method not in ("failed", "error")


# --------------------------------------------------------------------------- parsing
def parse(prediction: str, source: str = "", join: bool = True) -> tuple[list[str], list[list[str]]]:
    """Split a masked text into literals and placeholder runs: ``lits[0] run[0] lits[1] ...``.

    ``len(lits) == len(runs) + 1``. Placeholders separated only by whitespace join one run
    (``join=False``: every placeholder is a run of its own and the whitespace a literal).
    A placeholder that also occurs verbatim in ``source`` is literal text, not a mask.
    """
    lits: list[str] = []
    runs: list[list[str]] = []
    pos = 0
    literal_ok = "[" in source
    for m in PLACEHOLDER.finditer(prediction):
        if literal_ok and m.group(0) in source:
            continue
        between = prediction[pos : m.start()]
        if runs and join and not between.strip():
            runs[-1].append(m.group(1))  # whitespace only since the last placeholder: same run
        else:
            lits.append(between)
            runs.append([m.group(1)])
        pos = m.end()
    lits.append(prediction[pos:])
    return lits, runs


def placeholder_labels(prediction: str | None, source: str = "") -> list[str]:
    """Every placeholder label in a masked text (``[NAME_2]`` → ``NAME``)."""
    if not prediction:
        return []
    _, runs = parse(prediction, source)
    return [label for run in runs for label in run]


def plain_placeholders(masked: str) -> str:
    """``masked`` with numbered placeholders read as plain ones (``[NAME_2]`` → ``[NAME]``)."""
    return PLACEHOLDER.sub(lambda m: f"[{m.group(1)}]", masked)


# --------------------------------------------------------------------------- entry point
def align(
    source: str,
    prediction: str | None,
    spans: Sequence[Span] | None = None,
    hints: Sequence[Span] = (),
) -> Alignment:
    """Recover the spans of ``source`` that ``prediction`` masked.

    ``spans``: the tagger's own spans, if any. ``hints``: gold spans, used only to break ties
    the text cannot decide (which of two equal literals ends a placeholder, where to cut a run
    of adjacent placeholders).
    """
    if prediction is None:
        return Alignment(method="error")
    if spans is not None:
        if _spans_valid(source, spans) and _masked_equal(source, spans, prediction):
            return Alignment(spans=sorted(spans, key=lambda s: s.start), method="spans", placeholders=[s.label for s in sorted(spans, key=lambda s: s.start)])
    mismatch = spans is not None
    # a model's leading/trailing whitespace is not a change of the text
    if prediction != prediction.strip() or source != source.strip():
        lead = source[: len(source) - len(source.lstrip())]
        trail = source[len(source.rstrip()) :]
        prediction = lead + prediction.strip() + trail
    lits, runs = parse(prediction, source)
    placeholders = [label for run in runs for label in run]
    hint_list = sorted(hints, key=lambda s: s.start)
    result = None
    if hint_list:
        result = _glob(source, lits, runs, hint_list)
    if result is None:
        result = _glob(source, lits, runs, [])
    if result is None and any(ch.isspace() for ch in source + prediction):
        result = _glob_ignoring_whitespace(source, lits, runs, hint_list)
    if result is None:
        result = _fuzzy(source, lits, runs, hint_list)
    result.placeholders = placeholders
    result.spans_mismatch = mismatch
    return result


def align_exact(source: str, masked: str) -> list[Span] | None:
    """The spans of ``source`` that a dataset's masked text replaced, or None.

    For gold data (the loaders' older ``unmasked_text, masked_text`` schema): the exact glob
    of :func:`align` without hints, accepted only when every placeholder took text and masking
    ``source`` with the spans gives ``masked`` back (numbered placeholders read as plain).
    The whitespace between two placeholders is a literal here (``[A]  [B]``: two spaces end
    ``A``); placeholders that touch (``[FIRSTNAME][LASTNAME]``) cannot be cut from the text
    alone, so they give None rather than a guess.
    """
    lits, runs = parse(masked, source, join=False)
    if "" in lits[1:-1]:
        return None
    found = _glob(source, lits, runs, [])
    if found is None or found.unaligned or not _masked_equal(source, found.spans, masked):
        return None
    return found.spans


def _spans_valid(source: str, spans: Sequence[Span]) -> bool:
    last = 0
    for s in sorted(spans, key=lambda s: s.start):
        if s.start < last or s.end <= s.start or s.end > len(source):
            return False
        last = s.end
    return True


def _masked_equal(source: str, spans: Sequence[Span], prediction: str) -> bool:
    pos = 0
    parts = []
    for s in sorted(spans, key=lambda s: s.start):
        parts.append(source[pos : s.start])
        parts.append(f"[{s.label}]")
        pos = s.end
    parts.append(source[pos:])
    if "".join(parts) == prediction:
        return True
    # numbered placeholders ([NAME_1]) are the same labels
    return plain_placeholders(prediction) == "".join(parts)


# --------------------------------------------------------------------------- exact glob
def _glob(source: str, lits: list[str], runs: list[list[str]], hints: list[Span]) -> Alignment | None:
    if not source.startswith(lits[0]):
        return None
    if not runs:
        return Alignment(method="glob") if source == lits[0] else None
    by_start = {}
    for i, h in enumerate(hints):
        by_start.setdefault(h.start, i)
    n = len(source)
    pos = len(lits[0])
    out = Alignment(method="glob")
    for k, run in enumerate(runs):
        lit = lits[k + 1]
        if k == len(runs) - 1:
            end = n - len(lit)
            if not source.endswith(lit) or end <= pos:
                return None
        else:
            end = -1
            i = by_start.get(pos)
            if i is not None and i + len(run) - 1 < len(hints):
                e = hints[i + len(run) - 1].end
                if e > pos and source.startswith(lit, e):
                    end = e
            if end < 0:
                end = source.find(lit, pos + 1)
                if end < 0:
                    return None
        _split_run(source, pos, end, run, hints, out)
        pos = end + len(lit)
    return out


def _glob_ignoring_whitespace(source: str, lits: list[str], runs: list[list[str]], hints: list[Span]) -> Alignment | None:
    """The exact glob on both texts with all whitespace removed, mapped back to the source."""
    keep = [i for i, ch in enumerate(source) if not ch.isspace()]
    squeezed = "".join(source[i] for i in keep)
    lits = ["".join(lit.split()) for lit in lits]
    pos_of = {i: k for k, i in enumerate(keep)}
    moved = []
    for h in hints:
        a = next((pos_of[i] for i in range(h.start, h.end) if i in pos_of), None)
        b = next((pos_of[i] + 1 for i in range(h.end - 1, h.start - 1, -1) if i in pos_of), None)
        if a is not None and b is not None:
            moved.append(Span(a, b, h.label, squeezed[a:b]))
    for attempt in ([moved, []] if moved else [[]]):
        result = _glob(squeezed, lits, runs, attempt)
        if result is not None:
            result.spans = [Span(keep[s.start], keep[s.end - 1] + 1, s.label, source[keep[s.start] : keep[s.end - 1] + 1]) for s in result.spans]
            return result
    return None


def _split_run(source: str, start: int, end: int, labels: list[str], hints: list[Span], out: Alignment) -> None:
    """Give the gap ``source[start:end]`` to the placeholders of one run, in order."""
    m = len(labels)
    cuts: list[int] = []
    if m > 1:
        inside = [h.start for h in hints if h.start >= start and h.end <= end]
        inner = [h.start for h in hints if start < h.start < end]
        for candidates in (inside[1:] if len(inside) >= m else [], inner, [w.start() for w in WORD.finditer(source, start, end)][1:],
                           [w.start() for w in TOKEN.finditer(source, start, end)][1:],
                           list(range(start + 1, end))):
            if len(candidates) >= m - 1:
                cuts = sorted(candidates[: m - 1])
                break
        else:
            cuts = list(range(start + 1, end))
    bounds = [start, *cuts, end]
    for k, label in enumerate(labels):
        if k + 1 >= len(bounds):
            out.unaligned += 1
            continue
        a, b = stripped(source, bounds[k], bounds[k + 1])
        if a >= b:
            out.unaligned += 1
            continue
        out.spans.append(Span(a, b, label, source[a:b]))


# --------------------------------------------------------------------------- fuzzy (tokens + DP)
_RUN = object()  # marks a placeholder run among prediction tokens


def _fuzzy(source: str, lits: list[str], runs: list[list[str]], hints: list[Span]) -> Alignment:
    src = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(source)]
    s_text = [t[0] for t in src]
    p_text: list[object] = []
    p_label: list[str | None] = []  # label of each placeholder token, None for literal tokens
    for k, lit in enumerate(lits):
        for m in TOKEN.finditer(lit):
            p_text.append(m.group())
            p_label.append(None)
        if k < len(runs):
            for label in runs[k]:  # one wildcard per placeholder: each should take >= 1 token
                p_text.append(_RUN)
                p_label.append(label)
    n, m = len(s_text), len(p_text)
    literal_tokens = sum(1 for t in p_text if t is not _RUN)
    if literal_tokens:  # cheap bound: tokens of the prediction that occur in the source at all
        available = Counter(s_text)
        possible = 0
        for t in p_text:
            if t is not _RUN and available[t] > 0:
                available[t] -= 1
                possible += 1
        if (literal_tokens - possible) * 2 > literal_tokens:
            return Alignment(method="failed", edits=literal_tokens - possible)
    # anchors: long exact matches, so the DP only fills the gaps between them
    blocks: list[tuple[int, int, int]] = []
    if n * m > DIRECT_DP_CELLS:
        keyed = ["\x00" if t is _RUN else t for t in p_text]
        sm = SequenceMatcher(None, s_text, keyed, autojunk=False)
        blocks = [(a, b, size) for a, b, size in sm.get_matching_blocks() if size >= ANCHOR_MIN]
    blocks.append((n, m, 0))
    ops: list[tuple] = []
    i = j = 0
    for a, b, size in blocks:
        if (a - i) * (b - j) > MAX_CELLS:
            return Alignment(method="failed")
        ops.extend(_dp(s_text, p_text, i, a, j, b))
        ops.extend(("eq", a + t, b + t) for t in range(size))
        i, j = a + size, b + size
    out = Alignment(method="fuzzy")
    unmatched = 0
    changed: list[tuple[int, int]] = []
    group: list[tuple] = []  # consecutive placeholder ops: one gap, split like a glob run

    def flush() -> None:
        if not group:
            return
        labels = [p_label[op[1]] for op in group]
        taken = [op for op in group if op[2] < op[3]]
        if taken:
            _split_run(source, src[taken[0][2]][1], src[taken[-1][3] - 1][2], labels, hints, out)
        else:
            out.unaligned += len(labels)
        group.clear()

    for op in ops:
        kind = op[0]
        if kind == "run":
            if group and op[1] != group[-1][1] + 1:
                flush()
            if op[2] == op[3]:
                out.edits += 1  # a placeholder where the source has nothing
            group.append(op)
            continue
        flush()
        if kind == "del":
            changed.append((src[op[1]][1], src[op[1]][2]))
            out.edits += 1
        elif kind == "ins":
            unmatched += 1
            out.edits += 1
        elif kind == "sub":
            changed.append((src[op[1]][1], src[op[1]][2]))
            unmatched += 1
            out.edits += 1
    flush()
    if literal_tokens and unmatched * 2 > literal_tokens:
        return Alignment(method="failed", edits=out.edits)
    out.changed = _merge(changed)
    return out


def _dp(s: list[str], p: list[object], i0: int, i1: int, j0: int, j1: int) -> list[tuple]:
    """Minimum-edit alignment of ``s[i0:i1]`` with ``p[j0:j1]`` (placeholder runs are free
    wildcards). Returns ops in order: ``eq/sub (i, j)``, ``del (i,)``, ``ins (j,)``,
    ``run (j, i_start, i_end)``."""
    n, m = i1 - i0, j1 - j0
    if n == 0 and m == 0:
        return []
    INF = 1 << 30
    cost = [[INF] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]  # 1 diag, 2 up (source token), 3 left (pred token)
    cost[0][0] = 0
    for i in range(n + 1):
        ci = cost[i]
        cu = cost[i - 1] if i else None
        bi = back[i]
        si = s[i0 + i - 1] if i else None
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            pj = p[j0 + j - 1] if j else None
            best, move = INF, 0
            if pj is _RUN:
                if cu is not None:
                    if cu[j - 1] < best:  # run takes s[i-1] as its first token
                        best, move = cu[j - 1], 1
                    if cu[j] < best:  # run takes one more token
                        best, move = cu[j], 2
                if ci[j - 1] + EMPTY_RUN < best:  # empty run
                    best, move = ci[j - 1] + EMPTY_RUN, 3
            else:
                if cu is not None and j:
                    c = cu[j - 1] + (0 if si == pj else SUB)
                    if c < best:
                        best, move = c, 1
                if cu is not None and cu[j] + INDEL < best:
                    best, move = cu[j] + INDEL, 2
                if j and ci[j - 1] + INDEL < best:
                    best, move = ci[j - 1] + INDEL, 3
            ci[j] = best
            bi[j] = move
    ops: list[tuple] = []
    i, j = n, m
    run_end: int | None = None
    while i or j:
        move = back[i][j]
        pj = p[j0 + j - 1] if j else None
        if pj is _RUN:
            if run_end is None:
                run_end = i
            if move == 1:
                ops.append(("run", j0 + j - 1, i0 + i - 1, i0 + run_end))
                run_end = None
                i, j = i - 1, j - 1
            elif move == 2:
                i -= 1
            else:  # the run ends here; empty if it took no token
                ops.append(("run", j0 + j - 1, i0 + i, i0 + run_end))
                run_end = None
                j -= 1
            continue
        if move == 1:
            ops.append(("eq" if s[i0 + i - 1] == pj else "sub", i0 + i - 1, j0 + j - 1))
            i, j = i - 1, j - 1
        elif move == 2:
            ops.append(("del", i0 + i - 1))
            i -= 1
        else:
            ops.append(("ins", j0 + j - 1))
            j -= 1
    ops.reverse()
    return ops


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
