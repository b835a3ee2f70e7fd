"""Vertex AI tuner: supervised fine-tuning of Gemini 2.x through ``google-genai`` (``vertexai=True``).

``fit`` exports the prepared train split (and an optional validation tail of it) as Vertex
supervised-tuning JSONL, checks it (no empty texts, per-example token limit, file size), uploads
it with ``google-cloud-storage`` to ``<tuner.gcs_uri>/piikit-train-<sha256>.jsonl`` (an object
that exists already is not uploaded again), starts ``client.tunings.tune(...)``, writes
``<run>/tune/job.json`` at once and polls ``client.tunings.get`` until the job has ended
(progress: state, elapsed time, epochs, latest loss). The job's metrics, when it publishes
them (``gcsMetricsUri``), become the loss curve. ``predict`` calls ``generateContent`` on the
tuned model's endpoint through the shared generation layer (:mod:`piikit.tuners.cloud.generation`).

Credentials: Application Default Credentials (``gcloud auth application-default login`` or a
service-account key in ``GOOGLE_APPLICATION_CREDENTIALS``), handed only to the SDKs.
``STORAGE_EMULATOR_HOST`` points the upload at a local GCS emulator (the tests do).

The google SDKs are imported inside functions: this module is imported by ``piikit --help``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

from piikit.data.schema import Prediction, Row
from piikit.errors import PiikitError
from piikit.io import config_hash, read_json, write_json
from piikit.tuners.base import Snapshot
from piikit.tuners.cloud.common import CloudTunerConfig, RetryingCalls, enum_name, generate_rows, response_text
from piikit.tuners.cloud.generation import Failure, GenerationStats, server_delay

log = logging.getLogger("piikit")

SCOPES = ("https://www.googleapis.com/auth/cloud-platform",)
# Vertex AI limits for supervised tuning of Gemini 2.x (per example: input + output tokens)
MAX_EXAMPLE_TOKENS = 131_072
MAX_DATASET_BYTES = 1 << 30  # a JSONL dataset file: 1 GiB
MAX_VALIDATION_EXAMPLES = 5_000
CHARS_PER_TOKEN = 4  # the estimate used before upload (the service counts real tokens)
ADAPTER_SIZES = {1: "ADAPTER_SIZE_ONE", 2: "ADAPTER_SIZE_TWO", 4: "ADAPTER_SIZE_FOUR", 8: "ADAPTER_SIZE_EIGHT",
                 16: "ADAPTER_SIZE_SIXTEEN", 32: "ADAPTER_SIZE_THIRTY_TWO"}
JOB_RE = re.compile(r"^projects/[^/]+/locations/[^/]+/tuningJobs/[^/]+$")
GS_RE = re.compile(r"^gs://([a-z0-9][a-z0-9._-]{1,221}[a-z0-9])(/.*)?$")
LOSS_KEYS = ("loss", "train_loss", "training_loss", "mean_loss", "train/loss", "trainLoss", "meanLoss")


@dataclass
class VertexConfig(CloudTunerConfig):
    name: str = "vertex"
    project: Optional[str] = None  # null: $GOOGLE_CLOUD_PROJECT
    location: str = "us-central1"
    base_model: str = "gemini-2.5-flash"
    tuned_model_display_name: Optional[str] = None  # null: piikit-<hash of data + settings>
    epoch_count: Optional[int] = None  # null: the service's default
    learning_rate_multiplier: Optional[float] = None
    adapter_size: Optional[int] = None  # 1 | 2 | 4 | 8 | 16 | 32; null: the service's default
    validation_fraction: float = 0.0  # e.g. 0.05: the last 5% of the train rows become the validation set
    gcs_uri: Optional[str] = None  # gs://bucket/prefix to upload to, or an existing gs://.../file.jsonl to reuse
    system_instruction: Optional[str] = None  # sent with every example and every test prompt
    base_url: Optional[str] = None  # override for proxies / the local fake server (http://127.0.0.1:PORT)
    poll_interval: float = 30.0  # seconds between polls of the tuning job
    # USD per 1M training tokens (gemini-2.5-flash list price when written), for the dry run's estimate
    price_per_million_tokens: Optional[float] = 5.0

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.adapter_size is not None and self.adapter_size not in ADAPTER_SIZES:
            raise PiikitError(f"tuner.adapter_size={self.adapter_size} is not valid", f"use one of {sorted(ADAPTER_SIZES)} or null")
        if not 0.0 <= self.validation_fraction < 1.0:
            raise PiikitError(f"tuner.validation_fraction={self.validation_fraction} must be in [0, 1)", "0 means no validation set")
        if self.gcs_uri is not None and not GS_RE.match(self.gcs_uri):
            raise PiikitError(f"tuner.gcs_uri={self.gcs_uri!r} is not a gs:// URI", "use gs://<bucket>/<prefix> (or gs://.../file.jsonl to reuse one)")
        if self.reuses_dataset and self.validation_fraction:
            raise PiikitError("tuner.gcs_uri names an existing dataset, so tuner.validation_fraction must be 0",
                              "or point tuner.gcs_uri at a prefix so piikit exports both splits")
        for key in ("epoch_count", "concurrency", "max_attempts"):
            value = getattr(self, key)
            if value is not None and value < 1:
                raise PiikitError(f"tuner.{key}={value} must be at least 1")
        for key in ("learning_rate_multiplier", "request_timeout"):
            value = getattr(self, key)
            if value is not None and value <= 0:
                raise PiikitError(f"tuner.{key}={value} must be positive")
        for key in ("initial_backoff", "max_backoff", "poll_interval"):
            if getattr(self, key) < 0:
                raise PiikitError(f"tuner.{key}={getattr(self, key)} must not be negative")

    @property
    def reuses_dataset(self) -> bool:
        return bool(self.gcs_uri and self.gcs_uri.endswith(".jsonl"))


# --------------------------------------------------------------------------- dataset export
def approx_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def export_example(prompt: str, output: str, system_instruction: str | None = None) -> dict[str, Any]:
    """One line of Vertex supervised-tuning JSONL."""
    example: dict[str, Any] = {}
    if system_instruction:
        example["systemInstruction"] = {"role": "system", "parts": [{"text": system_instruction}]}
    example["contents"] = [{"role": "user", "parts": [{"text": prompt}]},
                           {"role": "model", "parts": [{"text": output}]}]
    return example


def export_examples(train: Sequence[Row], system_instruction: str | None = None, max_chars: int = 0) -> list[dict[str, Any]]:
    """The rows as tuning examples, checked: non-empty prompt and output, input + output within
    the per-example token limit. Every offending row is named in one error line. A prompt
    longer than ``max_chars`` becomes several aligned examples (see ``training_pairs``)."""
    from piikit.tuners.cloud.common import raise_if_problems, training_pairs

    examples, problems = [], []
    extra = approx_tokens(system_instruction or "")
    for row_id, prompt, output in training_pairs(train, max_chars):
        if not prompt.strip():
            problems.append(f"{row_id} (no prompt)")
        if not output.strip():
            problems.append(f"{row_id} (empty output)")
        tokens = extra + approx_tokens(prompt) + approx_tokens(output)
        if tokens > MAX_EXAMPLE_TOKENS:
            problems.append(f"{row_id} (~{tokens:,} tokens)")
        examples.append(export_example(prompt, output, system_instruction))
    raise_if_problems(problems, f"break Vertex AI's tuning limits (non-empty prompt and output, "
                      f"≤ {MAX_EXAMPLE_TOKENS:,} tokens each)", "drop or shorten those rows, or use a shorter prompt template")
    if not examples:
        raise PiikitError("no training examples", "the prepared train split is empty")
    return examples


def to_jsonl(examples: Sequence[dict[str, Any]], what: str = "training") -> bytes:
    data = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in examples).encode()
    if len(data) > MAX_DATASET_BYTES:
        raise PiikitError(f"the {what} dataset is {len(data) / 2**20:,.0f} MiB; Vertex AI takes at most 1 GiB",
                          "use fewer rows (dataset.max_rows, split.n_train)")
    return data


def split_validation(train: Sequence[Row], fraction: float) -> tuple[list[Row], list[Row]]:
    """The last ``ceil(fraction × n)`` rows become the validation set (none for 0)."""
    n_val = math.ceil(len(train) * fraction) if fraction else 0
    if n_val > MAX_VALIDATION_EXAMPLES:
        raise PiikitError(f"{n_val:,} validation examples; Vertex AI takes at most {MAX_VALIDATION_EXAMPLES:,}",
                          "lower tuner.validation_fraction")
    if n_val and n_val >= len(train):
        raise PiikitError(f"tuner.validation_fraction={fraction} leaves no training rows", "lower it")
    return list(train[: len(train) - n_val]), list(train[len(train) - n_val :])


def dataset_object(prefix_uri: str, kind: str, data: bytes) -> str:
    """``gs://bucket/prefix/piikit-<kind>-<sha256[:16]>.jsonl``: the same bytes, the same object."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    return f"{prefix_uri.rstrip('/')}/piikit-{kind}-{digest}.jsonl"


