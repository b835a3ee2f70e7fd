"""The mask stage in-process: strategies, the per-batch masker, formats, bad rows, manifest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mask_support import FIRST, LAST, corpus, make_run_mask, mask_plugin, model_run, read_output, train_model, write_input  # noqa: F401 (fixtures)
from piikit.data.schema import Row, Span
from piikit.errors import PiikitError
from piikit.mask.masker import mask_batch, normalize_spans
from piikit.model import load_model, resolve_model
from piikit.mask.strategies import Replacer, Strategy, apply_spans
from piikit.pipeline import make_context

FORMATS = ["jsonl", "csv", "parquet", "txt"]


@pytest.fixture
def run_mask(compose, tmp_path):
    return make_run_mask(compose, tmp_path)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


# --------------------------------------------------------------------------- strategies
def test_placeholder_and_redact():
    text = "Mail ada@x.org now"
    spans = [Span(5, 14, "EMAIL", "ada@x.org")]
    assert apply_spans(text, spans, Replacer(Strategy("placeholder"))) == "Mail [EMAIL] now"
    redacted = apply_spans(text, spans, Replacer(Strategy("redact", redact_char="#")))
    assert redacted == "Mail ######### now" and len(redacted) == len(text)


def test_hash_is_salted_stable_and_label_prefixed():
    a = Replacer(Strategy("hash", salt=b"s1", hash_length=10))
    b = Replacer(Strategy("hash", salt=b"s1", hash_length=10))  # another worker
    other_salt = Replacer(Strategy("hash", salt=b"s2", hash_length=10))
    value = a("EMAIL", "ada@x.org")
    assert re.fullmatch(r"\[EMAIL_[0-9a-f]{10}\]", value)
    assert value == b("EMAIL", "ada@x.org")
    assert value != a("EMAIL", "bob@x.org")
    assert value != other_salt("EMAIL", "ada@x.org")
    assert "ada" not in value


def test_pseudonymize_is_consistent_without_shared_state():
    strategy = Strategy("pseudonymize", salt=b"k")
    one, two = Replacer(strategy), Replacer(strategy)  # as in two worker processes
    for label, value in [("FIRSTNAME", "Arvid"), ("EMAIL", "arvid@example.org"), ("PHONENUMBER", "+44 20 1234 5678"), ("WEIRDCODE", "AB-12x")]:
        fake = one(label, value)
        assert fake == two(label, value) == one(label, value)
        assert fake != value and fake
    assert "@" in one("EMAIL", "arvid@example.org")
    assert re.fullmatch(r"[A-Z]{2}-\d\d[a-z]", one("WEIRDCODE", "AB-12x"))  # unknown label: same shape
    other = Replacer(Strategy("pseudonymize", salt=b"other"))
    names = ["Arvid", "Dagny", "Cosmo", "Fintan"]
    assert [one("FIRSTNAME", n) for n in names] != [other("FIRSTNAME", n) for n in names]


def test_strategy_repr_hides_the_salt():
    assert "secret" not in repr(Strategy("hash", salt=b"secret"))


# --------------------------------------------------------------------------- masker
def test_normalize_spans_sorts_clips_and_merges():
    text = "0123456789"
    spans = [Span(6, 20, "B", ""), Span(0, 3, "A", ""), Span(2, 5, "LONGER", ""), Span(4, 4, "EMPTY", "")]
    got = normalize_spans(text, spans)
    assert [(s.start, s.end, s.label, s.value) for s in got] == [(0, 5, "A", "01234"), (6, 10, "B", "6789")]


def test_mask_batch_with_a_trained_model(model_run, compose):
    cfg = compose()
    spec = resolve_model(str(model_run), cfg.tuner, make_context(cfg, model_run))
    model = load_model(spec)
    texts = ["Hello Dagny, mail dagny@example.org", "nothing here", ""]
    out = mask_batch(texts, model, Strategy("placeholder"))
    assert out.masked == ["Hello [FIRSTNAME], mail [EMAIL]", "nothing here", ""]
    assert [[(s.label, s.value) for s in found] for found in out.spans] == [[("FIRSTNAME", "Dagny"), ("EMAIL", "dagny@example.org")], [], []]
    assert out.errors == [None, None, None]


def test_mask_batch_aligns_models_that_return_no_spans(tmp_path, compose):
    """A generative-style model (masked text only): spans are recovered by alignment."""
    cfg = compose()
    gen = train_model(tmp_path / "gen", no_spans=True, rewrite="Totally [EMAIL] different words here")
    tagger = train_model(tmp_path / "tag")
    texts = ["Hello Dagny, mail dagny@example.org", "Mr Osgood called +44 20 1234 5678 twice", "REWRITE mail x@example.org"]
    strategy = Strategy("hash", salt=b"s")
    got = mask_batch(texts, load_model(resolve_model(str(gen), cfg.tuner, make_context(cfg, gen))), strategy)
    want = mask_batch(texts, load_model(resolve_model(str(tagger), cfg.tuner, make_context(cfg, tagger))), strategy)
    assert got.masked[:2] == want.masked[:2] and got.spans[:2] == want.spans[:2]
    assert got.masked[2] is None and got.spans[2] is None  # unalignable: skipped, never leaked
    assert "could not be aligned" in got.errors[2]


def test_model_from_model_dir_and_from_run(model_run, compose, tmp_path):
    cfg = compose(["tuner=identity"])
    ctx = make_context(cfg, tmp_path / "r")
    by_dir = resolve_model(str(model_run / "tune" / "model"), cfg.tuner, ctx)
    assert by_dir.tuner_config.name == "regex_test"  # from the tune manifest beside the model
    cfg2 = compose([f"from_run={model_run}"])
    by_from_run = resolve_model(None, cfg2.tuner, make_context(cfg2, tmp_path / "r2"))
    assert by_from_run.model_dir == (model_run / "tune" / "model").resolve()
    identity = resolve_model(None, cfg.tuner, ctx)  # needs no training: no model dir
    assert identity.model_dir is None and identity.tuner_config.name == "identity"
    with pytest.raises(PiikitError, match="does not exist"):
        resolve_model(str(tmp_path / "nope"), cfg.tuner, ctx)
    cfg3 = compose(["tuner=regex_test"])
    with pytest.raises(PiikitError, match="no tune output"):
        resolve_model(None, cfg3.tuner, make_context(cfg3, tmp_path / "r3"))


# --------------------------------------------------------------------------- the stage
@pytest.mark.parametrize("fmt", FORMATS)
def test_stage_masks_every_format(fmt, tmp_path, model_run, run_mask):
    texts = corpus(60)
    src = write_input(tmp_path / "in" / f"tickets.{fmt}", texts)
    out_dir = tmp_path / "out"
    summary, run_dir = run_mask(f"mask.input={src}", f"mask.model={model_run}", f"mask.output={out_dir}", "mask.batch_size=7", "mask.workers=1", "mask.checkpoint_seconds=0")
    rows = read_output(out_dir / f"tickets.{fmt}")
    assert len(rows) == 60 and summary["rows out"] == 60
    for text, row in zip(texts, rows):
        if fmt != "txt":
            # input columns kept, except the original text (mask.keep_text=false by default)
            assert "text" not in row and str(row["n"]) == str(rows.index(row))
        spans = row["spans"] if not isinstance(row["spans"], str) else json.loads(row["spans"])
        assert row["masked_text"] == apply_spans(text, [Span(s["start"], s["end"], s["label"], "") for s in spans], Replacer(Strategy()))
        assert "@example.org" not in row["masked_text"]
    manifest = json.loads((run_dir / "mask" / "manifest.json").read_text())
    assert manifest["rows_in"] == manifest["rows_out"] == 60 and manifest["rows_skipped"] == 0
    expected_emails = sum(t.count("@example.org") for t in texts)
    assert manifest["spans_per_label"]["EMAIL"] == expected_emails
    assert manifest["rows_per_s"] > 0 and manifest["seconds"] > 0
    assert leftovers(out_dir) == []  # no partials, no checkpoint


def test_default_output_is_the_run_dir_and_glob_reads_several_files(tmp_path, model_run, run_mask):
    write_input(tmp_path / "in" / "a.jsonl", corpus(5, seed=1))
    write_input(tmp_path / "in" / "b.csv", corpus(4, seed=2))
    summary, run_dir = run_mask(f"mask.input={tmp_path}/in/*", f"mask.model={model_run}", "mask.workers=1")
    assert sorted(p.name for p in (run_dir / "mask").iterdir()) == ["a.jsonl", "b.csv", "manifest.json"]
    assert summary["rows out"] == 9


def test_workers_give_the_same_bytes_and_consistent_pseudonyms(tmp_path, model_run, run_mask):
    texts = corpus(80)
    src = write_input(tmp_path / "in.jsonl", texts)
    common = [f"mask.input={src}", f"mask.model={model_run}", "mask.strategy=pseudonymize", "mask.salt=pepper", "mask.batch_size=6", "mask.keep_text=true"]
    run_mask(*common, "mask.workers=1", f"mask.output={tmp_path}/one")
    run_mask(*common, "mask.workers=2", f"mask.output={tmp_path}/two")
    one = (tmp_path / "one" / "in.jsonl").read_bytes()
    assert one == (tmp_path / "two" / "in.jsonl").read_bytes()
    fakes: dict[tuple[str, str], set[str]] = {}
    for row in read_output(tmp_path / "two" / "in.jsonl"):
        text, spans = row["text"], row["spans"]
        # the text between spans is kept, so a regex of it finds each replacement
        cuts = [0] + [x for s in spans for x in (s["start"], s["end"])] + [len(text)]
        pattern = "(.+?)".join(re.escape(text[cuts[i] : cuts[i + 1]]) for i in range(0, len(cuts), 2))
        match = re.fullmatch(pattern, row["masked_text"])
        assert match, row
        for s, fake in zip(spans, match.groups()):
            fakes.setdefault((s["label"], text[s["start"] : s["end"]]), set()).add(fake)
    assert len(fakes) > 10
    assert all(len(v) == 1 for v in fakes.values()), {k: v for k, v in fakes.items() if len(v) > 1}
    assert all(k[1] not in v for k, v in fakes.items())


def test_hash_output_is_stable_across_runs_with_a_salt(tmp_path, model_run, run_mask):
    src = write_input(tmp_path / "in.txt", corpus(20))
    for name in ("a", "b"):
        run_mask(f"mask.input={src}", f"mask.model={model_run}", "mask.strategy=hash", "mask.salt=s3cret", f"mask.output={tmp_path}/{name}", "mask.workers=1")
    a = (tmp_path / "a" / "in.txt").read_text()
    assert a == (tmp_path / "b" / "in.txt").read_text()
    assert re.search(r"\[EMAIL_[0-9a-f]{12}\]", a)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_original_text_is_left_out_unless_keep_text(fmt, tmp_path, model_run, run_mask):
    texts = corpus(10)
    src = write_input(tmp_path / f"in.{fmt}", texts)
    run_mask(f"mask.input={src}", f"mask.model={model_run}", f"mask.output={tmp_path}/o", "mask.workers=1")
    rows = read_output(tmp_path / "o" / f"in.{fmt}")
    assert set(rows[0]) == {"id", "n", "masked_text", "spans"}
    written = (tmp_path / "o" / f"in.{fmt}").read_bytes()
    for value in ("@example.org", *{w for t in texts for w in t.split() if w[:1].isupper() and len(w) > 4 and w.rstrip(",.:") in FIRST + LAST}):
        assert value.encode() not in written, value
    run_mask(f"mask.input={src}", f"mask.model={model_run}", f"mask.output={tmp_path}/k", "mask.workers=1", "mask.keep_text=true")
    rows = read_output(tmp_path / "k" / f"in.{fmt}")
    assert set(rows[0]) == {"id", "n", "text", "masked_text", "spans"} and [r["text"] for r in rows] == texts


# --------------------------------------------------------------------------- bad input
def _bad_jsonl(path: Path) -> Path:
    good = corpus(3)
    lines = [
        json.dumps({"id": 1, "text": good[0]}),
        json.dumps({"id": 2}),  # missing
        json.dumps({"id": 3, "text": None}),  # null
        json.dumps({"id": 4, "text": 42}),  # not a string
        '{"id": 5, "text": "broken',  # malformed
        "[1, 2]",  # not an object
        "",  # blank: ignored
        json.dumps({"id": 8, "text": good[1]}),
        json.dumps({"id": 9, "text": "refuse me please"}),  # the model answers with an error
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_bad_rows_are_skipped_counted_and_reported(tmp_path, run_mask):
    run = train_model(tmp_path / "m", refuse="refuse me")
    src = _bad_jsonl(tmp_path / "bad.jsonl")
    summary, run_dir = run_mask(f"mask.input={src}", f"mask.model={run}", f"mask.output={tmp_path}/o", "mask.workers=1", "mask.batch_size=2")
    out = read_output(tmp_path / "o" / "bad.jsonl")
    assert [r["id"] for r in out] == [1, 8]
    manifest = json.loads((run_dir / "mask" / "manifest.json").read_text())
    assert manifest["rows_in"] == 8 and manifest["rows_out"] == 2 and manifest["rows_skipped"] == 6
    assert manifest["skipped_by_reason"] == {"malformed JSON": 1, "missing": 1, "model error": 1, "not a JSON object": 1, "not a string": 1, "null": 1}
    assert [(r["row"], r["reason"]) for r in manifest["skipped_rows"]] == [
        (2, "missing"), (3, "null"), (4, "not a string"), (5, "malformed JSON"), (6, "not a JSON object"), (9, "model error")
    ]
    assert "refuse me please" not in json.dumps(manifest["skipped_rows"])  # reasons, never the text


def test_on_error_fail_stops_with_the_row_and_leaves_nothing(tmp_path, model_run, run_mask):
    src = _bad_jsonl(tmp_path / "bad.jsonl")
    out = tmp_path / "o"
    with pytest.raises(PiikitError, match=r"bad.jsonl: row 2: has no 'text' field"):
        run_mask(f"mask.input={src}", f"mask.model={model_run}", f"mask.output={out}", "mask.on_error=fail", "mask.workers=1", "mask.checkpoint_seconds=0", "mask.batch_size=1")
    assert list(out.iterdir()) == []


def test_bad_rows_in_csv_and_parquet(tmp_path, model_run, run_mask):
    csv_path = tmp_path / "in.csv"
    csv_path.write_text('id,text\n1,Hello Dagny\n2,too,many,fields\n3,"quoted, fine"\n')
    summary, run_dir = run_mask(f"mask.input={csv_path}", f"mask.model={model_run}", f"mask.output={tmp_path}/c", "mask.workers=1", "mask.keep_text=true")
    assert [r["text"] for r in read_output(tmp_path / "c" / "in.csv")] == ["Hello Dagny", "quoted, fine"]
    manifest = json.loads((run_dir / "mask" / "manifest.json").read_text())
    assert manifest["skipped_rows"][0]["row"] == 3 and manifest["skipped_rows"][0]["reason"] == "wrong number of fields"

    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": ["Hello Dagny", None, "ok"]}), tmp_path / "n.parquet")
    pq.write_table(pa.table({"text": [1, 2]}), tmp_path / "i.parquet")
    summary, run_dir = run_mask(f"mask.input={tmp_path}/*.parquet", f"mask.model={model_run}", f"mask.output={tmp_path}/p", "mask.workers=1", "mask.keep_text=true")
    manifest = json.loads((run_dir / "mask" / "manifest.json").read_text())
    assert manifest["skipped_by_reason"] == {"not a string": 2, "null": 1}
    assert [r["text"] for r in read_output(tmp_path / "p" / "n.parquet")] == ["Hello Dagny", "ok"]
    assert read_output(tmp_path / "p" / "i.parquet") == []


@pytest.mark.parametrize(
    "setup, overrides, message",
    [
        (None, [], "mask.input is required"),
        ("in.jsonl", ["mask.input={tmp}/nothing*.jsonl"], "matches no files"),
        ("in.csv", ["mask.text_column=body"], "has no column 'body' (columns: id, text, n)"),
        ("in.json", [], "cannot tell the format"),
        ("in.jsonl", ["mask.output={tmp}"], "would overwrite the input"),
    ],
)
def test_setup_mistakes_are_piikit_errors(setup, overrides, message, tmp_path, model_run, run_mask):
    args = [f"mask.model={model_run}"]
    if setup:
        write_input(tmp_path / setup, corpus(2), fmt="jsonl" if setup.endswith(".json") else None)
        args.append(f"mask.input={tmp_path / setup}")
    args += [o.format(tmp=tmp_path) for o in overrides]
    with pytest.raises(PiikitError) as e:
        run_mask(*args)
    assert message in e.value.one_line()


@pytest.mark.parametrize(
    "override, message",
    [
        ("mask.strategy=scramble", "use one of: placeholder, redact, hash, pseudonymize"),
        ("mask.on_error=ignore", "use one of: skip, fail"),
        ("mask.redact_char=ab", "exactly one character"),
        ("mask.workers=0", "at least 1"),
        ("mask.format=xml", "use one of: jsonl, csv, parquet, txt"),
    ],
)
def test_config_validation(override, message, compose):
    with pytest.raises(PiikitError) as e:
        compose(["stages=[mask]", override])
    assert message in e.value.one_line()


# --------------------------------------------------------------------------- writers resume
@pytest.mark.parametrize("fmt", FORMATS)
def test_writer_resume_cuts_back_to_the_checkpoint(fmt, tmp_path, compose):
    """Rows written after the last sync (a crash before the checkpoint) are cut away on resume."""
    from piikit.mask import formats

    cfg = compose(["stages=[mask]"]).mask
    src = write_input(tmp_path / f"in.{fmt}", corpus(30))
    batches = list(formats.read_batches(src, fmt, "text", 8))
    strategy = Replacer(Strategy())

    def write(writer, batch):
        spans = [[Span(0, 2, "X", t[:2])] if len(t) > 2 else [] for t in batch.texts]
        masked = [apply_spans(t, s, strategy) for t, s in zip(batch.texts, spans)]
        writer.write(batch, list(range(len(batch.texts))), masked, spans)

    out = tmp_path / "out"
    out.mkdir()
    w = formats.open_writer(fmt, src, out, None, cfg)
    write(w, batches[0])
    state = w.sync()
    write(w, batches[1])  # written but never checkpointed
    w.close()
    w = formats.open_writer(fmt, src, out, state, cfg)
    for b in formats.read_batches(src, fmt, "text", 8, skip=batches[0].end):
        write(w, b)
    w.finish()
    resumed = read_output(out / f"in.{fmt}")

    ref = tmp_path / "ref"
    ref.mkdir()
    w = formats.open_writer(fmt, src, ref, None, cfg)
    for b in batches:
        write(w, b)
    w.finish()
    assert resumed == read_output(ref / f"in.{fmt}") and len(resumed) == 30
    assert (out / f"in.{fmt}").read_bytes() == (ref / f"in.{fmt}").read_bytes() or fmt == "parquet"


def test_tune_then_mask_in_one_run_uses_the_fresh_model(tmp_path, compose):
    """stages=[tune, mask] with mask.model unset: the model tuned in this very run masks."""
    from piikit import pipeline
    from piikit.io import write_jsonl

    run_dir = tmp_path / "run"
    train = [Row(id=str(i), source_text=f"Hello {n}", privacy_mask=[Span(6, 6 + len(n), "FIRSTNAME", n)]) for i, n in enumerate(["Zebedee", "Ottoline"])]
    write_jsonl(run_dir / "prepare" / "train.jsonl", [r.to_dict() for r in train])
    write_jsonl(run_dir / "prepare" / "test.jsonl", [r.to_dict() for r in train])
    src = write_input(tmp_path / "in.jsonl", ["Zebedee met Ottoline and Arvid", "mail zeb@example.org"])
    cfg = compose(["stages=[tune,mask]", "tuner=regex_test", f"mask.input={src}", "mask.workers=1"])
    pipeline.run(cfg, make_context(cfg, run_dir))
    rows = read_output(run_dir / "mask" / "in.jsonl")
    assert [r["masked_text"] for r in rows] == ["[FIRSTNAME] met [FIRSTNAME] and Arvid", "mail [EMAIL]"]
    manifest = json.loads((run_dir / "mask" / "manifest.json").read_text())
    assert manifest["model"]["model_dir"] == str((run_dir / "tune" / "model").resolve())


def test_csv_with_a_byte_order_mark(tmp_path, model_run, run_mask):
    src = tmp_path / "bom.csv"
    src.write_bytes("text,id\nHello Dagny,1\n".encode("utf-8-sig"))
    run_mask(f"mask.input={src}", f"mask.model={model_run}", f"mask.output={tmp_path}/o", "mask.workers=1", "mask.keep_text=true")
    assert read_output(tmp_path / "o" / "bom.csv") == [{"text": "Hello Dagny", "id": "1", "masked_text": "Hello [FIRSTNAME]", "spans": '[{"start": 6, "end": 11, "label": "FIRSTNAME"}]'}]


def test_one_run_per_output_dir(tmp_path, model_run, run_mask):
    import fcntl
    import os

    src = write_input(tmp_path / "in.jsonl", corpus(3))
    out = tmp_path / "o"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)  # another run holds the output dir
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(PiikitError, match="another piikit mask run is writing to"):
            run_mask(f"mask.input={src}", f"mask.model={model_run}", f"mask.output={out}", "mask.workers=1")
    finally:
        os.close(fd)
    run_mask(f"mask.input={src}", f"mask.model={model_run}", f"mask.output={out}", "mask.workers=1")
    assert len(read_output(out / "in.jsonl")) == 3


def test_builtin_rules_tuner_needs_no_model(tmp_path, run_mask):
    src = write_input(tmp_path / "in.jsonl", ["write to ada.lovelace@example.org today", "nothing"])
    summary, run_dir = run_mask(f"mask.input={src}", "tuner=rules", "mask.strategy=redact", "mask.workers=1")
    rows = read_output(run_dir / "mask" / "in.jsonl")
    assert rows[0]["masked_text"] == "write to " + "*" * len("ada.lovelace@example.org") + " today"
    assert rows[1]["masked_text"] == "nothing"
