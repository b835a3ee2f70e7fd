"""The Python API: ``from piikit import Masker`` — the mask stage's results, from one object."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from mask_support import corpus, mask_plugin, model_run, read_output, train_model, write_input  # noqa: F401 (fixtures)
from piikit.errors import PiikitError
from piikit.pipeline import make_context


HEAVY = ("torch", "transformers", "pandas", "pyarrow", "numpy", "pycrfsuite", "sklearn_crfsuite", "hydra", "omegaconf",
         "faker", "datasets", "matplotlib", "presidio_analyzer", "spacy", "rich", "yaml", "jinja2", "google.generativeai", "google.genai")


def test_import_piikit_masker_imports_nothing_heavy():
    code = f"import sys, piikit; piikit.Masker; piikit.MaskResult; print(sorted(m for m in sys.modules if m in {HEAVY!r}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_masker_equals_the_mask_stage(tmp_path, model_run, compose):
    from piikit import Masker
    from piikit.stages import mask

    texts = corpus(70, seed=3)
    src = write_input(tmp_path / "in.jsonl", texts)
    for strategy in ("placeholder", "hash", "pseudonymize"):
        cfg = compose(["stages=[mask]", f"mask.input={src}", f"mask.model={model_run}", f"mask.strategy={strategy}", "mask.salt=pepper", "mask.batch_size=9", "mask.workers=2", f"mask.output={tmp_path / strategy}"])
        run_dir = tmp_path / f"run-{strategy}"
        run_dir.mkdir()
        mask.run(cfg, make_context(cfg, run_dir))
        stage_rows = read_output(tmp_path / strategy / "in.jsonl")

        m = Masker.load(model_run, strategy=strategy, salt="pepper")
        api_rows = list(m.mask_many(texts, batch_size=4))
        assert len(api_rows) == len(stage_rows) == 70
        assert [r.text for r in api_rows] == [r["masked_text"] for r in stage_rows]
        assert [[{"start": s.start, "end": s.end, "label": s.label} for s in r.spans] for r in api_rows] == [r["spans"] for r in stage_rows]
        # one text at a time, and the strategy chosen per call, give the same
        plain = Masker.load(model_run)
        assert plain.mask(texts[0], strategy=strategy, salt="pepper").text == stage_rows[0]["masked_text"]
        if strategy != "pseudonymize":
            assert any("[EMAIL" in r["masked_text"] for r in stage_rows)


def test_masker_without_training_and_its_strategies():
    from piikit import Masker

    m = Masker.load(tuner="rules")
    text = "Write to ada.lovelace@example.org or call +44 20 7946 0958."
    r = m.mask(text)
    assert r.ok and r.text == "Write to [EMAIL] or call [PHONENUMBER]."
    assert [(s.start, s.end, s.label, s.value) for s in r.spans] == [(9, 33, "EMAIL", "ada.lovelace@example.org"), (42, 58, "PHONENUMBER", "+44 20 7946 0958")]
    assert m.mask(text, strategy="redact").text == "Write to " + "*" * 24 + " or call " + "*" * 16 + "."
    h1 = m.mask(text, strategy="hash", salt="s1").text
    assert h1 == m.mask(text, strategy="hash", salt="s1").text != m.mask(text, strategy="hash", salt="s2").text
    assert "ada" not in h1 and h1.startswith("Write to [EMAIL_")
    fake = m.mask(text, strategy="pseudonymize", salt="s1").text
    assert "@" in fake and "ada.lovelace" not in fake
    only_email = Masker.load(tuner="rules", labels=["EMAIL"])
    assert only_email.mask(text).text == "Write to [EMAIL] or call +44 20 7946 0958."
    assert "EMAIL" in m.labels


def test_masker_random_salt_is_stable_within_one_masker_only(monkeypatch):
    from piikit import Masker

    monkeypatch.delenv("PIIKIT_MASK_SALT", raising=False)
    a, b = Masker.load(tuner="rules", strategy="hash"), Masker.load(tuner="rules", strategy="hash")
    text = "mail ada@example.org"
    assert a.mask(text).text == a.mask(text).text != b.mask(text).text
    monkeypatch.setenv("PIIKIT_MASK_SALT", "from-env")
    c, d = Masker.load(tuner="rules", strategy="hash"), Masker.load(tuner="rules", strategy="hash")
    assert c.mask(text).text == d.mask(text).text == Masker.load(tuner="rules", strategy="hash", salt="from-env").mask(text).text
    assert "from-env" not in repr(c)


def test_mask_many_streams_lazily(model_run):
    from piikit import Masker

    m = Masker.load(model_run)
    endless = (f"ticket {i}: mail arvid.osgood@example.org" for i in itertools.count())
    first = list(itertools.islice(m.mask_many(endless, batch_size=5), 12))  # never reads it all
    assert [r.text for r in first] == [f"ticket {i}: mail [EMAIL]" for i in range(12)]


def test_one_masker_shared_by_many_threads(model_run):
    from piikit import Masker

    texts = corpus(300, seed=5)
    m = Masker.load(model_run, strategy="pseudonymize", salt="k")
    one_thread = [r.text for r in m.mask_many(texts, batch_size=7)]
    twin = Masker.load(model_run, strategy="pseudonymize", salt="k")  # shares the Faker-holding Replacer
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda it: (m if it[0] % 2 else twin).mask(it[1]).text, enumerate(texts)))
    assert threaded == one_thread
    emails = {w for t in texts for w in t.split() if "@" in w}
    assert any("@" in t for t in one_thread) and not any(e in t for t in one_thread for e in emails)


def test_model_errors_raise_or_come_back_without_the_text(tmp_path):
    from piikit import Masker

    m = Masker.load(train_model(tmp_path / "refusing", refuse="refuse me"))
    with pytest.raises(PiikitError, match="text #1: model error: blocked"):
        list(m.mask_many(["Hello Dagny", "please refuse me, Dagny"]))
    results = list(m.mask_many(["Hello Dagny", "please refuse me, Dagny"], errors="return"))
    assert results[0].text == "Hello [FIRSTNAME]" and results[0].ok
    assert results[1].text is None and results[1].spans is None and not results[1].ok and "blocked" in results[1].error


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda M, d: M.load(), "needs a model or a tuner"),
        (lambda M, d: M.load(d / "nope"), "does not exist"),
        (lambda M, d: M.load(tuner="rulez"), "unknown tuner 'rulez' — did you mean 'rules'"),
        (lambda M, d: M.load(tuner="crf"), "tuner=crf needs a trained model"),
        (lambda M, d: M.load(tuner="rules", strategy="hashh"), "unknown strategy 'hashh'"),
        (lambda M, d: M.load(tuner="rules", salt=""), "the salt is empty"),
        (lambda M, d: M.load(labels=["EMAIL"]), "need tuner=NAME"),
        (lambda M, d: M.load(tuner="rules").mask("x", strategy="nope"), "unknown strategy 'nope'"),
        (lambda M, d: list(M.load(tuner="rules").mask_many(["x"], batch_size=0)), "batch_size=0"),
        (lambda M, d: (d / "bare").mkdir() or M.load(d / "bare"), "no manifest saying which tuner"),
    ],
)
def test_mistakes_are_one_line_errors(call, message, tmp_path):
    from piikit import Masker

    with pytest.raises(PiikitError) as e:
        call(Masker, tmp_path)
    assert message in e.value.one_line()


def test_non_text_is_a_type_error():
    from piikit import Masker

    with pytest.raises(TypeError, match="text #1 is a int"):
        list(Masker.load(tuner="rules").mask_many(["ok", 3]))


def test_model_dir_with_a_tuner(model_run):
    from piikit import Masker

    m = Masker.load(model_run / "tune" / "model", tuner="regex_test")
    assert m.mask("Hello Dagny").text == "Hello [FIRSTNAME]"
    assert json.loads(json.dumps(m.spec.describe()))["model_dir"].endswith("model")
