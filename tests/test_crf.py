"""tuner=crf: learns, its loss falls, saves/loads, fails clearly on bad input and bad models."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from piikit.data.schema import Row, Span, mask_text
from piikit.errors import PiikitError
from piikit.tuners.crf.tuner import MODEL_FILE, META_FILE, CRFConfig, CRFTuner
from pii_rows import make_rows, overlap_f1

FAST = CRFConfig(max_iterations=40)


@pytest.fixture(scope="module")
def data():
    return make_rows(300, seed=1), make_rows(120, seed=2)


@pytest.fixture(scope="module")
def trained(data):
    train, _ = data
    tuner = CRFTuner(FAST)
    snapshots = tuner.fit(train)
    return tuner, snapshots


def _spans(tuner, rows):
    return [p.spans for p in tuner.predict(rows)]


def test_learns_a_tiny_set_and_beats_the_baseline(trained, data):
    from piikit import plugins

    tuner, _ = trained
    _, test = data
    crf_f1 = overlap_f1(test, _spans(tuner, test))
    # the rules tuner is the baseline to beat where it is installed; identity otherwise
    name = "rules" if "rules" in plugins.registry("tuner") else "identity"
    baseline = plugins.get("tuner", name).load()(plugins.get("tuner", name).config(), None)
    base_f1 = overlap_f1(test, [p.spans or [] for p in baseline.predict(test)])
    assert crf_f1 > base_f1
    assert crf_f1 >= 0.9


def test_predictions_are_masked_text_with_exact_spans(trained, data):
    tuner, _ = trained
    _, test = data
    preds = list(tuner.predict(test[:30]))
    assert [p.id for p in preds] == [r.id for r in test[:30]]
    exact = 0
    for row, pred in zip(test, preds):
        assert pred.prediction == mask_text(row.source_text, pred.spans)
        for s in pred.spans:
            assert row.source_text[s.start : s.end] == s.value
        exact += pred.prediction == row.target_text
    assert exact >= 20  # most rows come out exactly like the gold masked text


def test_loss_decreases(trained):
    _, snapshots = trained
    assert len(snapshots) >= 10
    assert [s.step for s in snapshots] == list(range(1, len(snapshots) + 1))
    assert all(s.epoch == s.step for s in snapshots)
    assert snapshots[-1].loss < snapshots[0].loss / 10
    # L-BFGS with line search: every accepted iteration lowers the objective
    assert all(b.loss <= a.loss + 1e-9 for a, b in zip(snapshots, snapshots[1:]))


def test_save_load_round_trip_uses_the_saved_feature_settings(trained, data, tmp_path):
    tuner, _ = trained
    _, test = data
    tuner.save(tmp_path)
    meta = json.loads((tmp_path / META_FILE).read_text())
    assert meta["format"] == "piikit-crf" and meta["config"]["c1"] == FAST.c1 and "model" not in meta["config"]
    # a reused model keeps the features it was trained with, whatever the current config says
    other = CRFTuner(replace(FAST, window=0, bigrams=False))
    other.load(tmp_path)
    assert other.featurizer.settings == tuner.featurizer.settings
    assert _spans(other, test) == _spans(tuner, test)


def test_corrupt_model_file_is_a_clear_error(trained, tmp_path):
    tuner, _ = trained
    tuner.save(tmp_path)
    data = bytearray((tmp_path / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(PiikitError, match="corrupt"):
        CRFTuner(FAST).load(tmp_path)


def test_unreadable_model_without_checksum_is_a_clear_error(trained, tmp_path):
    tuner, _ = trained
    tuner.save(tmp_path)
    meta = json.loads((tmp_path / META_FILE).read_text())
    del meta["sha256"]
    (tmp_path / META_FILE).write_text(json.dumps(meta))
    (tmp_path / MODEL_FILE).write_bytes(b"not a crfsuite model at all, just some text")
    with pytest.raises(PiikitError, match="unreadable"):
        CRFTuner(FAST).load(tmp_path)


@pytest.mark.parametrize("setup, message", [
    (lambda d: None, "model.json is missing"),
    (lambda d: (d / META_FILE).write_text("{not json"), "cannot read"),
    (lambda d: (d / META_FILE).write_text('{"format": "something-else"}'), "does not describe a CRF model"),
    (lambda d: (d / META_FILE).write_text('{"format": "piikit-crf", "format_version": 1}'), "cannot read the CRF model file"),
])
def test_missing_or_foreign_model_dir_is_a_clear_error(tmp_path, setup, message):
    setup(tmp_path)
    with pytest.raises(PiikitError, match=message) as e:
        CRFTuner(FAST).load(tmp_path)
    assert "\n" not in e.value.one_line()


def test_train_split_without_spans_fails_clearly():
    rows = [Row(id=str(i), source_text=f"nothing to see in line {i}", target_text=f"nothing to see in line {i}") for i in range(5)]
    with pytest.raises(PiikitError, match="no PII spans"):
        CRFTuner(FAST).fit(rows)
    with pytest.raises(PiikitError, match="empty"):
        CRFTuner(FAST).fit([])


def test_single_label_trains_and_predicts_only_that_label(data):
    train = make_rows(150, seed=3, labels={"EMAIL"})
    tuner = CRFTuner(replace(FAST, max_iterations=25))
    assert tuner.fit(train)
    _, test = data
    predicted = [s for spans in _spans(tuner, test) for s in spans]
    assert predicted and {s.label for s in predicted} == {"EMAIL"}
    gold_emails = [Row(r.id, r.source_text, privacy_mask=[s for s in r.privacy_mask if s.label == "EMAIL"]) for r in test]
    assert overlap_f1(gold_emails, _spans(tuner, test)) >= 0.9


def test_empty_and_whitespace_rows_predict_nothing(trained):
    tuner, _ = trained
    preds = list(tuner.predict([Row("a", ""), Row("b", "   \n ")]))
    assert [(p.prediction, p.spans) for p in preds] == [("", []), ("   \n ", [])]


@pytest.mark.parametrize("override, message", [
    ("tuner.c1=-1", "tuner.c1=-1.0 must be ≥ 0"),
    ("tuner.max_iterations=0", "tuner.max_iterations=0 must be at least 1"),
    ("tuner.algorithm=ap", "use one of: lbfgs, l2sgd"),
    ("tuner.window=9", "tuner.window=9 must be between 0 and 6"),
    ("tuner.pii_threshold=0", "tuner.pii_threshold=0.0 must be in (0, 1]"),
])
def test_bad_hyperparameters_are_user_errors(compose, override, message):
    with pytest.raises(Exception) as e:
        compose([override])
    chain, err = [], e.value
    while err is not None:
        chain.append(err.one_line() if isinstance(err, PiikitError) else str(err))
        err = err.__cause__ or err.__context__
    assert any(message in c for c in chain), chain


def test_crf_is_the_default_tuner_and_its_yaml_matches_the_schema(compose):
    cfg = compose([])
    assert isinstance(cfg.tuner, CRFConfig)
    assert cfg.tuner == CRFConfig()
    assert compose(["tuner.c1=0.2", "tuner.window=1"]).tuner.window == 1


def test_l2sgd_also_reports_a_falling_loss():
    train = make_rows(100, seed=4)
    snapshots = CRFTuner(CRFConfig(algorithm="l2sgd", max_iterations=8)).fit(train)
    assert len(snapshots) >= 2 and snapshots[-1].loss < snapshots[0].loss


def test_spans_never_overlap_and_stay_inside_the_text(trained):
    tuner, _ = trained
    rows = [Row("x", "Call Anna Schmidt at +49 30 1234567 or anna.schmidt@example.de, IBAN DE44500105175407324931.")]
    (pred,) = tuner.predict(rows)
    assert pred.spans
    for a, b in zip(pred.spans, pred.spans[1:]):
        assert a.end <= b.start
    assert all(0 <= s.start < s.end <= len(rows[0].source_text) for s in pred.spans)
    assert "anna.schmidt@example.de" not in pred.prediction


def test_text_with_lone_surrogates_is_tagged_not_crashed(trained):
    tuner, _ = trained
    text = "Mail anna\ud800@example.com or call Anna \udcff Schmidt."
    (pred,) = tuner.predict([Row("s", text)])
    assert pred.prediction == mask_text(text, pred.spans)


def test_dropping_unknown_features_changes_no_tag(trained, data):
    from piikit.tuners.crf.tagging import tokenize

    tuner, _ = trained
    _, test = data
    tagger = tuner._open_tagger()
    assert tuner.featurizer._known  # restricted to the model's attributes once the model is open
    full = CRFTuner(FAST).featurizer  # emits every feature
    for row in test[:40]:
        tokens = tokenize(row.source_text)
        every = full.featurize(tokens, row.source_text, row.language)
        kept = tuner.featurizer.featurize(tokens, row.source_text, row.language)
        assert sum(map(len, kept)) < sum(map(len, every))
        assert tagger.tag(kept) == tagger.tag(every)


def test_split_and_cuts_person_spans_but_keeps_addresses_whole():
    from piikit.tuners.crf.tuner import split_and

    text = "Anna and Tom live at corner of Elm St and 5th Ave."
    spans = [Span(0, 12, "FIRSTNAME", "Anna and Tom"), Span(21, 49, "STREET", text[21:49])]
    assert [(s.start, s.end, s.value) for s in split_and(text, spans)] == [
        (0, 4, "Anna"), (9, 12, "Tom"), (21, 49, "corner of Elm St and 5th Ave"),
    ]
    assert split_and("Anna and", [Span(0, 8, "FIRSTNAME", "Anna and")]) == [Span(0, 8, "FIRSTNAME", "Anna and")]


def test_a_lower_pii_threshold_masks_a_superset_of_tokens(trained, data):
    from piikit.tuners.crf.tagging import tokenize

    tuner, _ = trained
    _, test = data
    text = " ".join(r.source_text for r in test[:30])

    def masked(threshold):
        t = CRFTuner(replace(FAST, pii_threshold=threshold))
        t._model, t.featurizer = tuner._model, tuner.featurizer
        spans = t.tag_spans(text)
        return {tok.start for tok in tokenize(text) for s in spans if tok.start < s.end and s.start < tok.end}

    viterbi, low, lowest = masked(1.0), masked(0.3), masked(0.01)
    assert viterbi <= low <= lowest
    assert len(lowest) > len(viterbi)


def test_trim_drops_function_words_and_symbols_at_name_edges_only():
    from piikit.tuners.crf.tuner import trim_spans

    text = "not by Anna Smith - said Bob at the corner of Elm St, pw: -by-"
    spans = [
        Span(4, 19, "FIRSTNAME", "by Anna Smith -"),
        Span(20, 24, "LASTNAME", "said"),
        Span(32, 49, "STREET", "the corner of Elm"),
        Span(58, 62, "PASSWORD", "-by-"),
    ]
    assert [(s.label, s.value) for s in trim_spans(text, spans)] == [
        ("FIRSTNAME", "Anna Smith"), ("STREET", "the corner of Elm"), ("PASSWORD", "-by-"),
    ]


def test_captions_are_cut_out_of_spans_but_values_and_speakers_stay():
    from piikit.tuners.crf.tuner import cut_captions

    def cut(text, start, end, label="ADDRESS"):
        return [s.value for s in cut_captions(text, [Span(start, end, label, text[start:end])])]

    text = "Domicilio: Calle Mayor 5.\nLocalidad/ Provincia: Toledo.\nNºCol: 28 28 12345"
    a = text.index("Calle")
    assert cut(text, a, text.index("Toledo") + 6) == ["Calle Mayor 5", "Toledo"]
    street = "Domicilio: Calle Mayor 5 Provincia: Toledo"
    assert cut(street, 11, street.index(":", 12)) == ["Calle Mayor 5"], "the caption word after a value goes"
    assert cut(text, text.index("Localidad"), text.index("Provincia") + 9) == [], "a caption line alone goes"
    assert cut("Anna: hi there", 0, 4, "FIRSTNAME") == ["Anna"], "a speaker's name before a colon stays"
    assert cut("Hola Eraycan:\nGracias", 5, 12, "FIRSTNAME") == ["Eraycan"], "so does a greeted name"
    assert cut("call at 12:30 today", 8, 13, "TIME") == ["12:30"]
    assert cut("ip fe80::1 seen", 3, 10, "IPV6") == ["fe80::1"]


def test_spans_without_a_letter_or_digit_are_dropped_except_currency_symbols():
    from piikit.tuners.crf.tuner import drop_symbols

    spans = [Span(0, 1, "TIME", "."), Span(2, 3, "CURRENCYSYMBOL", "€"), Span(4, 6, "PASSWORD", ")("), Span(7, 9, "PASSWORD", "a)")]
    assert drop_symbols(spans) == [spans[1], spans[3]]


def test_line_features_tell_data_fields_from_prose_lines():
    from piikit.tuners.crf.features import Featurizer, FeatureSettings
    from piikit.tuners.crf.tagging import tokenize

    text = "Nombre: Ana\nLa paciente refiere dolor abdominal desde hace tres semanas sin fiebre ni vómitos asociados ni otros síntomas"
    tokens = tokenize(text)
    feats = Featurizer(FeatureSettings(lines=True)).featurize(tokens, text, "es")
    ana = next(i for i, t in enumerate(tokens) if t.text == "Ana")
    dolor = next(i for i, t in enumerate(tokens) if t.text == "dolor")
    assert "ln=1-3" in feats[ana] and "lpos=mid" in feats[ana]
    assert "ln=9-20" in feats[dolor] or "ln=21+" in feats[dolor]
    assert "lpos=0" in feats[next(i for i, t in enumerate(tokens) if t.text == "La")]
    assert not any(f.startswith("ln=") for f in Featurizer(FeatureSettings()).featurize(tokens, text, "es")[ana])


def test_boost_groups_use_their_own_thresholds():
    from piikit.tuners.crf.tuner import _boost, boost_groups

    class Tagger:  # CRFsuite's Tagger interface: labels() and marginal(tag, i)
        def __init__(self, marginals):
            self.m = marginals

        def labels(self):
            return ["O", "I-FIRSTNAME", "I-PASSWORD"]

        def marginal(self, tag, i):
            return self.m[i].get(tag, 0.0)

    t = Tagger([{"O": 0.97, "I-FIRSTNAME": 0.03}, {"O": 0.95, "I-PASSWORD": 0.05}, {"O": 0.85, "I-PASSWORD": 0.15}, {"O": 1.0}])
    names, other = frozenset({"FIRSTNAME"}), frozenset({"PASSWORD"})

    def boost(tags, thresholds):
        return _boost(t, tags, boost_groups(t.labels(), thresholds))

    assert boost(["O"] * 4, [(names, 0.02), (other, 0.1)]) == ["I-FIRSTNAME", "O", "I-PASSWORD", "O"]
    assert boost(["O"] * 4, [(None, 0.04)]) == ["O", "I-PASSWORD", "I-PASSWORD", "O"]
    assert boost(["I-PASSWORD", "O", "O", "O"], [(names, 1.0), (other, 1.0)]) == ["I-PASSWORD", "O", "O", "O"]


def test_a_masked_value_is_masked_wherever_it_recurs_in_the_text():
    from piikit.tuners.crf.tuner import propagate

    text = "Ana Ruiz came. Later Ana Ruiz left; Ana Ruizz stayed. de Ana Ruiz, 12345 and 12345."
    spans = [Span(0, 8, "FIRSTNAME", "Ana Ruiz"), Span(54, 56, "LASTNAME", "de"), Span(67, 72, "ACCOUNTNUMBER", "12345")]
    got = propagate(text, spans)
    assert [(s.start, s.value, s.label) for s in got] == [
        (0, "Ana Ruiz", "FIRSTNAME"), (21, "Ana Ruiz", "FIRSTNAME"), (54, "de", "LASTNAME"),
        (57, "Ana Ruiz", "FIRSTNAME"), (67, "12345", "ACCOUNTNUMBER"), (77, "12345", "ACCOUNTNUMBER")]
    assert all(text[s.start : s.end] == s.value for s in got)
    assert propagate(text, []) == []


def test_trim_knows_function_words_of_every_generator_language_but_not_particles_or_short_surnames():
    from piikit.tuners.crf.tuner import trim_spans

    text = "Ante la duda, Durante Ana de la Fuente. Und mit Ma Yun"
    spans = [Span(0, 4, "FIRSTNAME", "Ante"), Span(14, 38, "FIRSTNAME", "Durante Ana de la Fuente"),
             Span(40, 47, "LASTNAME", "Und mit"), Span(48, 54, "FIRSTNAME", "Ma Yun")]
    assert [s.value for s in trim_spans(text, spans)] == ["Ana de la Fuente", "Ma Yun"]


def test_a_boost_label_the_model_does_not_know_is_reported(trained, caplog):
    tuner, _ = trained
    t = CRFTuner(replace(FAST, boost_labels=["FIRSTNAME", "FIRSTNAM"]))
    t._model, t.featurizer = tuner._model, tuner.featurizer
    with caplog.at_level("WARNING", logger="piikit"):
        t.tag_spans("Hello Anna, write to anna@example.org")
    assert "the model has no label FIRSTNAM" in caplog.text


def test_trains_and_tags_without_scikit_learn_or_scipy():
    """python-crfsuite is the whole dependency: training and tagging work with sklearn and scipy unimportable."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "for m in ('sklearn', 'sklearn_crfsuite', 'scipy'): sys.modules[m] = None  # import fails\n"
        "from piikit.synth.generator import generate\n"
        "from piikit.tuners.crf.tuner import CRFConfig, CRFTuner\n"
        "rows = generate(80, 3, ['en'])\n"
        "t = CRFTuner(CRFConfig(max_iterations=5))\n"
        "print(len(t.fit(rows[:60])), sum(len(p.spans) for p in t.predict(rows[60:])))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**__import__("os").environ, "PIIKIT_PROGRESS": "0"})
    assert out.returncode == 0, out.stderr[-2000:]
    iterations, spans = map(int, out.stdout.split())
    assert iterations == 5 and spans > 0
