"""Long texts in pieces: overlapping windows for taggers, plain chunks for generative models.

**Windows** (:func:`windows`, :func:`merge`, :func:`tag_windowed`) let a tagger with a length
limit (or a cost that grows with the length) tag a text of any length. Consecutive windows
share about ``overlap`` characters; the boundary between two windows sits in the middle of
their overlap, and each window *owns* the characters between its two boundaries, so every
character is owned by exactly one window and every window sees at least ``overlap // 2``
characters of context beyond what it owns (less only at the text's ends).

:func:`merge` keeps of each window's spans only what lies in its owned region and joins the
pieces that were clipped at the same boundary from both sides, so

- a span crossing a boundary comes back once, whole (also a span longer than a window);
- two distinct spans that merely touch stay apart (they were not clipped);
- nothing is duplicated, and an owned character is never dropped.

With an *oracle* tagger (one that returns the true spans, clipped to the window it is given)
:func:`tag_windowed` returns exactly the true spans whenever ``overlap >= 2``
(tests/test_windows.py checks this property on random texts).

**Chunks** (:func:`chunks`) are for generative models, which rewrite text instead of
returning spans: consecutive pieces of at most ``max_chars`` cut at the best boundary
available (paragraph, line, sentence, whitespace, else anywhere), whose concatenation is
exactly the text, so masked pieces can be joined back into one masked text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from piikit.data.schema import Span


@dataclass(frozen=True, slots=True)
class Window:
    """``text[start:end]`` is what the tagger sees; ``[own_start, own_end)`` what it answers for."""

    start: int
    end: int
    own_start: int
    own_end: int


def _is_cut(text: str, p: int) -> bool:
    """Cutting ``text`` at ``p`` does not split a word (whitespace on one side, or a text end)."""
    return p <= 0 or p >= len(text) or text[p - 1].isspace() or text[p].isspace()


def _last_cut(text: str, lo: int, hi: int) -> int | None:
    """The largest ``p`` in ``[lo, hi]`` where :func:`_is_cut` holds, else None."""
    for p in range(hi, lo - 1, -1):
        if _is_cut(text, p):
            return p
    return None


def _first_cut(text: str, lo: int, hi: int) -> int | None:
    for p in range(lo, hi + 1):
        if _is_cut(text, p):
            return p
    return None


def _check(size: int, overlap: int) -> None:
    if size < 1:
        raise ValueError(f"window size must be at least 1, not {size}")
    if not 0 <= overlap < size:
        raise ValueError(f"window overlap must be in [0, size), not {overlap} (size {size})")


def windows(text: str, size: int, overlap: int) -> list[Window]:
    """Windows of at most ``size`` characters covering ``text``.

    Owned regions are consecutive and partition the text. Their boundaries are cut at
    whitespace whenever the stretch a window may own (``size - overlap`` characters) contains
    any; window edges are moved to the nearest whitespace inside their margin when there is
    some there (so the tagger sees whole words at its edges), else they cut a word that lies
    only in the margin. The margins are ``overlap // 2`` characters before the owned region
    and the rest after it (at most; at least 1 each when ``overlap >= 2``)."""
    _check(size, overlap)
    n = len(text)
    if n <= size:
        return [Window(0, n, 0, n)]
    before, after = overlap // 2, overlap - overlap // 2
    cuts = [0]
    while True:
        c = cuts[-1]
        first = len(cuts) == 1
        if n - c <= (size if first else size - before):  # the rest fits in one (last) window
            break
        limit = c + (size - after if first else size - overlap)  # what this window may own
        cut = _last_cut(text, c + (limit - c + 1) // 2, limit) or _last_cut(text, c + 1, limit) or limit
        cuts.append(cut)
    cuts.append(n)
    out = []
    for j in range(len(cuts) - 1):
        own_start, own_end = cuts[j], cuts[j + 1]
        start = 0 if j == 0 else max(0, own_start - before)
        if 0 < start < own_start:
            start = _first_cut(text, start, own_start - 1) or start
        end = n if own_end == n else min(n, own_end + after)
        if own_end < end < n:
            end = _last_cut(text, own_end + 1, end) or end
        out.append(Window(start, end, own_start, own_end))
    return out


def merge(text: str, window_spans: Iterable[tuple[Window, Iterable[Span]]]) -> list[Span]:
    """One list of spans from each window's spans, all in **absolute** text offsets.

    Each span is clipped to its window's owned region; two pieces that touch at a window
    boundary are joined when both were clipped there (the same span, seen from both sides)
    and have the same label; pieces that merely touch stay apart. Sorted by start, without
    duplicates; ``value`` is ``text[start:end]``. A window's own spans should not overlap."""
    pieces: set[tuple[int, int, str, bool, bool]] = set()
    for w, spans in window_spans:
        for s in spans:
            a, b = max(s.start, w.own_start), min(s.end, w.own_end)
            if a < b:
                pieces.add((a, b, s.label, s.start < w.own_start, s.end > w.own_end))
    out: list[list] = []
    for a, b, label, clipped_left, clipped_right in sorted(pieces):
        last = out[-1] if out else None
        if last is not None and last[1] == a and last[4] and clipped_left and last[2] == label:
            last[1], last[4] = b, clipped_right
        else:
            out.append([a, b, label, clipped_left, clipped_right])
    return [Span(a, b, label, text[a:b]) for a, b, label, _l, _r in out]


