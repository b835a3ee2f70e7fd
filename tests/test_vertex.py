"""The Vertex AI tuner, driven through the real google-genai and google-cloud-storage clients
against the local fake of Vertex AI (tests/fakes/vertex_server.py) and the real
gcp-storage-emulator. Nothing of piikit or the SDKs is mocked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from piikit.errors import PiikitError
from piikit.data.stored import read_restored
from piikit.io import read_json, read_jsonl
from piikit.pipeline import RunContext
from piikit.tuners.cloud.vertex import VertexConfig, VertexTuner, export_example, export_examples, metrics_to_snapshots

from cloud_support import INHERITED_SIGINT, make_rows, write_prepared

BUCKET = "gs://piikit-test/datasets"


def opts(fake, **extra) -> dict:
    return {"project": fake.project, "location": fake.location, "base_url": fake.endpoint, "gcs_uri": BUCKET,
            "poll_interval": 0, "initial_backoff": 0.01, "max_backoff": 0.05, "request_timeout": 5, **extra}


def fast(fake, **extra) -> list[str]:
    """Overrides that point the tuner at the fakes and keep waits tiny."""
    return ["tuner=vertex", *(f"tuner.{k}={v}" for k, v in opts(fake, **extra).items())]


def tuner_for(fake, tmp_path: Path, run: str = "run", **extra) -> VertexTuner:
    ctx = RunContext(run_dir=tmp_path / run, cache_dir=tmp_path / "cache")
    return VertexTuner(VertexConfig(**opts(fake, **extra)), ctx)


def run_tune_stage(compose, overrides: list[str], run_dir: Path):
    from piikit.pipeline import make_context
    from piikit.stages import tune

    cfg = compose(["stages=[tune]", *overrides])
    return tune.run(cfg, make_context(cfg, run_dir))


def gcs_objects(prefix: str = "datasets/") -> dict[str, bytes]:
    from google.cloud import storage

    client = storage.Client(project="fake-project")
    return {b.name: b.download_as_bytes() for b in client.list_blobs("piikit-test", prefix=prefix)}


# --------------------------------------------------------------------------- export and checks
def test_export_follows_the_documented_schema():
    from fakes.vertex_server import validate_example

    rows = make_rows(3)
    plain = export_examples(rows)
    assert plain[0] == {"contents": [{"role": "user", "parts": [{"text": rows[0].prompt}]},
                                     {"role": "model", "parts": [{"text": rows[0].target_text}]}]}
    with_si = export_examples(rows, system_instruction="You mask PII.")
    assert with_si[1]["systemInstruction"] == {"role": "system", "parts": [{"text": "You mask PII."}]}
    assert all(validate_example(e) is None for e in plain + with_si)
    # the fake's validator is strict enough to fail: it is what checks uploads in the other tests
    assert validate_example({"contents": [{"role": "user", "parts": [{"text": "x"}]}]}) is not None
    assert validate_example(export_example("x", " ")) is not None
    assert validate_example({**plain[0], "extra": 1}) is not None


def test_export_names_every_row_that_breaks_the_limits(tmp_path, vertex_server):
    rows = make_rows(5)
    rows[1].prompt = "x" * 600_000  # ~150k tokens
    rows[3].target_text = "  "
    rows[4].prompt = ""
    with pytest.raises(PiikitError) as e:
        tuner_for(vertex_server, tmp_path).fit(rows)
    msg = e.value.one_line()
    assert "3 training example(s)" in msg and "r1 (~150,0" in msg and "r3 (empty output)" in msg and "r4 (no prompt)" in msg
    assert "r0 (" not in msg and "r2 (" not in msg
    assert vertex_server.requests == [] and gcs_objects() == {}


def test_bad_settings_are_one_line_errors(compose):
    for override, word in (("tuner.adapter_size=3", "adapter_size"), ("tuner.gcs_uri=s3://bucket/x", "gcs_uri"),
                           ("tuner.validation_fraction=1.5", "validation_fraction")):
        with pytest.raises(Exception, match=word):
            compose(["tuner=vertex", override])
    with pytest.raises(Exception, match="validation_fraction must be 0"):
        compose(["tuner=vertex", "tuner.gcs_uri=gs://bkt/data.jsonl", "tuner.validation_fraction=0.1"])


def test_metrics_become_snapshots():
    records = [{"step": 2, "train_loss": "0.5"}, {"step": 1, "loss": 0.9}, {"step": 3, "epoch": 2, "meanLoss": 0.2},
               {"step": 4}, {"note": "no step"}]
    assert [s.to_dict() for s in metrics_to_snapshots(records, steps_per_epoch=2)] == [
        {"step": 1, "epoch": 1.0, "loss": 0.9}, {"step": 2, "epoch": 1.0, "loss": 0.5}, {"step": 3, "epoch": 2.0, "loss": 0.2}]


# --------------------------------------------------------------------------- upload → tune → generate
def test_upload_tune_generate_through_the_stage(compose, tmp_path, vertex_server):
    fake = vertex_server
    train, test = make_rows(20), make_rows(6, start=100) + make_rows(2, start=3, prefix="t")
    run_dir = write_prepared(tmp_path / "run", train, test)
    summary = run_tune_stage(compose, fast(fake, epoch_count=4, learning_rate_multiplier=0.5, adapter_size=4,
                                           validation_fraction=0.1, tuned_model_display_name="my-masker",
                                           system_instruction="'Replace personal data by [LABEL] placeholders.'"), run_dir)
    # what the client sent, and what it uploaded
    (create,) = fake.calls("create")
    assert create.path == f"/v1beta1/{fake.parent}/tuningJobs"
    assert create.body["baseModel"] == "gemini-2.5-flash" and create.body["tunedModelDisplayName"] == "my-masker"
    spec = create.body["supervisedTuningSpec"]
    assert spec["hyperParameters"] == {"epochCount": 4, "learningRateMultiplier": 0.5, "adapterSize": "ADAPTER_SIZE_FOUR"}
    train_name, val_name = (spec[k].removeprefix("gs://piikit-test/") for k in ("trainingDatasetUri", "validationDatasetUri"))
    assert train_name.startswith("datasets/piikit-train-") and val_name.startswith("datasets/piikit-validation-")
    objects = gcs_objects()
    assert sorted(objects) == sorted([train_name, val_name])
    lines = [json.loads(x) for x in objects[train_name].splitlines()]
    assert [ln["contents"][0]["parts"][0]["text"] for ln in lines] == [r.prompt for r in train[:18]]
    assert [ln["contents"][1]["parts"][0]["text"] for ln in lines] == [r.target_text for r in train[:18]]
    assert lines[0]["systemInstruction"]["parts"][0]["text"] == "Replace personal data by [LABEL] placeholders."
    assert [json.loads(x)["contents"][0]["parts"][0]["text"] for x in objects[val_name].splitlines()] == [r.prompt for r in train[18:]]

    out = run_dir / "tune"
    job = read_json(out / "job.json")
    name = f"{fake.parent}/tuningJobs/4001"
    assert job["tuning_job"] == name and job["state"] == "JOB_STATE_SUCCEEDED" and job["examples"] == 18
    assert job["endpoint"] == fake.jobs["4001"].endpoint and job["tuning_step_count"] == 4 * 3
    snaps = list(read_jsonl(out / "snapshots.jsonl"))
    assert [s["step"] for s in snaps] == list(range(1, 13)) and {s["epoch"] for s in snaps} == {1, 2, 3, 4}
    assert snaps[-1]["loss"] < snaps[0]["loss"] and (out / "loss.png").stat().st_size > 1000
    assert read_json(out / "model" / "model.json")["endpoint"] == job["endpoint"]

    preds = {p["id"]: p for p in read_restored(out / "predictions.jsonl", {r.id: r.source_text for r in test})}
    assert list(preds) == [r.id for r in test] and summary["errors"] == 0
    gen = fake.calls("generate")
    assert len(gen) == len(test) and {g.path for g in gen} == {f"/v1beta1/{job['endpoint']}:generateContent"}
    assert gen[0].body["systemInstruction"]["parts"][0]["text"] == "Replace personal data by [LABEL] placeholders."
    assert gen[0].body["generationConfig"] == {"temperature": 0.0, "maxOutputTokens": 2048}
    # the fake masks what it learned from the uploaded dataset: known names and every e-mail
    assert preds["t3"]["prediction"] == test[-2].target_text
    assert preds["r100"]["prediction"] == "Hello Zed100, please write to [EMAIL] about order 100."

    # tuner.model=<run dir>: no upload, no job, the same endpoint; answers from the cache
    again = run_tune_stage(compose, [f"from_run={run_dir}", *fast(fake, model=str(run_dir),
                                     system_instruction="'Replace personal data by [LABEL] placeholders.'")], tmp_path / "run2")
    assert len(fake.calls("create")) == 1 and len(fake.calls("generate")) == len(test) and again["errors"] == 0
    assert (tmp_path / "run2" / "tune" / "predictions.jsonl").read_text() == (out / "predictions.jsonl").read_text()


def test_an_identical_dataset_is_not_uploaded_twice(tmp_path, vertex_server):
    from google.cloud import storage

    fake = vertex_server
    tuner_for(fake, tmp_path, run="a").fit(make_rows(8))
    (name,) = gcs_objects()
    bucket = storage.Client(project="fake-project").bucket("piikit-test")
    generation = bucket.get_blob(name).generation
    tuner_for(fake, tmp_path, run="b").fit(make_rows(8))  # the same rows: the same object, left alone
    assert list(gcs_objects()) == [name] and bucket.get_blob(name).generation == generation
    specs = [c.body["supervisedTuningSpec"]["trainingDatasetUri"] for c in fake.calls("create")]
    assert specs == [f"gs://piikit-test/{name}"] * 2
    tuner_for(fake, tmp_path, run="c").fit(make_rows(9))  # other rows: another object
    assert len(gcs_objects()) == 2


def test_an_existing_gcs_dataset_is_reused_as_is(tmp_path, vertex_server):
    from google.cloud import storage

    fake = vertex_server
    data = "".join(json.dumps(e) + "\n" for e in export_examples(make_rows(8)))
    storage.Client(project="fake-project").bucket("piikit-test").blob("mine/set.jsonl").upload_from_string(data)
    tuner = tuner_for(fake, tmp_path, gcs_uri="gs://piikit-test/mine/set.jsonl")
    assert len(tuner.fit([])) > 0  # the prepared rows are not needed
    assert fake.calls("create")[0].body["supervisedTuningSpec"]["trainingDatasetUri"] == "gs://piikit-test/mine/set.jsonl"
    assert list(gcs_objects("mine/")) == ["mine/set.jsonl"] and gcs_objects() == {}


def test_resume_by_run_dir_and_by_job_name(tmp_path, vertex_server):
    fake = vertex_server
    first = tuner_for(fake, tmp_path)
    snaps = first.fit(make_rows(8))
    for value in (str(tmp_path / "run"), f"{fake.parent}/tuningJobs/4001", "4001"):
        again = tuner_for(fake, tmp_path, run="again", resume=value)
        assert again.fit([]) == snaps and again.endpoint == first.endpoint
    assert len(fake.calls("create")) == 1 and len(gcs_objects()) == 1
    with pytest.raises(PiikitError, match="no tune/job.json"):
        tuner_for(fake, tmp_path, resume=str(tmp_path)).fit([])
    with pytest.raises(PiikitError, match="not found: TuningJob"):
        tuner_for(fake, tmp_path, resume="999").fit([])


# --------------------------------------------------------------------------- failures
@pytest.mark.parametrize("how", ["fail_job", "cancel_job"])
def test_a_failed_or_cancelled_job_reports_the_api_error(tmp_path, vertex_server, how):
    setattr(vertex_server, how, "Internal error: tuning stopped at step 6 (fake).")
    with pytest.raises(PiikitError) as e:
        tuner_for(vertex_server, tmp_path, epoch_count=4).fit(make_rows(8))
    msg = e.value.one_line()
    state = "JOB_STATE_FAILED" if how == "fail_job" else "JOB_STATE_CANCELLED"
    assert f"tuning job {vertex_server.parent}/tuningJobs/4001 ended in {state}: Internal error: tuning stopped at step 6 (fake)." in msg
    assert "\n" not in msg and read_json(tmp_path / "run" / "tune" / "job.json")["state"] == state


def test_an_invalid_dataset_fails_the_job_with_the_service_message(tmp_path, vertex_server):
    from google.cloud import storage

    bad = json.dumps(export_example("a", "b")) + "\n" + json.dumps({"contents": [{"role": "user", "parts": [{"text": "a"}]}]}) + "\n"
    storage.Client(project="fake-project").bucket("piikit-test").blob("bad.jsonl").upload_from_string(bad)
    with pytest.raises(PiikitError, match="ended in JOB_STATE_FAILED: Dataset validation failed: gs://piikit-test/bad.jsonl line 2"):
        tuner_for(vertex_server, tmp_path, gcs_uri="gs://piikit-test/bad.jsonl").fit([])


def test_a_missing_bucket_is_one_line(tmp_path, vertex_server):
    with pytest.raises(PiikitError, match="bucket gs://no-such-bucket does not exist"):
        tuner_for(vertex_server, tmp_path, gcs_uri="gs://no-such-bucket/x").fit(make_rows(4))
    assert vertex_server.calls("create") == []


def test_control_plane_faults(tmp_path, vertex_server):
    fake = vertex_server
    fake.add_fault("status", route="create", status=429)  # refused: retried
    fake.add_fault("status", route="get_job", status=503, times=2)
    assert len(tuner_for(fake, tmp_path).fit(make_rows(8))) > 0
    assert len(fake.calls("create")) == 2 and len(fake.jobs) == 1
    fake.add_fault("status", route="create", status=503)  # may have started a job: not retried
    with pytest.raises(PiikitError) as e:
        tuner_for(fake, tmp_path, run="again").fit(make_rows(8))
    assert "creating the tuning job failed: server_error: 503" in e.value.one_line() and "not retried" in e.value.one_line()
    assert len(fake.calls("create")) == 3


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the lost Ctrl-C, printed by Python
@INHERITED_SIGINT
def test_a_ctrl_c_lost_inside_an_sdk_still_stops_the_wait(tmp_path, vertex_server, caplog, monkeypatch, inherited_sigint):
    from cloud_support import assert_a_lost_ctrl_c_still_stops_the_wait, sigint_as

    with sigint_as(inherited_sigint):  # passes however the test process was started
        assert_a_lost_ctrl_c_still_stops_the_wait(tuner_for(vertex_server, tmp_path), make_rows(8), caplog, monkeypatch)
    assert read_json(tmp_path / "run" / "tune" / "job.json").get("state") is None  # stopped while waiting


def test_generation_faults_are_retried_or_recorded(tmp_path, vertex_server):
    from cloud_support import FAULT_TIMEOUT, assert_generation_faults_retried_or_recorded

    tuner = tuner_for(vertex_server, tmp_path, max_attempts=3, request_timeout=FAULT_TIMEOUT, cache=False)
    tuner.fit(make_rows(8))
    assert_generation_faults_retried_or_recorded(vertex_server, tuner, make_rows(9, start=100))


# --------------------------------------------------------------------------- the CLI
def _scan_for(secret: str, root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_cli_run_writes_nothing_secret(cli, tmp_path, vertex_server):
    fake = vertex_server
    prepared = write_prepared(tmp_path / "prepared", make_rows(8), make_rows(4, start=100))
    res = cli("stages=[tune]", f"from_run={prepared}", *fast(fake), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    from run_dirs import only_run_dir

    run = only_run_dir(tmp_path)
    assert len(list(read_jsonl(run / "tune" / "predictions.jsonl"))) == 4
    assert (run / "tune" / "job.json").is_file() and (run / "tune" / "snapshots.jsonl").is_file()
    tokens = {r.headers["authorization"].removeprefix("Bearer ") for r in fake.requests if "authorization" in r.headers}
    assert tokens
    for secret in [*tokens, fake.pem.splitlines()[1], fake.pem.splitlines()[-2]]:
        assert _scan_for(secret, run) == [] and secret not in res.stdout + res.stderr


def test_cli_dry_run_makes_no_network_call(cli, tmp_path, vertex_server):
    prepared = write_prepared(tmp_path / "prepared", make_rows(40), make_rows(3, start=100))
    res = cli("stages=[tune,evaluate]", f"from_run={prepared}", *fast(vertex_server, dry_run="true", epoch_count=3,
              validation_fraction=0.25, adapter_size=8), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert vertex_server.requests == [] and gcs_objects() == {}
    from run_dirs import only_run_dir

    plan = read_json(only_run_dir(tmp_path) / "tune" / "plan.json")
    assert plan["examples"] == 30 and plan["validation_examples"] == 10 and plan["epoch_count"] == 3 and plan["adapter_size"] == 8
    tokens = sum(-(-len(t) // 4) for r in make_rows(30) for t in (r.prompt, r.target_text))
    assert plan["approx_tokens_per_epoch"] == tokens and plan["approx_training_tokens"] == 3 * tokens
    assert plan["estimated_cost"].startswith(f"~${3 * tokens / 1e6 * 5:,.2f} at $5 per 1M")
    assert plan["training_dataset"].startswith(BUCKET + "/piikit-train-")
    assert "estimated_cost" in res.stdout and "dry run" in res.stdout
    assert not (only_run_dir(tmp_path) / "evaluate").exists()


def test_cli_missing_credentials_is_one_line(cli, tmp_path):
    prepared = write_prepared(tmp_path / "prepared", make_rows(4), make_rows(2, start=100))
    env = {k: v for k, v in os.environ.items() if k not in ("GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_API_KEY")}
    env.update(HOME=str(tmp_path), CLOUDSDK_CONFIG=str(tmp_path / "gcloud"), NO_GCE_CHECK="true", PIIKIT_PROGRESS="0")
    exe = Path(sys.executable).parent / "piikit"
    res = subprocess.run([str(exe), "stages=[tune]", f"from_run={prepared}", "tuner=vertex", "tuner.project=p",
                          "tuner.gcs_uri=gs://bkt/x", "tuner.base_url=http://127.0.0.1:9"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Application Default Credentials" in lines[0] and "application-default login" in lines[0]


def test_cli_resume_after_an_interrupted_wait(tmp_path, vertex_server):
    """Ctrl-C while waiting for the job, then tuner.resume=<run dir>: no second upload or job."""
    fake = vertex_server
    fake.hold = True  # the job makes no progress until released
    prepared = write_prepared(tmp_path / "prepared", make_rows(8), make_rows(3, start=100))
    exe = Path(sys.executable).parent / "piikit"
    env = {**os.environ, "PIIKIT_PROGRESS": "0"}
    args = [str(exe), "stages=[tune]", f"from_run={prepared}", *fast(fake, poll_interval=0.05)]
    from cloud_support import interrupt_while_waiting

    job_path = interrupt_while_waiting(fake, tmp_path, args, env, "get_job", timeout=90)
    assert read_json(job_path)["tuning_job"] == f"{fake.parent}/tuningJobs/4001"

    fake.hold = False
    res = subprocess.run([*args, "tuner.resume=run1", "hydra.run.dir=run2"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert len(fake.calls("create")) == 1 and len(gcs_objects()) == 1
    assert len(list(read_jsonl(tmp_path / "run2" / "tune" / "predictions.jsonl"))) == 3
    assert len(list(read_jsonl(tmp_path / "run2" / "tune" / "snapshots.jsonl"))) == 3


def test_cli_prepare_upload_tune_generate_evaluate(cli, tmp_path, vertex_server):
    """The whole pipeline on synthetic data: the uploaded dataset is the prepared train split,
    the evaluate stage scores the endpoint's answers (the fake masks what it learned)."""
    fake = vertex_server
    res = cli("stages=[prepare,tune,evaluate]", "dataset.size=150", "dataset.long_fraction=0", "split.n_train=120", "split.n_test=30",
              *fast(fake, epoch_count=2), cwd=tmp_path)  # short rows: one example each (long ones are split: test_cloud_chunks)
    assert res.returncode == 0, res.stderr
    from run_dirs import only_run_dir

    run = only_run_dir(tmp_path)
    train = list(read_jsonl(run / "prepare" / "train.jsonl"))
    (name,) = gcs_objects()
    uploaded = [json.loads(x) for x in gcs_objects()[name].splitlines()]
    assert [u["contents"][0]["parts"][0]["text"] for u in uploaded] == [r["prompt"] for r in train]
    assert [u["contents"][1]["parts"][0]["text"] for u in uploaded] == [r["target_text"] for r in train]
    assert len(fake.calls("generate")) == 30 and len(list(read_jsonl(run / "tune" / "predictions.jsonl"))) == 30
    metrics = read_json(run / "evaluate" / "metrics.json")
    print({k: metrics[k] for k in ("span_f1", "leak_rate", "exact_match") if k in metrics})
    assert 0.0 < metrics["span_f1"] < 1.0 and 0.0 < metrics["leak_rate"] < 1.0
