"""What the cloud tuner tests (Gemini, Vertex) share: their rows, and the checks both tuners
must pass alike (they share cloud/common.py's retry policy and job handling) — the same faults on
the same rows give the same retries, errors and request counts, and an interrupted wait leaves
a job to resume."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from piikit.data.schema import Row, Span, mask_text
from piikit.io import write_jsonl

TEMPLATE = "Mask the personal data in this text with [LABEL] placeholders.\nText: {input}\nMasked text:"
NAMES = ["Alice", "Bruno", "Chiara", "Dmitri", "Esther", "Farid", "Greta", "Hiro"]


def make_rows(n: int, start: int = 0, prefix: str = "r") -> list[Row]:
    rows = []
    for i in range(start, start + n):
        name = NAMES[i % len(NAMES)] if i < 100 else f"Zed{i}"  # ids ≥ 100: names never seen in training
        email = f"{name.lower()}.{i}@example.org"
        head = f"Hello {name}, please write to "
        text = f"{head}{email} about order {i}."
        spans = [Span(6, 6 + len(name), "FIRSTNAME", name), Span(len(head), len(head) + len(email), "EMAIL", email)]
        rows.append(Row(id=f"{prefix}{i}", source_text=text, target_text=mask_text(text, spans), privacy_mask=spans,
                        prompt=TEMPLATE.format(input=text)))
    return rows


def write_prepared(run_dir: Path, train: list[Row], test: list[Row]) -> Path:
    write_jsonl(run_dir / "prepare" / "train.jsonl", [r.to_dict() for r in train])
    write_jsonl(run_dir / "prepare" / "test.jsonl", [r.to_dict() for r in test])
    return run_dir


_DEFAULT_SIGINT_EXEC = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"


def interrupt_while_waiting(fake, cwd: Path, args: list[str], env: dict, poll_call: str, timeout: float) -> Path:
    """Run ``args`` (a tune stage) into ``run1``, press Ctrl-C once the job is recorded and the
    fake has been polled (``poll_call``) twice; the run exits 130 and says how to resume.
    Returns the job file."""
    # the child starts with Ctrl-C at its default whatever this process's disposition is right now
    # (a test run started in the background by a non-interactive shell has SIGINT ignored, and a
    # child inherits that)
    first = subprocess.Popen([sys.executable, "-c", _DEFAULT_SIGINT_EXEC, *args, "hydra.run.dir=run1"], cwd=cwd, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    job_path = cwd / "run1" / "tune" / "job.json"
    deadline = time.monotonic() + timeout
    while not (job_path.is_file() and len(fake.calls(poll_call)) >= 2):
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.05)
    first.send_signal(signal.SIGINT)
    try:
        out, err = first.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        first.kill()  # never leave it polling; show what it printed
        out, err = first.communicate()
        raise AssertionError(f"no exit within 30 s of Ctrl-C:\n{out[-2000:]}\n{err[-4000:]}") from None
    assert first.returncode == 130, err
    assert "tuner.resume=" in out + err
    return job_path


# how a test process may have started: Ctrl-C on (Python's handler), or SIGINT ignored, as in a
# suite started in the background by a non-interactive shell (`pytest ... &` in a script)
INHERITED_SIGINT = pytest.mark.parametrize("inherited_sigint", [signal.default_int_handler, signal.SIG_IGN],
                                           ids=["sigint-default", "sigint-ignored"])


@contextmanager
def sigint_as(disposition):
    """SIGINT set to ``disposition`` inside the block, as it was after."""
    before = signal.signal(signal.SIGINT, disposition)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def assert_a_lost_ctrl_c_still_stops_the_wait(tuner, rows, caplog, monkeypatch) -> None:
    """A Ctrl-C whose ``KeyboardInterrupt`` Python swallows — raised inside a finalizer, where it is
    only printed, as can happen inside an SDK's HTTP objects — still stops ``tuner.fit`` at the
    next poll of the job (the fakes finish a job in four polls, so without that it returns).

    Ctrl-C is switched on (Python's own SIGINT handler) for the check, whatever the test process
    inherited: a suite started in the background by a non-interactive shell (``pytest ... &`` in a
    script, CI runners) starts with SIGINT ignored, where Python installs no handler and the wait
    rightly leaves it ignored — that made this check fail in whole runs started that way only."""
    monkeypatch.setenv("PIIKIT_PROGRESS", "0")  # the wait then logs its progress: the trigger below
    caplog.set_level(logging.INFO, logger="piikit")

    class LostCtrlC:
        def __del__(self):
            # what the OS does on Ctrl-C: call the SIGINT handler, here inside a finalizer, where its
            # KeyboardInterrupt is lost
            signal.getsignal(signal.SIGINT)(signal.SIGINT, None)

    fired = []

    class OnFirstProgressLine(logging.Handler):
        def emit(self, record):
            if not fired and record.getMessage().startswith("tuning "):
                fired.append(record.getMessage())
                LostCtrlC()  # freed at once: __del__ runs in the middle of the wait

    handler = OnFirstProgressLine()
    logging.getLogger("piikit").addHandler(handler)
    try:
        with sigint_as(signal.default_int_handler):
            with pytest.raises(KeyboardInterrupt):
                tuner.fit(rows)
            assert fired and signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the wait's own handler is gone
    finally:
        logging.getLogger("piikit").removeHandler(handler)


# The client's timeout in the fault test, and the faults' delays past it. Generous, so that a
# loaded CI machine never times out a request the test meant to answer at once: the exact
# retry counts below then hold.
FAULT_TIMEOUT = 2.0


def assert_generation_faults_retried_or_recorded(fake, tuner, test) -> None:
    """``tuner`` is fitted, with ``max_attempts=3``, ``request_timeout=FAULT_TIMEOUT`` and no
    cache; ``test`` are rows r100..r108 whose prompts end in "order <n>."."""
    fake.add_fault("status", status=429, match="order 100.")  # 429 once, then success
    fake.add_fault("status", status=503, match="order 101.", times=2)  # 503 twice, then success
    fake.add_fault("slow", delay=FAULT_TIMEOUT + 1.5, match="order 102.")  # one timeout, then success
    fake.add_fault("status", status=500, match="order 103.", times=None)  # always 500
    fake.add_fault("slow", delay=FAULT_TIMEOUT + 1.0, match="order 104.", times=None)  # always too slow
    fake.add_fault("block_prompt", match="order 105.")
    fake.add_fault("block_candidate", match="order 106.")
    fake.add_fault("empty", match="order 107.")
    fake.add_fault("status", status=400, match="order 108.")  # a client error: not retried
    preds = {p.id: p for p in tuner.predict(test)}
    for ok in ("r100", "r101", "r102"):
        assert preds[ok].error is None and preds[ok].prediction.endswith(f"about order {ok[1:]}.")
    assert preds["r103"].error.startswith("server_error: 500") and "after 3 attempts" in preds["r103"].error
    assert preds["r104"].error.startswith("timeout:") and "after 3 attempts" in preds["r104"].error
    assert preds["r105"].error == "blocked: prompt blocked (SAFETY)" and preds["r105"].prediction is None
    assert preds["r106"].error == "blocked: answer blocked (SAFETY)"
    assert preds["r107"].error.startswith("empty:")
    assert preds["r108"].error == "http_400: injected fault"
    calls = [r.body["contents"][0]["parts"][0]["text"] for r in fake.calls("generate")]
    count = {i: sum(c.endswith(f"order {i}.\nMasked text:") for c in calls) for i in range(100, 109)}
    assert count == {100: 2, 101: 3, 102: 2, 103: 3, 104: 3, 105: 1, 106: 1, 107: 1, 108: 1}
    assert tuner.stats.retries == 1 + 2 + 1 + 2 + 2 and tuner.stats.errors == 6
