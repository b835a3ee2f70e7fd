"""What the cloud tuners (``gemini``, ``vertex``) share beyond the generation layer.

- :func:`training_pairs` + :func:`raise_if_problems`: the preflight of the prepared train rows
  (prompt and masked output per row; every row breaking a limit named in one line);
- :func:`request_pieces`: ``tuner.max_request_chars`` — a long row as several requests (chunks
  of its text in the same prompt template), used by :func:`generate_rows` and :func:`training_pairs`;
- :func:`job_from_path`: ``tuner.resume=<run dir | job.json>`` resolution;
- :func:`scrub`: API messages as one line, without secrets;
- :func:`call_or_fail`: a control-plane call with the tuner's retry policy, whose final
  failure is one :class:`PiikitError` line;
- :func:`adc_credentials`: Application Default Credentials, or one line saying how to get them;
- :func:`ctrl_c_noted`: a Ctrl-C while following a job is never lost.

Only light imports at the top: this module is imported while building ``piikit --help``.
"""

from __future__ import annotations

import logging
import re
import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Sequence

from piikit.config import TunerConfig
from piikit.data.schema import Prediction, Row, Span, mask_text
from piikit.errors import PiikitError
from piikit.io import read_json
from piikit.rundir import RunDir
from piikit.tuners.cloud.generation import Classify, GenerationStats, PredictionCache, Rejected, RetryPolicy, call_with_retries, generate
from piikit.tuners.windows import chunks


def training_pairs(train: Sequence[Row], max_chars: int = 0) -> list[tuple[str, str, str]]:
    """``(id, prompt, masked output)`` per train row; missing values become ``""``.

    A row whose prompt is longer than ``max_chars`` (0: no limit) becomes several aligned
    examples, ids ``<id>[k/n]``: its text is cut into :func:`~piikit.tuners.windows.chunks`
    only outside its PII spans, each piece goes into the same prompt, and each piece's output
    is the piece masked by its own spans (edge whitespace left out of both, as in
    :func:`generate_rows`). A row that cannot be cut this way stays whole (id unchanged), so
    the tuner's own limit check names it: its prompt does not contain its text, or its
    ``target_text`` is not its text masked by its spans."""
    out = []
    for row in train:
        output = row.target_text if row.target_text is not None else mask_text(row.source_text, row.privacy_mask)
        prompt, source = row.prompt or "", row.source_text or ""
        pieces = request_pieces(prompt, source, max_chars, [(s.start, s.end) for s in row.privacy_mask])
        if len(pieces) > 1:
            spans = sorted(row.privacy_mask, key=lambda s: s.start)
            outputs = [mask_text(source[p.start:p.end], [Span(s.start - p.start, s.end - p.start, s.label, s.value)
                                                         for s in spans if p.start <= s.start and s.end <= p.end])
                       for p in pieces]
            if "".join(outputs) == output:
                kept = [(p, o) for p, o in zip(pieces, outputs) if p.prompt is not None]
                out += [(f"{row.id}[{k + 1}/{len(kept)}]", p.prompt, o.strip()) for k, (p, o) in enumerate(kept)]
                continue
        out.append((row.id, prompt, output or ""))
    return out


@dataclass(frozen=True)
class Piece:
    """One request of a row: ``source_text[start:end]`` is sent as ``prompt`` (``None``: only
    whitespace, nothing to ask); the answer is re-joined as ``lead + answer + trail``."""

    start: int
    end: int
    prompt: str | None
    lead: str = ""
    trail: str = ""


def request_pieces(prompt: str, source: str, max_chars: int, protected: Sequence[tuple[int, int]] = ()) -> list[Piece]:
    """The requests for one row within ``max_chars`` characters each (0: no limit).

    One piece — the prompt as it is — when it fits, or when the prompt does not contain the
    row's text (nothing to cut). Otherwise the text is cut into :func:`chunks` small enough
    that the prompt template around each stays within the limit; each chunk, without its
    edge whitespace, replaces the text in the prompt (the same template: every occurrence of
    the text in the prompt is where the template had ``{input}``), and its edge whitespace
    is put back around the answer. ``protected`` ranges are never cut (training spans)."""
    if not max_chars or len(prompt) <= max_chars or not source or source not in prompt:
        return [Piece(0, len(source), prompt)]
    k = prompt.count(source)
    budget = (max_chars - (len(prompt) - k * len(source))) // k
    if budget < 1:
        raise PiikitError(f"the prompt template alone is longer than tuner.max_request_chars={max_chars}",
                          "raise tuner.max_request_chars, or shorten the prompt template")
    out, pos = [], 0
    for chunk in chunks(source, budget, protected):
        core = chunk.strip()
        lead = chunk[: len(chunk) - len(chunk.lstrip())]
        trail = chunk[len(lead) + len(core):]
        out.append(Piece(pos, pos + len(chunk), prompt.replace(source, core) if core else None, lead, trail))
        pos += len(chunk)
    return out


