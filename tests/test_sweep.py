"""Multirun sweeps end to end: summary files, failed jobs, launchers, progress in parallel jobs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

# 4 jobs with the same dataset/split/prompt: they share one prepared-data cache entry
SWEEP = ["-m", "experiment=quick", "tuner=reference,identity", "seed=1,2"]


def sweep_dir(cwd: Path) -> Path:
    dirs = sorted(p.parent for p in (cwd / "outputs" / "multirun").glob("*/*/multirun.yaml"))
    assert len(dirs) == 1, dirs
    return dirs[0]


def read_summary(sdir: Path) -> list[dict]:
    with (sdir / "summary.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def joblib_or_skip():
    pytest.importorskip("hydra_plugins.hydra_joblib_launcher", reason="hydra-joblib-launcher not installed: pip install -e '.[sweep]'")


@pytest.mark.parametrize("launcher", ["basic", "joblib"])
def test_four_job_sweep_writes_a_sorted_summary(cli, tmp_path, launcher):
    if launcher == "joblib":
        joblib_or_skip()
        extra = ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"]
    else:
        extra = []
    # PIIKIT_PROGRESS=1 forces bars on: the basic launcher shows them, parallel jobs must not
    r = cli(*SWEEP, *extra, env={"PIIKIT_PROGRESS": "1"})
    assert r.returncode == 0, r.stderr[-3000:]
    sdir = sweep_dir(tmp_path)
    rows = read_summary(sdir)
    assert len(rows) == 4
    assert {(row["tuner"], row["seed"]) for row in rows} == {(t, n) for t in ("reference", "identity") for n in ("1", "2")}
    assert all(row["status"] == "completed" and row["reason"] == "" for row in rows)
    # sorted by span_f2, best first: the gold answers beat the unchanged input
    assert [row["tuner"] for row in rows] == ["reference", "reference", "identity", "identity"]
    f2 = [float(row["span_f2"]) for row in rows]
    assert f2[0] == f2[1] == 1.0 and max(f2[2:]) < 1.0
    # each row's numbers are that job's own metrics.json
    for row in rows:
        job = sdir / row["job"]
        metrics = json.loads((job / "evaluate" / "metrics.json").read_text())
        assert float(row["span_f2"]) == pytest.approx(metrics["span_f2"])
        assert f"seed={row['seed']}" in row["overrides"] and f"tuner={row['tuner']}" in row["overrides"]
        for name in ("status.json", "versions.json", "piikit.log", ".hydra/overrides.yaml"):
            assert (job / name).exists(), f"{job}/{name}"
        assert "job failed" not in (job / "piikit.log").read_text()
        assert float(row["seconds"]) > 0
    # the data was prepared once; the other jobs (some running at the same time) reused it
    caches = [json.loads((sdir / row["job"] / "prepare" / "manifest.json").read_text())["cache"] for row in rows]
    assert sorted(c["hit"] for c in caches) == [False, True, True, True]
    assert len({c["key"] for c in caches}) == 1
    tests = {(sdir / row["job"] / "prepare" / "test.jsonl").read_text() for row in rows}
    assert len(tests) == 1
    md = (sdir / "summary.md").read_text()
    assert "4 jobs, 0 failed, sorted by span_f2" in md and md.count("| completed |") == 4
    png = sdir / "summary.png"
    assert png.is_file() and png.read_bytes()[:4] == b"\x89PNG"
    assert "sorted by span_f2" in r.stdout  # the rich table
    bars = r.stdout.count("predicting test (")  # the tune stage labels its bar "predicting test (<tuner>)"
    assert (bars == 4) if launcher == "basic" else (bars == 0), r.stdout[-2000:]


def test_a_failing_job_is_listed_with_its_reason_and_the_rest_complete(cli, tmp_path):
    # one job gets a value only checked when the job runs (split.dedupe is validated per job)
    r = cli("-m", "experiment=quick", "tuner=reference", "split.dedupe=sometimes,keep")
    assert r.returncode == 2, r.stderr[-3000:]
    assert "1 of 2 sweep jobs failed" in r.stderr and "summary.md" in r.stderr
    rows = read_summary(sweep_dir(tmp_path))
    by_value = {row["split.dedupe"]: row for row in rows}
    assert by_value["sometimes"]["status"] == "failed"
    assert "split.dedupe='sometimes' is not valid" in by_value["sometimes"]["reason"]
    assert by_value["sometimes"]["span_f2"] == ""
    assert by_value["keep"]["status"] == "completed" and float(by_value["keep"]["span_f2"]) == 1.0
    assert rows[-1]["status"] == "failed"  # failures sort last
    assert "failed" in (sweep_dir(tmp_path) / "summary.md").read_text()
    # the sweep's report.html: one row per job, linked to the completed job's own report
    page = (sweep_dir(tmp_path) / "report.html").read_text()
    keep = by_value["keep"]["job"]
    assert f'<a href="{keep}/report.html">{keep}</a>' in page and (sweep_dir(tmp_path) / keep / "report.html").is_file()
    assert "split.dedupe=&#39;sometimes&#39; is not valid" in page and "1 of 2 jobs failed" in page


@pytest.mark.parametrize(
    "launcher, plugin, target",
    [
        ("joblib", "hydra_plugins.hydra_joblib_launcher", "JoblibLauncher"),
        ("submitit_slurm", "hydra_plugins.hydra_submitit_launcher", "SlurmLauncher"),
        ("submitit_local", "hydra_plugins.hydra_submitit_launcher", "LocalLauncher"),
    ],
)
def test_launcher_configs_compose(launcher, plugin, target):
    pytest.importorskip(plugin, reason=f"{plugin.split('.')[-1].replace('_', '-')} not installed: pip install -e '.[sweep]'")
    from hydra import compose, initialize_config_module

    from piikit.config import register_configs

    register_configs()
    overrides = [f"hydra/launcher={launcher}"]
    if launcher == "submitit_slurm":
        overrides += ["hydra.launcher.partition=gpu", "hydra.launcher.timeout_min=120"]
    with initialize_config_module(config_module="piikit.conf", version_base="1.3"):
        cfg = compose(config_name="config", overrides=overrides, return_hydra_config=True)
    assert cfg.hydra.launcher._target_.endswith(target)
    assert cfg.hydra.callbacks.sweep_summary._target_ == "piikit.sweep_callback.SweepSummary"
    if launcher == "submitit_slurm":
        assert cfg.hydra.launcher.partition == "gpu" and cfg.hydra.launcher.timeout_min == 120


def test_concurrent_runs_share_one_uncorrupted_cache_entry(tmp_path):
    """Three processes prepare the same data at the same moment: one builds, two reuse."""
    import os
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "piikit"
    env = {**os.environ, "PIIKIT_PROGRESS": "0", "PIIKIT_CACHE": str(tmp_path / "cache")}
    dirs = [tmp_path / f"p{i}" for i in range(3)]
    procs = []
    for d in dirs:
        d.mkdir()
        procs.append(subprocess.Popen([str(exe), "experiment=quick", "dataset.size=400", "stages=[prepare]"], cwd=d, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-3000:]
    runs = [next(d.glob("outputs/*/*/prepare")) for d in dirs]
    hits = sorted(json.loads((r / "manifest.json").read_text())["cache"]["hit"] for r in runs)
    assert hits == [False, True, True]
    assert len({(r / "train.jsonl").read_text() for r in runs}) == 1
    assert len({(r / "test.jsonl").read_text() for r in runs}) == 1
    entries = [p for p in (tmp_path / "cache" / "prepare").iterdir() if p.is_dir()]
    assert len(entries) == 1  # no half-written temp dirs left behind
    assert (entries[0] / "train.jsonl").read_text() == (runs[0] / "train.jsonl").read_text()