def split_gs(uri: str) -> tuple[str, str]:
    m = GS_RE.match(uri)
    if not m:
        raise PiikitError(f"{uri!r} is not a gs:// URI")
    return m.group(1), (m.group(2) or "/").lstrip("/")


def upload_once(client, uri: str, data: bytes) -> bool:
    """Upload ``data`` to ``uri`` unless that object exists already; True when uploaded."""
    from google.api_core import exceptions as gexc

    bucket, name = split_gs(uri)
    blob = client.bucket(bucket).blob(name)
    try:
        if blob.exists():
            log.info("%s is there already: not uploading it again", uri)
            return False
        blob.upload_from_string(data, content_type="application/jsonl")
    except gexc.NotFound:
        raise PiikitError(f"bucket gs://{bucket} does not exist",
                          f"create it: gcloud storage buckets create gs://{bucket} --location=<tuner.location>") from None
    except (gexc.Forbidden, gexc.Unauthorized) as e:
        raise PiikitError(f"no access to gs://{bucket}: {_one_line(e.message)}",
                          "grant your account roles/storage.objectAdmin on the bucket") from None
    log.info("uploaded %s (%s bytes)", uri, f"{len(data):,}")
    return True


def _one_line(text: Any) -> str:
    from piikit.tuners.cloud.common import scrub

    return scrub(text)