def request_count(rows: Sequence[Row], max_chars: int) -> int:
    """How many generateContent requests :func:`generate_rows` makes for ``rows`` (dry run)."""
    return sum(sum(p.prompt is not None for p in request_pieces(r.prompt or "", r.source_text or "", max_chars)) for r in rows)


def raise_if_problems(problems: list[str], what: str, hint: str) -> None:
    """``problems`` are ``"<row id> (<why>)"``; none → nothing, else one line naming up to ten."""
    if not problems:
        return
    shown = ", ".join(problems[:10]) + (f", … ({len(problems) - 10} more)" if len(problems) > 10 else "")
    raise PiikitError(f"{len(problems)} training example(s) {what}: {shown}", hint)


def job_from_path(value: str, key: str, what: str) -> dict[str, Any] | None:
    """``tuner.resume=<value>`` as a path: ``<value>/tune/job.json``, ``<value>/job.json`` or the
    file itself, which must name ``job[key]``. ``None`` when ``value`` is no such path (then it is
    the job's own name); an existing path without a job file is a mistake."""
    path = Path(value).expanduser()
    for candidate in (RunDir(path).job, path / RunDir(path).job.name, path):
        if candidate.is_file():
            job = read_json(candidate)
            if not job.get(key):
                raise PiikitError(f"{candidate} names no {what}", "point tuner.resume at a run dir with tune/job.json")
            return {**job, "resumed_from": str(candidate)}
    if path.exists():
        raise PiikitError(f"tuner.resume={value}: no tune/job.json there", f"give the run dir of an earlier run, or a {what}")
    return None


def scrub(text: Any, secrets: Iterable[str | None] = ()) -> str:
    """One line, without the ``METHOD url:`` prefix some SDKs put first, never with a secret."""
    text = re.sub(r"^(GET|POST|PUT|PATCH|DELETE) \S+: ", "", " ".join(str(text).split()))
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def call_or_fail(what: str, fn: Callable[[], Any], classify: Classify, retry: RetryPolicy) -> Any:
    """``fn()`` retried on retryable failures; a final failure is one line: ``<what> failed: ...``.
    ``classify`` may itself raise :class:`PiikitError` (bad credentials, unknown job)."""
    try:
        return call_with_retries(fn, classify, retry)
    except PiikitError:
        raise
    except Exception as e:  # noqa: BLE001
        failure = classify(e)
        if failure is None:
            raise
        raise PiikitError(f"{what} failed: {failure.kind}: {failure.message}") from None


def adc_credentials(scopes: Sequence[str], missing: str, hint: str):
    """``google.auth.default(scopes)``; no credentials → one line (``missing``, ``hint``)."""
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError

    try:
        credentials, _project = google.auth.default(scopes=list(scopes))
    except DefaultCredentialsError:
        raise PiikitError(missing, hint) from None
    return credentials


@contextmanager
def ctrl_c_noted():
    """While following a tuning job: Ctrl-C (SIGINT) raises ``KeyboardInterrupt`` as usual, and
    is also noted, so the ``check()`` this yields raises it at the next poll if the first one was
    lost. Python only prints (never propagates) an exception raised inside a finalizer
    (``__del__``), and the SDKs' HTTP objects run Python code there, so a Ctrl-C landing in one
    would leave the run polling a job that may not end for hours. Outside the main thread, or
    when SIGINT is ignored, nothing changes."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous in (signal.SIG_IGN, None):
        yield lambda: None
        return
    noted = threading.Event()

    def handler(signum, frame):
        noted.set()
        if callable(previous):
            previous(signum, frame)  # Python's default handler raises KeyboardInterrupt
        raise KeyboardInterrupt

    def check() -> None:
        if noted.is_set():
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous)


# --------------------------------------------------------------------------- settings, shared
@dataclass
class CloudTunerConfig(TunerConfig):
    """Settings every cloud tuner has: generation on the test rows, retries, polling, cache,
    dry run and resume (what :class:`RetryingCalls` and :func:`generate_rows` read)."""

    temperature: Optional[float] = 0.0  # generation settings for the test split
    max_output_tokens: Optional[int] = 2048
    concurrency: int = 8  # generateContent requests in flight
    request_timeout: float = 60.0  # seconds, per request
    max_attempts: int = 6  # per request, on 429 / 5xx / timeouts (exponential backoff + jitter)
    initial_backoff: float = 1.0  # seconds; doubles each attempt, with jitter
    max_backoff: float = 30.0
    poll_interval: float = 10.0  # seconds between polls of the tuning job
    cache: bool = True  # reuse answers for the same model/endpoint + prompt + settings
    dry_run: bool = False  # print the plan (examples, steps or tokens, requests, cost) and stop: no network call
    resume: Optional[str] = None  # re-attach to a job (its id/name) or an earlier run dir: never upload or create again
    # a prompt longer than this (characters) is sent as several requests, one chunk of the text
    # each, and the answers joined; training rows are split the same way (0 = never split)
    max_request_chars: int = 4000

    def __post_init__(self) -> None:
        if self.max_request_chars < 0:
            raise PiikitError(f"tuner.max_request_chars={self.max_request_chars} must be ≥ 0", "0 sends every prompt whole")


# --------------------------------------------------------------------------- generation, shared
log = logging.getLogger("piikit")
BLOCK_REASONS = {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "LANGUAGE", "IMAGE_SAFETY"}


def enum_name(value: Any) -> str:
    """An SDK enum's name (proto-plus and google-genai enums alike)."""
    return getattr(value, "name", None) or str(value)


