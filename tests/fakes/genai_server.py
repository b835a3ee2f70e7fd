"""A local fake of the Generative Language API (v1beta REST) for the Gemini tuner's tests.

It is a real HTTP server on 127.0.0.1 (random port, in a thread) that speaks the routes the
real ``google-generativeai`` client calls with ``transport="rest"`` and
``client_options={"api_endpoint": "http://127.0.0.1:<port>"}``:

- ``POST /v1beta/tunedModels?tunedModelId=<id>`` → a long-running operation
  ``tunedModels/<id>/operations/<op>`` whose metadata is a ``CreateTunedModelMetadata``
  (``totalSteps``, ``completedSteps``, ``completedPercent``, ``snapshots``);
- ``GET /v1beta/tunedModels/<id>/operations/<op>`` and ``GET /v1beta/tunedModels/<id>/operations``;
- ``GET /v1beta/tunedModels/<id>`` → the ``TunedModel`` (``state``, ``tuningTask.snapshots``);
- ``POST /v1beta/tunedModels/<id>:generateContent``;
- ``POST /token`` (only with ``oauth_scope``): an OAuth token endpoint, so Application Default
  Credentials can work offline (a service account key file whose ``token_uri`` points here).

It CHECKS what the client sends (API key header, model id syntax, every example has a
non-empty ``textInput`` and ``output`` within the API's limits, hyperparameters
``epochCount``/``batchSize``/``learningRate`` present) and answers 400 like the real API when
something is wrong. Every request is logged in :attr:`FakeGenAI.requests`.

Training progresses by polling, not by wall-clock time: each GET of an operation (or of a
tuned model that is still CREATING) advances the job by :attr:`steps_per_poll` steps, unless
:attr:`hold` is set. So tests are deterministic and fast.

**What generateContent answers** (documented, deterministic): a training example is aligned
with its output — the output's ``[LABEL]`` placeholders become regex groups — which gives the
prompt template around the text and the PII values the examples contained (value → label).
For a prompt, the fake cuts the template off and replaces every known value (longest first)
by its ``[LABEL]``, plus e-mail addresses by ``[EMAIL]``. A prompt seen in training gets its
training output back. So a test set gets plausible, imperfect masked answers.

Faults (see :meth:`add_fault`): a status code (429, 500, ...) for the next N calls, slow
responses, safety-blocked prompts or candidates, empty candidates; :attr:`fail_job` makes the
next created job fail with an API error message.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MODEL_ID_RE = re.compile(r"^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$")
PLACEHOLDER_RE = re.compile(r"\[([A-Z][A-Z0-9_]*)\]")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
MAX_INPUT_CHARS = 40_000
MAX_OUTPUT_CHARS = 5_000

_META_TYPE = "type.googleapis.com/google.ai.generativelanguage.v1beta.CreateTunedModelMetadata"
_MODEL_TYPE = "type.googleapis.com/google.ai.generativelanguage.v1beta.TunedModel"


@dataclass
class Fault:
    """One injected behaviour. ``route``: ``generate`` | ``create`` | ``get_operation`` |
    ``get_model``; ``match``: only requests whose prompt contains this text; ``times``: how
    many requests it applies to (``None`` = all)."""

    kind: str  # status | slow | block_prompt | block_candidate | empty
    route: str = "generate"
    status: int = 500
    delay: float = 0.0
    match: str | None = None
    times: int | None = 1
    message: str = "injected fault"
    retry_after: float | None = None  # status faults: the wait the server asks for (Retry-After header + RetryInfo detail)


class Masker:
    """What the fakes' generateContent answers with: learned from the training pairs.

    A training pair is aligned with its output — the output's ``[LABEL]`` placeholders become
    regex groups — which gives the prompt template around the text and the PII values (value →
    label). A prompt seen in training gets its training output back; any other has the template
    cut off, e-mails replaced by ``[EMAIL]`` and every known value (whole words, longest first, one
    pass) by its ``[LABEL]``.
    """

    def __init__(self) -> None:
        self._values: dict[str, str] = {}  # learned PII value -> label
        self._memory: dict[str, str] = {}  # training prompt -> output
        self._template: tuple[str, str] = ("", "")

    def learn(self, pairs) -> None:
        for text_input, output in pairs:
            self._memory[text_input] = output
            pieces = PLACEHOLDER_RE.split(output)  # literal, label, literal, label, ...
            pattern = "".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(pieces))
            m = re.search(pattern, text_input, re.S)
            if not m:
                continue
            if self._template == ("", ""):
                self._template = (text_input[: m.start()], text_input[m.end() :])
            for label, value in zip(pieces[1::2], m.groups()):
                if value.strip() and len(value) <= 80:
                    self._values[value] = label

    def answer(self, prompt: str) -> str:
        if prompt in self._memory:
            return self._memory[prompt]
        prefix, suffix = self._template
        text = prompt
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :]
        if suffix and text.endswith(suffix):
            text = text[: -len(suffix)]
        text = EMAIL_RE.sub("[EMAIL]", text)
        values = sorted((v for v in self._values if len(v.strip()) > 1), key=len, reverse=True)
        if values:  # one pass, whole words only: a placeholder is never masked again
            pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, values)) + r")(?!\w)")
            text = pattern.sub(lambda m: f"[{self._values[m.group(0)]}]", text)
        return text


def bearer_ok(value: str, scope: str | None, issued: set[str]) -> bool:
    """``Authorization: Bearer <token>``: a token from our ``/token``, or a self-signed JWT
    (what service-account credentials may send) whose ``scope`` claim includes ``scope``."""
    import base64

    token = value.removeprefix("Bearer ")
    if token in issued:
        return True
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return False
    return scope in str(claims.get("scope", "")).split()


@dataclass
class Job:
    model_id: str
    op_name: str
    body: dict[str, Any]
    examples: list[dict[str, str]]
    total_steps: int
    epoch_count: int
    batch_size: int
    completed: int = 0
    state: str = "CREATING"
    error: str | None = None
    fail_at: int | None = None
    snapshots: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


class FakeHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server with a real server's listen backlog: the stdlib's 5 drops
    connections when the test's 8 client threads connect at once on a loaded machine, and a
    dropped SYN waits 1 s to be retried, longer than a test's request timeout."""

    daemon_threads = True
    request_queue_size = 128


