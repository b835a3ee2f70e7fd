"""Safe by default: a default run prints and writes none of the test split's PII values.

Searched: everything the run prints (stdout and stderr) and every file it writes — reports,
logs, metrics, manifests, configs, predictions — except the prepared dataset itself
(``prepare/train.jsonl``, ``prepare/test.jsonl``) and the trained model (``tune/model/``, which
is made of the training text). The one place a value may appear is the model's own masked text
(``prediction`` in ``tune/predictions.jsonl`` and ``evaluate/scored_predictions.jsonl``) where
the model failed to mask it — there it is the leak the metrics count, and the test checks that
each such row is counted as leaking.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from run_dirs import only_run_dir

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

    searched: dict[str, str] = {"stdout": p.stdout, "stderr": p.stderr}
    leaked_predictions: dict[str, list[str]] = {}
    for f in sorted(run_dir.rglob("*")):
        rel = f.relative_to(run_dir).as_posix()
        if not f.is_file() or rel.startswith(EXCLUDED) or f.suffix == ".png":
            continue
        text = f.read_text(encoding="utf-8")
        if rel in PREDICTION_FILES:  # search everything but the model's masked text, checked below
            records = [json.loads(x) for x in text.splitlines()]
            for rec in records:
                prediction = rec.pop("prediction") or ""
                found = [v for v in by_row[str(rec["id"])] if occurs(v, prediction)]
                if found:
                    leaked_predictions.setdefault(rel, []).append(str(rec["id"]))
                    if rel.startswith("evaluate/"):
                        assert rec["leaked"] > 0, (rec["id"], "a value in the prediction must be counted as a leak")
            text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
        searched[rel] = text
    assert {"report.html", "piikit.log", "evaluate/metrics.json", "tune/predictions.jsonl", "evaluate/scored_predictions.jsonl", "prepare/manifest.json"} <= set(searched)
    found = {where: sorted(v for v in values if occurs(v, text)) for where, text in searched.items()}
    assert {k: v for k, v in found.items() if v} == {}
    # the quick CRF does leak (so the examples above had leaks to hide), and they are counted
    metrics = json.loads((run_dir / "evaluate" / "metrics.json").read_text())
    assert metrics["leak_rate"] > 0 and leaked_predictions["evaluate/scored_predictions.jsonl"]
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
    assert any(occurs(v, (run_dir / "report.html").read_text()) for v in values)


def test_predictions_without_span_values_score_the_same(tmp_path):
    from piikit.data.schema import Prediction, Row, Span
    from piikit.io import write_jsonl
    from piikit.stages.evaluate import load_predictions
    from piikit.stages.tune import _safe

    text = "Mail Ada Lovelace at ada@example.org"
    rows = [Row(id="1", source_text=text, privacy_mask=[Span(5, 8, "FIRSTNAME", "Ada"), Span(21, 36, "EMAIL", "ada@example.org")])]
    pred = Prediction(id="1", prediction="Mail [FIRSTNAME] Lovelace at [EMAIL]", spans=[Span(5, 8, "FIRSTNAME", "Ada"), Span(21, 36, "EMAIL", "ada@example.org")])
    write_jsonl(tmp_path / "with.jsonl", _safe([pred.to_dict()], True))
    write_jsonl(tmp_path / "without.jsonl", _safe([pred.to_dict()], False))
    assert "ada@example.org" in (tmp_path / "with.jsonl").read_text()
    assert '"Ada"' not in (tmp_path / "without.jsonl").read_text() and "ada@" not in (tmp_path / "without.jsonl").read_text()
    assert load_predictions(tmp_path / "without.jsonl", rows) == load_predictions(tmp_path / "with.jsonl", rows) == [pred]


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