# --------------------------------------------------------------------------- the tuner
class VertexTuner(RetryingCalls):
    needs_training = True

    def __init__(self, config: VertexConfig, ctx):
        self.config = config
        self.ctx = ctx
        self.endpoint: str | None = None
        self.stats = GenerationStats()
        self._client = None
        self._storage = None

    # ------------------------------------------------------------------ plan
    @property
    def project(self) -> str | None:
        return self.config.project or os.environ.get("GOOGLE_CLOUD_PROJECT")

    def display_name(self, train_uri: str) -> str:
        c = self.config
        if c.tuned_model_display_name:
            return c.tuned_model_display_name
        key = {"base": c.base_model, "data": train_uri, "epochs": c.epoch_count, "lr": c.learning_rate_multiplier,
               "adapter": c.adapter_size}
        return f"piikit-{config_hash(key)}"

    def datasets(self, train: Sequence[Row]) -> dict[str, Any]:
        """The exported and checked datasets: ``{train, validation}`` → (examples, bytes, gs:// uri)."""
        c = self.config
        if c.reuses_dataset:
            return {"train": ([], b"", c.gcs_uri)}
        if not c.gcs_uri:
            raise PiikitError("tuner.gcs_uri is not set", "set tuner.gcs_uri=gs://<bucket>/<prefix> (where the dataset is uploaded)")
        train_rows, val_rows = split_validation(train, c.validation_fraction)
        out = {}
        for kind, rows in (("train", train_rows), ("validation", val_rows)):
            if rows:
                examples = export_examples(rows, c.system_instruction, c.max_request_chars)
                data = to_jsonl(examples, kind)
                out[kind] = (examples, data, dataset_object(c.gcs_uri, kind, data))
        return out

    def plan(self, train: Sequence[Row], test: Sequence[Row] = ()) -> dict[str, Any]:
        """What a run would do, without any network call (``tuner.dry_run=true`` prints this)."""
        from piikit.tuners.cloud.common import request_count

        c = self.config
        sets = self.datasets(train)
        train_examples, train_data, train_uri = sets["train"]
        val = sets.get("validation")
        tokens = sum(approx_tokens(part["text"]) for e in train_examples
                     for turn in [*e["contents"], *([e["systemInstruction"]] if "systemInstruction" in e else [])]
                     for part in turn["parts"])
        epochs = c.epoch_count
        training_tokens = tokens * (epochs or 1)
        base = (c.base_url or f"https://{c.location}-aiplatform.googleapis.com").rstrip("/")
        parent = f"projects/{self.project or '<project>'}/locations/{c.location}"
        per = "" if epochs else " per epoch (set tuner.epoch_count for the total)"
        cost = (f"~${training_tokens / 1e6 * c.price_per_million_tokens:,.2f}{per} at ${c.price_per_million_tokens:g} per 1M "
                f"training tokens (tuner.price_per_million_tokens; check current Vertex AI pricing)"
                if c.price_per_million_tokens is not None and train_examples else "not estimated")
        if c.resume:
            tune_requests = [f"GET {base}/v1beta1/<the tuning job of {c.resume}> every {c.poll_interval:g}s until ended (no upload, no create)"]
        else:
            uploads = ([f"no upload: reuse {train_uri}"] if c.reuses_dataset else
                       [f"GCS: upload {uri} ({len(data):,} bytes) unless it exists" for _ex, data, uri in sets.values()])
            tune_requests = uploads + [
                f"POST {base}/v1beta1/{parent}/tuningJobs (base model {c.base_model})",
                f"GET {base}/v1beta1/{parent}/tuningJobs/<id> every {c.poll_interval:g}s until ended",
            ]
        return {
            "tuner": "vertex",
            "project": self.project or "(not set: tuner.project or GOOGLE_CLOUD_PROJECT)",
            "location": c.location,
            "base_model": c.base_model,
            "tuned_model_display_name": self.display_name(train_uri),
            "examples": len(train_examples) if train_examples else f"(the existing dataset {train_uri})",
            "validation_examples": len(val[0]) if val else 0,
            "training_dataset": train_uri,
            "validation_dataset": val[2] if val else None,
            "dataset_bytes": len(train_data) + (len(val[1]) if val else 0),
            "approx_tokens_per_epoch": tokens,
            "epoch_count": epochs if epochs else "the service's default",
            "adapter_size": c.adapter_size or "the service's default",
            "learning_rate_multiplier": c.learning_rate_multiplier or "the service's default (1.0)",
            "approx_training_tokens": training_tokens,
            "estimated_cost": cost,
            "steps": "chosen by Vertex AI from the dataset (tuningDataStats.tuningStepCount, shown once the job runs)",
            "test_rows": len(test),
            "credentials": "Application Default Credentials" + (
                " (GOOGLE_APPLICATION_CREDENTIALS)" if os.environ.get("GOOGLE_APPLICATION_CREDENTIALS") else ""),
            "requests": tune_requests + [
                f"{request_count(test, c.max_request_chars):,} × POST {base}/v1beta1/<tuned endpoint>:generateContent "
                f"({c.concurrency} in parallel, timeout {c.request_timeout:g}s, up to {c.max_attempts} attempts)",
            ],
        }

    # ------------------------------------------------------------------ SDK plumbing
    def _genai(self):
        try:
            from google import genai
        except ImportError:
            raise PiikitError("tuner=vertex needs google-genai and google-cloud-storage", "pip install 'piikit[vertex]'") from None
        return genai

    def client(self):
        """The ``google-genai`` client in Vertex AI mode (ADC credentials; no SDK retries: ours)."""
        if self._client is None:
            genai = self._genai()
            from google.genai import types

            c = self.config
            if not self.project:
                raise PiikitError("no Google Cloud project", "set tuner.project=<project id> (or GOOGLE_CLOUD_PROJECT)")
            options = types.HttpOptions(base_url=c.base_url, timeout=int(c.request_timeout * 1000))
            self._client = genai.Client(vertexai=True, project=self.project, location=c.location,
                                        credentials=_adc_credentials(), http_options=options)
        return self._client

    def storage(self):
        if self._storage is None:
            self._genai()
            from google.cloud import storage

            if os.environ.get("STORAGE_EMULATOR_HOST"):  # a local emulator: no credentials
                self._storage = storage.Client(project=self.project)
            else:
                self._storage = storage.Client(project=self.project, credentials=_adc_credentials())
        return self._storage

    def classify(self, exc: BaseException) -> Failure | None:
        """Which errors are retried. Errors that concern every request (credentials, an unknown
        job or endpoint) stop the run with one line instead of failing row after row."""
        from google.auth import exceptions as auth_exc
        from google.genai import errors

        if isinstance(exc, errors.APIError):
            message = _one_line(exc.message or exc.status or "")
            body = exc.details if isinstance(exc.details, dict) else {}
            error = body.get("error") if isinstance(body.get("error"), dict) else {}
            wait = server_delay(getattr(exc.response, "headers", None), error.get("details"))
            if exc.code == 429:
                return Failure("rate_limited", True, message, wait)
            if exc.code == 408:
                return Failure("timeout", True, message)
            if exc.code >= 500:
                return Failure("server_error", True, f"{exc.code} {message}", wait)
            if exc.code in (401, 403):
                raise PiikitError(f"Vertex AI refused the credentials: {message}",
                                  "check your ADC login and the roles/aiplatform.user role on the project") from None
            if exc.code == 404:
                raise PiikitError(f"not found: {message}", "check tuner.project, tuner.location and tuner.resume / tuner.model") from None
            return Failure(f"http_{exc.code}", False, message)
        if isinstance(exc, _timeout_errors()):
            return Failure("timeout", True, f"no answer within {self.config.request_timeout:g}s")
        if isinstance(exc, _connect_errors()) or isinstance(exc, auth_exc.TransportError):
            return Failure("connection", True, _one_line(type(exc).__name__))
        if isinstance(exc, auth_exc.RefreshError):
            raise PiikitError(f"could not get an access token: {_one_line(exc.args[0] if exc.args else exc)}",
                              "run: gcloud auth application-default login (or check GOOGLE_APPLICATION_CREDENTIALS)") from None
        return None



    # ------------------------------------------------------------------ tuning
    def fit(self, train: Sequence[Row]) -> list[Snapshot]:
        c = self.config
        if c.dry_run:  # the tune stage asks plan() instead; never call the API on a dry run
            raise PiikitError("tuner.dry_run=true: nothing to fit", "run the tune stage, which prints the plan")
        self.ctx.stage_dir("tune")
        job_path = self.ctx.paths.job
        if c.resume:
            job = self._job_from_resume(c.resume)
            log.info("re-attaching to %s", job["tuning_job"])
        else:
            sets = self.datasets(train)  # checked before anything is uploaded
            self.client()
            uris = {}
            for kind, (_examples, data, uri) in sets.items():
                if data:
                    upload_once(self.storage(), uri, data)
                uris[kind] = uri
            job = self._create(uris, len(sets["train"][0]))
        write_json(job_path, job)
        try:
            tuning_job = self._wait(job)
        except KeyboardInterrupt:
            log.warning("the tuning job %s goes on at Vertex AI; re-attach with tuner.resume=%s", job["tuning_job"], self.ctx.run_dir)
            raise
        state = _state(tuning_job)
        job = {**job, "state": state, **_job_facts(tuning_job)}
        write_json(job_path, job)
        if not tuning_job.has_succeeded:
            error = tuning_job.error
            detail = _one_line(error.message) if error is not None and error.message else "no error message"
            raise PiikitError(f"tuning job {job['tuning_job']} ended in {state}: {detail}",
                              "fix the cause, then run again (see the job in the Vertex AI console)")
        self.endpoint = tuning_job.tuned_model.endpoint if tuning_job.tuned_model else None
        if not self.endpoint:
            raise PiikitError(f"tuning job {job['tuning_job']} succeeded but names no endpoint", "see the job in the Vertex AI console")
        return self._snapshots(tuning_job)

    def _create(self, uris: dict[str, str], examples: int) -> dict[str, Any]:
        from google.genai import types

        c = self.config
        client = self.client()
        config = types.CreateTuningJobConfig(
            tuned_model_display_name=self.display_name(uris["train"]),
            epoch_count=c.epoch_count,
            learning_rate_multiplier=c.learning_rate_multiplier,
            adapter_size=ADAPTER_SIZES[c.adapter_size] if c.adapter_size else None,
            validation_dataset=types.TuningValidationDataset(gcs_uri=uris["validation"]) if "validation" in uris else None,
        )
        # retried only on 429 (refused before anything started): after a lost answer to a
        # create, a retry could start a second, paid job
        import dataclasses
        import warnings

        from piikit.tuners.cloud.common import call_or_fail

        def classify_create(exc: BaseException) -> Failure | None:
            failure = self.classify(exc)
            return dataclasses.replace(failure, retryable=failure.kind == "rate_limited") if failure else None

        def create():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "the SDK's tuning implementation is experimental"
                return client.tunings.tune(base_model=c.base_model, training_dataset=types.TuningDataset(gcs_uri=uris["train"]),
                                           config=config)

        try:
            tuning_job = call_or_fail("creating the tuning job", create, classify_create, self._retry())
        except PiikitError as e:
            if e.hint is None and e.message.startswith("creating the tuning job failed"):
                e.hint = "not retried, as a lost answer may have started a job: check the Vertex AI console before running again"
            raise
        log.info("created tuning job %s", tuning_job.name)
        return {"tuning_job": tuning_job.name, "project": self.project, "location": c.location, "base_model": c.base_model,
                "training_dataset": uris["train"], "validation_dataset": uris.get("validation"),
                "examples": examples or None, "hyperparameters": {"epoch_count": c.epoch_count,
                "learning_rate_multiplier": c.learning_rate_multiplier, "adapter_size": c.adapter_size},
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}

    def _job_from_resume(self, value: str) -> dict[str, Any]:
        from piikit.tuners.cloud.common import job_from_path

        job = job_from_path(value, "tuning_job", "tuning job")
        if job is not None:
            return job
        name = value if value.startswith("projects/") else (
            f"projects/{self.project}/locations/{self.config.location}/tuningJobs/{value}" if "/" not in value else value)
        if not JOB_RE.match(name):
            raise PiikitError(f"tuner.resume={value!r} is neither a run dir nor a tuning job",
                              "give projects/<p>/locations/<l>/tuningJobs/<id>, the job id, or an earlier run dir")
        if not self.project and not value.startswith("projects/"):
            raise PiikitError("no Google Cloud project for tuner.resume=<job id>", "set tuner.project, or give the full job name")
        return {"tuning_job": name, "project": self.project, "location": self.config.location}

    def _get(self, name: str):
        return self._call("reading the tuning job", lambda: self.client().tunings.get(name=name))

    def _wait(self, job: dict[str, Any]):
        """Poll the job until it has ended; the last TuningJob is returned."""
        from rich.progress import TextColumn

        from piikit.console import progress, progress_enabled
        from piikit.tuners.cloud.common import ctrl_c_noted

        c = self.config
        t0, last_log, total = time.monotonic(), 0.0, c.epoch_count
        with progress(TextColumn("{task.fields[state]} · {task.fields[elapsed]} · loss {task.fields[loss]}")) as bar, \
                ctrl_c_noted() as interrupted:
            task = bar.add_task(f"tuning {job['tuning_job'].rsplit('/', 1)[-1]}", total=total, state="–", elapsed="0s", loss="–")
            while True:
                tuning_job = self._get(job["tuning_job"])
                state = _state(tuning_job)
                meta = getattr(tuning_job, "tuning_job_metadata", None)  # newer SDKs only
                epochs = (meta.completed_epoch_count if meta else None) or 0
                snaps = self._snapshots(tuning_job, quiet=True) if getattr(tuning_job, "gcs_metrics_uri", None) else []
                loss = f"{snaps[-1].loss:.4f}" if snaps else "–"
                elapsed = f"{time.monotonic() - t0:.0f}s"
                bar.update(task, completed=epochs, total=total, state=state.removeprefix("JOB_STATE_"), elapsed=elapsed, loss=loss)
                now = time.monotonic()
                if not progress_enabled() and (tuning_job.has_ended or now - last_log >= 30):
                    log.info("tuning job %s: %s, %s elapsed, epoch %d/%s, loss %s",
                             job["tuning_job"], state, elapsed, epochs, total or "?", loss)
                    last_log = now
                interrupted()  # a Ctrl-C an SDK swallowed (during this poll or the last wait): stop now, not when the job ends
                if tuning_job.has_ended:
                    return tuning_job
                time.sleep(c.poll_interval)

    def _snapshots(self, tuning_job, quiet: bool = False) -> list[Snapshot]:
        """The job's loss records under ``gcsMetricsUri`` (JSONL / JSON / CSV rows with a step and
        a loss), if it publishes any; otherwise none."""
        uri = getattr(tuning_job, "gcs_metrics_uri", None)
        if not uri:
            if not quiet:
                log.info("the tuning job publishes no metrics: no loss curve (see the job in the Vertex AI console)")
            return []
        try:
            records = read_metrics(self.storage(), uri)
        except Exception as e:  # noqa: BLE001 - metrics are a nice-to-have: never fail the run for them
            if not quiet:
                log.warning("could not read the tuning metrics at %s: %s", uri, _one_line(e))
            return []
        stats = tuning_job.tuning_data_stats
        sft = stats.supervised_tuning_data_stats if stats else None
        steps = sft.tuning_step_count if sft else None
        epochs = self.config.epoch_count
        per_epoch = steps / epochs if steps and epochs else None
        return metrics_to_snapshots(records, per_epoch)

    # ------------------------------------------------------------------ model files
    def save(self, model_dir: Path) -> None:
        c = self.config
        write_json(Path(model_dir) / "model.json", {"endpoint": self.endpoint, "project": self.project, "location": c.location,
                                                    "base_model": c.base_model, "system_instruction": c.system_instruction})

    def load(self, model_dir: Path) -> None:
        path = Path(model_dir) / "model.json"
        if not path.is_file():
            raise PiikitError(f"{model_dir} has no model.json", "point tuner.model at the run dir of a vertex run")
        self.endpoint = read_json(path).get("endpoint")
        if not self.endpoint:
            raise PiikitError(f"{path} names no endpoint", "point tuner.model at the run dir of a vertex run")

    # ------------------------------------------------------------------ generation
    def predict(self, rows: Sequence[Row]) -> Iterator[Prediction]:
        from google.genai import types

        if self.endpoint is None:
            raise PiikitError("no tuned model to generate with", "train first, or set tuner.model=<run dir of a vertex run>")
        missing = [r.id for r in rows if not r.prompt]
        if missing:
            raise PiikitError(f"{len(missing)} test row(s) have no prompt (e.g. {missing[0]})", "run the prepare stage first")
        c = self.config
        client = self.client()
        settings = {"temperature": c.temperature, "max_output_tokens": c.max_output_tokens, "system_instruction": c.system_instruction}
        config = types.GenerateContentConfig(**settings)

        def generate_one(prompt: str) -> str:
            return response_text(client.models.generate_content(model=self.endpoint, contents=prompt, config=config))

        self.stats = GenerationStats()
        yield from generate_rows(rows, generate_one, self.classify, model=self.endpoint, settings=settings,
                                 cache_dir=self.ctx.cache_dir if c.cache else None, concurrency=c.concurrency,
                                 retry=self._retry(), stats=self.stats, max_chars=c.max_request_chars)


