"""Tokens keep exact offsets; spans → BIO tags → spans round-trips on token boundaries."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from piikit.data.schema import Span
from piikit.tuners.crf.tagging import _INVISIBLE, bio_to_spans, spans_to_bio, tokenize

texts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(list("  \n\t.,;:@-/+()'\"0123456789abcXYZéßøçЖж東京")),
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_tokens_are_exact_ordered_and_cover_all_visible_characters(text):
    tokens = tokenize(text)
    covered = set()
    last_end = 0
    for tok in tokens:
        assert tok.text and text[tok.start : tok.end] == tok.text
        assert tok.start >= last_end
        assert not any(c.isspace() for c in tok.text)
        last_end = tok.end
        covered.update(range(tok.start, tok.end))
    for i, c in enumerate(text):
        if not c.isspace() and c not in _INVISIBLE:
            assert i in covered, (text, i)


def test_byte_order_mark_and_zero_width_characters_are_not_tokens():
    text = "\ufeffNombre: Ana.\u200b Ruiz"
    assert [t.text for t in tokenize(text)] == ["Nombre", ":", "Ana", ".", "Ruiz"]
    assert tokenize(text)[0].start == 1


@st.composite
def text_with_aligned_spans(draw):
    text = draw(texts)
    tokens = tokenize(text)
    spans, i = [], 0
    while i < len(tokens):
        if draw(st.booleans()):
            j = draw(st.integers(min_value=i + 1, max_value=min(len(tokens), i + 4)))
            label = draw(st.sampled_from(["FIRSTNAME", "EMAIL", "IBAN", "X-Y"]))
            start, end = tokens[i].start, tokens[j - 1].end
            spans.append(Span(start, end, label, text[start:end]))
            i = j
        else:
            i += 1
    return text, tokens, spans


@settings(max_examples=300, deadline=None)
@given(text_with_aligned_spans(), st.sampled_from(["bio", "io"]))
def test_spans_to_tags_to_spans_round_trips(case, scheme):
    text, tokens, spans = case
    tags = spans_to_bio(tokens, spans, scheme)
    assert len(tags) == len(tokens)
    assert bio_to_spans(text, tokens, tags) == spans


def test_io_scheme_uses_b_only_between_adjacent_entities_of_one_label():
    text = "Anna Maria Berlin Paris"
    tokens = tokenize(text)
    spans = [Span(0, 4, "FIRSTNAME", "Anna"), Span(5, 10, "FIRSTNAME", "Maria"), Span(11, 17, "CITY", "Berlin"), Span(18, 23, "CITY", "Paris")]
    assert spans_to_bio(tokens, spans, "io") == ["I-FIRSTNAME", "B-FIRSTNAME", "I-CITY", "B-CITY"]
    assert spans_to_bio(tokens, spans, "bio") == ["B-FIRSTNAME", "B-FIRSTNAME", "B-CITY", "B-CITY"]


def _texts(text):
    return [t.text for t in tokenize(text)]


def test_pii_shapes_stay_whole():
    assert _texts("mail jp.dupont+x@mail.example.co.uk, or https://ex.com/a?b=1.") == [
        "mail", "jp.dupont+x@mail.example.co.uk", ",", "or", "https://ex.com/a?b=1", ".",
    ]
    assert _texts("IP 192.168.0.1 at 12:30:45, MAC 00:1A:2B:3C:4D:5E.") == [
        "IP", "192.168.0.1", "at", "12:30:45", ",", "MAC", "00:1A:2B:3C:4D:5E", ".",
    ]
    assert _texts("tel +49 555-123-4567, born 1990-01-02.") == ["tel", "+", "49", "555-123-4567", ",", "born", "1990-01-02", "."]


def test_unicode_words_and_cjk():
    assert _texts("Jean-Pierre Müller, नमस्ते São") == ["Jean", "-", "Pierre", "Müller", ",", "नमस्ते", "São"]
    assert _texts("東京の田中") == ["東", "京", "の", "田", "中"]
    decomposed = "Jose\u0301 Garci\u0301a"
    assert _texts(decomposed) == ["Jose\u0301", "Garci\u0301a"]


def test_partially_covered_token_is_labelled_whole():
    text = "user jdoe99@example.com here"
    tokens = tokenize(text)
    tags = spans_to_bio(tokens, [Span(5, 11, "USERNAME", "jdoe99")])
    assert tags == ["O", "B-USERNAME", "O"]
    assert bio_to_spans(text, tokens, tags) == [Span(5, 23, "USERNAME", "jdoe99@example.com")]


def test_overlapping_gold_spans_do_not_crash_and_earlier_wins():
    text = "Anna Maria Schmidt"
    tokens = tokenize(text)
    tags = spans_to_bio(tokens, [Span(0, 10, "FIRSTNAME", "Anna Maria"), Span(5, 18, "LASTNAME", "Maria Schmidt")])
    assert tags == ["B-FIRSTNAME", "I-FIRSTNAME", "B-LASTNAME"]


def test_stray_inside_tag_starts_a_span():
    text = "a b c"
    tokens = tokenize(text)
    assert bio_to_spans(text, tokens, ["O", "I-X", "I-X"]) == [Span(2, 5, "X", "b c")]
    assert bio_to_spans(text, tokens, ["B-X", "I-Y", "O"]) == [Span(0, 1, "X", "a"), Span(2, 3, "Y", "b")]
