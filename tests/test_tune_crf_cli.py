"""The tune stage with tuner=crf, run as a user would: `piikit stages=[tune] from_run=...`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from piikit.data.schema import Row
from piikit.data.stored import read_restored
from piikit.io import read_jsonl, write_jsonl
from pii_rows import make_rows
from run_dirs import only_run_dir, run_cli  # run_cli: a module-scoped fixture can't use the cli fixture


def _prepared(root: Path, train: list[Row], test: list[Row]) -> Path:
    write_jsonl(root / "prepare" / "train.jsonl", [r.to_dict() for r in train])
    write_jsonl(root / "prepare" / "test.jsonl", [r.to_dict() for r in test])
    return root


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("crfcli")
    prep = _prepared(base / "prep", make_rows(200, seed=5), make_rows(40, seed=6))
    work = base / "run1"
    work.mkdir()
    r = run_cli(["stages=[tune]", f"from_run={prep}", "tuner.max_iterations=20"], work, env={"PIIKIT_CACHE": str(base / "cache")})
    assert r.returncode == 0, r.stderr + r.stdout
    return prep, only_run_dir(work)


def test_tune_writes_model_snapshots_loss_plot_predictions_and_manifest(trained_run):
    prep, run = trained_run
    tune = run / "tune"
    assert (tune / "model" / "model.crfsuite").stat().st_size > 1000
    snapshots = list(read_jsonl(tune / "snapshots.jsonl"))
    assert len(snapshots) >= 5 and set(snapshots[0]) == {"step", "epoch", "loss"}
    assert snapshots[-1]["loss"] < snapshots[0]["loss"]
    assert (tune / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    sources = {d["id"]: d["source_text"] for d in read_jsonl(prep / "prepare" / "test.jsonl")}
    predictions = list(read_restored(tune / "predictions.jsonl", sources))
    test_ids = list(sources)
    assert [p["id"] for p in predictions] == test_ids
    assert sum("[EMAIL]" in p["prediction"] for p in predictions) >= 5
    manifest = json.loads((tune / "manifest.json").read_text())
    assert manifest["tuner"]["name"] == "crf" and manifest["tuner"]["max_iterations"] == 20
    assert manifest["train_rows"] == 200 and manifest["final_loss"] == snapshots[-1]["loss"]
    assert manifest["fit_seconds"] > 0 and manifest["model_info"]["train_tokens"] > 1000


def test_model_reuse_skips_training_and_predicts_the_same(trained_run, tmp_path):
    prep, run = trained_run
    r = run_cli(["stages=[tune]", f"from_run={prep}", f"tuner.model={run}"], tmp_path)
    assert r.returncode == 0, r.stderr
    again = only_run_dir(tmp_path) / "tune"
    manifest = json.loads((again / "manifest.json").read_text())
    assert manifest["train_rows"] == 0 and manifest["model_from"] == str(run)
    assert manifest["model_info"]["model_train_rows"] == 200 and manifest["model_info"]["trained_with"]["max_iterations"] == 20
    assert not (again / "snapshots.jsonl").exists()
    assert (again / "predictions.jsonl").read_text() == (run / "tune" / "predictions.jsonl").read_text()


def test_corrupt_model_is_one_line_exit_2(trained_run, tmp_path):
    prep, run = trained_run
    bad = tmp_path / "bad_model"
    bad.mkdir()
    (bad / "model.json").write_text((run / "tune" / "model" / "model.json").read_text())
    data = bytearray((run / "tune" / "model" / "model.crfsuite").read_bytes())
    data[100:110] = b"0123456789"
    (bad / "model.crfsuite").write_bytes(bytes(data))
    work = tmp_path / "w"
    work.mkdir()
    r = run_cli(["stages=[tune]", f"from_run={prep}", f"tuner.model={bad}"], work)
    assert r.returncode == 2
    assert "corrupt" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_train_split_without_spans_is_one_line_exit_2(tmp_path):
    rows = [Row(id=str(i), source_text=f"just a sentence number {i}.", target_text=f"just a sentence number {i}.") for i in range(20)]
    prep = _prepared(tmp_path / "prep", rows, rows[:3])
    work = tmp_path / "w"
    work.mkdir()
    r = run_cli(["stages=[tune]", f"from_run={prep}"], work)
    assert r.returncode == 2
    assert "no PII spans" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_default_run_is_offline_crf_end_to_end_and_beats_rules(tmp_path):
    """`piikit` with no arguments = synthetic → prompt → head_tail → CRF → evaluate (here on a small size)."""
    r = run_cli(["dataset.size=300", "split.n_train=250", "split.n_test=50", "tuner.max_iterations=30"], tmp_path)
    assert r.returncode == 0, r.stderr + r.stdout[-2000:]
    run = only_run_dir(tmp_path)
    for stage in ("prepare", "tune", "evaluate"):
        assert (run / stage / "manifest.json").is_file()
    tune = json.loads((run / "tune" / "manifest.json").read_text())
    assert tune["tuner"]["name"] == "crf" and tune["train_rows"] == 250 and tune["snapshots"] == 30
    assert (run / "tune" / "loss.png").is_file() and (run / "tune" / "model" / "model.crfsuite").is_file()
    crf = json.loads((run / "evaluate" / "metrics.json").read_text())
    assert "overlap_f1" in r.stdout  # the metrics table is printed
    assert crf["overlap_f1"] >= 0.8

    # the rules baseline on the same test split, reusing this run's prepared data
    base = tmp_path / "rules"
    base.mkdir()
    r = run_cli(["stages=[tune,evaluate]", f"from_run={run}", "tuner=rules"], base)
    assert r.returncode == 0, r.stderr
    rules = json.loads((only_run_dir(base) / "evaluate" / "metrics.json").read_text())
    assert crf["overlap_f1"] > rules["overlap_f1"]
    assert crf["leak_rate"] < rules["leak_rate"]