# --------------------------------------------------------------------------- helpers


def read_metrics(storage_client, uri: str) -> list[dict[str, Any]]:
    """Records from every .jsonl / .json / .csv object at or under ``uri``."""
    import csv
    import io

    bucket, name = split_gs(uri)
    blobs = list(storage_client.list_blobs(bucket, prefix=name))
    records: list[dict[str, Any]] = []
    for blob in sorted(blobs, key=lambda b: b.name):
        if blob.name.endswith(".jsonl"):
            text = blob.download_as_text()
            records += [json.loads(line) for line in text.splitlines() if line.strip()]
        elif blob.name.endswith(".json"):
            data = json.loads(blob.download_as_text())
            records += data if isinstance(data, list) else data.get("metrics", [data]) if isinstance(data, dict) else []
        elif blob.name.endswith(".csv"):
            records += list(csv.DictReader(io.StringIO(blob.download_as_text())))
    return [r for r in records if isinstance(r, dict)]


def metrics_to_snapshots(records: list[dict[str, Any]], steps_per_epoch: float | None) -> list[Snapshot]:
    """``{step, epoch, loss}`` from records that have a step and a loss (sorted by step, one per step)."""
    by_step: dict[int, Snapshot] = {}
    for r in records:
        step = r.get("step", r.get("global_step"))
        loss = next((r[k] for k in LOSS_KEYS if r.get(k) not in (None, "")), None)
        if step in (None, "") or loss is None:
            continue
        step, loss = int(float(step)), float(loss)
        if r.get("epoch") not in (None, ""):
            epoch = float(r["epoch"])
        else:
            epoch = float(math.ceil(step / steps_per_epoch)) if steps_per_epoch else 0.0
        by_step[step] = Snapshot(step=step, epoch=epoch, loss=loss)
    return [by_step[s] for s in sorted(by_step)]


