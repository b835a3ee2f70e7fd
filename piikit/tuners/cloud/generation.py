"""Concurrent generation with retries and a prediction cache, for any remote text model.

SDK-agnostic: a cloud tuner hands :func:`generate` a ``generate_one(prompt) -> str`` callable
(one API call, with the per-request timeout already applied) and a ``classify(exc)`` function
that says which of that SDK's exceptions are worth retrying (429, 5xx, timeouts) and how to
name them. This module does the rest:

- up to ``concurrency`` requests in flight (a thread pool: the calls are I/O bound);
- exponential backoff with jitter between attempts of one row, up to ``retry.max_attempts``;
- :class:`Rejected` (a safety block, an empty answer) and failures that are not retried are
  recorded as ``Prediction.error`` — one failed row never stops the run;
- answers are cached on disk, keyed by model + prompt + generation settings, so a re-run does
  not call the API again for rows it already has;
- predictions come back in input order, as soon as each one (and those before it) is done.

Exceptions ``classify`` does not recognise (it returns ``None``) are bugs and propagate.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from piikit.data.schema import Prediction

log = logging.getLogger("piikit")


class Rejected(Exception):
    """A definitive answer without usable text (``kind`` = ``blocked``, ``empty``, ...): not retried."""

    def __init__(self, kind: str, message: str = ""):
        super().__init__(f"{kind}: {message}" if message else kind)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Failure:
    """How ``classify`` describes an exception: a short ``kind`` (``rate_limited``,
    ``server_error``, ``timeout``, ``bad_request``, ...), whether to retry, and a message."""

    kind: str
    retryable: bool
    message: str = ""
    retry_after: float | None = None  # seconds the server asked to wait (Retry-After / RetryInfo)


Classify = Callable[[BaseException], "Failure | None"]


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: attempt ``n`` (1-based) waits
    ``min(max_backoff, initial_backoff * multiplier**(n-1))``, minus up to ``jitter`` of it at random."""

    max_attempts: int = 6
    initial_backoff: float = 1.0
    max_backoff: float = 30.0
    multiplier: float = 2.0
    jitter: float = 0.5

    def delay(self, attempt: int, rng: random.Random, server: float | None = None) -> float:
        """The wait before attempt ``attempt + 1``: at least what the server asked for
        (``server``), capped by ``max_backoff``."""
        base = min(self.max_backoff, self.initial_backoff * self.multiplier ** (attempt - 1))
        own = base * (1.0 - self.jitter * rng.random())
        return own if server is None else max(own, min(server, self.max_backoff))


