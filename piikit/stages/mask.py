"""Mask stage: anonymise a user's own corpus with a tuned model — streaming, parallel, resumable.

``mask.input`` (a file or glob: jsonl, csv, parquet, txt) is read in batches, masked by
``mask.workers`` processes (:mod:`piikit.mask.engine`), and written to ``mask.output``
(default ``<run dir>/mask/``) in the input's format with two added columns: the masked text and
the spans found. Output goes to hidden partial files that are renamed into place only when every
input is done. Progress is made durable in ``.piikit-mask.checkpoint.json`` (rows done, byte
offsets of the partial output, counters; fsynced) so ``mask.resume=true`` continues an
interrupted run — even one killed with SIGKILL — without losing or duplicating rows. Bad rows
are skipped and counted, or stop the run (``mask.on_error``). Ends with ``manifest.json``.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import hmac
import logging
import os
import secrets
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from piikit.config import Config, MaskConfig
from piikit.console import console, progress, progress_enabled
from piikit.errors import PiikitError
from piikit.io import fsync_path, read_json, write_json
from piikit.io.formats import count_units
from piikit.mask import formats
from piikit.mask.engine import Engine
from piikit.model import ModelSpec, resolve_model
from piikit.mask.strategies import Strategy
from piikit.pipeline import RunContext

log = logging.getLogger("piikit")

CHECKPOINT = ".piikit-mask.checkpoint.json"
MAX_EXAMPLES = 50  # bad rows listed individually in the manifest (all are counted)


def input_files(m: MaskConfig) -> list[tuple[Path, str]]:
    """``mask.input`` → [(file, format)]: a file, a directory (its known files) or a glob."""
    pattern = os.path.expanduser(m.input)
    if os.path.isdir(pattern):
        paths = sorted(p for p in Path(pattern).iterdir() if p.is_file() and (m.format or p.suffix.lower() in formats.SUFFIXES))
    elif os.path.exists(pattern):  # a path that exists is taken literally, even with [ ] * ? in its name
        paths = [Path(pattern)]
    else:
        paths = sorted(Path(p) for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
    if not paths:
        raise PiikitError(f"mask.input={m.input} matches no files", "give a file, a directory or a glob such as 'data/*.jsonl'")
    return [(p, formats.detect_format(p, m.format)) for p in paths]


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


SALTED = ("hash", "pseudonymize")  # the strategies whose output depends on the salt


def _fingerprint(m: MaskConfig, files: list[tuple[Path, str]], spec: ModelSpec) -> dict[str, Any]:
    """What must not change between an interrupted run and its resumption (of the salt: only a
    fingerprint, which does not reveal it)."""
    if m.strategy not in SALTED:
        salt = "unused"
    else:
        salt = "random" if m.salt is None else hmac.new(m.salt.encode(), b"piikit-mask-salt-check", hashlib.sha256).hexdigest()[:16]
    return {
        "inputs": [{"path": str(p.resolve()), "format": fmt, "size": p.stat().st_size, "mtime_ns": p.stat().st_mtime_ns} for p, fmt in files],
        "model": spec.describe(),
        "salt": salt,
        **{k: v for k, v in asdict(m).items() if k in ("text_column", "strategy", "redact_char", "hash_length", "locale", "masked_column", "spans_column", "keep_text")},
    }


def _save_checkpoint(path: Path, state: dict[str, Any]) -> None:
    write_json(path, state, private=True)  # temp file + fsync + rename; 0600: it names the user's files
    fsync_path(path.parent)  # make the rename itself durable


def _remove_all_partials(out_dir: Path, files: list[tuple[Path, str]]) -> None:
    for p, fmt in files:
        formats.remove_partials(out_dir, p.name, fmt)
    (out_dir / CHECKPOINT).unlink(missing_ok=True)


def _fresh_state(fingerprint: dict[str, Any], files: list[tuple[Path, str]]) -> dict[str, Any]:
    return {
        "version": 2,
        "fingerprint": fingerprint,  # never the salt itself: a random one lives only in memory
        "files": [{"input": str(p), "format": fmt, "records": 0, "writer": None, "done": False, "published": False} for p, fmt in files],
        "counters": {"rows_in": 0, "rows_out": 0, "skipped": {}, "skipped_rows": [], "spans_per_label": {}},
        "seconds": 0.0,
        "resumed": 0,
    }


def _load_or_start(m: MaskConfig, out_dir: Path, files, fingerprint) -> dict[str, Any]:
    ckpt = out_dir / CHECKPOINT
    if m.resume and ckpt.is_file():
        state = read_json(ckpt)
        old = state.get("fingerprint", {})
        changed = sorted(k for k in set(old) | set(fingerprint) if old.get(k) != fingerprint.get(k))
        if old.get("salt") == "random" and set(changed) <= {"salt"}:
            raise PiikitError(
                f"the interrupted run in {out_dir} used a random salt for mask.strategy={m.strategy}, which is never stored: it cannot be continued",
                "start over with mask.resume=false; to make such runs resumable, export PIIKIT_MASK_SALT=<a secret> before starting them",
            )
        if changed:
            raise PiikitError(
                f"the checkpoint in {out_dir} was made with different settings (changed: {', '.join(changed)})",
                "resume with the same input, model and mask.* settings, or set mask.resume=false to start over",
            )
        state["resumed"] = state.get("resumed", 0) + 1
        done = sum(f["records"] for f in state["files"])
        console.print(f"resuming from the checkpoint in [bold]{out_dir}[/]: {state['counters']['rows_in']:,} rows already done ({done:,} input lines/rows)")
        return state
    if m.resume:
        log.info("mask.resume=true but %s has no checkpoint: starting from the beginning", out_dir)
    elif ckpt.is_file():
        log.warning("discarding the checkpoint of an interrupted run in %s (set mask.resume=true to continue it instead)", out_dir)
    _remove_all_partials(out_dir, files)
    return _fresh_state(fingerprint, files)


def _check_outputs(files: list[tuple[Path, str]], out_dir: Path) -> None:
    """Before any work: no two inputs write the same output file, and none overwrites an input."""
    claimed: dict[Path, Path] = {}  # output file (final or partial) -> the input writing it
    for p, fmt in files:
        partials, finals = formats.partial_paths(out_dir, p.name, fmt)
        for out in [*finals.values(), *partials.values()]:
            if out in claimed:
                other = claimed[out]
                same = other.name == p.name
                raise PiikitError(f"two inputs are both named {p.name} ({other} and {p})" if same else
                                  f"the inputs {other} and {p} would both write {out.name} in {out_dir}",
                                  "outputs are named after inputs: mask them in separate runs" + ("" if same else " or rename one"))
            claimed[out] = p
        for final in finals.values():
            if final.resolve() == p.resolve():
                raise PiikitError(f"mask.output={out_dir} would overwrite the input {p}", "choose another output directory")


def _check_not_overwriting(m: MaskConfig, out_dir: Path, files: list[tuple[Path, str]]) -> None:
    """Output files already in ``out_dir`` are refused unless ``mask.overwrite=true`` — except
    those an interrupted run being resumed has published itself."""
    if m.overwrite:
        return
    ckpt = out_dir / CHECKPOINT
    published: set[str] = set()
    if m.resume and ckpt.is_file():
        published = {f["input"] for f in read_json(ckpt).get("files", []) if f.get("published")}
    for p, fmt in files:
        if str(p) in published:
            continue
        for final in formats.partial_paths(out_dir, p.name, fmt)[1].values():
            if final.exists():
                raise PiikitError(f"mask.output={out_dir} already holds {final.name}, the output for {p}",
                                  "set mask.overwrite=true to replace it, or choose another mask.output")


class _Tally:
    """Counters that survive resumption (they live in the checkpoint state)."""

    def __init__(self, counters: dict[str, Any]):
        self.c = counters
        self.skipped = Counter(counters["skipped"])
        self.labels = Counter(counters["spans_per_label"])

    def bad(self, file: Path, row: int, reason: str, detail: str, on_error: str) -> None:
        message = f"{file}: row {row}: {detail}"
        if on_error == "fail":
            raise PiikitError(message, "fix or remove the row, or set mask.on_error=skip to skip and count bad rows")
        total = sum(self.skipped.values())
        if total < MAX_EXAMPLES:
            log.warning("skipped %s", message)
        elif total == MAX_EXAMPLES:
            log.warning("more bad rows: they are skipped and counted in mask/manifest.json without further messages")
        self.skipped[reason] += 1
        if len(self.c["skipped_rows"]) < MAX_EXAMPLES:
            self.c["skipped_rows"].append({"file": str(file), "row": row, "reason": reason, "detail": detail})

    def flush(self) -> dict[str, Any]:
        self.c["skipped"] = dict(sorted(self.skipped.items()))
        self.c["spans_per_label"] = dict(sorted(self.labels.items()))
        return self.c


def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    m = cfg.mask
    if m.engine == "spark":  # the same masker on Spark: piikit/mask/spark.py
        from piikit.mask.spark import run_stage

        return run_stage(cfg, ctx)
    if m.input == "-":  # standard input → standard output, line by line: piikit/mask/pipe.py
        from piikit.mask.pipe import run_pipe

        return run_pipe(cfg, ctx)
    if not m.input:
        raise PiikitError("mask.input is required for the mask stage", "e.g. mask.input=tickets.jsonl or mask.input='exports/*.csv'")
    files = input_files(m)
    for p, fmt in files:
        formats.check_columns(p, fmt, m.text_column)
    out_dir = Path(m.output).expanduser() if m.output else ctx.stage_dir("mask")
    if out_dir.exists() and not out_dir.is_dir():
        raise PiikitError(f"mask.output={m.output} is a file, not a directory", "give a directory for the masked files (it is created if missing)")
    _check_outputs(files, out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PiikitError(f"cannot create mask.output={out_dir}: {e.strerror}", "choose a directory you can write to") from None
    lock = _lock(out_dir)
    try:
        return _run_locked(cfg, ctx, files, out_dir)
    finally:
        lock.close()


def _lock(out_dir: Path):
    """One mask run per output dir at a time: a lock on the directory itself (the kernel drops
    it when the run ends or is killed)."""
    import fcntl

    fd = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise PiikitError(f"another piikit mask run is writing to {out_dir}", "wait for it to finish, or choose another mask.output") from None
    return _Closer(fd)


class _Closer:
    def __init__(self, fd: int):
        self.fd = fd

    def close(self) -> None:
        os.close(self.fd)


def _run_locked(cfg: Config, ctx: RunContext, files: list[tuple[Path, str]], out_dir: Path) -> dict[str, Any]:
    m = cfg.mask
    _check_not_overwriting(m, out_dir, files)
    spec = resolve_model(m.model, cfg.tuner, ctx)
    fingerprint = _fingerprint(m, files, spec)
    state = _load_or_start(m, out_dir, files, fingerprint)
    ckpt = out_dir / CHECKPOINT
    salt = m.salt.encode() if m.salt is not None else secrets.token_bytes(32)  # random: never written anywhere
    strategy = Strategy.from_config(m, salt)
    workers = m.workers or default_workers()

    tally = _Tally(state["counters"])
    t0 = time.perf_counter()
    seconds_before = state["seconds"]
    rows_before = state["counters"]["rows_in"]
    last_ckpt = last_log = t0

    def checkpoint() -> None:
        state["counters"] = tally.flush()
        state["seconds"] = seconds_before + time.perf_counter() - t0
        _save_checkpoint(ckpt, state)

    todo = [f for f in state["files"] if not f["done"]]
    total = sum(max(0, count_units(Path(f["input"]), f["format"]) - f["records"]) for f in todo)
    try:
        with Engine(spec, ctx, strategy, workers if todo else 0) as engine, progress(_rate_column()) as bar:
            task = bar.add_task(f"masking ({m.strategy}, {workers} worker{'s' if workers > 1 else ''})", total=total or None)
            for f in todo:
                path = Path(f["input"])
                writer = formats.open_writer(f["format"], path, out_dir, f["writer"], m)
                try:
                    batches = formats.read_batches(path, f["format"], m.text_column, m.batch_size, skip=f["records"])
                    for batch, result in engine.map(batches):
                        for row, reason, detail in batch.bad:
                            tally.bad(path, row, reason, detail, m.on_error)
                        keep, masked, spans = [], [], []
                        for i, (text, found, error) in enumerate(zip(*result)):
                            if error is not None:
                                tally.bad(path, batch.rows[i], "model error", error, m.on_error)
                                continue
                            keep.append(i)
                            masked.append(text)
                            spans.append(found)
                            tally.labels.update(s.label for s in found)
                        writer.write(batch, keep, masked, spans)
                        tally.c["rows_in"] += len(batch.texts) + len(batch.bad)
                        tally.c["rows_out"] += len(keep)
                        bar.advance(task, batch.end - f["records"])
                        f["records"] = batch.end
                        now = time.perf_counter()
                        if now - last_ckpt >= m.checkpoint_seconds:
                            f["writer"] = writer.sync()
                            checkpoint()
                            last_ckpt = now
                        if now - last_log >= 30 and not progress_enabled():
                            rows = tally.c["rows_in"] - rows_before
                            log.info("masked %s rows (%.0f rows/s)", f"{tally.c['rows_in']:,}", rows / (now - t0))
                            last_log = now
                    f["writer"] = writer.sync()
                    f["done"] = True
                    checkpoint()
                finally:
                    writer.close()
    except PiikitError:
        _remove_all_partials(out_dir, files)  # nothing half-written stays behind
        raise
    except OSError as e:
        if e.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        resume = ("rerun with mask.resume=true (same settings) to continue from the last checkpoint" if fingerprint["salt"] != "random"
                  else "rerun (this run used a random salt, so it starts over; PIIKIT_MASK_SALT makes runs resumable)")
        raise PiikitError(f"the disk is full: {e.strerror} while writing to {e.filename or out_dir}", f"free some space, then {resume}") from None
    except KeyboardInterrupt:
        if fingerprint["salt"] == "random":
            log.warning("interrupted: this run used a random salt, which is not stored, so it cannot be resumed "
                        "(export PIIKIT_MASK_SALT=<a secret> to make runs with mask.strategy=%s resumable)", m.strategy)
        else:
            log.warning("interrupted: rerun with mask.resume=true (same settings, mask.output=%s) to continue from the last checkpoint", out_dir)
        raise

    outputs = []
    for f in state["files"]:  # every input is done: publish them all
        path = Path(f["input"])
        partials, finals = formats.partial_paths(out_dir, path.name, f["format"])
        if not f["published"] and any(p.exists() for p in partials.values()):
            formats.open_writer(f["format"], path, out_dir, f["writer"], m).finish()
        f["published"] = True
        checkpoint()
        outputs.extend(str(p) for p in finals.values())

    counters = tally.flush()
    if counters["rows_in"] == 0:
        log.warning("mask.input=%s has no rows: nothing was masked (the outputs are empty)", m.input)
    session_seconds = time.perf_counter() - t0
    seconds = seconds_before + session_seconds
    session_rows = counters["rows_in"] - rows_before
    skipped = sum(counters["skipped"].values())
    manifest = {
        "stage": "mask",
        "inputs": [{"path": f["input"], "format": f["format"]} for f in state["files"]],
        "outputs": outputs,
        "model": spec.describe(),
        "strategy": m.strategy,
        "salt": "provided" if m.salt is not None else "random per run (not stored)",
        "text_column": m.text_column,
        "rows_in": counters["rows_in"],
        "rows_out": counters["rows_out"],
        "rows_skipped": skipped,
        "skipped_by_reason": counters["skipped"],
        "skipped_rows": counters["skipped_rows"],
        "spans_per_label": counters["spans_per_label"],
        "spans": sum(counters["spans_per_label"].values()),
        "seconds": round(seconds, 3),
        "rows_per_s": round(counters["rows_in"] / seconds, 1) if seconds > 0 else None,
        "resumed": state["resumed"],
        "this_session": {"rows": session_rows, "seconds": round(session_seconds, 3), "rows_per_s": round(session_rows / session_seconds, 1) if session_seconds > 0 else None},
        "workers": workers,
        "batch_size": m.batch_size,
    }
    ctx.stage_dir("mask")
    write_json(ctx.paths.mask_manifest, manifest)
    ckpt.unlink(missing_ok=True)  # the run is complete (and a random salt is forgotten)
    console.print(f"masked {counters['rows_out']:,} rows → [bold]{out_dir}[/]" + (f" ({skipped:,} bad rows skipped)" if skipped else ""))
    return {"rows in": counters["rows_in"], "rows out": counters["rows_out"], "skipped": skipped, "rows/s": manifest["rows_per_s"], "output": str(out_dir)}


def _rate_column():
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task) -> Text:
            return Text(f"{task.speed or 0:,.0f} rows/s")

    return RateColumn()