_enum_name = enum_name


def _state(tuning_job) -> str:
    return _enum_name(tuning_job.state) if tuning_job.state else "JOB_STATE_UNSPECIFIED"


def _job_facts(tuning_job) -> dict[str, Any]:
    """What job.json keeps of the ended job: the tuned model, endpoint and data stats."""
    facts: dict[str, Any] = {}
    if tuning_job.tuned_model:
        facts["tuned_model"] = tuning_job.tuned_model.model
        facts["endpoint"] = tuning_job.tuned_model.endpoint
    stats = tuning_job.tuning_data_stats
    sft = stats.supervised_tuning_data_stats if stats else None
    if sft:
        facts["tuning_step_count"] = sft.tuning_step_count
        facts["billable_tokens"] = sft.total_billable_token_count
    if getattr(tuning_job, "gcs_metrics_uri", None):
        facts["metrics_uri"] = getattr(tuning_job, "gcs_metrics_uri", None)
    return facts


def _timeout_errors() -> tuple[type[BaseException], ...]:
    return _httpx_classes("TimeoutException")


def _connect_errors() -> tuple[type[BaseException], ...]:
    return _httpx_classes("ConnectError")


def _httpx_classes(name: str) -> tuple[type[BaseException], ...]:
    """``httpx.<name>`` and ``httpx2.<name>`` (google-genai uses either), those installed."""
    import importlib

    found = []
    for module in ("httpx", "httpx2"):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            pass
    return tuple(found)


def _adc_credentials():
    from piikit.tuners.cloud.common import adc_credentials

    return adc_credentials(
        SCOPES,
        "no Google Cloud credentials: no Application Default Credentials were found",
        "run: gcloud auth application-default login (or set GOOGLE_APPLICATION_CREDENTIALS=<service-account key file>)",
    )
