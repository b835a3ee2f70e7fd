"""What the cloud tuners (``gemini``, ``vertex``) share beyond the generation layer.

- :func:`training_pairs` + :func:`raise_if_problems`: the preflight of the prepared train rows
  (prompt and masked output per row; every row breaking a limit named in one line);
- :func:`job_from_path`: ``tuner.resume=<run dir | job.json>`` resolution;
- :func:`scrub`: API messages as one line, without secrets;
- :func:`call_or_fail`: a control-plane call with the tuner's retry policy, whose final
  failure is one :class:`PiikitError` line;
- :func:`adc_credentials`: Application Default Credentials, or one line saying how to get them.

Only light imports at the top: this module is imported while building ``piikit --help``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Sequence

from piikit.config import TunerConfig
from piikit.data.schema import Row, mask_text
from piikit.errors import PiikitError
from piikit.io import read_json
from piikit.tuners.generation import Classify, GenerationStats, PredictionCache, Rejected, RetryPolicy, call_with_retries, generate


def training_pairs(train: Sequence[Row]) -> list[tuple[str, str, str]]:
    """``(id, prompt, masked output)`` per train row; missing values become ``""``."""
    out = []
    for row in train:
        output = row.target_text if row.target_text is not None else mask_text(row.source_text, row.privacy_mask)
        out.append((row.id, row.prompt or "", output or ""))
    return out


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
    for candidate in (path / "tune" / "job.json", path / "job.json", path):
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


# --------------------------------------------------------------------------- settings, shared
@dataclass
class CloudTunerConfig(TunerConfig):
    """Settings every cloud tuner has: generation on the test rows, retries, polling, cache,
    dry run and resume (what :class:`RetryingCalls` and :func:`generate_rows` read)."""

    temperature: Optional[float] = 0.0  # generation settings for the test rows
    max_output_tokens: Optional[int] = 2048
    concurrency: int = 8  # generateContent requests in flight
    request_timeout: float = 60.0  # seconds, per request
    max_attempts: int = 6  # per request, on 429 / 5xx / timeouts
    initial_backoff: float = 1.0  # seconds; doubles each attempt, with jitter
    max_backoff: float = 30.0
    poll_interval: float = 10.0  # seconds between polls of the tuning job
    cache: bool = True  # reuse answers for the same model + prompt + settings
    dry_run: bool = False  # print the plan and stop: no network call
    resume: Optional[str] = None  # re-attach to a job: its id/name or an earlier run dir


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
                  stats: GenerationStats):
    """Each row's prompt through the shared generation layer (concurrency, retries, cache keyed by
    model + settings), then one log line of what it cost."""
    cache = PredictionCache(cache_dir / "generations", {"model": model, **settings}) if cache_dir else None
    yield from generate([(r.id, r.prompt) for r in rows], generate_one, classify, concurrency=concurrency,
                        retry=retry, cache=cache, stats=stats)
    st = stats.summary()
    log.info("generated %d rows: %d from the cache, %d API calls, %d retries, %d errors %s, %s rows/s",
             st["rows"], st["cached"], st["api_calls"], st["retries"], st["errors"], st["error_kinds"] or "", st["rows_per_s"])


class RetryingCalls:
    """What both cloud tuners share for calls: the configured retry policy (``config.max_attempts``,
    ``initial_backoff``, ``max_backoff``) and control-plane calls through it, whose final failure
    is one line. The tuner provides ``config`` and ``classify``."""

    def _retry(self) -> RetryPolicy:
        c = self.config
        return RetryPolicy(max_attempts=c.max_attempts, initial_backoff=c.initial_backoff, max_backoff=c.max_backoff)

    def _call(self, what: str, fn: Callable[[], Any]) -> Any:
        return call_or_fail(what, fn, self.classify, self._retry())
