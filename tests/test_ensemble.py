"""tuner=ensemble: span combination on hand-made predictions, members from config, fit/save/load."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piikit import plugins
from piikit.config import TunerConfig
from piikit.data.schema import Prediction, Row, Span, mask_text
from piikit.errors import PiikitError
from piikit.hookspecs import hookimpl
from piikit.tuners.ensemble import EnsembleConfig, EnsembleTuner, Vote, combine

TEXT = "Call Dr. John Smith at 555-1234 or mail j@x.io now"


def sp(value: str, label: str, text: str = TEXT) -> Span:
    start = text.index(value)
    return Span(start, start + len(value), label, value)


A = Vote("a", [sp("John Smith", "NAME"), sp("555-1234", "PHONE")])
B = Vote("b", [sp("Dr. John", "FIRSTNAME"), sp("Smith", "LASTNAME")])
C = Vote("c", [sp("j@x.io", "EMAIL"), sp("555-1234", "PHONE")])


def values(spans):
    return [(s.value, s.label) for s in spans]


def test_union_merges_overlaps_into_one_span_and_keeps_everything():
    spans = combine(TEXT, [A, B, C], "union")
    # "Dr. John" and "Smith" overlap a's "John Smith": one span over all of it, first member's label on a tie
    assert values(spans) == [("Dr. John Smith", "NAME"), ("555-1234", "PHONE"), ("j@x.io", "EMAIL")]
    assert mask_text(TEXT, spans) == "Call [NAME] at [PHONE] or mail [EMAIL] now"


def test_vote_keeps_only_what_a_majority_covered():
    spans = combine(TEXT, [A, B, C], "vote")  # 3 members: 2 must agree
    assert values(spans) == [("John", "NAME"), ("Smith", "NAME"), ("555-1234", "PHONE")]
    spans = combine(TEXT, [A, B, C], "vote", label_priority=["FIRSTNAME", "LASTNAME"])
    assert values(spans) == [("John", "FIRSTNAME"), ("Smith", "LASTNAME"), ("555-1234", "PHONE")]
    assert values(combine(TEXT, [A, B, C], "vote", min_votes=3)) == []
    assert len(combine(TEXT, [A, B, C], "vote", min_votes=1)) == 3  # one vote each = union


def test_weighted_lets_a_heavy_member_decide_extent_and_label():
    heavy_b = Vote("b", B.spans, weight=3.0)
    spans = combine(TEXT, [A, heavy_b, C], "weighted", threshold=0.5)  # need 2.5 of 5
    assert values(spans) == [("Dr. John", "FIRSTNAME"), ("Smith", "LASTNAME")]
    assert values(combine(TEXT, [A, heavy_b, C], "weighted", threshold=0.9)) == []


def test_fill_keeps_the_first_members_boundaries_and_adds_what_it_missed_apart():
    spans = combine(TEXT, [B, A, C], "fill")
    # b's two name spans stand as they are; a's wider "John Smith" adds nothing they miss; a's phone
    # is new; c's phone adds nothing, c's email is new
    assert values(spans) == [("Dr. John", "FIRSTNAME"), ("Smith", "LASTNAME"), ("555-1234", "PHONE"), ("j@x.io", "EMAIL")]
    # what a later member covers beyond an earlier member's span is a span of its own, trimmed;
    # a leftover of spaces and separators alone is dropped
    wide = Vote("d", [sp("Call Dr. John", "NAME"), sp("Smith at 555-1234 or", "ADDRESS")])
    assert values(combine(TEXT, [A, wide], "fill")) == [
        ("Call Dr.", "NAME"), ("John Smith", "NAME"), ("at", "ADDRESS"), ("555-1234", "PHONE"), ("or", "ADDRESS")]
    assert values(combine(TEXT, [Vote("a", [sp("John", "NAME"), sp("Smith", "NAME")]), Vote("e", [sp("John Smith", "X")])], "fill")) == [
        ("John", "NAME"), ("Smith", "NAME")]
    assert mask_text(TEXT, combine(TEXT, [B, A, C], "fill")) == "Call [FIRSTNAME] [LASTNAME] at [PHONE] or mail [EMAIL] now"


def test_trusted_member_wins_its_label_whatever_the_vote():
    wide = Vote("a", [sp("mail j@x.io", "USERNAME")])
    spans = combine(TEXT, [wide, B, C], "vote", min_votes=2, trust={"EMAIL": "c"})
    assert values(spans) == [("j@x.io", "EMAIL")]  # c alone, and it replaced nothing but its own
    spans = combine(TEXT, [wide, B, C], "union", trust={"EMAIL": "c"})
    assert ("mail j@x.io", "USERNAME") not in values(spans) and ("j@x.io", "EMAIL") in values(spans)


def test_no_votes_no_spans():
    assert combine(TEXT, [], "union") == []
    assert combine(TEXT, [Vote("a", [])], "vote") == []


@st.composite
def member_spans(draw):
    text = "x" * draw(st.integers(5, 60))
    votes = []
    for m in range(draw(st.integers(1, 4))):
        spans, pos = [], 0
        while pos < len(text) - 1 and draw(st.booleans()):
            start = draw(st.integers(pos, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            spans.append(Span(start, end, draw(st.sampled_from("PQR")), text[start:end]))
            pos = end
        votes.append(Vote(f"m{m}", spans, draw(st.sampled_from([0.5, 1.0, 2.0]))))
    return text, votes


def chars(spans):
    return {i for s in spans for i in range(s.start, s.end)}


@settings(max_examples=200, deadline=None)
@given(member_spans(), st.sampled_from(["union", "vote", "weighted", "fill"]))
def test_combined_spans_never_overlap_and_stay_inside_member_spans(case, strategy):
    text, votes = case
    spans = combine(text, votes, strategy)
    for s, t in zip(spans, spans[1:]):
        assert s.end <= t.start
    covered = chars(s for v in votes for s in v.spans)
    assert chars(spans) <= covered
    if strategy in ("union", "fill"):
        assert chars(spans) == covered  # nothing any member masked leaks
    if strategy == "fill":
        assert set(votes[0].spans) <= set(spans)  # the first member's spans stand as they are
    for s in spans:
        assert s.value == text[s.start : s.end]


# --------------------------------------------------------------------------- as a tuner
ROWS = [
    Row("1", "write to ann@x.io please", "write to [EMAIL] please", [Span(9, 17, "EMAIL", "ann@x.io")]),
    Row("2", "nothing here", "nothing here"),
    Row("3", "Bob called", "[FIRSTNAME] called", [Span(0, 3, "FIRSTNAME", "Bob")]),
]


def test_reference_and_identity_members_from_registry():
    union = EnsembleTuner(EnsembleConfig(members=["reference", "identity"], strategy="union"))
    assert not union.needs_training
    preds = list(union.predict(ROWS))
    assert [p.prediction for p in preds] == ["write to [EMAIL] please", "nothing here", "[FIRSTNAME] called"]
    vote = EnsembleTuner(EnsembleConfig(members=["reference", "identity"], strategy="vote"))
    assert [p.prediction for p in vote.predict(ROWS)] == [r.source_text for r in ROWS]


@dataclass
class MemoConfig(TunerConfig):
    name: str = "memo"
    min_count: int = 1
    text_only: bool = False  # answer like a generative model: masked text, no spans


class MemoTuner:
    """A tiny trainable tuner for these tests: remembers PII values seen in training."""

    needs_training = True

    def __init__(self, config, ctx=None):
        self.config = config
        self.known: dict[str, str] = {}

    def fit(self, train):
        from piikit.tuners.base import Snapshot

        self.known = {s.value: s.label for r in train for s in r.privacy_mask}
        return [Snapshot(step=1, epoch=1.0, loss=0.5)]

    def save(self, model_dir):
        (Path(model_dir) / "memo.json").write_text(json.dumps(self.known))

    def load(self, model_dir):
        self.known = json.loads((Path(model_dir) / "memo.json").read_text())

    def predict(self, rows):
        for row in rows:
            spans = [Span(i, i + len(v), lab, v) for v, lab in self.known.items() if (i := row.source_text.find(v)) >= 0]
            yield Prediction(row.id, mask_text(row.source_text, spans), None if self.config.text_only else spans)


class MemoPlugin:
    @hookimpl
    def piikit_register_tuners(self, register):
        register("memo", MemoConfig, MemoTuner, help="test-only memorizer")


@pytest.fixture
def memo_plugin():
    pm = plugins.plugin_manager()
    plugin = MemoPlugin()
    pm.register(plugin, name="test-memo")
    plugins.registry.cache_clear()
    yield
    pm.unregister(plugin)
    plugins.registry.cache_clear()


def test_trains_untrained_members_saves_and_loads_them(memo_plugin, tmp_path):
    config = EnsembleConfig(members=[{"name": "memo", "min_count": 2}, "identity"], strategy="union", weights={"memo": 2.0})
    tuner = EnsembleTuner(config)
    assert tuner.needs_training
    assert tuner.fit(ROWS[:1]) == []
    assert [p.prediction for p in tuner.predict(ROWS)] == ["write to [EMAIL] please", "nothing here", "Bob called"]
    tuner.save(tmp_path / "model")
    saved = json.loads((tmp_path / "model" / "ensemble.json").read_text())
    assert [m["key"] for m in saved["members"]] == ["memo", "identity"]
    assert saved["members"][0]["config"]["min_count"] == 2
    assert (tmp_path / "model" / "members" / "memo" / "snapshots.jsonl").is_file()

    # a fresh ensemble (even one configured with other members) reloads what was saved
    again = EnsembleTuner(EnsembleConfig(members=["identity"], strategy="vote", min_votes=1))
    again.load(tmp_path / "model")
    assert [m.key for m in again.members] == ["memo", "identity"]
    assert [p.prediction for p in again.predict(ROWS)][0] == "write to [EMAIL] please"


def test_member_with_trained_model_is_loaded_not_retrained(memo_plugin, tmp_path):
    first = EnsembleTuner(EnsembleConfig(members=["memo"]))
    first.fit(ROWS)
    first.members[0].tuner.save(tmp_path)
    reuse = EnsembleTuner(EnsembleConfig(members=[{"name": "memo", "model": str(tmp_path)}, "identity"]))
    assert reuse.members[0].trained
    reuse.fit([])  # would forget everything if it retrained the member
    assert [p.prediction for p in reuse.predict(ROWS)][2] == "[FIRSTNAME] called"


def test_members_without_spans_are_aligned(memo_plugin):
    tuner = EnsembleTuner(EnsembleConfig(members=[{"name": "memo", "text_only": True}, "identity"]))
    tuner.fit(ROWS)
    preds = list(tuner.predict(ROWS))
    assert [p.prediction for p in preds] == [r.target_text for r in ROWS]
    assert preds[0].spans == ROWS[0].privacy_mask


def test_same_tuner_twice_gets_distinct_keys():
    tuner = EnsembleTuner(EnsembleConfig(members=["identity", "identity", {"name": "reference", "key": "gold"}], weights={"gold": 2}))
    assert [m.key for m in tuner.members] == ["identity", "identity_2", "gold"]


@pytest.mark.parametrize(
    "config, message",
    [
        (dict(members=["identty"]), "did you mean 'identity'"),
        (dict(members=[{"name": "identity", "c1": 0.1}]), "unknown setting for member identity 'c1'"),
        (dict(members=["ensemble"]), "cannot be a member"),
        (dict(members=[{"c1": 1}]), "not a tuner name"),
        (dict(members=["identity"], weights={"idnetity": 2}), "did you mean 'identity'"),
        (dict(members=["identity"], trust={"EMAIL": "rulez"}), "unknown member in tuner.trust"),
        (dict(members=["identity"], strategy="majority"), "use one of: union, vote, weighted"),
        (dict(members=["identity"], min_votes=2), "between 1 and the number of members"),
    ],
)
def test_config_mistakes_are_one_line_errors(config, message):
    with pytest.raises(PiikitError) as e:
        EnsembleTuner(EnsembleConfig(**config))
    assert message in e.value.one_line()


def test_trust_naming_a_known_tuner_that_is_not_a_member_is_skipped():
    tuner = EnsembleTuner(EnsembleConfig(members=["identity"], trust={"EMAIL": "reference"}))
    assert tuner.trust == {}


def test_yaml_and_cli_style_overrides_compose(compose):
    cfg = compose(["tuner=ensemble", "tuner.members=[reference,{name:identity,key:id}]", "tuner.strategy=vote", "+tuner.weights.id=0.5", "+tuner.trust.PHONE=id"])
    assert isinstance(cfg.tuner, EnsembleConfig)
    assert cfg.tuner.members == ["reference", {"name": "identity", "key": "id"}]
    assert cfg.tuner.weights == {"id": 0.5} and cfg.tuner.trust["PHONE"] == "id"
    tuner = EnsembleTuner(cfg.tuner)
    assert [m.key for m in tuner.members] == ["reference", "id"]
    default = compose(["tuner=ensemble"]).tuner
    assert default.members == ["crf", "transformer", "rules"] and default.strategy == "union"
