"""Small file helpers: atomic writes, JSON lines, manifests, hashing. The formats piikit reads
(jsonl, csv, parquet, txt; BOM, line ends, surrogates) are in :mod:`piikit.io.formats`."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator


@contextmanager
def atomic_open(path: str | Path, mode: str = "w", encoding: str | None = "utf-8", private: bool = False) -> Iterator[Any]:
    """Write to a temp file beside ``path`` and rename it into place only on success
    (``private``: readable by the owner only, 0600)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if not private:
            os.chmod(tmp, _default_mode())  # mkstemp makes 0600; outputs get the usual umask mode
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def fsync_path(path: str | Path) -> None:
    """Make a file's contents (or a directory's entries: a rename into it) durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(partial: str | Path, final: str | Path) -> None:
    """fsync a finished file, then rename it into place."""
    fsync_path(partial)
    os.replace(partial, final)


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_read_umask()  # read once at import (os.umask is process-wide)


def _default_mode() -> int:
    return _FILE_MODE


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> int:
    n = 0
    with atomic_open(path) as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False))
            fh.write("\n")
            n += 1
    return n


def read_jsonl(path: str | Path) -> Iterator[Any]:
    """The JSON value on each non-blank line (read as :func:`piikit.io.formats.lines` reads)."""
    from piikit.errors import PiikitError
    from piikit.io.formats import json_error, lines

    path = Path(path)
    for lineno, line in lines(path):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise PiikitError(f"{path}:{lineno}: {json_error(e)}", "fix or remove that line") from None


def write_json(path: str | Path, obj: Any, private: bool = False) -> None:
    with atomic_open(path, private=private) as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=2, default=str)
        fh.write("\n")


def read_json(path: str | Path) -> Any:
    with Path(path).open(encoding="utf-8") as fh:
        return json.load(fh)


def config_hash(obj: Any) -> str:
    """Stable short hash of a JSON-able object (dict keys sorted)."""
    blob = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]
