"""The one reader/writer layer for the files piikit reads and writes: jsonl, json, csv, parquet
and txt. The dataset loaders (:mod:`piikit.data.loaders`), the mask stage
(:mod:`piikit.mask.formats`, :mod:`piikit.mask.pipe`) and the Spark engine's Python side
(:mod:`piikit.mask.spark`) all go through it, so they agree on:

- **formats**: which suffix is which format (:data:`SUFFIXES`; each caller picks the formats it
  reads);
- **text**: UTF-8, a byte-order mark at the start of a file is dropped (Windows exports start
  with one), ``\\r\\n`` line ends read like ``\\n``; piikit writes UTF-8 with ``\\n``;
- **lone surrogates**: half an emoji (``"\\ud83d"`` in a truncated chat export) is valid JSON but
  cannot be written as UTF-8, so a JSON line holding one is a bad row, said as such;
- **positions**: readers count the file's units — lines (jsonl, txt), csv records after the
  header, parquet rows — so a caller can skip what it already did; offsets in spans are Python
  string indices (code points, so an emoji is one).

Bad input inside a file comes back as ``(reason, detail)`` so each caller decides: the loaders
stop with one line, the mask stage skips and counts. Atomic writes are in :mod:`piikit.io`.
pyarrow is imported only when a parquet file is read.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Sequence

from piikit.errors import PiikitError

SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".txt": "txt",
    ".text": "txt",
}
BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark: not part of the text
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")  # \ud800-\udfff written as a JSON escape
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # left in a str only when unpaired

Problem = tuple[str, str]  # (reason, detail): why a row cannot be used


def suffixes(*formats: str) -> dict[str, str]:
    """The suffixes (``.jsonl``) of the given formats: what a caller that reads them recognises."""
    return {suffix: fmt for suffix, fmt in SUFFIXES.items() if fmt in formats}


# --------------------------------------------------------------------------- lines and JSON
def lines(source: Path | BinaryIO, skip: int = 0) -> Iterator[tuple[int, bytes]]:
    """Every line of a file (a path, or a binary stream such as standard input) as bytes, line
    end included, with its 1-based number, from line ``skip + 1``; a byte-order mark before the
    first line is dropped."""
    if isinstance(source, (str, Path)):
        with Path(source).open("rb") as fh:
            yield from lines(fh, skip)
        return
    for pos, line in enumerate(source, 1):
        if pos == 1 and line.startswith(BOM):
            line = line[len(BOM) :]
        if pos > skip:
            yield pos, line


def line_text(line: bytes) -> str:
    """A line without its ``\\n`` or ``\\r\\n``, decoded (``UnicodeDecodeError`` when not UTF-8)."""
    if line.endswith(b"\n"):
        line = line[:-1]
    if line.endswith(b"\r"):
        line = line[:-1]
    return line.decode("utf-8")


def json_error(e: Exception) -> str:
    """``Invalid control character at: line 1 column 9 (char 8)`` → ``... at column 9``."""
    if isinstance(e, json.JSONDecodeError):
        return f"not valid JSON ({e.msg.removesuffix(' at')} at column {e.colno})"
    return f"not valid UTF-8 ({getattr(e, 'reason', e)} at byte {getattr(e, 'start', 0) + 1})"


def lone_surrogate(line: bytes, record: Any) -> str | None:
    """Where ``record`` (parsed from ``line``) holds half an emoji, which cannot be written as
    UTF-8, say so; else None."""
    if not _SURROGATE_ESCAPE.search(line):
        return None
    found = _LONE_SURROGATE.search(json.dumps(record, ensure_ascii=False))
    return f"holds a lone surrogate \\u{ord(found.group()):04x} (half an emoji, e.g. a truncated export), which cannot be written as UTF-8" if found else None


def json_line(line: bytes) -> tuple[dict[str, Any] | None, Problem | None]:
    """One line of a JSON-lines file: ``(record, None)`` for a JSON object, ``(None, problem)``
    for anything else, ``(None, None)`` for a blank line."""
    if not line.strip():
        return None, None
    try:
        record = json.loads(line.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        return None, ("malformed JSON", json_error(e))
    surrogate = lone_surrogate(line, record)
    if surrogate:
        return None, ("lone surrogate", surrogate)
    if not isinstance(record, dict):
        return None, ("not a JSON object", f"is a JSON {type(record).__name__}, not an object")
    return record, None


def text_problem(value: Any, column: str, present: bool = True) -> Problem | None:
    """Why ``value`` (the ``column`` field of a row) is not a text to mask, or None."""
    if not present:
        return "missing", f"has no '{column}' field"
    if value is None:
        return "null", f"'{column}' is null"
    if not isinstance(value, str):
        return "not a string", f"'{column}' is {type(value).__name__}, not a string"
    return None


def read_text(path: Path) -> str:
    """A whole text file (a byte-order mark dropped; ``UnicodeDecodeError`` when not UTF-8)."""
    data = Path(path).read_bytes()
    return data[len(BOM) :].decode("utf-8") if data.startswith(BOM) else data.decode("utf-8")


# --------------------------------------------------------------------------- csv
def _open_csv(path: Path):
    return Path(path).open(encoding="utf-8-sig", newline="")


def csv_header(path: Path) -> list[str]:
    with _open_csv(path) as fh:
        try:
            return next(csv.reader(fh))
        except StopIteration:
            raise PiikitError(f"{path} is empty: a csv input needs a header row", "add a header line naming the columns") from None
        except UnicodeDecodeError:
            raise PiikitError(f"{path} is not UTF-8 text", "re-encode it as UTF-8") from None


def csv_records(path: Path, skip: int = 0) -> Iterator[tuple[int, int, list[str]]]:
    """``(record number, line number it ends on, fields)`` of every csv record after the header,
    from record ``skip + 1`` (a blank line is a record with no fields)."""
    with _open_csv(path) as fh:
        reader = csv.reader(fh)
        pos = 0
        try:
            next(reader, None)
            for record in reader:
                pos += 1
                if pos > skip:
                    yield pos, reader.line_num, record
        except UnicodeDecodeError:
            raise PiikitError(f"{path} is not UTF-8 text (after line {reader.line_num})", "re-encode it as UTF-8") from None
        except csv.Error as e:
            raise PiikitError(f"{path}: line {reader.line_num}: broken csv ({e})", "fix the quoting on that line") from None


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as csv text, ``\\n`` line ends."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


# --------------------------------------------------------------------------- parquet
def parquet_file(path: Path, hint: str = "check the file"):
    """An open ``pyarrow.parquet.ParquetFile`` (its footer read), or one line saying why not."""
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises several types for a bad file
        first = (str(e).strip().splitlines() or [""])[0][:200]
        raise PiikitError(f"{path} is not a readable parquet file ({type(e).__name__}{': ' + first if first else ''})", hint) from None


def parquet_batches(pf, batch_size: int, skip: int = 0) -> Iterator[tuple[int, Any]]:
    """``(rows before it, record batch)`` of a ParquetFile, from row ``skip + 1``."""
    pos = 0
    for rb in pf.iter_batches(batch_size=batch_size):
        if pos + rb.num_rows <= skip:
            pos += rb.num_rows
            continue
        if pos < skip:
            rb = rb.slice(skip - pos)
            pos = skip
        yield pos, rb
        pos += rb.num_rows


# --------------------------------------------------------------------------- writing
def json_text(record: Any) -> str:
    """One JSON line as piikit writes it: UTF-8 text kept as is (not ``\\u`` escapes)."""
    return json.dumps(record, ensure_ascii=False)


def line_bytes(texts: Sequence[str]) -> bytes:
    """Lines to append to a file: each ends with ``\\n``, UTF-8."""
    return ("\n".join(texts) + "\n").encode("utf-8") if texts else b""


def spans_json(spans: Iterable[Any]) -> list[dict[str, Any]]:
    """Spans as written next to masked text: offsets and label, never the value (the PII)."""
    return [{"start": s.start, "end": s.end, "label": s.label} for s in spans]


def count_units(path: Path, fmt: str) -> int:
    """Roughly how many units (see the module doc) a file has, read in big chunks."""
    if fmt == "parquet":
        return parquet_file(path).metadata.num_rows
    n = 0
    last = b"\n"
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 22):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        n += 1
    return max(0, n - 1) if fmt == "csv" else n
