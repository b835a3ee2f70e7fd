"""The sweep summary on hand-made job dirs (what each job leaves behind, without running it)."""

from __future__ import annotations

import csv
import json

from report_helpers import make_job

from piikit import sweep


def ok(seconds: float = 1.0) -> dict:
    return {"status": "completed", "seconds": seconds, "reason": None, "exit_code": 0}


def test_sorting_direction_follows_the_metric(tmp_path):
    make_job(tmp_path, 0, ["tuner.c2=0.01", "seed=1"], ok(), {"span_f2": 0.5, "leak_rate": 0.2, "per_label": {"X": {}}})
    make_job(tmp_path, 1, ["tuner.c2=0.1", "seed=1"], ok(), {"span_f2": 0.9, "leak_rate": 0.4})
    make_job(tmp_path, 2, ["tuner.c2=1", "seed=1"], ok(), {"span_f2": 0.7, "leak_rate": 0.1})

    best_f2 = sweep.summarize(tmp_path, sort_by="span_f2", metrics=["leak_rate"], draw=False, show=False)
    assert [j.num for j in best_f2.jobs] == [1, 2, 0]
    least_leak = sweep.summarize(tmp_path, sort_by="leak_rate", metrics=["span_f2"], draw=False, show=False)
    assert [j.num for j in least_leak.jobs] == [2, 0, 1]
    assert least_leak.exit_code() == 0 and not least_leak.failed

    with (tmp_path / "summary.csv").open(newline="") as fh:
        table = list(csv.DictReader(fh))
    # only the swept key gets a column; constant overrides stay in `overrides`
    assert "tuner.c2" in table[0] and "seed" not in table[0]
    assert [r["tuner.c2"] for r in table] == ["1", "0.01", "0.1"]
    assert table[0]["overrides"] == "tuner.c2=1 seed=1"
    assert table[0]["leak_rate"] == "0.1" and table[0]["span_f2"] == "0.7"


def test_a_sort_by_no_job_has_is_a_warning_with_a_suggestion(tmp_path, caplog):
    make_job(tmp_path, 0, ["tuner.c2=0.01"], ok(), {"span_f2": 0.5, "leak_rate": 0.2})
    make_job(tmp_path, 1, ["tuner.c2=0.1"], ok(), {"span_f2": 0.9, "leak_rate": 0.4})
    with caplog.at_level("WARNING", logger="piikit"):
        sweep.summarize(tmp_path, sort_by="span_f3", draw=False, show=False)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert "sweep.sort_by=span_f3: no completed job has this metric" in warnings[0]
    assert "did you mean 'span_f2'?" in warnings[0] and "leak_rate" in warnings[0]
    caplog.clear()
    with caplog.at_level("WARNING", logger="piikit"):  # a metric the jobs have: no warning
        sweep.summarize(tmp_path, sort_by="leak_rate", draw=False, show=False)
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


def test_failed_and_unfinished_jobs_are_listed_last_with_reasons(tmp_path):
    make_job(tmp_path, 0, ["tuner=a"], ok(), {"span_f2": 0.4})
    make_job(tmp_path, 1, ["tuner=b"], {"status": "failed", "seconds": 0.1, "reason": "tuner.c2=-1 must be >= 0", "exit_code": 2}, None)
    make_job(tmp_path, 2, ["tuner=c"], None, None)  # killed before it wrote status.json
    make_job(tmp_path, 3, ["tuner=d"], ok(), {"span_f2": 0.8})

    outcome = sweep.summarize(tmp_path, sort_by="span_f2", metrics=[], draw=True, show=False)
    assert [j.num for j in outcome.jobs] == [3, 0, 1, 2]
    assert [j.num for j in outcome.failed] == [1, 2]
    assert outcome.exit_code() == 1  # an unfinished job counts as a crash, the most serious
    md = (tmp_path / "summary.md").read_text()
    assert "4 jobs, 2 failed" in md
    assert "| 1 | failed | b |" in md and "tuner.c2=-1 must be >= 0" in md
    assert "| 2 | unknown | c |" in md and "did not finish" in md
    assert (tmp_path / "summary.png").read_bytes()[:4] == b"\x89PNG"


def test_user_errors_only_exit_2(tmp_path):
    make_job(tmp_path, 0, ["x=1"], {"status": "failed", "seconds": 0.1, "reason": "bad", "exit_code": 2}, None)
    make_job(tmp_path, 1, ["x=2"], {"status": "failed", "seconds": 0.1, "reason": "gate", "exit_code": 3}, None)
    assert sweep.summarize(tmp_path, draw=False, show=False).exit_code() == 2


def test_metrics_fall_back_to_the_tune_manifest(tmp_path):
    job = make_job(tmp_path, 0, ["tuner=a"], ok(), None)
    (job / "tune").mkdir()
    (job / "tune" / "manifest.json").write_text(json.dumps({"final_loss": 0.25, "tuner": {"name": "a"}}))
    outcome = sweep.summarize(tmp_path, sort_by="final_loss", metrics=["tuner"], draw=False, show=False)
    assert outcome.jobs[0].metrics == {"final_loss": 0.25}  # non-numeric values are not metrics


def test_no_jobs_no_files(tmp_path):
    outcome = sweep.summarize(tmp_path, draw=False, show=False)
    assert outcome.jobs == [] and not (tmp_path / "summary.csv").exists()
