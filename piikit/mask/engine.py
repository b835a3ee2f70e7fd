"""The local engine: mask batches in worker processes, results in input order.

Each worker loads the model once (pool initializer) as a :class:`piikit.api.Masker` — the
same object the Python API hands out — and masks the texts it is sent with it. At most
``2 × workers`` batches are in flight, so memory stays flat however long the input is.
``workers=1`` runs in-process.
Workers are started with ``spawn`` (no fork of a process that has threads, and the same
start-up a Spark executor sees).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Iterable, Iterator

from piikit.errors import PiikitError
from piikit.api import Masker
from piikit.mask.masker import MaskedBatch
from piikit.model import ModelSpec
from piikit.mask.strategies import Strategy

_WORKER: dict[str, Any] = {}


def _exit_with_parent() -> None:
    """A worker ends as soon as the main process is gone (kill -9, a crash): never an orphan
    holding a model in memory. The parent's sentinel (a pipe) becomes readable when it dies."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="piikit-parent-watch", daemon=True).start()


def _init_worker(spec: ModelSpec, ctx: Any, strategy: Strategy) -> None:
    _exit_with_parent()
    try:
        _WORKER["masker"] = Masker.from_spec(spec, strategy, ctx)
    except PiikitError as e:
        _WORKER["error"] = (e.message, e.hint)
    except Exception as e:  # reported by the first batch, with its message
        _WORKER["error"] = (f"the model failed to load in a worker: {type(e).__name__}: {e}", None)


def _work(texts: list[str]) -> MaskedBatch | tuple[str, str, str | None]:
    if "error" in _WORKER:
        return ("error", *_WORKER["error"])
    try:
        return _WORKER["masker"].mask_batch(texts)
    except PiikitError as e:
        return ("error", e.message, e.hint)


def _unwrap(result: Any) -> MaskedBatch:
    if isinstance(result, tuple) and result and result[0] == "error":
        raise PiikitError(result[1], result[2])
    return result


class Engine:
    """``with Engine(spec, ctx, strategy, workers) as e: for batch, result in e.map(batches)``."""

    def __init__(self, spec: ModelSpec, ctx: Any, strategy: Strategy, workers: int):
        self.spec, self.ctx, self.strategy, self.workers = spec, ctx, strategy, workers
        self.pool: ProcessPoolExecutor | None = None
        self.masker: Masker | None = None

    def __enter__(self) -> "Engine":
        if self.workers == 0:  # nothing left to mask
            return self
        if self.workers == 1:
            self.masker = Masker.from_spec(self.spec, self.strategy, self.ctx)
        else:
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self.spec, self.ctx, self.strategy),
            )
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def map(self, batches: Iterable[Any]) -> Iterator[tuple[Any, MaskedBatch]]:
        """(batch, its MaskedBatch) in input order; ``batch.texts`` is what gets masked."""
        empty = MaskedBatch([], [], [])
        if self.pool is None:
            for batch in batches:
                yield batch, (self.masker.mask_batch(batch.texts) if batch.texts else empty)
            return
        window: deque = deque()
        for batch in batches:
            window.append((batch, self.pool.submit(_work, batch.texts) if batch.texts else None))
            if len(window) >= 2 * self.workers:
                done, fut = window.popleft()
                yield done, (_unwrap(fut.result()) if fut else empty)
        while window:
            done, fut = window.popleft()
            yield done, (_unwrap(fut.result()) if fut else empty)
