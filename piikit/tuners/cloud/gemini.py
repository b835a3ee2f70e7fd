"""Gemini tuner: the walkthrough's path through ``google-generativeai`` (Generative Language API).

``fit`` checks every example against the API's per-example limits, creates the tuned model
(``genai.create_tuned_model``), writes ``<run>/tune/job.json`` at once, and follows the
long-running operation with a progress bar (completed/total steps, latest loss) until it is
done; the tuned model's ``tuning_task.snapshots`` become the loss curve. ``predict`` asks
``GenerativeModel("tunedModels/<id>")`` for every test row through the shared generation layer
(:mod:`piikit.tuners.cloud.generation`: concurrency, retries with backoff and jitter, timeouts,
blocked/empty answers recorded as errors, prediction cache).

Credentials: ``GOOGLE_API_KEY`` (or ``GEMINI_API_KEY``), else Application Default Credentials
with the tuning scopes. They are only ever handed to the SDK; nothing secret is written.

The google SDKs are imported inside functions: this module is imported by ``piikit --help``.
"""

from __future__ import annotations

import logging
import math
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

from piikit.config import check_choice
from piikit.data.schema import Prediction, Row
from piikit.errors import PiikitError
from piikit.io import config_hash, read_json, write_json
from piikit.tuners.base import Snapshot
from piikit.tuners.cloud.common import CloudTunerConfig, RetryingCalls, generate_rows, response_text
from piikit.tuners.cloud.generation import Failure, GenerationStats, server_delay

log = logging.getLogger("piikit")

MAX_INPUT_CHARS = 40_000  # the API's per-example limits
MAX_OUTPUT_CHARS = 5_000
SCOPES = (
    "https://www.googleapis.com/auth/cloud-platform",
    "https://www.googleapis.com/auth/generative-language.tuning",
)
DEFAULT_ENDPOINT = "https://generativelanguage.googleapis.com"
MODEL_ID_RE = re.compile(r"^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$")


@dataclass
class GeminiConfig(CloudTunerConfig):
    name: str = "gemini"
    source_model: str = "models/gemini-1.0-pro-001"
    model_id: Optional[str] = None  # tunedModels/<model_id>; null: piikit-<hash of data + settings>, so a re-run attaches
    display_name: Optional[str] = None
    epoch_count: int = 2
    batch_size: int = 4
    learning_rate: float = 0.001
    api_endpoint: Optional[str] = None  # override for proxies / the local fake server (http://127.0.0.1:PORT)
    on_existing: str = "attach"  # the tuned model id exists already: attach | fail

    def __post_init__(self) -> None:
        super().__post_init__()
        check_choice("tuner", "on_existing", self.on_existing, ("attach", "fail"))
        if self.model_id is not None:
            self.model_id = self.model_id.removeprefix("tunedModels/")
            if not MODEL_ID_RE.match(self.model_id):
                raise PiikitError(
                    f"tuner.model_id={self.model_id!r} is not a valid tuned model id",
                    "use 1-40 lowercase letters, digits or dashes, starting with a letter",
                )
        if not self.source_model.startswith(("models/", "tunedModels/")):
            raise PiikitError(f"tuner.source_model={self.source_model!r} must start with models/ or tunedModels/")
        for key in ("epoch_count", "batch_size", "concurrency", "max_attempts"):
            if getattr(self, key) < 1:
                raise PiikitError(f"tuner.{key}={getattr(self, key)} must be at least 1")
        for key in ("learning_rate", "request_timeout"):
            if getattr(self, key) <= 0:
                raise PiikitError(f"tuner.{key}={getattr(self, key)} must be positive")
        for key in ("initial_backoff", "max_backoff", "poll_interval"):
            if getattr(self, key) < 0:
                raise PiikitError(f"tuner.{key}={getattr(self, key)} must not be negative")


