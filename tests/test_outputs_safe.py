"""Safe by default: a default run prints and writes none of the test split's PII values.

Searched: everything the run prints (stdout and stderr) and every file it writes — reports,
logs, metrics, manifests, configs, predictions, every field of them — except the prepared
dataset itself (``prepare/train.jsonl``, ``prepare/test.jsonl``) and the trained model
(``tune/model/``, which is made of the training text). Prediction files hold the model's text as
pieces of the source (:mod:`piikit.data.stored`), so even a value the model failed to mask is
not written out; the test checks that such rows are there and counted as leaking.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from run_dirs import only_run_dir, without_clock

from piikit.data.stored import read_restored

EXCLUDED = ("prepare/train.jsonl", "prepare/test.jsonl", "tune/model/")
PREDICTION_FILES = ("tune/predictions.jsonl", "evaluate/scored_predictions.jsonl")


def occurs(value: str, text: str) -> bool:
    """``value`` in ``text``, not glued to a letter or digit (``Ann`` is not in ``Annual``)."""
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text) is not None


def pii_values(run_dir: Path) -> tuple[dict[str, set[str]], set[str]]:
    """(test row id → its PII values, every value worth searching for). Values that also occur
    as ordinary (non-PII) text of any prepared row, or are shorter than 4 characters, are left
    out: finding them would prove nothing."""
    rows = [json.loads(x) for f in ("test", "train") for x in (run_dir / "prepare" / f"{f}.jsonl").read_text(encoding="utf-8").splitlines()]
    masked_texts = "\n".join(r["target_text"] for r in rows)
    test_ids = {json.loads(x)["id"] for x in (run_dir / "prepare" / "test.jsonl").read_text(encoding="utf-8").splitlines()}
    by_row: dict[str, set[str]] = {}
    for r in rows:
        if r["id"] in test_ids:
            by_row[r["id"]] = {s["value"] for s in r["privacy_mask"] if len(s["value"].strip()) >= 4 and not occurs(s["value"], masked_texts)}
    return by_row, set().union(*by_row.values())


def test_a_default_run_prints_and_writes_no_test_pii(cli, tmp_path):
    p = cli("experiment=quick")  # the default pipeline (prepare → tune crf → evaluate), 120 rows
    assert p.returncode == 0, p.stderr
    run_dir = only_run_dir(tmp_path)
    by_row, values = pii_values(run_dir)
    assert len(values) > 50  # enough to mean something

    searched: dict[str, str] = {"stdout": without_clock(p.stdout), "stderr": without_clock(p.stderr)}
    for f in sorted(run_dir.rglob("*")):
        rel = f.relative_to(run_dir).as_posix()
        if f.is_file() and not rel.startswith(EXCLUDED) and f.suffix != ".png":
            searched[rel] = without_clock(f.read_text(encoding="utf-8"))  # every field, the model's text included
    assert {"report.html", "piikit.log", "evaluate/metrics.json", "tune/predictions.jsonl", "evaluate/scored_predictions.jsonl", "prepare/manifest.json"} <= set(searched)
    found = {where: sorted(v for v in values if occurs(v, text)) for where, text in searched.items()}
    assert {k: v for k, v in found.items() if v} == {}
    # the quick CRF does leak (so the files above had values to hide), and every leak is counted
    sources = {json.loads(x)["id"]: json.loads(x)["source_text"] for x in (run_dir / "prepare" / "test.jsonl").read_text().splitlines()}
    for rel in PREDICTION_FILES:
        leaking = [r for r in read_restored(run_dir / rel, sources) if any(occurs(v, r["prediction"] or "") for v in by_row[r["id"]])]
        assert len(leaking) >= 3, rel
        assert all(r["leaked"] > 0 for r in leaking if "leaked" in r), "a value in the prediction must be counted as a leak"
    metrics = json.loads((run_dir / "evaluate" / "metrics.json").read_text())
    assert metrics["leak_rate"] > 0
    assert "[LEAKED:" in p.stdout and "[LEAKED:" in (run_dir / "report.html").read_text()


def test_raw_examples_and_span_values_are_opt_in(cli, tmp_path):
    p = cli("experiment=quick", "report.redact_examples=false", "span_values=true", "evaluate.worst_examples=2")
    assert p.returncode == 0, p.stderr
    run_dir = only_run_dir(tmp_path)
    by_row, values = pii_values(run_dir)
    assert "report.redact_examples=false" in p.stdout + p.stderr  # the warning
    assert "source" in p.stdout and any(occurs(v, p.stdout) for v in values)
    preds = [json.loads(x) for x in (run_dir / "tune" / "predictions.jsonl").read_text().splitlines()]
    assert any("value" in s for r in preds for s in r.get("spans") or [])
    assert all("prediction" in r for r in preds) and any(occurs(v, r["prediction"]) for r in preds for v in by_row[r["id"]])
    assert any(occurs(v, (run_dir / "report.html").read_text()) for v in values)


def test_prediction_files_hold_no_source_text_and_read_back_the_same(tmp_path):
    """A tagger that missed a name, and a generative model that rewrote, reordered, added
    characters and leaked: their files hold neither value, and read back to the same predictions
    (so every metric is the same) as the raw files of ``span_values=true`` and of older runs."""
    from piikit.data.schema import Prediction, Row, Span
    from piikit.io import write_jsonl
    from piikit.stages.evaluate import load_predictions
    from piikit.stages.tune import _safe

    text = "Mail Ada Lovelace at ada@example.org, Ada"
    gold = [Span(5, 8, "FIRSTNAME", "Ada"), Span(9, 17, "LASTNAME", "Lovelace"), Span(21, 36, "EMAIL", "ada@example.org"), Span(38, 41, "FIRSTNAME", "Ada")]
    rows = [Row(id="1", source_text=text, privacy_mask=gold), Row(id="2", source_text=text, privacy_mask=gold), Row(id="3", source_text=text)]
    preds = [
        Prediction(id="1", prediction="Mail [FIRSTNAME] Lovelace at [EMAIL], [FIRSTNAME]", spans=[gold[0], gold[2], gold[3]]),  # a tagger
        Prediction(id="2", prediction="Please mail Lovelace ([FIRSTNAME]) at ada@example.org — Ada ☎"),  # a generative model
        Prediction(id="3", prediction=None, error="blocked"),
    ]
    write_jsonl(tmp_path / "raw.jsonl", _safe([p.to_dict() for p in preds], rows, True))  # span_values=true
    write_jsonl(tmp_path / "old.jsonl", [p.to_dict() for p in preds])  # a run made before this format
    write_jsonl(tmp_path / "default.jsonl", _safe([p.to_dict() for p in preds], rows, False))
    assert all(v in (tmp_path / "raw.jsonl").read_text() for v in ("Lovelace", "ada@example.org", '"Ada"'))
    default = (tmp_path / "default.jsonl").read_text()
    assert [w for w in ("Lovelace", "ada@", "Ada", "Mail") if w in default] == []
    assert "[FIRSTNAME]" in default and "☎" in default  # placeholders and what the model added are kept
    assert load_predictions(tmp_path / "default.jsonl", rows) == load_predictions(tmp_path / "raw.jsonl", rows) == load_predictions(tmp_path / "old.jsonl", rows) == preds


def test_prediction_pieces_that_do_not_fit_the_test_row_are_a_one_line_error(tmp_path):
    from piikit.data.schema import Row
    from piikit.errors import PiikitError
    from piikit.io import write_jsonl
    from piikit.stages.evaluate import load_predictions

    write_jsonl(tmp_path / "p.jsonl", [{"id": "1", "pieces": [[0, 4], "[NAME]", [5, 99]]}])
    with pytest.raises(PiikitError, match="prediction for id '1' does not fit its test row") as e:
        load_predictions(tmp_path / "p.jsonl", [Row(id="1", source_text="Hi, Ada")])
    assert "from_run" in e.value.one_line()


def test_mask_stage_writes_and_prints_no_input_text_by_default(cli, tmp_path):
    from mask_support import FIRST, LAST, corpus, plugin_env, train_model, write_input

    model_run = train_model(tmp_path / "model_run")
    texts = corpus(40, seed=11) + ["line with a bad row next"]
    src = write_input(tmp_path / "in" / "tickets.jsonl", texts)
    with src.open("a") as fh:
        fh.write('{"id": "bad", "text": 42}\n')
    p = cli("stages=[mask]", f"mask.input={src}", f"mask.model={model_run}", "mask.workers=1", env=plugin_env(tmp_path))
    assert p.returncode == 0, p.stderr
    run_dir = only_run_dir(tmp_path)
    rows = [json.loads(x) for x in (run_dir / "mask" / "tickets.jsonl").read_text().splitlines()]
    assert len(rows) == 41 and all("text" not in r for r in rows)
    values = {w.strip(",.:") for t in texts for w in t.split() if "@" in w or w.strip(",.:") in FIRST + LAST}
    assert len(values) > 20
    for f in [*run_dir.rglob("*"), "stdout", "stderr"]:
        text = p.stdout if f == "stdout" else p.stderr if f == "stderr" else f.read_text() if f.is_file() else ""
        assert [v for v in values if v in text] == [], f
    manifest = json.loads((run_dir / "mask" / "manifest.json").read_text())
    assert manifest["rows_out"] == 41 and manifest["rows_skipped"] == 1
