"""Sharing configs and re-running runs exactly: --cfg job, versions.json, rerun=, --config-path,
--config-dir / hydra.searchpath, and the presets (tests/test_config_groups.py composes each one)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from run_dirs import only_run_dir

CONF = Path(__file__).resolve().parents[1] / "piikit" / "conf"
PRESETS = sorted(p.stem for p in (CONF / "experiment").glob("*.yaml"))
HEADLINE = ("span_precision", "span_recall", "span_f1", "span_f2", "leak_rate", "fidelity", "exact_match")


def headline(run_dir: Path) -> dict:
    metrics = json.loads((run_dir / "evaluate" / "metrics.json").read_text())
    return {k: metrics[k] for k in HEADLINE}


# ----------------------------------------------------------------------------- composing
def test_presets_exist_and_begin_with_their_command():
    assert {"seed_article", "quick", "vertex_flash", "crf_large"} <= set(PRESETS)
    for name in PRESETS:
        lines = (CONF / "experiment" / f"{name}.yaml").read_text().splitlines()
        assert lines[0] == "# @package _global_", name
        header = [ln for ln in lines if ln.startswith("#")]
        assert any(f"piikit experiment={name}" in ln for ln in header), f"{name}: no command in its header comment"


def test_seed_article_is_the_walkthrough(compose):
    cfg = compose(["experiment=seed_article"])
    assert (cfg.dataset.name, cfg.dataset.id, cfg.dataset.max_rows) == ("hf", "ai4privacy/pii-masking-200k", 2000)
    assert cfg.prompt.name == "seed_article"
    assert (cfg.split.name, cfg.split.n_train, cfg.split.n_test) == ("head_tail", 1900, 100)
    t = cfg.tuner
    assert (t.name, t.source_model, t.epoch_count, t.batch_size, t.learning_rate) == ("gemini", "models/gemini-1.0-pro-001", 2, 4, 0.001)
    assert cfg.show_rows == ["1900", "1969", "1987", "1933"]


def test_quick_leaves_the_tuner_to_the_command_line(compose):
    cfg = compose(["experiment=quick", "tuner=identity"])
    assert cfg.tuner.name == "identity" and (cfg.split.n_train, cfg.split.n_test, cfg.dataset.size) == (100, 20, 120)


# ----------------------------------------------------------------------------- sharing
def test_cfg_job_prints_the_resolved_config_without_running(cli, tmp_path):
    r = cli("--cfg", "job", "--resolve", "experiment=quick", "tuner=identity", "sweep.sort_by=leak_rate")
    assert r.returncode == 0, r.stderr
    cfg = yaml.safe_load(r.stdout)
    assert cfg["tuner"]["name"] == "identity" and cfg["split"]["n_test"] == 20
    assert cfg["sweep"]["sort_by"] == "leak_rate"
    assert "${" not in r.stdout  # --resolve: interpolations filled in (cache_dir)
    assert not (tmp_path / "outputs").exists()


def test_a_teammates_config_dir(cli, tmp_path):
    team = tmp_path / "team-configs"
    (team / "experiment").mkdir(parents=True)
    (team / "experiment" / "mine.yaml").write_text(
        "# @package _global_\n# piikit --config-dir team-configs experiment=mine\n"
        "defaults:\n  - override /tuner: identity\nsplit:\n  n_train: 30\n  n_test: 7\ndataset:\n  size: 37\n"
    )
    for how in (["--config-dir", str(team)], [f"hydra.searchpath=[file://{team}]"]):
        r = cli(*how, "experiment=mine", "--cfg", "job")
        assert r.returncode == 0, r.stderr
        cfg = yaml.safe_load(r.stdout)
        assert (cfg["tuner"]["name"], cfg["split"]["n_test"], cfg["dataset"]["size"]) == ("identity", 7, 37)
    r = cli("--config-dir", str(team), "experiment=mine", "stages=[prepare]")  # and it runs
    assert r.returncode == 0, r.stderr[-3000:]
    run = only_run_dir(tmp_path)
    assert len((run / "prepare" / "test.jsonl").read_text().splitlines()) == 7
    # a re-run finds the teammate's folder again (recorded in .hydra/hydra.yaml)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = cli(f"rerun={run}", "--cfg", "job", cwd=elsewhere)
    assert r.returncode == 0, r.stderr
    assert yaml.safe_load(r.stdout)["split"]["n_test"] == 7


# ----------------------------------------------------------------------------- exact re-run
RERUN = ["experiment=quick", "tuner=crf", "tuner.max_iterations=15", "dataset.size=60", "split.n_train=45", "split.n_test=15"]


def test_rerun_reproduces_the_metrics(cli, tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    r = cli(*RERUN, cwd=first)
    assert r.returncode == 0, r.stderr[-3000:]
    run = only_run_dir(first)
    # every run keeps what it takes to share and re-run it
    assert yaml.safe_load((run / ".hydra" / "overrides.yaml").read_text()) == RERUN
    assert yaml.safe_load((run / ".hydra" / "config.yaml").read_text())["split"]["n_test"] == 15
    versions = json.loads((run / "versions.json").read_text())
    from importlib.metadata import version

    assert versions["python"].count(".") == 2
    for package in ("piikit", "hydra-core", "python-crfsuite"):
        assert versions["packages"][package] == version(package)
    assert json.loads((run / "status.json").read_text())["status"] == "completed"

    again = tmp_path / "again"
    again.mkdir()
    r = cli(f"rerun={run}", cwd=again)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "re-running" in r.stderr and " ".join(RERUN) in r.stderr
    rerun = only_run_dir(again)
    assert yaml.safe_load((rerun / ".hydra" / "overrides.yaml").read_text()) == RERUN
    assert headline(rerun) == headline(run)
    assert (rerun / "tune" / "predictions.jsonl").read_text() == (run / "tune" / "predictions.jsonl").read_text()

    # Hydra's own route: the saved, composed config as the primary config
    route = tmp_path / "route"
    route.mkdir()
    relative = os.path.relpath(run / ".hydra", route)  # relative to where you run, like any path
    r = cli("--config-path", relative, "--config-name", "config", cwd=route)
    assert r.returncode == 0, r.stderr[-3000:]
    assert headline(only_run_dir(route)) == headline(run)


def test_rerun_later_overrides_win_and_bad_dirs_are_one_line(cli, tmp_path):
    r = cli("rerun=nowhere")
    assert r.returncode == 2 and "rerun=nowhere has no .hydra/overrides.yaml" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1

    r = cli("experiment=quick", "tuner=reference", "stages=[prepare]")
    assert r.returncode == 0, r.stderr[-3000:]
    run = only_run_dir(tmp_path)
    r = cli(f"rerun={run}", "tuner=identity", "--cfg", "job")
    assert r.returncode == 0, r.stderr
    cfg = yaml.safe_load(r.stdout)
    assert cfg["tuner"]["name"] == "identity" and cfg["stages"] == ["prepare"] and cfg["split"]["n_test"] == 20


def test_saved_config_is_validated_like_a_composed_one(cli, tmp_path):
    saved = tmp_path / "saved"
    saved.mkdir()
    r = cli("experiment=quick", "tuner=reference", "--cfg", "job")
    (saved / "config.yaml").write_text(r.stdout.replace("dedupe: drop", "dedupe: sometimes"))
    r = cli("--config-path", str(saved), "--config-name", "config")
    assert r.returncode == 2, r.stderr[-3000:]
    assert "split.dedupe='sometimes' is not valid" in r.stderr


def test_an_older_runs_removed_key_says_what_replaced_it(cli, tmp_path):
    """mask.drop_text (before mask.keep_text): in a saved config, on the command line or in a
    rerun's overrides, one line naming its replacement, exit 2."""
    saved = tmp_path / "saved"
    saved.mkdir()
    r = cli("experiment=quick", "tuner=reference", "stages=[prepare]", "--cfg", "job")
    assert "  keep_text: false\n" in r.stdout
    (saved / "config.yaml").write_text(r.stdout.replace("  keep_text: false\n", "  drop_text: false\n"))
    for args in (["experiment=quick", "stages=[prepare]", "mask.drop_text=true"], ["--config-path", str(saved), "--config-name", "config"]):
        r = cli(*args)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "mask.drop_text was replaced by mask.keep_text, inverted (drop_text=false is keep_text=true" in r.stderr
        assert list(tmp_path.glob("outputs/*/*/prepare")) == []  # nothing run


def test_show_rows_prints_the_chosen_test_rows(cli, tmp_path):
    r = cli("experiment=quick", "tuner=reference", "stages=[prepare,tune]", "show_rows=[105,119,7,999]")
    assert r.returncode == 0, r.stderr[-3000:]
    run = only_run_dir(tmp_path)
    test = {json.loads(line)["id"]: json.loads(line) for line in (run / "prepare" / "test.jsonl").read_text().splitlines()}
    assert {"105", "119"} <= set(test) and "7" not in test
    out = " ".join(r.stdout.split())
    assert "selected test rows (show_rows)" in out
    assert "show_rows: not in the test split: 7, 999" in out
    for rid in ("105", "119"):
        assert " ".join(test[rid]["target_text"].split())[:12] in out
