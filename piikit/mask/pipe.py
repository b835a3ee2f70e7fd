"""``mask.input=-``: mask standard input to standard output, one line in, one line out.

::

    cat notes.txt | piikit stages=[mask] mask.input=- mask.model=outputs/2026-12-07/10-00-00 > masked.txt
    cat rows.jsonl | piikit stages=[mask] mask.input=- mask.format=jsonl mask.model=... > masked.jsonl

``txt`` (the default): each line is a text, and its masked text is written out. ``jsonl``: each
line is an object; the output line is that object with ``mask.masked_column`` and
``mask.spans_column`` added and the text field left out (unless ``mask.keep_text=true``).
Lines are masked ``mask.batch_size`` at a time (``mask.batch_size=1`` answers every line at
once, for interactive use) in this process with a :class:`piikit.api.Masker`; output is flushed
after each batch. A line that cannot be masked (bad JSON, a missing text, a model error) still
gets its output line — empty (txt) or ``{masked: null, spans: null, error: REASON}`` (jsonl) —
so line *n* out always belongs to line *n* in; ``mask.on_error=fail`` stops instead. Progress
and logs go to standard error (the pipeline moves the console there); ``mask/manifest.json``
counts rows and spans, and holds no text.
"""

from __future__ import annotations

import logging
import secrets
import sys
import time
from collections import Counter
from typing import Any, BinaryIO, Iterator

from piikit.errors import PiikitError
from piikit.io import formats as io_formats

log = logging.getLogger("piikit")

PIPE_FORMATS = ("txt", "jsonl")


def _lines(stream: BinaryIO, batch_size: int) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for _, raw in io_formats.lines(stream):
        batch.append(raw)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _parse(raw: bytes, fmt: str, column: str) -> tuple[str | None, Any, str | None]:
    """(text, record, reason it cannot be masked)."""
    try:
        decoded = io_formats.line_text(raw)
    except UnicodeDecodeError:
        return None, None, "invalid UTF-8"
    if fmt == "txt":
        return decoded, None, None
    if not decoded.strip():
        return None, None, "blank line"
    record, problem = io_formats.json_line(raw)
    if problem is not None:
        return None, None, problem[0]
    problem = io_formats.text_problem(record.get(column), column, column in record)
    if problem is not None:
        return None, record, problem[0]
    return record[column], record, None


def run_pipe(cfg: Any, ctx: Any, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> dict[str, Any]:
    from piikit.api import Masker
    from piikit.io import write_json
    from piikit.model import resolve_model
    from piikit.mask.strategies import Strategy

    m = cfg.mask
    fmt = m.format or "txt"
    if fmt not in PIPE_FORMATS:
        raise PiikitError(f"mask.input=- reads lines: mask.format={fmt} cannot come through a pipe", "use mask.format=txt or jsonl, or give the file as mask.input")
    if m.resume:
        raise PiikitError("mask.resume=true cannot resume a pipe", "mask a file (mask.input=FILE) to be able to resume")
    if m.engine != "local":
        raise PiikitError(f"mask.input=- runs on this machine, not with mask.engine={m.engine}", "give mask.input a file or directory for Spark")
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    spec = resolve_model(m.model, cfg.tuner, ctx)
    salt = m.salt.encode() if m.salt is not None else secrets.token_bytes(32)
    masker = Masker.from_spec(spec, Strategy.from_config(m, salt), ctx)

    skipped: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    rows = 0
    t0 = time.perf_counter()
    try:
        for lines in _lines(stdin, m.batch_size):
            parsed = [_parse(raw, fmt, m.text_column) for raw in lines]
            good = [i for i, p in enumerate(parsed) if p[2] is None]
            result = masker.mask_batch([parsed[i][0] for i in good]) if good else None
            outcome: dict[int, tuple[str | None, Any, str | None]] = {}
            for k, i in enumerate(good):
                error = result.errors[k]
                outcome[i] = (result.masked[k], result.spans[k], "model error" if error else None)
            out: list[str] = []
            for i, (text, record, reason) in enumerate(parsed):
                masked, spans, reason = outcome.get(i, (None, None, reason))
                record = record if reason in (None, "model error", "missing", "null", "not a string") else None
                line_no = rows + i + 1
                if reason is not None:
                    if m.on_error == "fail":
                        raise PiikitError(f"standard input: line {line_no}: {reason}", "fix the line, or set mask.on_error=skip to get an empty line for it")
                    skipped[reason] += 1
                    log.warning("line %d: %s (written as an empty result)", line_no, reason)
                else:
                    labels.update(s.label for s in spans)
                out.append(_render(fmt, m, record, masked, spans, reason))
            stdout.write(io_formats.line_bytes(out))
            stdout.flush()
            rows += len(lines)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        log.info("standard output was closed after %d lines: stopping", rows)
    seconds = time.perf_counter() - t0
    manifest = {
        "stage": "mask",
        "inputs": [{"path": "-", "format": fmt}],
        "outputs": ["-"],
        "model": spec.describe(),
        "strategy": m.strategy,
        "salt": "provided" if m.salt is not None else "random per run (not stored)",
        "rows_in": rows,
        "rows_out": rows,
        "rows_skipped": sum(skipped.values()),
        "skipped_by_reason": dict(sorted(skipped.items())),
        "spans_per_label": dict(sorted(labels.items())),
        "spans": sum(labels.values()),
        "seconds": round(seconds, 3),
        "batch_size": m.batch_size,
    }
    ctx.stage_dir("mask")
    write_json(ctx.paths.mask_manifest, manifest)
    return {"rows in": rows, "skipped": manifest["rows_skipped"], "output": "standard output"}


def _render(fmt: str, m: Any, record: Any, masked: str | None, spans: Any, reason: str | None) -> str:
    if fmt == "txt":
        return "" if masked is None else masked.replace("\n", " ")
    out = {k: v for k, v in (record or {}).items() if m.keep_text or k != m.text_column}
    out[m.masked_column] = masked
    out[m.spans_column] = None if spans is None else io_formats.spans_json(spans)
    if reason is not None:
        out["error"] = reason
    return io_formats.json_text(out)
