import pytest

pytest.importorskip("piikit_consistency", reason="not installed: pip install -e plugins/piikit-consistency (.ci/run does)")

from piikit.data.schema import Prediction, Row, Span, mask_text
from piikit.evaluate import build_context
from piikit_consistency import ConsistencyEvaluator  # noqa: E402


def test_consistent_inconsistent_and_partial_masking():
    t = "Ann called Ann. Bob met Bob."
    ann1, ann2 = Span(0, 3, "FIRSTNAME", "Ann"), Span(11, 14, "FIRSTNAME", "Ann")
    bob1, bob2 = Span(16, 19, "FIRSTNAME", "Bob"), Span(24, 27, "FIRSTNAME", "Bob")
    rows = [Row("1", t, None, [ann1, ann2, bob1, bob2])]
    # Ann: both masked with one label (consistent); Bob: masked once, left once (inconsistent)
    preds = [Prediction("1", mask_text(t, [ann1, ann2, bob1]))]
    m = ConsistencyEvaluator().evaluate(rows, preds, build_context(rows, preds))
    assert m["consistency_rate"] == 0.5 and m["inconsistent_values"] == 1
    # the same value under two labels is inconsistent too
    preds = [Prediction("1", mask_text(t, [ann1, Span(11, 14, "LASTNAME", "Ann")]))]
    m = ConsistencyEvaluator().evaluate(rows, preds, build_context(rows, preds))
    assert m["consistency_rate"] == 0.0 and m["per_row"][0]["inconsistent"] == [["FIRSTNAME", "LASTNAME"]]


def test_registered_through_the_entry_point():
    from importlib.metadata import entry_points

    assert any(ep.name == "consistency" for ep in entry_points(group="piikit"))
    from piikit import plugins

    entry = plugins.get("evaluator", "consistency")
    assert entry.source == "consistency" and entry.load() is ConsistencyEvaluator
