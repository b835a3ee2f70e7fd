"""Cross-dataset evaluation: eval_dataset=... is masked whole by the run's model and scored
(prepare/eval.jsonl → tune/eval_predictions.jsonl → evaluate/eval/ + eval_* metrics)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from piikit.data.schema import Prediction, Row, Span
from piikit.evaluate import build_context
from piikit.evaluate.metrics import TokenEvaluator

from run_dirs import only_run_dir

FIXTURE = Path(__file__).parent / "fixtures" / "eval_presidio_style.jsonl"
SMALL = ["dataset.size=40", "split.n_train=30", "split.n_test=10", "evaluate.worst_examples=0"]


def _metrics(run: Path, sub: str = "") -> dict:
    return json.loads((run / "evaluate" / sub / "metrics.json").read_text())


def test_reference_tuner_scores_the_eval_dataset_perfectly(cli, tmp_path):
    r = cli(*SMALL, "tuner=reference", "eval_dataset=local", f"eval_dataset.path={FIXTURE}", "label_map=presidio")
    assert r.returncode == 0, r.stderr
    run = only_run_dir(tmp_path)
    assert len((run / "prepare" / "eval.jsonl").read_text().splitlines()) == 5  # every row, no split
    assert len((run / "tune" / "eval_predictions.jsonl").read_text().splitlines()) == 5
    ev = _metrics(run, "eval")
    assert ev["token_f1"] == 1.0 and ev["leak_rate"] == 0.0 and ev["span_f1"] == 1.0
    main = _metrics(run)
    assert main["eval_token_f2"] == 1.0 and main["token_f2"] == 1.0
    manifest = json.loads((run / "prepare" / "manifest.json").read_text())
    assert manifest["eval"]["rows"] == 5 and manifest["eval"]["spans"] == 6


def test_identity_leaks_every_eval_value_and_gates_see_eval_metrics(cli, tmp_path):
    r = cli(*SMALL, "tuner=identity", "eval_dataset=local", f"eval_dataset.path={FIXTURE}", "+evaluate.fail_over.eval_leak_rate=0.5")
    assert r.returncode == 3, r.stderr  # the quality gate on the eval set fails
    assert "eval_leak_rate=1 > 0.5" in r.stderr + r.stdout
    run = only_run_dir(tmp_path)
    assert _metrics(run, "eval")["token_recall"] == 0.0


def test_rules_tuner_on_eval_set_then_reuse_with_from_run(cli, tmp_path):
    first = tmp_path / "a"
    first.mkdir()
    r = cli(*SMALL, "tuner=rules", "eval_dataset=local", f"eval_dataset.path={FIXTURE}", "label_map=presidio", cwd=first)
    assert r.returncode == 0, r.stderr
    run = only_run_dir(first)
    ev = _metrics(run, "eval")
    # the rules find the e-mail, phone, card and date but no names or addresses
    assert 0 < ev["token_recall"] < 1 and ev["token_precision"] == 1.0
    assert ev["per_label"]["EMAIL_ADDRESS"]["span_f1"] == 1.0  # EMAIL → EMAIL_ADDRESS via label_map=presidio
    second = tmp_path / "b"
    second.mkdir()
    r = cli(f"from_run={run}", "stages=[evaluate]", "tuner=rules", "eval_dataset=local", f"eval_dataset.path={FIXTURE}", "label_map=presidio", "evaluate.worst_examples=0", cwd=second)
    assert r.returncode == 0, r.stderr
    assert _metrics(only_run_dir(second), "eval")["token_recall"] == ev["token_recall"]


def test_eval_dataset_missing_from_the_reused_run_is_a_user_error(cli, tmp_path):
    first = tmp_path / "a"
    first.mkdir()
    assert cli(*SMALL, "tuner=identity", cwd=first).returncode == 0
    second = tmp_path / "b"
    second.mkdir()
    r = cli(f"from_run={only_run_dir(first)}", "stages=[evaluate]", "eval_dataset=local", f"eval_dataset.path={FIXTURE}", cwd=second)
    assert r.returncode == 2
    assert "eval.jsonl" in r.stderr and "Traceback" not in r.stderr


def test_eval_dataset_path_is_required(cli):
    r = cli(*SMALL, "tuner=identity", "eval_dataset=local")
    assert r.returncode == 2 and "eval_dataset.path" in r.stderr


def test_compose_eval_dataset_options(compose):
    cfg = compose(["eval_dataset=synthetic", "eval_dataset.languages=[es,it]", "label_map=presidio"])
    assert cfg.eval_dataset.name == "synthetic" and cfg.eval_dataset.languages == ["es", "it"]
    assert cfg.evaluate.eval_label_map["FIRSTNAME"] == "PERSON" and cfg.evaluate.label_map == {}
    assert compose([]).eval_dataset.name == "none"


# ------------------------------------------------------------------ token metric, by hand
def test_token_metric_is_type_agnostic_and_counts_whitespace_tokens_overlapping_spans():
    text = "Dr. Ann Lee lives at 4 Elm St,\nOslo now."
    # gold (Presidio-style): one PERSON "Ann Lee", one STREET_ADDRESS "4 Elm St,\nOslo"
    gold = [Span(4, 11, "PERSON", "Ann Lee"), Span(21, 35, "STREET_ADDRESS", text[21:35])]
    # predicted (ai4privacy-style): FIRSTNAME "Ann", LASTNAME "Lee", BUILDINGNUMBER "4",
    # STREET "Elm" (only part of the gold address), CITY "Oslo" and a wrong PREFIX "Dr."
    pred = [Span(0, 3, "PREFIX", "Dr."), Span(4, 7, "FIRSTNAME", "Ann"), Span(8, 11, "LASTNAME", "Lee"),
            Span(21, 22, "BUILDINGNUMBER", "4"), Span(23, 26, "STREET", "Elm"), Span(31, 35, "CITY", "Oslo")]
    row = Row(id="1", source_text=text, target_text=None, privacy_mask=gold, language="en")
    from piikit.data.schema import mask_text

    p = Prediction(id="1", prediction=mask_text(text, pred), spans=pred)
    ctx = build_context([row], [p])
    m = TokenEvaluator().evaluate([row], [p], ctx)
    # whitespace tokens: Dr. | Ann | Lee | lives | at | 4 | Elm | St, | Oslo | now.
    # gold tokens: Ann Lee 4 Elm St, Oslo (6); predicted: Dr. Ann Lee 4 Elm Oslo (6)
    assert (m["token_tp"], m["token_fp"], m["token_fn"]) == (5, 1, 1)
    assert m["token_precision"] == pytest.approx(5 / 6) and m["token_recall"] == pytest.approx(5 / 6)
    assert m["token_f2"] == pytest.approx(5 / 6)
