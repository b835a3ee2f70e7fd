"""Every metric on tiny hand-computed cases, plus a cross-check of the span scores against
nervaluate (an independent implementation)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piikit.data.schema import Prediction, Row, Span, mask_text
from piikit.evaluate import build_context, normalize_spans
from piikit.evaluate.metrics import (
    ExactEvaluator,
    FidelityEvaluator,
    LeakEvaluator,
    SpanEvaluator,
    TokenEvaluator,
    ValidityEvaluator,
    _count_verbatim,
    fbeta,
)


def sp(text: str, value: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return Span(start, start + len(value), label, value)


def row(id, text, gold, language="en"):
    return Row(id=id, source_text=text, target_text=mask_text(text, gold), privacy_mask=gold, language=language)


def tagged(r: Row, spans: list[Span]) -> Prediction:
    return Prediction(r.id, mask_text(r.source_text, spans), spans=spans)


def run(evaluator, rows, preds, **kw):
    ctx = build_context(rows, preds, **kw)
    return evaluator.evaluate(rows, preds, ctx), ctx


T1 = "Ann Lee paid 42 EUR to Bob."
R1 = row("1", T1, [sp(T1, "Ann", "FIRSTNAME"), sp(T1, "Lee", "LASTNAME"), sp(T1, "Bob", "FIRSTNAME")])
# partial overlap over two adjacent gold spans, a wrong label, a spurious span
P1 = tagged(R1, [Span(0, 7, "FIRSTNAME", "Ann Lee"), sp(T1, "42", "AMOUNT"), sp(T1, "Bob", "LASTNAME")])
T2 = "Call Eve now."
R2 = row("2", T2, [sp(T2, "Eve", "FIRSTNAME")], language="de")
P2 = tagged(R2, [sp(T2, "Eve", "FIRSTNAME")])


def test_fbeta():
    assert fbeta(0.5, 1.0, 1) == pytest.approx(2 / 3)
    assert fbeta(0.5, 1.0, 2) == pytest.approx(5 * 0.5 / (4 * 0.5 + 1))
    assert fbeta(0, 0, 2) == 0


def test_span_strict_and_overlap_hand_computed():
    m, _ = run(SpanEvaluator(), [R1, R2], [P1, P2])
    # strict: only Eve is right; 3 wrong predictions, 3 missed gold spans
    assert (m["span_tp"], m["span_fp"], m["span_fn"]) == (1, 3, 3)
    assert m["span_precision"] == m["span_recall"] == m["span_f1"] == m["span_f2"] == pytest.approx(0.25)
    # overlap: 3 of 4 predictions touch gold; all 4 gold spans are touched
    assert m["overlap_precision"] == pytest.approx(3 / 4) and m["overlap_recall"] == 1.0
    assert m["overlap_f1"] == pytest.approx(2 * 0.75 / 1.75)
    assert m["overlap_f2"] == pytest.approx(5 * 0.75 / (4 * 0.75 + 1))
    first = m["per_label"]["FIRSTNAME"]
    assert first["support"] == 3 and first["span_precision"] == 0.5 and first["span_recall"] == pytest.approx(1 / 3)
    assert m["per_label"]["LASTNAME"]["span_f1"] == 0 and m["per_label"]["AMOUNT"]["span_precision"] == 0
    assert m["span_macro_f1"] == pytest.approx(0.4 / 3)  # (F1 FIRSTNAME 0.4 + LASTNAME 0 + AMOUNT 0) / 3
    assert m["per_language"]["de"]["span_f1"] == 1.0 and m["per_language"]["en"]["span_f1"] == 0.0
    assert m["per_language"]["en"]["rows"] == 1
    assert [r["span_tp"] for r in m["per_row"]] == [0, 1]


def test_macro_per_language_hand_computed():
    t = "Ann, Bob and Eve wrote to a@b.io"
    gold = [sp(t, "Ann", "FIRSTNAME"), sp(t, "Bob", "FIRSTNAME"), sp(t, "Eve", "FIRSTNAME"), sp(t, "a@b.io", "EMAIL")]
    fr = row("f", t, gold, language="fr")
    m, _ = run(SpanEvaluator(), [fr, R2], [tagged(fr, gold[:3]), P2])
    lang = m["per_language"]["fr"]
    # micro pools the spans (3 of 4 found); macro averages the labels (FIRSTNAME 1.0, EMAIL 0.0)
    assert lang["span_recall"] == pytest.approx(3 / 4) and lang["span_macro_recall"] == pytest.approx(1 / 2)
    assert lang["span_precision"] == 1.0 and lang["span_macro_precision"] == pytest.approx(1 / 2)  # EMAIL: nothing predicted, 0
    assert lang["span_macro_f1"] == pytest.approx(1 / 2) and lang["span_macro_f2"] == pytest.approx(1 / 2)
    assert m["per_language"]["de"]["span_macro_f1"] == 1.0
    # overall macro pools both languages per label: FIRSTNAME 4/4, EMAIL 0/1
    assert m["span_macro_recall"] == pytest.approx(1 / 2) and m["span_recall"] == pytest.approx(4 / 5)


def test_token_level_hand_computed():
    m, _ = run(TokenEvaluator(), [R1, R2], [P1, P2])
    # row 1 tokens Ann Lee paid 42 EUR to Bob. → gold {Ann, Lee, Bob.}, predicted {Ann, Lee, 42, Bob.}
    assert (m["token_tp"], m["token_fp"], m["token_fn"]) == (4, 1, 0)
    assert m["token_precision"] == pytest.approx(0.8) and m["token_recall"] == 1.0
    assert m["token_f2"] == pytest.approx(5 * 0.8 / (4 * 0.8 + 1))


def test_nothing_to_find_and_nothing_predicted_is_perfect():
    r = row("x", "No PII here.", [])
    m, _ = run(SpanEvaluator(), [r], [Prediction("x", "No PII here.")])
    assert m["span_f1"] == 1.0 and m["overlap_f2"] == 1.0


def test_verbatim_counting_respects_word_boundaries():
    assert _count_verbatim("Ann met Annabel and ann, Ann.", "Ann") == 2
    assert _count_verbatim("call +1 555 0100 now", "+1 555 0100") == 1
    assert _count_verbatim("x", "") == 0


def test_leak_rate_hand_computed():
    t = "Ann met Ann and Annabel at x@y.io"
    r = row("1", t, [sp(t, "Ann", "FIRSTNAME"), sp(t, "Ann", "FIRSTNAME", 1), sp(t, "x@y.io", "EMAIL")])
    p = Prediction("1", "[FIRSTNAME] met Ann and Annabel at [EMAIL]")
    m, _ = run(LeakEvaluator(), [r], [p])
    assert m["leak_rate"] == pytest.approx(1 / 3) and m["leaked_values"] == 1
    assert m["per_label"]["FIRSTNAME"]["leak_rate"] == 0.5 and m["per_label"]["EMAIL"]["leak_rate"] == 0
    assert m["per_row"][0]["leaked_labels"] == ["FIRSTNAME"]


def test_value_also_unmasked_in_gold_text_is_not_a_leak():
    t = "Paris is nice, said Paris Hilton"
    r = row("1", t, [sp(t, "Paris", "FIRSTNAME", 1)])
    ref, _ = run(LeakEvaluator(), [r], [Prediction("1", r.target_text)])
    ident, _ = run(LeakEvaluator(), [r], [Prediction("1", t)])
    assert ref["leak_rate"] == 0.0 and ident["leak_rate"] == 1.0


def test_fidelity_and_over_masking_hand_computed():
    t = "Hello Ann, the code is ready."
    r = row("1", t, [sp(t, "Ann", "FIRSTNAME")])
    # 21 non-PII non-space characters: Hello , the code is ready .
    m, _ = run(FidelityEvaluator(), [r], [Prediction("1", "[GREETING] [FIRSTNAME], the code is [STATUS].")])
    assert m["nonpii_chars"] == 21
    assert m["over_masking"] == pytest.approx(10 / 21) and m["fidelity"] == pytest.approx(11 / 21)
    m, ctx = run(FidelityEvaluator(), [r], [Prediction("1", "Hello [FIRSTNAME], the code is done.")])
    assert ctx.alignments[0].method == "fuzzy"
    assert m["rewritten"] == pytest.approx(5 / 21) and m["over_masking"] == 0 and m["fidelity"] == pytest.approx(16 / 21)
    m, _ = run(FidelityEvaluator(), [r], [Prediction("1", r.target_text)])
    assert m["fidelity"] == 1.0 and m["over_masking"] == 0.0


def test_exact_match_ignores_outer_whitespace_only():
    rows = [row("1", T2, R2.privacy_mask), row("2", T2, R2.privacy_mask)]
    m, _ = run(ExactEvaluator(), rows, [Prediction("1", R2.target_text + "\n"), Prediction("2", "Call [NAME] now.")])
    assert m["exact_match"] == 0.5 and [r["exact"] for r in m["per_row"]] == [True, False]


def test_placeholder_validity():
    m, _ = run(ValidityEvaluator(), [R2], [Prediction("2", "[FOO] [FIRSTNAME_1] now.")])
    assert m["placeholders"] == 2 and m["placeholder_validity"] == 0.5
    assert m["invalid_placeholder_labels"] == {"FOO": 1}
    m, _ = run(ValidityEvaluator(), [R2], [Prediction("2", "[FOO] [FIRSTNAME] now.")], labels=["FOO"])
    assert m["placeholder_validity"] == 1.0


def test_label_map_merges_groups_so_other_schemes_score():
    t = "Ann Lee paid."
    r = row("1", t, [sp(t, "Ann", "FIRSTNAME"), sp(t, "Lee", "LASTNAME")])
    p = Prediction("1", "[PERSON] paid.")
    plain, _ = run(SpanEvaluator(), [r], [p])
    mapped, ctx = run(SpanEvaluator(), [r], [p], label_map={"FIRSTNAME": "PERSON", "LASTNAME": "PERSON"})
    assert plain["span_f1"] == 0.0
    assert mapped["span_f1"] == 1.0 and ctx.gold[0] == [Span(0, 7, "PERSON", "Ann Lee")]
    assert set(mapped["per_label"]) == {"PERSON"}


def test_normalize_spans_trims_whitespace():
    assert normalize_spans(" Ann  x", [Span(0, 5, "A", " Ann ")], {}) == [Span(1, 4, "A", "Ann")]


def test_failed_rows_score_as_failures_not_crashes():
    rows = [R2, row("3", T2, R2.privacy_mask)]
    preds = [Prediction("2", None, error="blocked"), Prediction("3", "")]
    ctx = build_context(rows, preds)
    assert ctx.failed == [True, True]
    span = SpanEvaluator().evaluate(rows, preds, ctx)
    fid = FidelityEvaluator().evaluate(rows, preds, ctx)
    leak = LeakEvaluator().evaluate(rows, preds, ctx)
    assert span["span_recall"] == 0 and fid["fidelity"] == 0 and leak["leak_rate"] == 0


# --------------------------------------------------------------------------- nervaluate cross-check
LABELS = ["A", "B", "C"]


@st.composite
def span_sets(draw):
    """Non-overlapping spans on a 0..80 line."""
    cuts = sorted(draw(st.sets(st.integers(0, 80), max_size=12)))
    spans = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        if a < b and draw(st.booleans()):
            spans.append(Span(a, b, draw(st.sampled_from(LABELS)), "x" * (b - a)))
    return spans


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(span_sets(), span_sets()), min_size=1, max_size=5))
def test_strict_scores_match_nervaluate(docs):
    nervaluate = pytest.importorskip("nervaluate")
    text = "x" * 80
    rows = [Row(str(i), text, None, g) for i, (g, _) in enumerate(docs)]
    preds = [Prediction(str(i), mask_text(text, p), spans=p) for i, (_, p) in enumerate(docs)]
    ours, _ = run(SpanEvaluator(), rows, preds)
    true = [[{"label": s.label, "start": s.start, "end": s.end - 1} for s in g] for g, _ in docs]
    pred = [[{"label": s.label, "start": s.start, "end": s.end - 1} for s in p] for _, p in docs]
    theirs = nervaluate.Evaluator(true, pred, tags=LABELS, loader="dict").evaluate()["overall"]["strict"]
    assert ours["span_tp"] == theirs.correct
    assert ours["predicted_spans"] == theirs.actual
    assert ours["gold_spans"] == theirs.possible
    if theirs.actual:
        assert ours["span_precision"] == pytest.approx(theirs.precision)
    if theirs.possible:
        assert ours["span_recall"] == pytest.approx(theirs.recall)
        if theirs.actual:
            assert ours["span_f1"] == pytest.approx(theirs.f1)
