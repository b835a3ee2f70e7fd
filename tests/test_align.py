"""Span recovery from generated masked text: hand cases and hypothesis properties."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from piikit.data.schema import Span, mask_text
from piikit.evaluate.align import align, align_exact, parse, placeholder_labels
from pii_rows import spans_of

SRC = "Hi John Smith, your IBAN is DE89 3704 0044 0532 0130 00. Bye."


GOLD = spans_of(SRC, ("John", "FIRSTNAME"), ("Smith", "LASTNAME"), ("DE89 3704 0044 0532 0130 00", "IBAN"))


def got(a):
    return [(s.label, s.value) for s in a.spans]


def test_parse_runs_and_numbered_placeholders():
    lits, runs = parse("Hi [FIRSTNAME_1] [LASTNAME_2], x [IBAN].")
    assert lits == ["Hi ", ", x ", "."]
    assert runs == [["FIRSTNAME", "LASTNAME"], ["IBAN"]]
    assert placeholder_labels("[US_SSN] and [IPV4] [A_B_3]") == ["US_SSN", "IPV4", "A_B"]


def test_bracketed_word_in_source_is_literal():
    src = "See [NOTE] from Ann."
    a = align(src, "See [NOTE] from [FIRSTNAME].")
    assert got(a) == [("FIRSTNAME", "Ann")] and a.placeholders == ["FIRSTNAME"]


def test_exact_gold_text_recovers_gold_spans():
    a = align(SRC, mask_text(SRC, GOLD), hints=GOLD)
    assert a.method == "glob" and a.spans == GOLD and a.edits == 0


def test_adjacent_placeholders_without_space_are_cut_at_word_boundary():
    src = "Call JohnSmith now"
    a = align(src, "Call [FIRSTNAME][LASTNAME] now", hints=spans_of(src, ("John", "FIRSTNAME"), ("Smith", "LASTNAME")))
    assert got(a) == [("FIRSTNAME", "John"), ("LASTNAME", "Smith")]
    # without gold hints the run has one word: the first placeholder gets the first characters it can
    a = align(src, "Call [FIRSTNAME][LASTNAME] now")
    assert [s.label for s in a.spans] == ["FIRSTNAME", "LASTNAME"] and a.spans[0].start == 5 and a.spans[1].end == 14


def test_literal_inside_value_resolved_by_gold_boundary():
    src = "Meet at Oak Avenue 5, Springfield."
    gold = spans_of(src, ("Oak Avenue", "STREET"), ("5", "BUILDINGNUMBER"), ("Springfield", "CITY"))
    a = align(src, "Meet at [STREET] [BUILDINGNUMBER], [CITY].", hints=gold)
    assert a.spans == gold
    # no hints: leftmost cut (documented ambiguity)
    a = align(src, "Meet at [STREET] [BUILDINGNUMBER], [CITY].")
    assert got(a)[0] == ("STREET", "Oak")


def test_whitespace_changes_keep_spans():
    a = align(SRC, "Hi  [FIRSTNAME]\n[LASTNAME] ,your IBAN   is [IBAN].Bye.", hints=GOLD)
    assert a.method == "glob" and a.spans == GOLD and a.edits == 0 and a.changed == []


def test_whitespace_and_word_changes_together_use_fuzzy():
    a = align(SRC, "Hi  [FIRSTNAME]\n[LASTNAME] ,the IBAN   is [IBAN].Bye.", hints=GOLD)
    assert a.method == "fuzzy" and a.spans == GOLD and a.edits == 1


def test_dropped_and_added_words_are_edits_and_changed_ranges():
    a = align(SRC, "Hi [FIRSTNAME] [LASTNAME], the IBAN is [IBAN]. Bye now.", hints=GOLD)
    assert a.method == "fuzzy" and a.spans == GOLD
    assert [SRC[x:y] for x, y in a.changed] == ["your"]
    assert a.edits == 2  # "your" changed to "the", "now" added


def test_unrelated_text_fails_and_is_counted():
    a = align(SRC, "I am sorry, but I cannot help with that request.")
    assert a.method == "failed" and not a.ok and a.spans == []


def test_none_is_error():
    assert align(SRC, None).method == "error"


def test_outer_whitespace_is_not_a_change():
    a = align(SRC, "\n  " + mask_text(SRC, GOLD) + "\n", hints=GOLD)
    assert a.method == "glob" and a.spans == GOLD


def test_tagger_spans_used_when_consistent_with_text():
    a = align(SRC, mask_text(SRC, GOLD[:1]), spans=GOLD[:1])
    assert a.method == "spans" and a.spans == GOLD[:1] and not a.spans_mismatch


def test_tagger_spans_inconsistent_with_text_fall_back_to_text():
    a = align(SRC, mask_text(SRC, GOLD), spans=GOLD[:1])
    assert a.method == "glob" and a.spans_mismatch and a.spans == GOLD


def test_identity_prediction_has_no_spans():
    a = align(SRC, SRC, hints=GOLD)
    assert a.ok and a.spans == [] and a.placeholders == []


def test_placeholder_with_no_text_is_unaligned():
    a = align("Hello there.", "Hello [FIRSTNAME] there.")
    assert a.ok and a.spans == [] and a.unaligned == 1


def test_align_exact_takes_only_what_gives_the_masked_text_back():
    assert align_exact("a Bob b", "a [NAME] b") == [Span(2, 5, "NAME", "Bob")]
    assert align_exact("Bob", "[NAME]") == [Span(0, 3, "NAME", "Bob")]
    assert align_exact("x 1 y 2", "x [A_1] y [B_2]") == [Span(2, 3, "A", "1"), Span(6, 7, "B", "2")]
    assert align_exact("pay 4111 1111 now", "pay [CREDIT_CARD] now") == [Span(4, 13, "CREDIT_CARD", "4111 1111")]
    assert align_exact("plain", "plain") == []
    assert align_exact("plain", "other") is None
    assert align_exact("a b", "a [X][Y]b") is None
    assert align_exact("Call Ben now", "Call [FIRSTNAME][LASTNAME] now") is None  # touching: no guess for gold data
    assert align_exact("a b", "c [X]") is None
    assert align_exact("Hi  Bob.", "Hi [NAME].") is None  # align() would forgive the spacing; gold data must match
    assert align_exact("Hello there.", "Hello [NAME] there.") is None  # a placeholder with no text


# --------------------------------------------------------------------------- properties
WORDS = ["the", "a", "of", "to", "and", "in", "is", "call", "me", "at", ",", ".", ":", "-", "(", ")"]
PII = ["Zoe", "Quinn", "q@w.io", "555-0142", "DE89 3704", "Ørsted", "12/03/2021", "Rue de la Paix"]
LABELS = ["FIRSTNAME", "LASTNAME", "EMAIL", "PHONENUMBER", "IBAN", "DATE", "STREET"]


@st.composite
def documents(draw, pii_words=PII):
    """A source text built from literal words and PII values, its gold spans, and a random
    subset of them to mask."""
    n = draw(st.integers(1, 14))
    text, spans = "", []
    for _ in range(n):
        sep = "" if not text else draw(st.sampled_from([" ", " ", "  ", "\n"]))
        if draw(st.booleans()):
            value = draw(st.sampled_from(pii_words))
            label = draw(st.sampled_from(LABELS))
            start = len(text) + len(sep)
            text += sep + value
            spans.append(Span(start, start + len(value), label, value))
        else:
            text += sep + draw(st.sampled_from(WORDS))
    masked = [s for s in spans if draw(st.booleans())]
    return text, spans, masked


@settings(max_examples=300, deadline=None)
@given(documents(pii_words=PII + WORDS[:3]))
def test_masking_a_subset_of_gold_spans_is_recovered_exactly(doc):
    text, gold, masked = doc
    a = align(text, mask_text(text, masked), hints=gold)
    assert a.ok and a.method == "glob"
    assert a.spans == masked


@settings(max_examples=200, deadline=None)
@given(documents(), st.data())
def test_whitespace_changes_do_not_change_recovered_spans(doc, data):
    import re

    text, gold, masked = doc
    pred = re.sub(r"\s+", lambda m: data.draw(st.sampled_from([" ", "  ", "\n "])), mask_text(text, masked))
    a = align(text, pred, hints=gold)
    assert a.ok
    assert a.spans == masked
    assert a.changed == []


@settings(max_examples=80, deadline=None)
@given(documents(), st.data())
def test_dropping_a_literal_word_keeps_other_spans(doc, data):
    text, gold, masked = doc
    # Documented limit (align.py, docs/stages/evaluate.md): when a value occurs both masked and left as plain
    # text, a dropped word nearby can make the aligner pick the wrong occurrence.
    unmasked = [s for s in gold if s not in masked]
    assume(not {s.value for s in masked} & {s.value for s in unmasked})
    # drop one literal word (a token outside every masked span) from the prediction
    literal_words = [w for w in WORDS if w.isalpha()]
    pred = mask_text(text, masked)
    candidates = [w for w in literal_words if f" {w} " in f" {pred} "]
    if not candidates:
        return
    word = data.draw(st.sampled_from(candidates))
    padded = f" {pred} ".replace(f" {word} ", " ", 1)
    pred2 = padded[1:-1]
    a = align(text, pred2, hints=gold)
    assert a.ok
    # every masked span is still found; at most the dropped word is attributed elsewhere
    recovered = {(s.label, s.start) for s in a.spans}
    for s in masked:
        found = [r for r in a.spans if r.label == s.label and r.start <= s.start and r.end >= s.end]
        assert found, (text, pred2, a.spans)
    assert len(a.spans) == len(masked) and len(recovered) == len(masked)


@settings(max_examples=200, deadline=None)
@given(documents())
def test_align_exact_recovers_masked_gold_spans(doc):
    text, _, masked = doc
    spans = align_exact(text, mask_text(text, masked))
    assert spans is not None and mask_text(text, spans) == mask_text(text, masked)
    # two values with only the same whitespace between them as inside the first ("[A] [B]" for
    # "Rue de la Paix Zoe") are cut at the first; everywhere else the spans are the gold ones
    if all(text[a.end : b.start] not in a.value for a, b in zip(masked, masked[1:])):
        assert spans == masked