def response_text(response: Any) -> str:
    """The answer's text from a generateContent response of either SDK; a safety block or an
    empty answer raises :class:`Rejected` (recorded as the row's error, never a crash)."""
    feedback = response.prompt_feedback
    if feedback is not None and feedback.block_reason:
        raise Rejected("blocked", f"prompt blocked ({enum_name(feedback.block_reason)})")
    if not response.candidates:
        raise Rejected("empty", "no candidates")
    candidate = response.candidates[0]
    reason = enum_name(candidate.finish_reason) if candidate.finish_reason is not None else "none"
    if reason in BLOCK_REASONS:
        raise Rejected("blocked", f"answer blocked ({reason})")
    parts = candidate.content.parts if candidate.content and candidate.content.parts else []
    text = "".join(p.text for p in parts if getattr(p, "text", None) and not getattr(p, "thought", False))
    if not text.strip():
        raise Rejected("empty", f"no text (finish reason {reason})")
    return text


def generate_rows(rows: Sequence[Row], generate_one: Callable[[str], str], classify: Classify, *, model: str,
                  settings: dict[str, Any], cache_dir: Path | None, concurrency: int, retry: RetryPolicy,
                  stats: GenerationStats, max_chars: int = 0):
    """Each row's prompt through the shared generation layer (concurrency, retries, cache keyed by
    model + settings), then one log line of what it cost.

    A prompt longer than ``max_chars`` is sent as several requests (:func:`request_pieces`),
    each cached, retried and counted on its own; the row's prediction is the answers joined in
    order — or, if any request failed, that request's error (``... (request 2 of 3)``)."""
    cache = PredictionCache(cache_dir / "generations", {"model": model, **settings}) if cache_dir else None
    plans = [request_pieces(r.prompt, r.source_text or "", max_chars) for r in rows]
    items = [(f"{r.id}#{k}", p.prompt) for r, plan in zip(rows, plans) for k, p in enumerate(plan) if p.prompt is not None]
    answers = generate(items, generate_one, classify, concurrency=concurrency, retry=retry, cache=cache, stats=stats)
    for row, plan in zip(rows, plans):
        if len(plan) == 1 and plan[0].prompt is not None:  # the usual case: one request, its answer as it is
            pred = next(answers)
            yield Prediction(id=row.id, prediction=pred.prediction, error=pred.error)
            continue
        asked = [p for p in plan if p.prompt is not None]
        texts, error = [], None
        for piece in plan:
            if piece.prompt is None:
                texts.append(piece.lead)
                continue
            pred = next(answers)
            if pred.error is not None and error is None:
                error = f"{pred.error} (request {asked.index(piece) + 1} of {len(asked)})"
            texts.append(piece.lead + (pred.prediction or "").strip() + piece.trail)
        yield Prediction(id=row.id, prediction=None if error else "".join(texts), error=error)
    st = stats.summary()
    split = sum(len(plan) > 1 for plan in plans)
    log.info("generated %d rows (%d requests, %d rows split by tuner.max_request_chars=%d): %d from the cache, "
             "%d API calls, %d retries, %d errors %s, %s requests/s", len(rows), len(items), split, max_chars,
             st["cached"], st["api_calls"], st["retries"], st["errors"], st["error_kinds"] or "", st["rows_per_s"])


class RetryingCalls:
    """What both cloud tuners share for calls: the configured retry policy (``config.max_attempts``,
    ``initial_backoff``, ``max_backoff``) and control-plane calls through it, whose final failure
    is one line. The tuner provides ``config`` and ``classify``."""

    def _retry(self) -> RetryPolicy:
        c = self.config
        return RetryPolicy(max_attempts=c.max_attempts, initial_backoff=c.initial_backoff, max_backoff=c.max_backoff)

    def _call(self, what: str, fn: Callable[[], Any]) -> Any:
        return call_or_fail(what, fn, self.classify, self._retry())
