"""piikit/tuners/windows.py: windows cover the text, merging recovers every span exactly once,
chunks re-join to the text. Property tests (derandomised profile in conftest) plus a few
hand-made cases that pin the behaviour down."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piikit.data.schema import Span
from piikit.tuners.windows import Window, chunks, merge, tag_windowed, windows

LABELS = ["A", "B"]


@st.composite
def texts_with_spans(draw):
    """A text of words (some longer than any window) and whitespace runs, with random
    non-overlapping gold spans anywhere: crossing words, touching each other, at both ends."""
    words = st.one_of(st.text("abcxyz", min_size=1, max_size=6), st.text("q", min_size=20, max_size=60))
    seps = st.sampled_from([" ", " ", "  ", "\n", "\n\n", ". "])
    parts = draw(st.lists(st.tuples(words, seps), min_size=1, max_size=40))
    text = "".join(w + s for w, s in parts)
    if draw(st.booleans()):
        text = text.rstrip()  # end on a word, not on whitespace
    n = len(text)
    cuts = sorted(set(draw(st.lists(st.integers(0, n), max_size=16))) | {0, n})
    spans = []
    for a, b in zip(cuts, cuts[1:]):  # consecutive cut points: spans may touch
        if draw(st.integers(0, 2)) and a < b:
            label = draw(st.sampled_from(LABELS))
            spans.append(Span(a, b, label, text[a:b]))
    return text, spans


def oracle(text: str, gold: list[Span], size: int, overlap: int):
    """A tagger that knows the gold spans: for each window it is given (in order), the gold
    spans clipped to that window, in the window's offsets."""
    expected = iter(windows(text, size, overlap))

    def tag(piece: str) -> list[Span]:
        w = next(expected)
        assert piece == text[w.start : w.end]
        out = []
        for s in gold:
            a, b = max(s.start, w.start), min(s.end, w.end)
            if a < b:
                out.append(Span(a - w.start, b - w.start, s.label, text[a:b]))
        return out

    return tag


sizes = st.integers(4, 80).flatmap(lambda size: st.tuples(st.just(size), st.integers(2, size - 1)))


@settings(max_examples=300, deadline=None)
@given(texts_with_spans(), sizes)
def test_windowed_oracle_returns_exactly_the_gold_spans(case, size_overlap):
    text, gold = case
    size, overlap = size_overlap
    got = tag_windowed(text, oracle(text, gold, size, overlap), size, overlap)
    assert got == gold


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab \n.é"), max_size=400), st.integers(1, 60).flatmap(
    lambda size: st.tuples(st.just(size), st.integers(0, size - 1))))
def test_windows_partition_the_text_and_respect_the_size(text, size_overlap):
    size, overlap = size_overlap
    ws = windows(text, size, overlap)
    assert ws[0].own_start == 0 and ws[-1].own_end == len(text)
    for w, nxt in zip(ws, ws[1:]):
        assert w.own_end == nxt.own_start  # every character owned exactly once
        assert w.own_start < w.own_end
    for w in ws:
        assert w.start <= w.own_start <= w.own_end <= w.end and w.end - w.start <= size
        if overlap >= 2 and len(ws) > 1:  # context on both sides of every inner boundary
            assert w.own_start == 0 or w.start < w.own_start
            assert w.own_end == len(text) or w.end > w.own_end


def test_windows_cut_at_whitespace_and_overlap():
    text = " ".join(f"word{i:03d}" for i in range(200))  # 1,599 characters
    ws = windows(text, 100, 20)
    assert len(ws) > 15
    for w, nxt in zip(ws, ws[1:]):
        b = w.own_end
        assert text[b - 1] == " " or text[b] == " "  # never inside a word
        for edge in (nxt.start, w.end):  # the tagger sees whole words at its edges
            assert " " in text[edge - 1 : edge + 1]
        assert 10 <= w.end - nxt.start <= 20  # about `overlap` shared characters


def test_a_word_longer_than_the_window_is_cut():
    text = "x" * 250
    ws = windows(text, 100, 10)
    assert ws[-1].own_end == 250 and all(w.end - w.start <= 100 for w in ws)


def test_merge_joins_only_pieces_clipped_at_the_same_boundary():
    text = "0123456789" * 3
    left, right = Window(0, 20, 0, 15), Window(10, 30, 15, 30)
    crossing = merge(text, [(left, [Span(5, 20, "A", "")]), (right, [Span(10, 25, "A", "")])])
    assert crossing == [Span(5, 25, "A", text[5:25])]
    touching = merge(text, [(left, [Span(5, 15, "A", "")]), (right, [Span(15, 25, "A", "")])])
    assert touching == [Span(5, 15, "A", text[5:15]), Span(15, 25, "A", text[15:25])]
    other_label = merge(text, [(left, [Span(5, 20, "A", "")]), (right, [Span(10, 25, "B", "")])])
    assert [s.label for s in other_label] == ["A", "B"]  # not fused: the windows disagree
    dupes = merge(text, [(left, [Span(1, 3, "A", ""), Span(1, 3, "A", "")]), (right, [Span(1, 3, "A", "")])])
    assert dupes == [Span(1, 3, "A", "12")]


def test_windows_reject_bad_settings():
    with pytest.raises(ValueError):
        windows("abc", 10, 10)
    with pytest.raises(ValueError):
        windows("abc", 0, 0)
    with pytest.raises(ValueError):
        chunks("abc", 0)


# --------------------------------------------------------------------------- chunks
@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab .!\n\t"), max_size=500), st.integers(1, 80))
def test_chunks_rejoin_to_the_text_within_the_limit(text, max_chars):
    pieces = chunks(text, max_chars)
    assert "".join(pieces) == text
    assert all(len(p) <= max_chars for p in pieces)
    assert all(pieces[:-1])  # no empty piece in the middle


@settings(max_examples=200, deadline=None)
@given(texts_with_spans(), st.integers(5, 80))
def test_chunks_never_cut_a_protected_range(case, max_chars):
    text, gold = case
    protected = [(s.start, s.end) for s in gold]
    pieces = chunks(text, max_chars, protected)
    assert "".join(pieces) == text
    pos = 0
    for p in pieces[:-1]:
        pos += len(p)
        assert not any(a < pos < b for a, b in protected)
    for p in pieces:  # longer than the limit only to keep a protected range whole
        assert len(p) <= max_chars or any(b - a > max_chars for a, b in protected)


def test_chunks_prefer_paragraphs_then_lines_then_sentences():
    para = "First paragraph has words. And a second sentence.\n\nSecond paragraph here. More words follow on.\n\n"
    pieces = chunks(para * 4, 120)
    assert "".join(pieces) == para * 4
    assert all(p.endswith("\n\n") for p in pieces[:-1])
    sentences = "One sentence is here. Another one follows it. " * 6
    pieces = chunks(sentences, 100)
    assert all(p.endswith(". ") for p in pieces)
    assert chunks("", 10) == [""] and chunks("short", 10) == ["short"]
