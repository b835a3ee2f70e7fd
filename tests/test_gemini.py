"""The Gemini tuner, driven through the real google-generativeai SDK against the local fake
Generative Language server (tests/fakes/genai_server.py). Nothing of piikit or the SDK is mocked."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:The argument `including_default_value_fields`:DeprecationWarning")

from piikit.errors import PiikitError
from piikit.data.stored import read_restored
from piikit.io import read_json, read_jsonl
from piikit.pipeline import RunContext
from piikit.tuners.cloud.gemini import GeminiConfig, GeminiTuner, total_steps

from cloud_support import INHERITED_SIGINT, make_rows, write_prepared


def fast(fake, **extra) -> list[str]:
    """Overrides that point the tuner at the fake and keep waits tiny."""
    opts = {"api_endpoint": fake.endpoint, "poll_interval": 0, "initial_backoff": 0.01, "max_backoff": 0.05,
            "request_timeout": 5, **extra}
    return ["tuner=gemini", *(f"tuner.{k}={v}" for k, v in opts.items())]


def tuner_for(fake, tmp_path: Path, **extra) -> GeminiTuner:
    opts = {"api_endpoint": fake.endpoint, "poll_interval": 0, "initial_backoff": 0.01, "max_backoff": 0.05,
            "request_timeout": 5, **extra}
    ctx = RunContext(run_dir=tmp_path / "run", cache_dir=tmp_path / "cache")
    return GeminiTuner(GeminiConfig(**opts), ctx)


def run_tune_stage(compose, overrides: list[str], run_dir: Path):
    from piikit.pipeline import make_context
    from piikit.stages import tune

    cfg = compose(["stages=[tune]", *overrides])
    return tune.run(cfg, make_context(cfg, run_dir))


# --------------------------------------------------------------------------- plan and limits
def test_total_steps_of_the_walkthrough():
    assert total_steps(1900, 4, 2) == 950
    assert total_steps(1901, 4, 2) == 952
    assert total_steps(3, 4, 1) == 1


def test_plan_counts_examples_and_steps_without_any_call(tmp_path, genai_server):
    tuner = tuner_for(genai_server, tmp_path)
    plan = tuner.plan(make_rows(1900), make_rows(100, start=1900))
    assert plan["examples"] == 1900 and plan["total_steps"] == 950 and plan["steps_per_epoch"] == 475
    assert plan["tuned_model"].startswith("tunedModels/piikit-")
    assert any("100 × POST" in r for r in plan["requests"])
    assert genai_server.requests == []


def test_a_run_logs_examples_and_steps_before_creating_the_job(tmp_path, genai_server, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="piikit")
    logging.getLogger("piikit").addHandler(caplog.handler)  # also when the CLI's logging set-up stopped propagation
    try:
        tuner_for(genai_server, tmp_path).fit(make_rows(10))
    finally:
        logging.getLogger("piikit").removeHandler(caplog.handler)
    lines = [r.getMessage() for r in caplog.records]
    first = next(i for i, m in enumerate(lines) if m.startswith("pre-flight:"))
    assert lines[first] == "pre-flight: 10 examples within the API's limits; ceil(10 / batch 4) × 2 epochs = 6 steps"
    assert first < next(i for i, m in enumerate(lines) if m.startswith("created tunedModels/"))


def test_preflight_names_the_rows_over_the_limits(tmp_path, genai_server):
    rows = make_rows(5)
    rows[1].prompt = "x" * 40_001
    rows[3].target_text = "y" * 5_001
    rows[4].prompt = ""
    with pytest.raises(PiikitError) as e:
        tuner_for(genai_server, tmp_path).fit(rows)
    msg = e.value.one_line()
    assert "3 training example(s)" in msg and "r1 (input 40,001 chars)" in msg and "r3 (output 5,001 chars)" in msg
    assert "r4 (no prompt)" in msg and "r0 (" not in msg and "r2 (" not in msg
    assert genai_server.requests == []


def test_bad_settings_are_one_line_errors(compose):
    with pytest.raises(Exception, match="on_existing"):
        compose(["tuner=gemini", "tuner.on_existing=maybe"])
    with pytest.raises(Exception, match="model_id"):
        compose(["tuner=gemini", "tuner.model_id=Not_Valid"])


# --------------------------------------------------------------------------- tune → generate
def test_tune_then_generate_through_the_stage(compose, tmp_path, genai_server):
    fake = genai_server
    train, test = make_rows(10), make_rows(6, start=100) + make_rows(2, start=3, prefix="t")
    run_dir = write_prepared(tmp_path / "run", train, test)
    summary = run_tune_stage(compose, fast(fake, epoch_count=3, batch_size=4, learning_rate=0.002, model_id="my-masker"), run_dir)

    # what the client sent: the prompt-rendered train split and the masked references
    (create,) = fake.calls("create")
    assert create.query["tunedModelId"] == ["my-masker"]
    task = create.body["tuningTask"]
    assert task["hyperparameters"] == {"epochCount": 3, "batchSize": 4, "learningRate": 0.002}
    assert [e["textInput"] for e in task["trainingData"]["examples"]["examples"]] == [r.prompt for r in train]
    assert [e["output"] for e in task["trainingData"]["examples"]["examples"]] == [r.target_text for r in train]
    assert create.body["baseModel"] == "models/gemini-1.0-pro-001"

    out = run_dir / "tune"
    job = read_json(out / "job.json")
    assert job["tuned_model"] == "tunedModels/my-masker" and job["operation"].startswith("tunedModels/my-masker/operations/")
    assert job["total_steps"] == math.ceil(10 / 4) * 3 == fake.jobs["my-masker"].total_steps
    assert job["state"] == "ACTIVE"
    snaps = list(read_jsonl(out / "snapshots.jsonl"))
    assert [s["step"] for s in snaps] == list(range(1, 10)) and {s["epoch"] for s in snaps} == {1, 2, 3}
    assert snaps[-1]["loss"] < snaps[0]["loss"]
    assert (out / "loss.png").stat().st_size > 1000
    assert read_json(out / "model" / "model.json")["tuned_model"] == "tunedModels/my-masker"

    preds = {p["id"]: p for p in read_restored(out / "predictions.jsonl", {r.id: r.source_text for r in test})}
    assert list(preds) == [r.id for r in test]
    assert len(fake.calls("generate")) == len(test) and summary["errors"] == 0
    # the fake masks what it learned: known names and every e-mail; unseen names leak
    assert preds["t3"]["prediction"] == test[-2].target_text
    assert preds["r100"]["prediction"] == "Hello Zed100, please write to [EMAIL] about order 100."
    assert "Zed100" not in (out / "predictions.jsonl").read_text()  # the leak is not written out

    # tuner.model=<run dir>: no tuning, the same tuned model, answers from the cache
    again = run_tune_stage(compose, [f"from_run={run_dir}", *fast(fake, model=str(run_dir))], tmp_path / "run2")
    assert len(fake.calls("create")) == 1 and len(fake.calls("generate")) == len(test) and again["errors"] == 0
    assert (tmp_path / "run2" / "tune" / "predictions.jsonl").read_text() == (out / "predictions.jsonl").read_text()


def test_cached_answers_are_not_asked_again(tmp_path, genai_server):
    tuner = tuner_for(genai_server, tmp_path)
    tuner.fit(make_rows(8))
    test = make_rows(5, start=100)
    first = [p.to_dict() for p in tuner.predict(test)]
    assert len(genai_server.calls("generate")) == 5
    again = tuner_for(genai_server, tmp_path)  # a new run with the same cache dir
    again.model_name = tuner.model_name
    second = [p.to_dict() for p in again.predict(test)]
    assert second == first and len(genai_server.calls("generate")) == 5 and again.stats.cached == 5
    other = tuner_for(genai_server, tmp_path, temperature=0.7)  # other settings: other cache entries
    other.model_name = tuner.model_name
    list(other.predict(test))
    assert len(genai_server.calls("generate")) == 10


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the lost Ctrl-C, printed by Python
@INHERITED_SIGINT
def test_a_ctrl_c_lost_inside_an_sdk_still_stops_the_wait(tmp_path, genai_server, caplog, monkeypatch, inherited_sigint):
    from cloud_support import assert_a_lost_ctrl_c_still_stops_the_wait, sigint_as

    with sigint_as(inherited_sigint):  # passes however the test process was started
        assert_a_lost_ctrl_c_still_stops_the_wait(tuner_for(genai_server, tmp_path), make_rows(8), caplog, monkeypatch)
    assert read_json(tmp_path / "run" / "tune" / "job.json").get("state") is None  # stopped while waiting


def test_generation_faults_are_retried_or_recorded(tmp_path, genai_server):
    from cloud_support import FAULT_TIMEOUT, assert_generation_faults_retried_or_recorded

    tuner = tuner_for(genai_server, tmp_path, max_attempts=3, request_timeout=FAULT_TIMEOUT, cache=False)
    tuner.fit(make_rows(8))
    assert_generation_faults_retried_or_recorded(genai_server, tuner, make_rows(9, start=100))


def test_control_plane_faults_are_retried(tmp_path, genai_server):
    fake = genai_server
    fake.add_fault("status", route="create", status=503)
    fake.add_fault("status", route="get_operation", status=429, times=2)
    snaps = tuner_for(fake, tmp_path).fit(make_rows(8))
    assert len(snaps) == 4
    assert len(fake.calls("create")) == 2 and len(fake.jobs) == 1


def test_failed_job_reports_the_api_message(tmp_path, genai_server):
    genai_server.fail_job = "Tuning failed: 3 examples could not be tokenized."
    with pytest.raises(PiikitError) as e:
        tuner_for(genai_server, tmp_path).fit(make_rows(8))
    assert "failed: Tuning failed: 3 examples could not be tokenized." in e.value.one_line()
    assert "\n" not in e.value.one_line()


def test_an_existing_model_id_is_attached_to_or_refused(tmp_path, genai_server):
    fake = genai_server
    first = tuner_for(fake, tmp_path)
    first.fit(make_rows(8))
    # the same data and settings derive the same id: attach, no second job
    again = tuner_for(fake, tmp_path)
    snaps = again.fit(make_rows(8))
    assert len(fake.calls("create")) == 1 and again.model_name == first.model_name and len(snaps) == 4
    assert read_json(tmp_path / "run" / "tune" / "job.json")["attached"] is True
    refuse = tuner_for(fake, tmp_path, on_existing="fail")
    with pytest.raises(PiikitError) as e:
        refuse.fit(make_rows(8))
    assert "already exists (state ACTIVE) — set tuner.on_existing=attach" in e.value.one_line()
    assert len(fake.calls("create")) == 1


def test_resume_by_model_id_and_by_run_dir(tmp_path, genai_server):
    fake = genai_server
    first = tuner_for(fake, tmp_path, model_id="resumable")
    first.fit(make_rows(8))
    by_id = tuner_for(fake, tmp_path, resume="resumable")
    assert len(by_id.fit(make_rows(8))) == 4 and by_id.model_name == "tunedModels/resumable"
    by_dir = tuner_for(fake, tmp_path, resume=str(tmp_path / "run"))
    assert len(by_dir.fit(make_rows(8))) == 4
    assert len(fake.calls("create")) == 1
    with pytest.raises(PiikitError, match="no tune/job.json"):
        tuner_for(fake, tmp_path, resume=str(tmp_path)).fit(make_rows(8))


def test_wrong_key_is_one_line_without_the_key(tmp_path, genai_server, monkeypatch):
    monkeypatch.setenv("GOOGLE_API_KEY", "AIzaWRONG-0123456789")
    with pytest.raises(PiikitError) as e:
        tuner_for(genai_server, tmp_path).fit(make_rows(4))
    assert "refused the credentials" in e.value.one_line() and "AIzaWRONG" not in e.value.one_line()


def test_application_default_credentials_with_the_tuning_scopes(compose, tmp_path, monkeypatch):
    """No API key: ADC (a service-account key made here) → bearer tokens carrying the tuning scope."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from fakes.genai_server import FakeGenAI

    from piikit.tuners.cloud.gemini import SCOPES

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    with FakeGenAI(api_key=None, oauth_scope=SCOPES[1]) as fake:
        adc = tmp_path / "sa.json"
        adc.write_text(json.dumps({"type": "service_account", "project_id": "fake-project", "private_key_id": "k1",
                                   "private_key": pem, "client_email": "piikit@fake-project.iam.gserviceaccount.com",
                                   "client_id": "1", "token_uri": f"{fake.endpoint}/token"}))
        monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(adc))
        run_dir = write_prepared(tmp_path / "run", make_rows(8), make_rows(2, start=100))
        summary = run_tune_stage(compose, fast(fake), run_dir)
        assert summary["errors"] == 0 and len(fake.calls("create")) == 1
        tokens = {r.headers["authorization"] for r in fake.requests if "authorization" in r.headers}
        assert tokens and all("x-goog-api-key" not in r.headers for r in fake.requests)
    for token in tokens:
        assert _scan_for(token.removeprefix("Bearer "), run_dir) == []
    assert _scan_for(pem.splitlines()[1], run_dir) == []


