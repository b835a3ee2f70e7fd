"""Prepare stage: dataset → filters → validation → prompts → split → ``prepare/``.

Writes ``train.jsonl`` and ``test.jsonl`` (Row dicts with the rendered ``prompt`` and the
expected ``target_text``) and ``manifest.json`` (counts, per-label and per-language counts,
invalid/dropped/deduped rows, config hash, data fingerprint, timings, cache hit).

Results are cached under ``<cache_dir>/prepare/<key>/``, keyed by the dataset, split and prompt
config, the piikit version, the data-layer source code and (for local files) the input files'
size and mtime. A file lock makes concurrent runs (sweep jobs) with the same key compute once;
the cache entry appears atomically (built in a temp dir, then renamed).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from piikit import __version__, plugins
from piikit.config import Config, eval_enabled
from piikit.console import console, progress
from piikit.data.schema import Row
from piikit.data.splits import split_rows
from piikit.data.validate import validate
from piikit.errors import PiikitError
from piikit.io import atomic_open, config_hash, read_json, write_json
from piikit.pipeline import RunContext
from piikit.prompts import render
from piikit.rundir import MANIFEST, TEST, TRAIN

log = logging.getLogger("piikit")

OUTPUTS = (TRAIN, TEST)


# --------------------------------------------------------------------------- cache key
def _code_fingerprint() -> str:
    """Hash of the data-layer sources, so editing the generator invalidates the cache."""
    root = Path(__file__).resolve().parent.parent
    synth = [*(root / "synth").rglob("*.py"), *(root / "synth").rglob("*.yaml")]  # the generator and its language packs
    readers = [root / "io" / "formats.py", root / "evaluate" / "align.py"]  # the loaders read files and align masked text with these
    files = sorted([*(root / "data").rglob("*.py"), *synth, *readers, root / "prompts.py", Path(__file__).resolve()])
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(root).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _input_fingerprint(dataset: Any) -> list[Any]:
    """Size and mtime of local input files (``path``, an ``id`` that is a local path, language ``packs``)."""
    out: list[Any] = []
    for value in (getattr(dataset, "path", None), getattr(dataset, "id", None), *(getattr(dataset, "packs", None) or [])):
        if not isinstance(value, str) or not value:
            continue
        p = Path(value).expanduser()
        files = [p] if p.is_file() else sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else []
        for f in files:
            st = f.stat()
            out.append([str(f.resolve()), st.st_size, st.st_mtime_ns])
    return out


def cache_key_material(cfg: Config) -> dict[str, Any]:
    return {
        "piikit": __version__,
        "code": _code_fingerprint(),
        "dataset": asdict(cfg.dataset),
        "inputs": _input_fingerprint(cfg.dataset),
        "split": asdict(cfg.split),
        "prompt": asdict(cfg.prompt),
    }


# --------------------------------------------------------------------------- building
def select(rows: list[Row], languages: list[str] | None, max_rows: int | None) -> list[Row]:
    """``dataset.languages`` then ``dataset.max_rows`` (the first N of the kept rows)."""
    if languages:
        wanted = set(languages)
        rows = [r for r in rows if r.language in wanted]
    if max_rows is not None:
        rows = rows[:max_rows]
    return rows


def _write_rows(path: Path, rows: list[Row], digest: "hashlib._Hash") -> None:
    with atomic_open(path) as fh:
        for row in rows:
            line = json.dumps(row.to_dict(), ensure_ascii=False) + "\n"
            digest.update(line.encode("utf-8"))
            fh.write(line)


def _counts(rows: list[Row]) -> dict[str, Any]:
    labels = Counter(s.label for r in rows for s in r.privacy_mask)
    return {
        "rows": len(rows),
        "spans": sum(labels.values()),
        "rows_without_pii": sum(1 for r in rows if not r.privacy_mask),
        "labels": dict(sorted(labels.items())),
        "languages": dict(sorted(Counter(r.language for r in rows).items())),
    }


def build(cfg: Config, ctx: RunContext, out: Path) -> dict[str, Any]:
    """Load, filter, validate, render prompts, split; write the outputs; return the manifest."""
    t0 = time.perf_counter()
    ds = cfg.dataset
    loader = plugins.get("dataset", ds.name).load()
    loaded = loader(ds, ctx)
    rows = select(loaded, ds.languages, ds.max_rows)
    if not rows:
        raise PiikitError(f"no rows left after dataset.languages={ds.languages}", "check dataset.languages")
    t_load = time.perf_counter()

    with progress() as p:
        task = p.add_task("validating", total=len(rows))
        valid, report = validate(rows, ds.on_invalid, on_row=lambda n: p.advance(task, n))
    if not valid:
        raise PiikitError(f"all {len(rows)} rows are invalid", f"first: row {report.examples[0]['id']}: {report.examples[0]['problems'][0]}")
    if report.invalid:
        log.warning("dropped %d invalid rows (dataset.on_invalid=drop); see prepare/manifest.json", report.invalid)
    t_valid = time.perf_counter()

    for row in valid:
        row.prompt = render(cfg.prompt.template, row.source_text)
    split = split_rows(valid, cfg.split)
    if not split.test:
        raise PiikitError("the test split is empty after dedupe", "use split.dedupe=keep or more rows")
    if split.duplicates:
        verb = "dropped from test" if split.dropped else "kept in test"
        log.info("%d test rows also occur in train (%s; split.dedupe=%s)", split.duplicates, verb, cfg.split.dedupe)

    digest = hashlib.sha256()
    for name, part in ((TRAIN, split.train), (TEST, split.test)):
        _write_rows(out / name, part, digest)
    t_end = time.perf_counter()

    return {
        "stage": "prepare",
        "piikit": __version__,
        "dataset": asdict(ds),
        "split": asdict(cfg.split),
        "prompt": asdict(cfg.prompt),
        "config_hash": config_hash({"dataset": asdict(ds), "split": asdict(cfg.split), "prompt": asdict(cfg.prompt)}),
        "data_fingerprint": digest.hexdigest(),
        "rows": {
            "loaded": len(loaded),
            "selected": len(rows),
            "invalid": report.invalid,
            "dropped_invalid": report.invalid,  # only reachable with on_invalid=drop
            "valid": len(valid),
            "train": len(split.train),
            "test": len(split.test),
            "unused": len(valid) - len(split.train) - len(split.test) - split.dropped,
        },
        "invalid_examples": report.examples,
        "dedupe": {"mode": cfg.split.dedupe, "duplicates": split.duplicates, "dropped": split.dropped},
        "train": _counts(split.train),
        "test": _counts(split.test),
        "seconds": {
            "load": round(t_load - t0, 3),
            "validate": round(t_valid - t_load, 3),
            "prompt_split_write": round(t_end - t_valid, 3),
            "total": round(t_end - t0, 3),
        },
    }


# --------------------------------------------------------------------------- eval dataset
def build_eval(cfg: Config, ctx: RunContext, out: Path) -> dict[str, Any]:
    """``eval_dataset``: every selected row, validated, prompts rendered, no split →
    ``prepare/eval.jsonl``. Returns the manifest's ``eval`` section."""
    t0 = time.perf_counter()
    ds = cfg.eval_dataset
    loader = plugins.get("dataset", ds.name).load()
    loaded = loader(ds, ctx)
    rows = select(loaded, ds.languages, ds.max_rows)
    if not rows:
        raise PiikitError(f"eval_dataset has no rows left after eval_dataset.languages={ds.languages}", "check eval_dataset.languages")
    valid, report = validate(rows, ds.on_invalid)
    if not valid:
        first = report.examples[0]
        raise PiikitError(f"eval_dataset: all {len(rows)} rows are invalid", f"first: row {first['id']}: {first['problems'][0]}")
    if report.invalid:
        log.warning("eval_dataset: dropped %d invalid rows (eval_dataset.on_invalid=drop)", report.invalid)
    for row in valid:
        row.prompt = render(cfg.prompt.template, row.source_text)
    digest = hashlib.sha256()
    _write_rows(ctx.paths.prepare_eval, valid, digest)
    return {
        "dataset": asdict(ds),
        "data_fingerprint": digest.hexdigest(),
        "selection": {"loaded": len(loaded), "selected": len(rows), "invalid": report.invalid},
        "invalid_examples": report.examples,
        **_counts(valid),
        "seconds": round(time.perf_counter() - t0, 3),
    }


