"""The SDK-agnostic generation layer (piikit/tuners/cloud/generation.py), driven by plain callables."""

from __future__ import annotations

import random
import threading

import pytest

from piikit.tuners.cloud.generation import (
    Failure,
    GenerationStats,
    PredictionCache,
    Rejected,
    RetryPolicy,
    call_with_retries,
    generate,
)

NO_WAIT = RetryPolicy(max_attempts=4, initial_backoff=0.0, max_backoff=0.0)


class Flaky(Exception):
    pass


def classify(exc):
    if isinstance(exc, Flaky):
        return Failure("flaky", True, str(exc))
    if isinstance(exc, ValueError):
        return Failure("bad_request", False, str(exc))
    return None


def test_backoff_grows_exponentially_with_bounded_jitter():
    policy = RetryPolicy(initial_backoff=1.0, multiplier=2.0, max_backoff=10.0, jitter=0.5)
    rng = random.Random(0)
    for attempt, base in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 10.0), (9, 10.0)]:
        delays = [policy.delay(attempt, rng) for _ in range(200)]
        assert all(base * 0.5 <= d <= base for d in delays)
        assert max(delays) - min(delays) > base * 0.3  # jitter actually spreads the waits


def test_order_is_kept_and_requests_overlap():
    in_flight, peak, lock = [0], [0], threading.Lock()
    gate = threading.Barrier(4, timeout=10)  # only passes when 4 calls are in flight together

    def generate_one(prompt: str) -> str:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        if int(prompt) < 4:
            gate.wait()
        with lock:
            in_flight[0] -= 1
        return f"answer {prompt}"

    items = [(f"id{i}", str(i)) for i in range(20)]
    preds = list(generate(items, generate_one, classify, concurrency=4))
    assert [p.id for p in preds] == [f"id{i}" for i in range(20)]
    assert [p.prediction for p in preds] == [f"answer {i}" for i in range(20)]
    assert peak[0] == 4


def test_retries_then_records_the_failure():
    attempts: dict[str, int] = {}

    def generate_one(prompt: str) -> str:
        attempts[prompt] = attempts.get(prompt, 0) + 1
        if prompt == "twice" and attempts[prompt] <= 2:
            raise Flaky("try again")
        if prompt == "never":
            raise Flaky("still down")
        if prompt == "invalid":
            raise ValueError("bad input")
        if prompt == "blocked":
            raise Rejected("blocked", "SAFETY")
        if prompt == "blank":
            return "  "
        return prompt.upper()

    stats = GenerationStats()
    items = [(p, p) for p in ("ok", "twice", "never", "invalid", "blocked", "blank")]
    preds = {p.id: p for p in generate(items, generate_one, classify, retry=NO_WAIT, stats=stats)}
    assert preds["ok"].prediction == "OK" and preds["twice"].prediction == "TWICE"
    assert preds["never"].error == "flaky: still down (after 4 attempts)" and preds["never"].prediction is None
    assert preds["invalid"].error == "bad_request: bad input"
    assert preds["blocked"].error == "blocked: SAFETY"
    assert preds["blank"].error.startswith("empty")
    assert attempts == {"ok": 1, "twice": 3, "never": 4, "invalid": 1, "blocked": 1, "blank": 1}
    assert stats.retries == 2 + 3 and stats.errors == 4 and stats.rows == 6
    assert stats.error_kinds == {"flaky": 1, "bad_request": 1, "blocked": 1, "empty": 1}


def test_unknown_exceptions_are_bugs_and_propagate():
    def generate_one(prompt: str) -> str:
        raise KeyError(prompt)

    with pytest.raises(KeyError):
        list(generate([("a", "a")], generate_one, classify))


def test_cache_answers_without_calling_and_keeps_failures_out(tmp_path):
    calls: list[str] = []

    def generate_one(prompt: str) -> str:
        calls.append(prompt)
        if prompt == "bad":
            raise ValueError("nope")
        return prompt[::-1]

    cache = PredictionCache(tmp_path, {"model": "m1", "temperature": 0.0})
    items = [("1", "abc"), ("2", "bad")]
    first = [p.to_dict() for p in generate(items, generate_one, classify, cache=cache)]
    stats = GenerationStats()
    second = [p.to_dict() for p in generate(items, generate_one, classify, cache=cache, stats=stats)]
    assert first == second and first[0]["prediction"] == "cba"
    # the first pass asks both concurrently (any order); the second only the failed row again
    assert sorted(calls[:2]) == ["abc", "bad"] and calls[2:] == ["bad"] and stats.cached == 1
    other = PredictionCache(tmp_path, {"model": "m2", "temperature": 0.0})
    list(generate(items[:1], generate_one, classify, cache=other))
    assert calls[-1] == "abc"


def test_call_with_retries_gives_up_with_the_last_error():
    n = [0]

    def flaky():
        n[0] += 1
        if n[0] < 3:
            raise Flaky(f"attempt {n[0]}")
        return "done"

    assert call_with_retries(flaky, classify, NO_WAIT) == "done" and n[0] == 3
    with pytest.raises(Flaky, match="attempt 2"):
        n[0] = 0
        call_with_retries(flaky, classify, RetryPolicy(max_attempts=2, initial_backoff=0))