# --------------------------------------------------------------------------- the CLI
def _scan_for(secret: str, root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_cli_run_never_writes_the_key(cli, tmp_path, genai_server):
    key = os.environ["GOOGLE_API_KEY"]
    prepared = write_prepared(tmp_path / "prepared", make_rows(8), make_rows(4, start=100))
    res = cli("stages=[tune]", f"from_run={prepared}", *fast(genai_server), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    from run_dirs import only_run_dir

    run = only_run_dir(tmp_path)
    assert len(list(read_jsonl(run / "tune" / "predictions.jsonl"))) == 4
    assert (run / "tune" / "job.json").is_file() and (run / ".hydra" / "config.yaml").is_file()
    assert _scan_for(key, tmp_path) == [] and key not in res.stdout + res.stderr


def test_cli_dry_run_makes_no_http_call(cli, tmp_path, genai_server):
    prepared = write_prepared(tmp_path / "prepared", make_rows(9), make_rows(3, start=100))
    res = cli("stages=[tune,evaluate]", f"from_run={prepared}", *fast(genai_server, dry_run="true"), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert genai_server.requests == []
    from run_dirs import only_run_dir

    plan = read_json(only_run_dir(tmp_path) / "tune" / "plan.json")
    assert plan["examples"] == 9 and plan["total_steps"] == 6
    assert "total_steps" in res.stdout and "dry run" in res.stdout
    assert not (only_run_dir(tmp_path) / "evaluate").exists()


def test_cli_missing_credentials_is_one_line(cli, tmp_path):
    prepared = write_prepared(tmp_path / "prepared", make_rows(4), make_rows(2, start=100))
    env = {k: v for k, v in os.environ.items() if k not in ("GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_APPLICATION_CREDENTIALS")}
    env.update(HOME=str(tmp_path), CLOUDSDK_CONFIG=str(tmp_path / "gcloud"), NO_GCE_CHECK="true", PIIKIT_PROGRESS="0")
    exe = Path(sys.executable).parent / "piikit"
    res = subprocess.run([str(exe), "stages=[tune]", f"from_run={prepared}", "tuner=gemini", "tuner.api_endpoint=http://127.0.0.1:9"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "GOOGLE_API_KEY" in lines[0] and "application-default login" in lines[0]


def test_cli_resume_after_an_interrupted_wait(tmp_path, genai_server):
    """Ctrl-C while waiting for the job, then tuner.resume=<run dir>: no second create."""
    fake = genai_server
    fake.hold = True  # the job makes no progress until released
    prepared = write_prepared(tmp_path / "prepared", make_rows(8), make_rows(3, start=100))
    exe = Path(sys.executable).parent / "piikit"
    env = {**os.environ, "PIIKIT_PROGRESS": "0"}
    args = [str(exe), "stages=[tune]", f"from_run={prepared}", *fast(fake, poll_interval=0.05)]
    from cloud_support import interrupt_while_waiting

    job_path = interrupt_while_waiting(fake, tmp_path, args, env, "get_operation", timeout=60)
    assert not (tmp_path / "run1" / "tune" / "predictions.jsonl").exists()
    assert read_json(job_path)["operation"] == fake.jobs[next(iter(fake.jobs))].op_name

    fake.finish_jobs()
    res = subprocess.run([*args, "tuner.resume=run1", "hydra.run.dir=run2"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert len(fake.calls("create")) == 1
    assert len(list(read_jsonl(tmp_path / "run2" / "tune" / "predictions.jsonl"))) == 3
    assert len(list(read_jsonl(tmp_path / "run2" / "tune" / "snapshots.jsonl"))) == 4


def test_cli_prepare_tune_generate_evaluate(cli, tmp_path, genai_server):
    """The walkthrough end to end on synthetic data: the training examples the API receives are
    the prepared train split wrapped in the seed prompt (text_input) with the masked reference
    (output), with the walkthrough's hyperparameters; the tuned model answers every test row;
    the evaluate stage scores those answers and the loss snapshots become a plot."""
    res = cli("stages=[prepare,tune,evaluate]", "dataset.size=150", "dataset.long_fraction=0", "split.n_train=120", "split.n_test=30",
              *fast(genai_server), cwd=tmp_path)  # short rows: one example each (long ones are split: test_cloud_chunks)
    assert res.returncode == 0, res.stderr
    from run_dirs import only_run_dir

    run = only_run_dir(tmp_path)
    train = list(read_jsonl(run / "prepare" / "train.jsonl"))
    (create,) = genai_server.calls("create")
    task = create.body["tuningTask"]
    sent = task["trainingData"]["examples"]["examples"]
    assert [e["textInput"] for e in sent] == [r["prompt"] for r in train]
    assert [e["output"] for e in sent] == [r["target_text"] for r in train]
    assert all(p.startswith("Given the information below, mask the personal identifiable information.") for p in
               (e["textInput"] for e in sent))
    hp = task["hyperparameters"]
    assert (hp["epochCount"], hp["batchSize"], hp["learningRate"]) == (2, 4, 0.001)
    assert len(genai_server.calls("generate")) == 30
    assert len(list(read_jsonl(run / "tune" / "predictions.jsonl"))) == 30
    snaps = list(read_jsonl(run / "tune" / "snapshots.jsonl"))
    assert len(snaps) == math.ceil(120 / 4) * 2 and (run / "tune" / "loss.png").is_file()
    metrics = read_json(run / "evaluate" / "metrics.json")
    # the fake answers from what it learned: some PII is masked, names it never saw leak
    assert 0.0 < metrics["span_f1"] < 1.0 and 0.0 < metrics["leak_rate"] < 1.0


def test_the_wait_leaves_an_ignored_ctrl_c_ignored():
    """Started with SIGINT ignored (in the background), the job wait neither installs a handler
    nor raises: Ctrl-C stays off, as the user's shell set it."""
    import signal

    from cloud_support import sigint_as
    from piikit.tuners.cloud.common import ctrl_c_noted

    with sigint_as(signal.SIG_IGN):
        with ctrl_c_noted() as interrupted:
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            interrupted()  # nothing noted: no KeyboardInterrupt
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
