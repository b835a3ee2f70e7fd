"""Sub-word tagging helpers (no torch): BIO labels ↔ character spans, windows and their merging."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from piikit.data.schema import Span
from piikit.tuners.transformer import subwords


def toy_tokenize(text: str, piece: int = 3):
    """Split on spaces into words, and every word into sub-words of ``piece`` characters —
    the shape a fast tokenizer's offsets and word ids have."""
    offsets, word_ids = [], []
    pos, word = 0, 0
    for chunk in text.split(" "):
        for k in range(0, len(chunk), piece):
            offsets.append((pos + k, pos + min(k + piece, len(chunk))))
            word_ids.append(word)
        if chunk:
            word += 1
        pos += len(chunk) + 1
    return offsets, word_ids


def span(text: str, value: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return Span(start, start + len(value), label, value)


def test_bio_labels_mark_first_subwords_only():
    text = "call Bartholomew Smithers today"
    offsets, word_ids = toy_tokenize(text)
    labels = subwords.bio_labels(offsets, word_ids, [span(text, "Bartholomew Smithers", "NAME")])
    firsts = [lab for lab in labels if lab is not None]
    assert firsts == ["O", "B-NAME", "I-NAME", "O"]
    # "Bartholomew" is 4 sub-words: only the first carries the label
    assert labels[2:6] == ["B-NAME", None, None, None]


def test_round_trip_with_subwords_and_adjacent_spans():
    text = "pay DE89370400440532013000 to Ann Lee or Bob now"
    gold = [
        span(text, "DE89370400440532013000", "IBAN"),
        span(text, "Ann", "FIRSTNAME"),
        span(text, "Lee", "LASTNAME"),
        span(text, "Bob", "FIRSTNAME"),
    ]
    offsets, word_ids = toy_tokenize(text)
    labels = subwords.bio_labels(offsets, word_ids, gold)
    assert subwords.decode(text, offsets, word_ids, labels) == gold


def test_same_label_neighbours_join_across_whitespace_only_and_keep_filters():
    text = "Ann Bob met Cy , Di"
    offsets, word_ids = toy_tokenize(text)
    gold = [span(text, "Ann", "FIRSTNAME"), span(text, "Bob", "FIRSTNAME"), span(text, "Cy", "FIRSTNAME"), span(text, "Di", "FIRSTNAME")]
    labels = subwords.bio_labels(offsets, word_ids, gold)
    assert labels[:2] == ["B-FIRSTNAME", "B-FIRSTNAME"]  # the gold keeps them apart
    # B- right after a span of its label, only a space between: one value (a tagger's B-B of one
    # name, "Puruntie 82" as CITY CITY); a comma between keeps them apart
    assert subwords.decode(text, offsets, word_ids, labels) == [Span(0, 7, "FIRSTNAME", "Ann Bob"), gold[2], gold[3]]
    assert subwords.decode(text, offsets, word_ids, ["B-FIRSTNAME", "B-LASTNAME", "O", "O", "O", "O"]) == [
        gold[0], Span(4, 7, "LASTNAME", "Bob")]
    only_other = subwords.bio_labels(offsets, word_ids, gold, keep={"EMAIL"})
    assert subwords.decode(text, offsets, word_ids, only_other) == []


def test_decode_is_lenient_with_stray_inside_and_trims_space():
    text = "x  ab  y"
    offsets = [(0, 1), (1, 3), (3, 5), (5, 7), (7, 8)]  # a tokenizer that keeps spaces in tokens
    word_ids = [0, 1, 2, 3, 4]
    labels = ["O", "I-NAME", "I-NAME", "I-NAME", "O"]
    assert subwords.decode(text, offsets, word_ids, labels) == [Span(3, 5, "NAME", "ab")]


def test_special_tokens_are_ignored():
    text = "hi Ann"
    offsets = [(0, 0), (0, 2), (3, 6), (0, 0)]
    word_ids = [None, 0, 1, None]
    labels = subwords.bio_labels(offsets, word_ids, [span(text, "Ann", "NAME")])
    assert labels == [None, "O", "B-NAME", None]
    assert subwords.decode(text, offsets, word_ids, ["B-NAME", "O", "B-NAME", "I-NAME"]) == [Span(3, 6, "NAME", "Ann")]


def test_windows_cover_overlap_and_start_at_words():
    word_ids = [w for w in range(30) for _ in range(1 + w % 3)]  # words of 1-3 sub-words
    windows = subwords.plan_windows(word_ids, size=10, stride=4)
    assert windows[0][0] == 0 and windows[-1][1] == len(word_ids)
    starts = subwords.word_starts(word_ids)
    for (a, b), (c, d) in zip(windows, windows[1:]):
        assert b - a <= 10 and a < c < b and d > b
        assert b - c >= 4  # overlap at least the stride
        assert starts[c]
    owned = subwords.owned_ranges(windows)
    assert [t for lo, hi in owned for t in range(lo, hi)] == list(range(len(word_ids)))
    assert all(a <= lo <= hi <= b for (a, b), (lo, hi) in zip(windows, owned))


def test_short_input_is_one_window():
    assert subwords.plan_windows([0, 0, 1], size=10, stride=4) == [(0, 3)]
    assert subwords.plan_windows([], size=10, stride=4) == [(0, 0)]


@st.composite
def tagged_texts(draw):
    """Words of random sub-word counts; gold spans on word boundaries, some many words long."""
    n_words = draw(st.integers(1, 60))
    lengths = draw(st.lists(st.integers(1, 9), min_size=n_words, max_size=n_words))
    text = " ".join("w" * n for n in lengths)
    starts, pos = [], 0
    for n in lengths:
        starts.append(pos)
        pos += n + 1
    gold, w = [], 0
    while w < n_words:
        if draw(st.booleans()):
            k = draw(st.integers(1, 6))
            last = min(w + k, n_words) - 1
            label = draw(st.sampled_from(["NAME", "EMAIL", "IBAN"]))
            s, e = starts[w], starts[last] + lengths[last]
            gold.append(Span(s, e, label, text[s:e]))
            w = last + 1
        w += 1  # at least one plain word between spans
    size = draw(st.integers(2, 12))
    stride = draw(st.integers(0, size - 1))
    return text, gold, size, stride


@settings(max_examples=300, deadline=None)
@given(tagged_texts(), st.randoms(use_true_random=False))
def test_spans_crossing_windows_are_recovered_exactly_once(case, rnd):
    text, gold, size, stride = case
    offsets, word_ids = toy_tokenize(text, piece=2)
    truth = subwords.bio_labels(offsets, word_ids, gold)
    windows = subwords.plan_windows(word_ids, size, stride)
    owned = subwords.owned_ranges(windows)
    per_window = []
    for (a, b), (lo, hi) in zip(windows, owned):
        # a window is right about the tokens it owns; near its edges (which another window
        # owns) it may say anything: merging must not let that leak into the result
        labels = [truth[t] if lo <= t < hi else rnd.choice(["O", "B-NAME", "I-IBAN", None]) for t in range(a, b)]
        per_window.append(labels)
    merged = subwords.merge_windows(len(word_ids), windows, per_window)
    assert subwords.decode(text, offsets, word_ids, merged) == gold
