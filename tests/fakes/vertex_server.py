"""A local fake of Vertex AI's ``v1beta1`` REST API for the Vertex tuner's tests.

A real HTTP server on 127.0.0.1 (random port, in a thread) speaking the routes the real
``google-genai`` client calls when built as ``genai.Client(vertexai=True, project=P,
location=L, http_options=HttpOptions(base_url="http://127.0.0.1:<port>"))``:

- ``POST /v1beta1/projects/P/locations/L/tuningJobs`` (``client.tunings.tune``) → a ``TuningJob``;
- ``GET /v1beta1/projects/P/locations/L/tuningJobs/<id>`` (``client.tunings.get``);
- ``POST /v1beta1/projects/P/locations/L/endpoints/<id>:generateContent`` (``client.models.generate_content``
  with the tuned model's endpoint);
- ``POST /token``: an OAuth token endpoint, so a service-account key whose ``token_uri`` points
  here gives working Application Default Credentials offline.

It CHECKS what the client sends: a bearer token with the ``cloud-platform`` scope on every call,
the project and location, a known base model, hyperparameters of the right types and values. It
READS the training (and validation) dataset from Cloud Storage — the ``gcp-storage-emulator`` the
tests run, through the real ``google-cloud-storage`` client — and validates every line against
the documented supervised-tuning schema (``contents``: user/model turns with non-empty text
parts, ending with the model; optional ``systemInstruction``; no other keys). A dataset that is
missing is a 400 at create; an invalid one fails the job, with a message naming the line, as the
service does.

A job advances one phase per GET (QUEUED → RUNNING epoch by epoch → SUCCEEDED), unless
:attr:`hold` is set, so tests are deterministic and fast. While it runs it reports
``tuningJobMetadata.completedEpochCount`` and ``tuningDataStats``; with :attr:`publish_metrics`
it writes loss records (JSONL ``{step, epoch, train_loss}``) to Cloud Storage and names them in
``gcsMetricsUri``. A succeeded job has ``tunedModel.endpoint``; generateContent on that endpoint
answers with :class:`fakes.genai_server.Masker` (learned from the uploaded dataset).

Faults (:meth:`add_fault`, routes ``create`` | ``get_job`` | ``generate``): status codes, slow
responses, blocked prompts/candidates, empty candidates; :attr:`fail_job` / :attr:`cancel_job`
make the next job end FAILED / CANCELLED with that message.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from fakes.genai_server import Fault, Masker, ServedFake, Request, _error, _prompt_of, _STATUS, bearer_ok

SCOPE = "https://www.googleapis.com/auth/cloud-platform"
BASE_MODELS = {"gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite", "gemini-2.0-flash-001", "gemini-2.0-flash-lite-001"}
ADAPTER_SIZES = {"ADAPTER_SIZE_ONE", "ADAPTER_SIZE_TWO", "ADAPTER_SIZE_FOUR", "ADAPTER_SIZE_EIGHT", "ADAPTER_SIZE_SIXTEEN",
                 "ADAPTER_SIZE_THIRTY_TWO"}
SPEC_KEYS = {"trainingDatasetUri", "validationDatasetUri", "hyperParameters", "exportLastCheckpointOnly", "tuningMode",
             "evaluationConfig"}
HP_KEYS = {"epochCount", "learningRateMultiplier", "adapterSize", "batchSize", "learningRate"}
BATCH = 8  # the fake's own batch size: steps per epoch = ceil(examples / 8)


@dataclass
class VJob:
    id: str
    body: dict[str, Any]
    examples: list[dict[str, Any]]
    epochs: int
    steps_per_epoch: int
    state: str = "JOB_STATE_QUEUED"
    epochs_done: int = 0
    error: dict[str, Any] | None = None
    endpoint: str | None = None
    metrics_uri: str | None = None
    problem: str | None = None  # dataset validation failure: the job fails on its first poll
    end: str | None = None  # "fail" | "cancel": how the job ends (half-way)
    end_message: str = ""
    losses: list[dict[str, Any]] = field(default_factory=list)


def validate_example(example: Any) -> str | None:
    """Why ``example`` breaks the supervised-tuning JSONL schema, or None."""
    if not isinstance(example, dict):
        return "not a JSON object"
    extra = set(example) - {"contents", "systemInstruction"}
    if extra:
        return f"unknown field(s) {sorted(extra)}"
    if "systemInstruction" in example:
        si = example["systemInstruction"]
        if not isinstance(si, dict) or not _texts_ok(si.get("parts")) or si.get("role", "system") not in ("system", "user"):
            return "systemInstruction needs parts with non-empty text"
    contents = example.get("contents")
    if not isinstance(contents, list) or len(contents) < 2:
        return "contents needs at least a user and a model turn"
    for i, turn in enumerate(contents):
        if not isinstance(turn, dict) or set(turn) - {"role", "parts"}:
            return f"contents[{i}] must be {{role, parts}}"
        if turn.get("role") != ("user" if i % 2 == 0 else "model"):
            return f"contents[{i}].role must be {'user' if i % 2 == 0 else 'model'}"
        if not _texts_ok(turn.get("parts")):
            return f"contents[{i}].parts needs non-empty text"
    if contents[-1]["role"] != "model":
        return "the last turn must be the model's"
    return None


def _texts_ok(parts: Any) -> bool:
    return (isinstance(parts, list) and bool(parts)
            and all(isinstance(p, dict) and set(p) == {"text"} and isinstance(p["text"], str) and p["text"].strip() for p in parts))


class FakeVertex(ServedFake):
    """``with FakeVertex(gcs_endpoint=...) as fake: fake.endpoint`` → ``http://127.0.0.1:<port>``."""

    def __init__(self, project: str = "fake-project", location: str = "us-central1", gcs_endpoint: str | None = None,
                 latency: float = 0.0):
        self.project, self.location = project, location
        self.gcs_endpoint = gcs_endpoint  # where the datasets are read from (the GCS emulator)
        self.latency = latency  # seconds added to every generateContent
        self.hold = False  # True: jobs do not advance
        self.publish_metrics = True  # write loss records to GCS and name them in gcsMetricsUri
        self.fail_job: str | None = None  # message: the next created job fails half-way
        self.cancel_job: str | None = None  # message: the next created job is cancelled half-way
        self.issued_tokens: set[str] = set()
        self.requests: list[Request] = []
        self.jobs: dict[str, VJob] = {}
        self.endpoints: dict[str, VJob] = {}
        self.faults: list[Fault] = []
        self.masker = Masker()
        self._lock = threading.Lock()
        self.thread_name = "fake-vertex"

    @property
    def parent(self) -> str:
        return f"projects/{self.project}/locations/{self.location}"

    # ------------------------------------------------------------------ test helpers
    def calls(self, route: str) -> list[Request]:
        """Logged requests of one route: create | get_job | generate | token."""
        return [r for r in self.requests if _route_of(r.method, r.path)[0] == route]

    def _take_fault(self, route: str, prompt: str | None) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.route != route or fault.times == 0:
                    continue
                if fault.match is not None and (prompt is None or fault.match not in prompt):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                return fault
        return None

    def _storage(self):
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import storage

        return storage.Client(project=self.project, credentials=AnonymousCredentials(),
                              client_options={"api_endpoint": self.gcs_endpoint})

    def _read_gcs(self, uri: str) -> str | None:
        bucket, _, name = uri.removeprefix("gs://").partition("/")
        blob = self._storage().bucket(bucket).blob(name)
        return blob.download_as_text() if blob.exists() else None

    # ------------------------------------------------------------------ routes
    def handle(self, method: str, path: str, query: dict, headers: dict, body: Any) -> tuple[int, dict]:
        self.requests.append(Request(method, path, query, headers, body))
        route, project, location, ident = _route_of(method, path)
        if route == "token":
            token = f"ya29.fake-vertex-{len(self.issued_tokens)}"
            self.issued_tokens.add(token)
            return 200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}
        if not bearer_ok(headers.get("authorization", ""), SCOPE, self.issued_tokens):
            return _error(401, "UNAUTHENTICATED", "Request is missing required authentication credential. Expected OAuth 2 access token.")
        if route == "unknown":
            return _error(404, "NOT_FOUND", f"no route for {method} {path}")
        if (project, location) != (self.project, self.location):
            return _error(403, "PERMISSION_DENIED", f"Permission denied on resource project {project} (location {location}).")
        prompt = _prompt_of(body) if route == "generate" else None
        fault = self._take_fault(route, prompt)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
            fault = None
        if fault is not None and fault.kind == "status":
            return _error(fault.status, _STATUS.get(fault.status, "UNKNOWN"), fault.message, fault.retry_after)
        if route == "create":
            return self._create(body or {})
        if route == "get_job":
            with self._lock:
                job = self.jobs.get(ident)
                if job is None:
                    return _error(404, "NOT_FOUND", f"TuningJob {self.parent}/tuningJobs/{ident} does not exist.")
                self._advance(job)
                return 200, self._job_json(job)
        return self._generate(ident, body, prompt, fault)

    def _create(self, body: dict) -> tuple[int, dict]:
        base = body.get("baseModel")
        if base not in BASE_MODELS:
            return _error(400, "INVALID_ARGUMENT", f"Base model {base!r} is not supported for tuning.")
        spec = body.get("supervisedTuningSpec")
        if not isinstance(spec, dict) or set(spec) - SPEC_KEYS:
            return _error(400, "INVALID_ARGUMENT", f"Invalid supervisedTuningSpec: {spec!r}")
        hp = spec.get("hyperParameters") or {}
        if set(hp) - HP_KEYS:
            return _error(400, "INVALID_ARGUMENT", f"Unknown hyperParameters {sorted(set(hp) - HP_KEYS)}")
        epochs = hp.get("epochCount", 3)
        if isinstance(epochs, str) and epochs.isdigit():  # int64 fields may come as JSON strings
            epochs = int(epochs)
        if not isinstance(epochs, int) or not 1 <= epochs <= 100:
            return _error(400, "INVALID_ARGUMENT", f"epochCount must be an integer in [1, 100], got {epochs!r}")
        lrm = hp.get("learningRateMultiplier", 1.0)
        if not isinstance(lrm, (int, float)) or lrm <= 0:
            return _error(400, "INVALID_ARGUMENT", f"learningRateMultiplier must be positive, got {lrm!r}")
        if "adapterSize" in hp and hp["adapterSize"] not in ADAPTER_SIZES:
            return _error(400, "INVALID_ARGUMENT", f"Invalid adapterSize {hp['adapterSize']!r}")
        if "batchSize" in hp or "learningRate" in hp:
            return _error(400, "INVALID_ARGUMENT", "batchSize and learningRate are only available for open models")
        datasets: dict[str, list] = {}
        problem = None
        for key in ("trainingDatasetUri", "validationDatasetUri"):
            uri = spec.get(key)
            if uri is None:
                continue
            if not str(uri).startswith("gs://") or not str(uri).endswith(".jsonl"):
                return _error(400, "INVALID_ARGUMENT", f"{key} must be a gs:// JSONL file, got {uri!r}")
            text = self._read_gcs(uri)
            if text is None:
                return _error(400, "INVALID_ARGUMENT", f"Dataset {uri} does not exist or is not readable.")
            rows = []
            for lineno, line in enumerate(text.splitlines(), 1):
                try:
                    example = json.loads(line)
                except json.JSONDecodeError:
                    example = None
                why = validate_example(example) if example is not None else "not JSON"
                if why and problem is None:
                    problem = f"Dataset validation failed: {uri} line {lineno}: {why}."
                rows.append(example)
            datasets[key] = rows
        if "trainingDatasetUri" not in datasets:
            return _error(400, "INVALID_ARGUMENT", "supervisedTuningSpec.trainingDatasetUri is required")
        with self._lock:
            job_id = str(4000 + len(self.jobs) + 1)
            examples = datasets["trainingDatasetUri"]
            job = VJob(job_id, body, examples, epochs, max(1, math.ceil(len(examples) / BATCH)), problem=problem)
            if self.fail_job is not None:
                job.end, job.end_message, self.fail_job = "fail", self.fail_job, None
            elif self.cancel_job is not None:
                job.end, job.end_message, self.cancel_job = "cancel", self.cancel_job, None
            self.jobs[job_id] = job
            return 200, self._job_json(job)

    def _advance(self, job: VJob) -> None:
        if self.hold or job.state in ("JOB_STATE_SUCCEEDED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED"):
            return
        if job.problem:
            job.state, job.error = "JOB_STATE_FAILED", {"code": 3, "message": job.problem}
            return
        if job.state == "JOB_STATE_QUEUED":
            job.state = "JOB_STATE_RUNNING"
            return
        if job.end and job.epochs_done >= job.epochs // 2:
            if job.end == "fail":
                job.state, job.error = "JOB_STATE_FAILED", {"code": 13, "message": job.end_message}
            else:
                job.state, job.error = "JOB_STATE_CANCELLED", {"code": 1, "message": job.end_message}
            return
        job.epochs_done += 1
        total = job.epochs * job.steps_per_epoch
        for step in range((job.epochs_done - 1) * job.steps_per_epoch + 1, job.epochs_done * job.steps_per_epoch + 1):
            job.losses.append({"step": step, "epoch": job.epochs_done,
                               "train_loss": round(0.05 + 2.0 * math.exp(-3.0 * step / total), 6)})
        if self.publish_metrics:
            bucket = job.body["supervisedTuningSpec"]["trainingDatasetUri"].removeprefix("gs://").split("/")[0]
            job.metrics_uri = f"gs://{bucket}/tuning-metrics/{job.id}/"
            blob = self._storage().bucket(bucket).blob(f"tuning-metrics/{job.id}/metrics.jsonl")
            blob.upload_from_string("".join(json.dumps(r) + "\n" for r in job.losses), content_type="application/jsonl")
        if job.epochs_done >= job.epochs:
            job.state = "JOB_STATE_SUCCEEDED"
            job.endpoint = f"{self.parent}/endpoints/{9000 + len(self.endpoints) + 1}"
            self.endpoints[job.endpoint.rsplit("/", 1)[-1]] = job
            self.masker.learn((e["contents"][0]["parts"][0]["text"], e["contents"][-1]["parts"][0]["text"]) for e in job.examples)

    def _job_json(self, job: VJob) -> dict[str, Any]:
        body = job.body
        out: dict[str, Any] = {
            "name": f"{self.parent}/tuningJobs/{job.id}",
            "state": job.state,
            "createTime": "2025-01-01T00:00:00Z",
            "baseModel": body["baseModel"],
            "supervisedTuningSpec": body["supervisedTuningSpec"],
            "experiment": f"{self.parent}/metadataStores/default/contexts/tuning-experiment-{job.id}",
        }
        if "tunedModelDisplayName" in body:
            out["tunedModelDisplayName"] = body["tunedModelDisplayName"]
        if job.state != "JOB_STATE_QUEUED":
            out["startTime"] = "2025-01-01T00:00:05Z"
            chars = sum(len(p["text"]) for e in job.examples if isinstance(e, dict) for t in e.get("contents", []) for p in t.get("parts", []))
            out["tuningDataStats"] = {"supervisedTuningDataStats": {
                "tuningDatasetExampleCount": str(len(job.examples)), "tuningStepCount": str(job.epochs * job.steps_per_epoch),
                "totalTuningCharacterCount": str(chars), "totalBillableTokenCount": str(chars // 4 * job.epochs)}}
            out["tuningJobMetadata"] = {"completedEpochCount": str(job.epochs_done)}
        if job.metrics_uri:
            out["gcsMetricsUri"] = job.metrics_uri
        if job.error:
            out["error"] = job.error
            out["endTime"] = "2025-01-01T01:00:00Z"
        if job.state == "JOB_STATE_SUCCEEDED":
            out["endTime"] = "2025-01-01T01:00:00Z"
            out["tunedModel"] = {"model": f"{self.parent}/models/{7000 + int(job.id)}@1", "endpoint": job.endpoint}
        return out

    def _generate(self, endpoint_id: str, body: Any, prompt: str | None, fault: Fault | None) -> tuple[int, dict]:
        job = self.endpoints.get(endpoint_id)
        if job is None:
            return _error(404, "NOT_FOUND", f"Endpoint {self.parent}/endpoints/{endpoint_id} not found.")
        contents = (body or {}).get("contents")
        if not prompt or not isinstance(contents, list) or contents[0].get("role") != "user":
            return _error(400, "INVALID_ARGUMENT", "contents must hold a user turn with a text part")
        if self.latency:
            time.sleep(self.latency)
        if fault is not None and fault.kind == "block_prompt":
            return 200, {"promptFeedback": {"blockReason": "SAFETY", "safetyRatings": []}}
        if fault is not None and fault.kind == "block_candidate":
            return 200, {"candidates": [{"finishReason": "SAFETY", "index": 0, "safetyRatings": [
                {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": True}]}]}
        text = "" if fault is not None and fault.kind == "empty" else self.masker.answer(prompt)
        return 200, {
            "candidates": [{"content": {"role": "model", "parts": [{"text": text}] if text else []}, "finishReason": "STOP"}],
            "usageMetadata": {"promptTokenCount": len(prompt) // 4, "candidatesTokenCount": len(text) // 4},
            "modelVersion": job.body["baseModel"],
        }


def _route_of(method: str, path: str) -> tuple[str, str | None, str | None, str | None]:
    """(route, project, location, job or endpoint id) of a request path."""
    if method == "POST" and path == "/token":
        return "token", None, None, None
    m = re.fullmatch(r"/v1beta1/projects/([^/]+)/locations/([^/]+)/(tuningJobs|endpoints)(?:/([^/:]+))?(:generateContent)?", path)
    if not m:
        return "unknown", None, None, None
    project, location, kind, ident, verb = m.groups()
    if kind == "tuningJobs" and ident is None and verb is None and method == "POST":
        return "create", project, location, None
    if kind == "tuningJobs" and ident and verb is None and method == "GET":
        return "get_job", project, location, ident
    if kind == "endpoints" and ident and verb and method == "POST":
        return "generate", project, location, ident
    return "unknown", None, None, None