# --------------------------------------------------------------------------- cache
def _copy_outputs(src: Path, dst: Path) -> None:
    for name in (*OUTPUTS, MANIFEST):
        with atomic_open(dst / name, "wb") as fh, (src / name).open("rb") as inp:
            shutil.copyfileobj(inp, fh, 1 << 20)


def _store(out: Path, entry: Path) -> None:
    """Copy the outputs into the cache entry atomically (temp dir, then rename)."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
    try:
        for name in (*OUTPUTS, MANIFEST):
            shutil.copyfile(out / name, tmp / name)
        os.replace(tmp, entry)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _lock(path: Path):
    from filelock import FileLock

    return FileLock(str(path))


def run(cfg: Config, ctx: RunContext) -> dict[str, Any]:
    t0 = time.perf_counter()
    out = ctx.stage_dir("prepare")
    key = config_hash(cache_key_material(cfg))
    root = ctx.cache_dir / "prepare"
    entry = root / key
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = _lock(root / f"{key}.lock")
    except OSError as e:
        log.warning("prepare cache disabled: can't use %s (%s)", root, e.strerror or e)
        lock = None

    hit = False
    if lock is None:
        manifest = build(cfg, ctx, out)
    else:
        with lock:
            if (entry / MANIFEST).is_file():
                _copy_outputs(entry, out)
                manifest = read_json(ctx.paths.prepare_manifest)
                hit = True
            else:
                manifest = build(cfg, ctx, out)
                write_json(ctx.paths.prepare_manifest, {**manifest, "cache": {"hit": False, "key": key}})
                try:
                    _store(out, entry)
                except OSError as e:
                    log.warning("could not store the prepare cache in %s (%s)", entry, e.strerror or e)

    manifest["cache"] = {"hit": hit, "key": key, "dir": str(entry) if lock is not None else None}
    manifest.pop("eval", None)
    if eval_enabled(cfg):
        manifest["eval"] = build_eval(cfg, ctx, out)
    elif ctx.paths.prepare_eval.exists():
        ctx.paths.prepare_eval.unlink()
    manifest["elapsed_seconds"] = round(time.perf_counter() - t0, 3)
    write_json(ctx.paths.prepare_manifest, manifest)
    if hit:
        console.print(f"prepare: reused the cache ({entry}) — identical dataset, split and prompt config")
    _print_summary(manifest)
    summary = {
        "train": manifest["rows"]["train"],
        "test": manifest["rows"]["test"],
        "invalid": manifest["rows"]["invalid"],
        "deduped": manifest["dedupe"]["dropped"],
        "cache": "hit" if hit else "miss",
    }
    if "eval" in manifest:
        summary["eval"] = manifest["eval"]["rows"]
    return summary


def _print_summary(manifest: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=f"prepared data ({manifest['dataset']['name']})", title_justify="left")
    for col in ("split", "rows", "spans", "no PII", "labels", "languages"):
        table.add_column(col, justify="right" if col in ("rows", "spans", "no PII", "labels") else "left")
    for part in ("train", "test", "eval"):
        if part not in manifest:
            continue
        c = manifest[part]
        langs = ", ".join(f"{k} {v}" for k, v in c["languages"].items())
        table.add_row(part, str(c["rows"]), str(c["spans"]), str(c["rows_without_pii"]), str(len(c["labels"])), langs)
    console.print(table)
    r, d = manifest["rows"], manifest["dedupe"]
    notes = []
    if r["invalid"]:
        notes.append(f"{r['invalid']} invalid rows dropped")
    if d["duplicates"]:
        notes.append(f"{d['duplicates']} test rows duplicated in train ({'dropped' if d['dropped'] else 'kept'})")
    if notes:
        console.print("; ".join(notes))