def _genai():
    """Import the SDK quietly (it warns at import that it is deprecated; docs/tuners/gemini.md says so)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        import google.generativeai as genai
    return genai


def total_steps(examples: int, batch_size: int, epochs: int) -> int:
    """Steps the API runs: ``ceil(examples / batch_size) × epochs`` (950 for 1,900 / 4 / 2)."""
    return math.ceil(examples / batch_size) * epochs


class GeminiTuner(RetryingCalls):
    needs_training = True

    def __init__(self, config: GeminiConfig, ctx):
        self.config = config
        self.ctx = ctx
        self.model_name: str | None = None
        self.stats = GenerationStats()
        self._secret: str | None = None
        self._configured = False

    # ------------------------------------------------------------------ examples and plan
    def examples(self, train: Sequence[Row]) -> list[dict[str, str]]:
        """``{text_input, output}`` per train row, checked against the API's limits."""
        from piikit.tuners.cloud.common import raise_if_problems, training_pairs

        examples, problems = [], []
        for row_id, text_input, output in training_pairs(train, self.config.max_request_chars):
            if not text_input:
                problems.append(f"{row_id} (no prompt)")
            elif len(text_input) > MAX_INPUT_CHARS:
                problems.append(f"{row_id} (input {len(text_input):,} chars)")
            if not output:
                problems.append(f"{row_id} (empty output)")
            elif len(output) > MAX_OUTPUT_CHARS:
                problems.append(f"{row_id} (output {len(output):,} chars)")
            examples.append({"text_input": text_input, "output": output})
        raise_if_problems(problems, f"break the API's per-example limits (input ≤ {MAX_INPUT_CHARS:,} chars, "
                          f"output ≤ {MAX_OUTPUT_CHARS:,}, both non-empty)",
                          "drop or shorten those rows, or use a shorter prompt template")
        if not examples:
            raise PiikitError("no training examples", "the prepared train split is empty")
        return examples

    def model_id(self, examples: list[dict[str, str]]) -> str:
        """The configured id, or one derived from data and settings: the same run → the same
        id, so running it twice attaches to the first job instead of paying for a second."""
        if self.config.model_id:
            return self.config.model_id
        c = self.config
        key = {"source": c.source_model, "examples": examples, "epochs": c.epoch_count, "batch": c.batch_size, "lr": c.learning_rate}
        return f"piikit-{config_hash(key)}"

    def plan(self, train: Sequence[Row], test: Sequence[Row] = ()) -> dict[str, Any]:
        """What a run would do, without any API call (``tuner.dry_run=true`` prints this)."""
        from piikit.tuners.cloud.common import request_count

        c = self.config
        examples = self.examples(train)
        n = len(examples)
        endpoint = (c.api_endpoint or DEFAULT_ENDPOINT).rstrip("/")
        model = f"tunedModels/{self.model_id(examples)}" if not c.resume else f"(resume {c.resume})"
        in_chars = sum(len(e["text_input"]) for e in examples)
        out_chars = sum(len(e["output"]) for e in examples)
        steps = total_steps(n, c.batch_size, c.epoch_count)
        creds = "GOOGLE_API_KEY" if os.environ.get("GOOGLE_API_KEY") else (
            "GEMINI_API_KEY" if os.environ.get("GEMINI_API_KEY") else "Application Default Credentials")
        if c.resume:
            tune_requests = [f"GET {endpoint}/v1beta/<the job of {c.resume}> until done (no create)"]
        else:
            tune_requests = [
                f"GET {endpoint}/v1beta/{model} (exists? → on_existing={c.on_existing})",
                f"POST {endpoint}/v1beta/tunedModels?tunedModelId={model.split('/')[-1]} "
                f"({n:,} examples, ~{(in_chars + out_chars) // 1000:,} kB of text)",
                f"GET {endpoint}/v1beta/{model}/operations/<op> every {c.poll_interval:g}s until done",
            ]
        return {
            "tuner": "gemini",
            "source_model": c.source_model,
            "tuned_model": model,
            "examples": n,
            "batch_size": c.batch_size,
            "epoch_count": c.epoch_count,
            "learning_rate": c.learning_rate,
            "steps_per_epoch": math.ceil(n / c.batch_size),
            "total_steps": steps,
            "training_chars_per_epoch": in_chars + out_chars,
            "approx_training_tokens": (in_chars + out_chars) * c.epoch_count // 4,
            "test_rows": len(test),
            "credentials": creds,
            "requests": tune_requests + [
                f"GET {endpoint}/v1beta/{model} (snapshots)",
                f"{request_count(test, c.max_request_chars):,} × POST {endpoint}/v1beta/{model}:generateContent "
                f"({c.concurrency} in parallel, timeout {c.request_timeout:g}s, up to {c.max_attempts} attempts)",
            ],
        }

    # ------------------------------------------------------------------ SDK plumbing
    def _configure(self) -> None:
        if self._configured:
            return
        genai = _genai()
        options = {"api_endpoint": self.config.api_endpoint} if self.config.api_endpoint else None
        key = os.environ.get("GOOGLE_API_KEY") or os.environ.get("GEMINI_API_KEY")
        if key:
            self._secret = key
            genai.configure(api_key=key, transport="rest", client_options=options)
        else:
            genai.configure(credentials=_adc_credentials(), transport="rest", client_options=options)
        self._configured = True

    def _scrub(self, text: str) -> str:
        from piikit.tuners.cloud.common import scrub

        return scrub(text, [self._secret])

    def classify(self, exc: BaseException) -> Failure | None:
        """Which SDK errors are retried. Errors that concern every request (bad key, unknown
        model) stop the run with one line instead of failing row after row."""
        import requests
        from google.api_core import exceptions as gexc

        if isinstance(exc, (gexc.TooManyRequests, gexc.ServerError)):  # 429; 500, 502, 503, 504
            wait = server_delay(getattr(exc.response, "headers", None), exc.details)
            if isinstance(exc, gexc.TooManyRequests):
                return Failure("rate_limited", True, self._scrub(exc.message), wait)
            return Failure("server_error", True, f"{exc.code} {self._scrub(exc.message)}", wait)
        if isinstance(exc, requests.Timeout):
            return Failure("timeout", True, f"no answer within {self.config.request_timeout:g}s")
        if isinstance(exc, requests.ConnectionError):
            return Failure("connection", True, self._scrub(type(exc).__name__))
        bad_key = isinstance(exc, gexc.BadRequest) and "API key" in (exc.message or "")  # the API answers 400 to bad keys
        if bad_key or isinstance(exc, (gexc.Unauthorized, gexc.Forbidden, gexc.Unauthenticated, gexc.PermissionDenied)):
            raise PiikitError(f"the API refused the credentials: {self._scrub(exc.message)}",
                              "check GOOGLE_API_KEY (or your ADC login) and its access to tuning") from None
        if isinstance(exc, gexc.NotFound):
            raise PiikitError(f"not found: {self._scrub(exc.message)}", "check tuner.model_id / tuner.resume") from None
        if isinstance(exc, gexc.GoogleAPICallError):
            return Failure(f"http_{exc.code}", False, self._scrub(exc.message))
        return None



    def _request_options(self) -> dict[str, Any]:
        return {"timeout": self.config.request_timeout, "retry": None}  # our retries, not the SDK's

    # ------------------------------------------------------------------ tuning
    def fit(self, train: Sequence[Row]) -> list[Snapshot]:
        c = self.config
        if c.dry_run:  # the tune stage asks plan() instead; never call the API on a dry run
            raise PiikitError("tuner.dry_run=true: nothing to fit", "run the tune stage, which prints the plan")
        examples = self.examples(train)
        log.info("pre-flight: %d examples within the API's limits; ceil(%d / batch %d) × %d epochs = %d steps", len(examples),
                 len(examples), c.batch_size, c.epoch_count, total_steps(len(examples), c.batch_size, c.epoch_count))
        self._configure()
        self.ctx.stage_dir("tune")
        job_path = self.ctx.paths.job
        if c.resume:
            job = self._job_from_resume(c.resume)
            log.info("re-attaching to %s", job["tuned_model"])
        else:
            job = self._create_or_attach(examples)
        write_json(job_path, job)
        try:
            self._wait(job)
        except KeyboardInterrupt:
            log.warning("the tuning job %s goes on at the API; re-attach with tuner.resume=%s",
                        job["tuned_model"], self.ctx.run_dir)
            raise
        genai = _genai()
        tuned = self._call("reading the tuned model", lambda: genai.get_tuned_model(job["tuned_model"], request_options=self._request_options()))
        state = getattr(tuned.state, "name", str(tuned.state))
        write_json(job_path, {**job, "state": state})
        if state != "ACTIVE":
            raise PiikitError(f"tuning job {job['tuned_model']} ended in state {state}", "see the job in Google AI Studio")
        self.model_name = job["tuned_model"]
        return [Snapshot(step=int(s["step"]), epoch=float(s.get("epoch", 0)), loss=float(s["mean_loss"]))
                for s in tuned.tuning_task.snapshots if "mean_loss" in s]

    def _existing(self, name: str):
        """The tuned model ``name``, or None when the API does not know it."""
        from google.api_core import exceptions as gexc

        genai = _genai()

        def lookup():
            try:
                return genai.get_tuned_model(name, request_options=self._request_options())
            except gexc.NotFound:
                return None

        return self._call("looking up " + name, lookup)

    def _attach_existing(self, name: str, state: str) -> dict[str, Any]:
        if self.config.on_existing == "fail":
            raise PiikitError(f"tuned model {name} already exists (state {state})",
                              "set tuner.on_existing=attach to use it, or choose another tuner.model_id")
        log.info("tuned model %s already exists (state %s): attaching to it instead of creating a second job", name, state)
        return {"tuned_model": name, "operation": None, "attached": True, **self._job_common()}

    def _job_common(self) -> dict[str, Any]:
        c = self.config
        return {"source_model": c.source_model, "api_endpoint": c.api_endpoint or DEFAULT_ENDPOINT,
                "hyperparameters": {"epoch_count": c.epoch_count, "batch_size": c.batch_size, "learning_rate": c.learning_rate}}

    def _create_or_attach(self, examples: list[dict[str, str]]) -> dict[str, Any]:
        from google.api_core import exceptions as gexc

        c = self.config
        genai = _genai()
        model_id = self.model_id(examples)
        name = f"tunedModels/{model_id}"
        existing = self._existing(name)
        if existing is not None:
            return self._attach_existing(name, getattr(existing.state, "name", str(existing.state)))
        def create():
            try:
                return genai.create_tuned_model(
                    c.source_model, examples, id=model_id, display_name=c.display_name or f"piikit {model_id}",
                    epoch_count=c.epoch_count, batch_size=c.batch_size, learning_rate=c.learning_rate,
                    request_options=self._request_options())
            except gexc.AlreadyExists:  # e.g. a retry after our own create's answer was lost
                return None

        op = self._call("creating the tuned model", create)
        if op is None:
            return self._attach_existing(name, "unknown")
        steps = total_steps(len(examples), c.batch_size, c.epoch_count)
        log.info("created %s (operation %s, %d steps)", name, op.name, steps)
        return {"tuned_model": name, "operation": op.name, "examples": len(examples), "total_steps": steps,
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **self._job_common()}

    def _job_from_resume(self, value: str) -> dict[str, Any]:
        from piikit.tuners.cloud.common import job_from_path

        job = job_from_path(value, "tuned_model", "tuned model")
        if job is not None:
            return job
        if "/" in value.removeprefix("tunedModels/"):
            raise PiikitError(f"tuner.resume={value}: no tune/job.json there", "give a run dir of a gemini run, or a tuned model id")
        model_id = value.removeprefix("tunedModels/")
        if not MODEL_ID_RE.match(model_id):
            raise PiikitError(f"tuner.resume={value!r} is neither a run dir nor a tuned model id")
        return {"tuned_model": f"tunedModels/{model_id}", "operation": None, **self._job_common()}

    def _find_operation(self, name: str) -> str | None:
        from google.generativeai import client as client_lib

        ops = self._call("listing the operations of " + name, lambda: list(
            client_lib.get_default_operations_client().list_operations(name=name, filter_="")))
        return ops[-1].name if ops else None

    def _wait(self, job: dict[str, Any]) -> None:
        """Follow the tuning job until it has ended; a failed job raises with the API's message."""
        from rich.progress import TextColumn

        from piikit.console import progress, progress_enabled
        from piikit.tuners.cloud.common import ctrl_c_noted

        genai = _genai()
        from google.generativeai import operations as genai_operations

        op_name = job.get("operation") or self._find_operation(job["tuned_model"])
        if op_name and not job.get("operation"):
            job["operation"] = op_name
            self.ctx.stage_dir("tune")
            write_json(self.ctx.paths.job, job)
        last_log = 0.0
        with progress(TextColumn("loss {task.fields[loss]}")) as bar, ctrl_c_noted() as interrupted:
            task = bar.add_task(f"tuning {job['tuned_model']}", total=job.get("total_steps"), loss="–")
            op = self._call("reading the tuning job", lambda: genai_operations.get_operation(op_name)) if op_name else None
            while True:
                if op is not None:
                    done = self._call("polling the tuning job", op.done)
                    md = op.metadata
                    completed, total = int(md.completed_steps or 0), int(md.total_steps or 0) or None
                    snaps = list(md.snapshots)
                    loss = snaps[-1].mean_loss if snaps else None
                else:  # no operation known: follow the model's state
                    tm = self._call("polling the tuned model", lambda: genai.get_tuned_model(job["tuned_model"], request_options=self._request_options()))
                    done = getattr(tm.state, "name", "") != "CREATING"
                    snaps = list(tm.tuning_task.snapshots) if tm.tuning_task else []
                    completed, total = (int(snaps[-1]["step"]) if snaps else 0), job.get("total_steps")
                    loss = snaps[-1]["mean_loss"] if snaps else None
                loss_text = f"{loss:.4f}" if loss is not None else "–"
                bar.update(task, completed=completed, total=total, loss=loss_text)
                now = time.monotonic()
                if not progress_enabled() and (done or now - last_log >= 30):
                    log.info("tuning %s: step %d/%s, loss %s", job["tuned_model"], completed, total or "?", loss_text)
                    last_log = now
                interrupted()  # a Ctrl-C an SDK swallowed (during this poll or the last wait): stop now, not when the job ends
                if done:
                    break
                time.sleep(self.config.poll_interval)
        if op is not None:
            error = op.exception()
            if error is not None:
                raise PiikitError(f"tuning job {job['tuned_model']} failed: {self._scrub(getattr(error, 'message', error))}",
                                  "fix the cause, then run again with a new tuner.model_id")

    # ------------------------------------------------------------------ model files
    def save(self, model_dir: Path) -> None:
        write_json(Path(model_dir) / "model.json", {"tuned_model": self.model_name, **self._job_common()})

    def load(self, model_dir: Path) -> None:
        path = Path(model_dir) / "model.json"
        if not path.is_file():
            raise PiikitError(f"{model_dir} has no model.json", "point tuner.model at the run dir of a gemini run")
        self.model_name = read_json(path)["tuned_model"]

    # ------------------------------------------------------------------ generation
    def predict(self, rows: Sequence[Row]) -> Iterator[Prediction]:
        if self.model_name is None:
            raise PiikitError("no tuned model to generate with", "train first, or set tuner.model=<run dir of a gemini run>")
        missing = [r.id for r in rows if not r.prompt]
        if missing:
            raise PiikitError(f"{len(missing)} test row(s) have no prompt (e.g. {missing[0]})", "run the prepare stage first")
        c = self.config
        self._configure()
        genai = _genai()
        settings = {"temperature": c.temperature, "max_output_tokens": c.max_output_tokens}
        model = genai.GenerativeModel(self.model_name, generation_config=genai.GenerationConfig(**settings))
        options = self._request_options()

        def generate_one(prompt: str) -> str:
            return response_text(model.generate_content(prompt, request_options=options))

        self.stats = GenerationStats()
        yield from generate_rows(rows, generate_one, self.classify, model=self.model_name, settings=settings,
                                 cache_dir=self.ctx.cache_dir if c.cache else None, concurrency=c.concurrency,
                                 retry=self._retry(), stats=self.stats, max_chars=c.max_request_chars)




def _adc_credentials():
    from piikit.tuners.cloud.common import adc_credentials

    return adc_credentials(
        SCOPES,
        "no Google credentials: GOOGLE_API_KEY is not set and no Application Default Credentials were found",
        "set GOOGLE_API_KEY=<your API key>, or run: gcloud auth application-default login "
        f"--scopes={','.join(SCOPES)}",
    )