class ServedFake:
    """What the fakes share: serving on a free local port in a daemon thread (``start``/``stop``
    or ``with``), their ``endpoint``, and ``add_fault``. A subclass sets ``thread_name`` and has
    ``faults`` and ``_lock``; requests go to its ``handle`` through :class:`_Handler`."""

    thread_name = "fake"
    _server: ThreadingHTTPServer | None = None

    def start(self):
        fake = self

        class Handler(_Handler):
            server_fake = fake  # type: ignore[assignment]

        self._server = FakeHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), name=self.thread_name, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def endpoint(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add_fault(self, kind: str, **kwargs: Any) -> Fault:
        fault = Fault(kind=kind, **kwargs)
        with self._lock:
            self.faults.append(fault)
        return fault


class FakeGenAI(ServedFake):
    """``with FakeGenAI() as fake: fake.endpoint`` → ``http://127.0.0.1:<port>``."""

    def __init__(self, api_key: str | None = "fake-key", latency: float = 0.0, steps_per_poll: int | None = None,
                 oauth_scope: str | None = None):
        self.api_key = api_key  # the x-goog-api-key calls must carry
        # when set, calls may instead carry "Authorization: Bearer <token>": a self-signed JWT (what
        # service-account ADC sends) whose "scope" claim includes oauth_scope, or a token from POST /token
        self.oauth_scope = oauth_scope
        self.issued_tokens: set[str] = set()
        self.latency = latency  # seconds added to every generateContent
        self.steps_per_poll = steps_per_poll  # None: a quarter of the job per poll
        self.hold = False  # True: jobs do not advance (an "interrupted wait")
        self.fail_job: str | None = None  # message: the next created job fails half-way
        self.requests: list[Request] = []
        self.jobs: dict[str, Job] = {}
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self.masker = Masker()
        self.thread_name = "fake-genai"

    # ------------------------------------------------------------------ test helpers
    def calls(self, route: str) -> list[Request]:
        """Logged requests of one route: create | get_operation | list_operations | get_model | generate."""
        return [r for r in self.requests if _route_of(r.method, r.path)[0] == route]

    def finish_jobs(self) -> None:
        """Let held jobs run again (they finish on the next polls)."""
        self.hold = False

    # ------------------------------------------------------------------ behaviour
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

    def _learn(self, examples: list[dict[str, str]]) -> None:
        self.masker.learn((ex["textInput"], ex["output"]) for ex in examples)

    def answer(self, prompt: str) -> str:
        return self.masker.answer(prompt)

    def _advance(self, job: Job) -> None:
        if self.hold or job.state != "CREATING":
            return
        step_size = self.steps_per_poll or max(1, math.ceil(job.total_steps / 4))
        target = min(job.total_steps, job.completed + step_size)
        steps_per_epoch = max(1, job.total_steps // job.epoch_count)
        for step in range(job.completed + 1, target + 1):
            if job.fail_at is not None and step > job.fail_at:
                job.state, job.error = "FAILED", self._job_error
                return
            job.snapshots.append(
                {
                    "step": step,
                    "epoch": min(job.epoch_count, (step - 1) // steps_per_epoch + 1),
                    "meanLoss": round(0.05 + 2.0 * math.exp(-3.0 * step / job.total_steps), 6),
                    "computeTime": "2024-01-01T00:00:00Z",
                }
            )
        job.completed = target
        if job.completed >= job.total_steps:
            job.state = "ACTIVE"

    _job_error = "Tuning failed: the training data could not be processed (fake)."

    def _model_json(self, job: Job) -> dict[str, Any]:
        tm = job.body
        return {
            "name": f"tunedModels/{job.model_id}",
            "baseModel": tm.get("baseModel", ""),
            "displayName": tm.get("displayName", ""),
            "state": job.state,
            "createTime": "2024-01-01T00:00:00Z",
            "updateTime": "2024-01-01T00:00:00Z",
            "tuningTask": {
                "startTime": "2024-01-01T00:00:00Z",
                "snapshots": list(job.snapshots),
                "hyperparameters": tm.get("tuningTask", {}).get("hyperparameters", {}),
            },
        }

    def _operation_json(self, job: Job) -> dict[str, Any]:
        op: dict[str, Any] = {
            "name": job.op_name,
            "metadata": {
                "@type": _META_TYPE,
                "tunedModel": f"tunedModels/{job.model_id}",
                "totalSteps": job.total_steps,
                "completedSteps": job.completed,
                "completedPercent": 100.0 * job.completed / job.total_steps,
                "snapshots": list(job.snapshots),
            },
            "done": job.state != "CREATING",
        }
        if job.state == "FAILED":
            op["error"] = {"code": 13, "message": job.error}
        elif job.state == "ACTIVE":
            op["response"] = {"@type": _MODEL_TYPE, **self._model_json(job)}
        return op

    def _bearer_ok(self, value: str) -> bool:
        return bearer_ok(value, self.oauth_scope, self.issued_tokens)

    # ------------------------------------------------------------------ routes
    def handle(self, method: str, path: str, query: dict, headers: dict, body: Any) -> tuple[int, dict]:
        self.requests.append(Request(method, path, query, headers, body))
        route, model_id, op_id = _route_of(method, path)
        if route == "token" and self.oauth_scope:
            token = f"ya29.fake-{len(self.issued_tokens)}"
            self.issued_tokens.add(token)
            return 200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}
        if "authorization" in headers and self.oauth_scope:
            if not self._bearer_ok(headers["authorization"]):
                return _error(401, "UNAUTHENTICATED", f"Request had invalid authentication credentials (scope {self.oauth_scope} needed).")
        elif self.api_key is not None and headers.get("x-goog-api-key") != self.api_key:
            return _error(403, "PERMISSION_DENIED", "API key not valid. Please pass a valid API key.")
        prompt = _prompt_of(body) if route == "generate" else None
        fault = self._take_fault(route, prompt)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
            fault = None
        if fault is not None and fault.kind == "status":
            return _error(fault.status, _STATUS.get(fault.status, "UNKNOWN"), fault.message, fault.retry_after)
        with self._lock:
            if route == "create":
                return self._create(query, body)
            if route in ("get_operation", "list_operations", "get_model"):
                job = self.jobs.get(model_id or "")
                if job is None:
                    return _error(404, "NOT_FOUND", f"Tuned model tunedModels/{model_id} does not exist.")
                self._advance(job)
                if route == "get_model":
                    return 200, self._model_json(job)
                if route == "list_operations":
                    return 200, {"operations": [self._operation_json(job)]}
                if job.op_name != f"tunedModels/{model_id}/operations/{op_id}":
                    return _error(404, "NOT_FOUND", f"Operation {path} does not exist.")
                return 200, self._operation_json(job)
        if route == "generate":
            return self._generate(model_id, body, prompt, fault)
        return _error(404, "NOT_FOUND", f"no route for {method} {path}")

    def _create(self, query: dict, body: Any) -> tuple[int, dict]:
        model_id = (query.get("tunedModelId") or [""])[0]
        if not MODEL_ID_RE.match(model_id):
            return _error(400, "INVALID_ARGUMENT", f"invalid tunedModelId {model_id!r}")
        if model_id in self.jobs:
            return _error(409, "ALREADY_EXISTS", f"Tuned model tunedModels/{model_id} already exists.")
        tm = body or {}  # the REST body IS the TunedModel
        if not str(tm.get("baseModel", "")).startswith("models/"):
            return _error(400, "INVALID_ARGUMENT", "tunedModel.baseModel must name a base model (models/...)")
        task = tm.get("tuningTask") or {}
        hp = task.get("hyperparameters") or {}
        for key in ("epochCount", "batchSize", "learningRate"):
            if key not in hp:
                return _error(400, "INVALID_ARGUMENT", f"tuningTask.hyperparameters.{key} is required")
        examples = (((task.get("trainingData") or {}).get("examples") or {}).get("examples")) or []
        if not examples:
            return _error(400, "INVALID_ARGUMENT", "trainingData has no examples")
        for i, ex in enumerate(examples):
            text_input, output = ex.get("textInput"), ex.get("output")
            if not isinstance(text_input, str) or not text_input or not isinstance(output, str) or not output:
                return _error(400, "INVALID_ARGUMENT", f"example {i} needs a non-empty textInput and output")
            if len(text_input) > MAX_INPUT_CHARS or len(output) > MAX_OUTPUT_CHARS:
                return _error(400, "INVALID_ARGUMENT", f"example {i} exceeds the per-example limits")
        epochs, batch = int(hp["epochCount"]), int(hp["batchSize"])
        total = math.ceil(len(examples) / batch) * epochs
        job = Job(model_id, f"tunedModels/{model_id}/operations/op{len(self.jobs) + 1}", tm, examples, total, epochs, batch)
        if self.fail_job is not None:
            job.fail_at, self._job_error, self.fail_job = max(1, total // 2), self.fail_job, None
        self.jobs[model_id] = job
        self._learn(examples)
        return 200, self._operation_json(job)

    def _generate(self, model_id: str | None, body: Any, prompt: str | None, fault: Fault | None) -> tuple[int, dict]:
        if model_id not in self.jobs:
            return _error(404, "NOT_FOUND", f"Tuned model tunedModels/{model_id} does not exist.")
        if self.jobs[model_id].state != "ACTIVE":
            return _error(400, "FAILED_PRECONDITION", f"Tuned model tunedModels/{model_id} is not ACTIVE.")
        if not prompt:
            return _error(400, "INVALID_ARGUMENT", "contents must contain a text part")
        if self.latency:
            time.sleep(self.latency)
        if fault is not None and fault.kind == "block_prompt":
            return 200, {"promptFeedback": {"blockReason": "SAFETY", "safetyRatings": []}}
        if fault is not None and fault.kind == "block_candidate":
            return 200, {"candidates": [{"finishReason": "SAFETY", "index": 0, "safetyRatings": [
                {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH"}]}]}
        text = "" if fault is not None and fault.kind == "empty" else self.answer(prompt)
        return 200, {
            "candidates": [{"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": "STOP", "index": 0}],
            "usageMetadata": {"promptTokenCount": len(prompt) // 4, "candidatesTokenCount": len(text) // 4},
        }


_STATUS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED",
           500: "INTERNAL", 502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}


RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


def _error(code: int, status: str, message: str, retry_after: float | None = None) -> tuple[int, dict]:
    """An API error body; ``retry_after``: a RetryInfo detail, which the handler also sends as
    a ``Retry-After`` header (whole seconds, rounded up, as HTTP allows), like the real API."""
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if retry_after is not None:
        error["details"] = [{"@type": RETRY_INFO, "retryDelay": f"{retry_after:g}s"}]
    return code, {"error": error}


def _retry_after_header(payload: Any) -> str | None:
    details = payload.get("error", {}).get("details", []) if isinstance(payload, dict) else []
    delays = [float(d["retryDelay"].rstrip("s")) for d in details if isinstance(d, dict) and d.get("@type") == RETRY_INFO]
    return str(math.ceil(max(delays))) if delays else None


def _route_of(method: str, path: str) -> tuple[str, str | None, str | None]:
    """(route, model id, operation id) of a request path."""
    if method == "POST" and path == "/v1beta/tunedModels":
        return "create", None, None
    if method == "POST" and path == "/token":
        return "token", None, None
    m = re.fullmatch(r"/v1beta/tunedModels/([^/:]+)(?::generateContent|/operations(?:/([^/]+))?)?", path)
    if not m:
        return "unknown", None, None
    if path.endswith(":generateContent"):
        return ("generate" if method == "POST" else "unknown"), m.group(1), None
    if "/operations" in path:
        return ("get_operation" if m.group(2) else "list_operations"), m.group(1), m.group(2)
    return ("get_model" if method == "GET" else "unknown"), m.group(1), None


def _prompt_of(body: Any) -> str | None:
    try:
        return "".join(p.get("text", "") for c in body["contents"] for p in c["parts"])
    except (KeyError, TypeError):
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_fake: FakeGenAI

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        form = "x-www-form-urlencoded" in (self.headers.get("Content-Type") or "")
        try:
            body = parse_qs(raw.decode()) if form else json.loads(raw) if raw else None
        except json.JSONDecodeError:
            status, payload = _error(400, "INVALID_ARGUMENT", "body is not JSON")
        else:
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, payload = self.server_fake.handle(self.command, parts.path, parse_qs(parts.query), headers, body)
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            retry_after = _retry_after_header(payload)
            if retry_after is not None:
                self.send_header("Retry-After", retry_after)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            pass

    do_GET = do_POST = do_PATCH = do_DELETE = _serve
