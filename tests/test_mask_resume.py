"""kill -9 a running ``piikit stages=[mask]`` and resume it: the final output must equal an
uninterrupted run's, byte for byte. Also the CLI's one-line errors for the mask stage."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mask_support import corpus, plugin_env, register_plugin, train_model, write_input
from piikit.pipeline import make_context

CHECKPOINT = ".piikit-mask.checkpoint.json"


def piikit(args: list[str], cwd: Path, env: dict, **kw) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "piikit"
    full_env = {**os.environ, "PIIKIT_PROGRESS": "0", "COLUMNS": "200", **env}
    return subprocess.Popen([str(exe), *args], cwd=cwd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, **kw)


def reference_output(compose, tmp_path: Path, overrides: list[str], name: str) -> bytes:
    """The same job run uninterrupted, in-process."""
    from piikit.stages import mask

    register_plugin()
    out = tmp_path / "reference"
    cfg = compose(["stages=[mask]", *overrides, f"mask.output={out}", "mask.resume=false"])
    (tmp_path / "ref_run").mkdir()
    mask.run(cfg, make_context(cfg, tmp_path / "ref_run"))
    return (out / name).read_bytes()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "txt"])
def test_killed_run_resumes_to_the_same_output(fmt, tmp_path, compose):
    """The model SIGKILLs the whole job on its 6th batch; the resumed run finishes the job."""
    model = train_model(tmp_path / "model_run")
    src = write_input(tmp_path / f"in.{fmt}", corpus(120))
    out = tmp_path / "out"
    args = ["stages=[mask]", f"mask.input={src}", f"mask.model={model}", f"mask.output={out}", "mask.batch_size=10",
            "mask.workers=1", "mask.checkpoint_seconds=0", "mask.strategy=pseudonymize", "mask.salt=k"]
    env = plugin_env(tmp_path)
    proc = piikit(args, tmp_path, {**env, "PIIKIT_TEST_KILL_AFTER_CALLS": "6"})
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert not (out / src.name).exists()  # nothing published
    state = json.loads((out / CHECKPOINT).read_text())
    assert state["files"][0]["records"] == 50  # five batches were done and checkpointed

    proc = piikit([*args, "mask.resume=true"], tmp_path, env)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert "resuming from the checkpoint" in stdout
    assert (out / src.name).read_bytes() == reference_output(compose, tmp_path, args[1:], src.name)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []
    manifest = json.loads(next((tmp_path / "outputs").glob("*/*/mask/manifest.json")).read_text())
    assert manifest["rows_in"] == manifest["rows_out"] == 120 and manifest["resumed"] == 1
    assert manifest["this_session"]["rows"] == 70


def test_kill_minus_9_mid_run_with_workers(tmp_path, compose):
    """kill -9 from outside once a checkpoint exists (2 worker processes, slow model)."""
    model = train_model(tmp_path / "model_run", delay=0.02)
    src = write_input(tmp_path / "in.jsonl", corpus(1200))
    out = tmp_path / "out"
    args = ["stages=[mask]", f"mask.input={src}", f"mask.model={model}", f"mask.output={out}", "mask.batch_size=8",
            "mask.workers=2", "mask.checkpoint_seconds=0.2", "mask.strategy=hash", "mask.salt=k"]
    env = plugin_env(tmp_path)
    proc = piikit(args, tmp_path, env)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            done = json.loads((out / CHECKPOINT).read_text())["counters"]["rows_in"]
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            done = 0
        if done >= 100:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert not (out / "in.jsonl").exists()
    partial = out / ".in.jsonl.partial"
    assert partial.exists()

    proc = piikit([*args, "mask.resume=true"], tmp_path, env)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert (out / "in.jsonl").read_bytes() == reference_output(compose, tmp_path, args[1:], "in.jsonl")
    assert len((out / "in.jsonl").read_text().splitlines()) == 1200


def test_resume_with_other_settings_is_refused(tmp_path):
    model = train_model(tmp_path / "model_run")
    src = write_input(tmp_path / "in.jsonl", corpus(40))
    out = tmp_path / "out"
    args = ["stages=[mask]", f"mask.input={src}", f"mask.model={model}", f"mask.output={out}", "mask.batch_size=10", "mask.workers=1", "mask.checkpoint_seconds=0"]
    env = plugin_env(tmp_path)
    proc = piikit(args, tmp_path, {**env, "PIIKIT_TEST_KILL_AFTER_CALLS": "3"})
    proc.communicate(timeout=120)
    proc = piikit([*args, "mask.resume=true", "mask.strategy=redact"], tmp_path, env)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert "different settings (changed: strategy)" in stderr and len(stderr.strip().splitlines()) == 1
    assert (out / CHECKPOINT).exists()  # the interrupted run can still be resumed properly


def test_cli_errors_are_one_line(cli, tmp_path):
    src = write_input(tmp_path / "in.csv", corpus(3))
    for args, expected in [
        (["stages=[mask]"], "mask.input is required"),
        (["stages=[mask]", f"mask.input={src}", "mask.text_column=body"], "has no column 'body'"),
        (["stages=[mask]", "mask.strategy=nope"], "use one of: placeholder"),
        (["stages=[mask]", f"mask.input={src}", "tuner=reference", f"mask.model={tmp_path}/missing"], "does not exist"),
    ]:
        r = cli(*args)
        assert r.returncode == 2, r.stderr
        assert expected in r.stderr and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