def tag_windowed(text: str, tag: Callable[[str], Sequence[Span]], size: int, overlap: int) -> list[Span]:
    """Tag ``text`` window by window: ``tag(piece)`` returns spans of ``piece`` (offsets in the
    piece); the result is :func:`merge`'s, in offsets of ``text``. Windows are tagged one at a
    time, so memory is bounded by the window size whatever the length of ``text``."""

    def shifted():
        for w in windows(text, size, overlap):
            spans = tag(text[w.start : w.end])
            yield w, [Span(s.start + w.start, s.end + w.start, s.label, s.value) for s in spans]

    return merge(text, shifted())


# --------------------------------------------------------------------------- chunks
_SEPARATORS = [  # best first; a cut goes right after the separator
    re.compile(r"\n[^\S\n]*\n\s*"),  # a blank line (paragraph)
    re.compile(r"\n\s*"),  # a line break
    re.compile(r"[.!?…。！？]+[\"'”’)\]]*\s+"),  # the end of a sentence
    re.compile(r"\s+"),  # any whitespace
]


def chunks(text: str, max_chars: int, protected: Sequence[tuple[int, int]] = ()) -> list[str]:
    """``text`` as consecutive pieces of at most ``max_chars`` characters whose concatenation is
    exactly ``text``. Each cut is at the best boundary in the second half of the piece
    (paragraph, then line, sentence, whitespace), else the best anywhere in the piece, else at
    ``max_chars`` (a word longer than a piece). Separators end the piece before the cut.

    ``protected``: ``(start, end)`` ranges never cut inside (e.g. PII spans of a training
    example). A protected range longer than ``max_chars`` makes its piece longer than that —
    the only case a piece may exceed ``max_chars``."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    n = len(text)
    ranges: list[list[int]] = []  # the protected ranges, overlapping ones merged
    for a, b in sorted(protected):
        if ranges and a < ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], b)
        elif b - a > 1:
            ranges.append([a, b])
    starts = [a for a, _b in ranges]

    def inside(p: int) -> list[int] | None:
        """The protected range that cutting at ``p`` would split."""
        i = bisect.bisect_left(starts, p) - 1
        return ranges[i] if i >= 0 and ranges[i][1] > p else None

    out: list[str] = []
    pos = 0
    while n - pos > max_chars:
        limit = pos + max_chars
        cut = None
        for lo in (pos + max_chars // 2, pos + 1):
            for sep in _SEPARATORS:
                ends = [m.end() for m in sep.finditer(text, pos, limit) if m.end() >= lo and inside(m.end()) is None]
                if ends:
                    cut = ends[-1]
                    break
            if cut is not None:
                break
        if cut is None:  # no separator: the longest piece that splits no protected range
            cut = limit
            while cut > pos and inside(cut) is not None:
                cut = inside(cut)[0]
            if cut <= pos:  # a protected range covers the whole piece: keep it whole
                cut = inside(limit)[1]
        out.append(text[pos:cut])
        pos = cut
    out.append(text[pos:])
    return out