def server_delay(headers: Any = None, details: Any = ()) -> float | None:
    """How long the server asked to wait before retrying: a ``Retry-After`` header (seconds or
    an HTTP date) or a ``google.rpc.RetryInfo`` error detail (``"retryDelay": "1.5s"``), the
    longer of the two; None when it did not say."""
    waits = []
    value = headers.get("Retry-After") if headers is not None else None  # requests/httpx headers ignore case
    if value:
        try:
            waits.append(float(value))
        except ValueError:
            from datetime import datetime, timezone
            from email.utils import parsedate_to_datetime

            try:
                waits.append((parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
            except (TypeError, ValueError):
                pass
    for detail in details or ():
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("google.rpc.RetryInfo"):
            try:
                waits.append(float(str(detail.get("retryDelay", "")).rstrip("s")))
            except ValueError:
                pass
    return max(0.0, *waits) if waits else None


@dataclass
class GenerationStats:
    rows: int = 0
    cached: int = 0
    api_calls: int = 0
    retries: int = 0
    errors: int = 0
    seconds: float = 0.0
    error_kinds: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for key, n in counts.items():
                setattr(self, key, getattr(self, key) + n)

    def count_error(self, kind: str) -> None:
        with self._lock:
            self.errors += 1
            self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    def summary(self) -> dict[str, Any]:
        rate = self.rows / self.seconds if self.seconds > 0 else None
        return {
            "rows": self.rows, "cached": self.cached, "api_calls": self.api_calls, "retries": self.retries,
            "errors": self.errors, "error_kinds": dict(self.error_kinds), "seconds": round(self.seconds, 3),
            "rows_per_s": round(rate, 1) if rate else None,
        }


class PredictionCache:
    """Answers on disk under ``root``, one small JSON file per (namespace, prompt).

    ``namespace`` holds what else decides the answer: the model name and generation settings.
    Only successful answers are stored; failed rows are asked again next time.
    """

    def __init__(self, root: str | Path, namespace: dict[str, Any]):
        self.root = Path(root)
        self._ns = json.dumps(namespace, sort_keys=True, default=str)

    def _path(self, prompt: str) -> Path:
        digest = hashlib.sha256(f"{self._ns}\0{prompt}".encode()).hexdigest()
        return self.root / digest[:2] / f"{digest}.json"

    def get(self, prompt: str) -> str | None:
        try:
            with self._path(prompt).open(encoding="utf-8") as fh:
                return json.load(fh)["text"]
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            return None

    def put(self, prompt: str, text: str) -> None:
        from piikit.io import write_json

        write_json(self._path(prompt), {"text": text})


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def call_with_retries(
    fn: Callable[[], Any],
    classify: Classify,
    retry: RetryPolicy,
    rng: random.Random | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Any:
    """``fn()``, retried on retryable failures; the last exception propagates."""
    rng = rng or random.Random()
    attempt = 0
    while True:
        attempt += 1
        try:
            return fn()
        except Exception as e:  # noqa: BLE001
            failure = classify(e)
            if failure is None or not failure.retryable or attempt >= retry.max_attempts:
                raise
            delay = retry.delay(attempt, rng, failure.retry_after)
            log.info("%s: %s — retrying in %.1fs (attempt %d/%d)", failure.kind, failure.message, delay, attempt, retry.max_attempts)
            sleep(delay)


def generate_with_retries(
    prompt: str,
    generate_one: Callable[[str], str],
    classify: Classify,
    retry: RetryPolicy,
    rng: random.Random,
    stats: GenerationStats,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[str | None, str | None]:
    """One row: ``(text, None)`` or ``(None, error)`` after at most ``retry.max_attempts`` calls."""
    attempt = 0
    while True:
        attempt += 1
        stats.add(api_calls=1)
        try:
            text = generate_one(prompt)
        except Rejected as e:
            return None, _one_line(str(e))
        except Exception as e:  # noqa: BLE001 - classify decides; unknown ones are re-raised
            failure = classify(e)
            if failure is None:
                raise
            if failure.retryable and attempt < retry.max_attempts:
                stats.add(retries=1)
                delay = retry.delay(attempt, rng, failure.retry_after)
                log.debug("%s (attempt %d/%d), retrying in %.2fs", failure.kind, attempt, retry.max_attempts, delay)
                sleep(delay)
                continue
            tries = f" (after {attempt} attempts)" if attempt > 1 else ""
            return None, _one_line(f"{failure.kind}: {failure.message}{tries}")
        if not text or not text.strip():
            return None, "empty: the model returned no text"
        return text, None


def generate(
    items: Sequence[tuple[str, str]],
    generate_one: Callable[[str], str],
    classify: Classify,
    *,
    concurrency: int = 8,
    retry: RetryPolicy = RetryPolicy(),
    cache: PredictionCache | None = None,
    stats: GenerationStats | None = None,
    show_progress: bool = False,
    description: str = "generating",
    seed: int | None = None,
) -> Iterator[Prediction]:
    """Yield one :class:`Prediction` per ``(id, prompt)`` item, in input order.

    ``show_progress`` draws its own bar (completed rows, rows/s); leave it off when the caller
    already shows one (rich allows one live display at a time).
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    stats = stats if stats is not None else GenerationStats()
    rng = random.Random(seed)  # Random.random() is thread-safe (one C call under the GIL)
    t0 = time.perf_counter()

    def one(prompt: str) -> tuple[str | None, str | None, bool]:
        if cache is not None:
            hit = cache.get(prompt)
            if hit is not None:
                return hit, None, True
        text, error = generate_with_retries(prompt, generate_one, classify, retry, rng, stats)
        if text is not None and cache is not None:
            cache.put(prompt, text)
        return text, error, False

    from contextlib import nullcontext

    from piikit.console import progress, rate_column

    bar_cm = progress(rate_column()) if show_progress else nullcontext(None)
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="piikit-gen")
    try:
        with bar_cm as bar:
            task = bar.add_task(description, total=len(items)) if bar is not None else None
            futures: list[Future] = []
            for _id, prompt in items:
                fut = pool.submit(one, prompt)
                if bar is not None:
                    fut.add_done_callback(lambda _f: bar.advance(task))
                futures.append(fut)
            for (row_id, _prompt), fut in zip(items, futures):
                text, error, cached = fut.result()
                stats.add(rows=1, cached=int(cached))
                if error is not None:
                    stats.count_error(error.split(":", 1)[0])
                stats.seconds = time.perf_counter() - t0
                yield Prediction(id=row_id, prediction=text, error=error)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        stats.seconds = time.perf_counter() - t0

