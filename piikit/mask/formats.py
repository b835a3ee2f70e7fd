"""Streaming readers and resumable writers for the mask stage: jsonl, csv, parquet, txt.

A reader yields :class:`Batch` es of at most ``batch_size`` rows with constant memory. Its
position (``Batch.end``) counts the file's units — lines (jsonl, txt), csv records after the
header, parquet rows — so a resumed run skips exactly what was already done.

A writer appends masked rows to hidden partial files beside the final output. ``sync()`` makes
everything written so far durable and returns a small state (byte offsets; parquet: finished
part files) for the checkpoint; ``open_writer(..., state)`` first cuts the partial output back
to that state. ``finish()`` turns the partials into the final files (temp + rename).

Row numbers in reports: the line number for jsonl, txt and csv (as an editor shows it), the
1-based row index for parquet.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from piikit.data.schema import Span
from piikit.errors import PiikitError

SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".txt": "txt", ".text": "txt"}


def detect_format(path: Path, forced: str | None) -> str:
    if forced:
        return forced
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise PiikitError(f"cannot tell the format of {path} from its suffix", "set mask.format=jsonl|csv|parquet|txt")
    return fmt


@dataclass
class Batch:
    texts: list[str]  # the good rows' texts, in order
    rows: list[int]  # their row numbers
    payload: Any  # format-specific: what the writer needs to write the good rows back
    bad: list[tuple[int, str, str]] = field(default_factory=list)  # (row, reason, detail)
    end: int = 0  # file position (units) after this batch


def _text_problem(value: Any, present: bool, column: str) -> tuple[str, str] | None:
    if not present:
        return "missing", f"has no '{column}' field"
    if value is None:
        return "null", f"'{column}' is null"
    if not isinstance(value, str):
        return "not a string", f"'{column}' is {type(value).__name__}, not a string"
    return None


# --------------------------------------------------------------------------- readers
def read_batches(path: Path, fmt: str, column: str, batch_size: int, skip: int = 0) -> Iterator[Batch]:
    return {"jsonl": _read_jsonl, "txt": _read_txt, "csv": _read_csv, "parquet": _read_parquet}[fmt](path, column, batch_size, skip)


BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark (Windows exports start with one): not part of the text
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")  # \ud800-\udfff written as a JSON escape
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # left in a str only when unpaired


def lone_surrogate(line: bytes, record: Any) -> str | None:
    """Half an emoji (``"\\ud83d"``, from a truncated chat export) cannot be written as UTF-8:
    where the record holds one, say where; else None."""
    if not _SURROGATE_ESCAPE.search(line):
        return None
    found = _LONE_SURROGATE.search(json.dumps(record, ensure_ascii=False))
    return f"holds a lone surrogate \\u{ord(found.group()):04x} (half an emoji, e.g. a truncated export), which cannot be written as UTF-8" if found else None


def json_error(e: Exception) -> str:
    """``Invalid control character at: line 1 column 9 (char 8)`` → ``... at column 9``."""
    if isinstance(e, json.JSONDecodeError):
        return f"not valid JSON ({e.msg.removesuffix(' at')} at column {e.colno})"
    return f"not valid UTF-8 ({getattr(e, 'reason', e)} at byte {getattr(e, 'start', 0) + 1})"


def _read_jsonl(path: Path, column: str, batch_size: int, skip: int) -> Iterator[Batch]:
    batch = Batch([], [], [])
    pos = 0
    with path.open("rb") as fh:
        for line in fh:
            pos += 1
            if pos == 1 and line.startswith(BOM):
                line = line[len(BOM):]
            if pos <= skip:
                continue
            batch.end = pos
            if not line.strip():
                continue
            try:
                record = json.loads(line.decode("utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                batch.bad.append((pos, "malformed JSON", json_error(e)))
            else:
                surrogate = lone_surrogate(line, record)
                if surrogate:
                    batch.bad.append((pos, "lone surrogate", surrogate))
                elif not isinstance(record, dict):
                    batch.bad.append((pos, "not a JSON object", f"is a JSON {type(record).__name__}, not an object"))
                else:
                    problem = _text_problem(record.get(column), column in record, column)
                    if problem:
                        batch.bad.append((pos, *problem))
                    else:
                        batch.texts.append(record[column])
                        batch.rows.append(pos)
                        batch.payload.append(record)
            batch.end = pos
            if len(batch.texts) + len(batch.bad) >= batch_size:
                yield batch
                batch = Batch([], [], [], end=pos)
    if batch.texts or batch.bad:
        yield batch


def _read_txt(path: Path, column: str, batch_size: int, skip: int) -> Iterator[Batch]:
    batch = Batch([], [], None)
    pos = 0
    with path.open("rb") as fh:
        for raw in fh:
            pos += 1
            if pos == 1 and raw.startswith(BOM):
                raw = raw[len(BOM):]
            if pos <= skip:
                continue
            line = raw[:-1] if raw.endswith(b"\n") else raw
            if line.endswith(b"\r"):
                line = line[:-1]
            try:
                batch.texts.append(line.decode("utf-8"))
                batch.rows.append(pos)
            except UnicodeDecodeError:
                batch.bad.append((pos, "invalid UTF-8", "is not valid UTF-8"))
            batch.end = pos
            if len(batch.texts) + len(batch.bad) >= batch_size:
                yield batch
                batch = Batch([], [], None, end=pos)
    if batch.texts or batch.bad:
        yield batch


def csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        try:
            return next(csv.reader(fh))
        except StopIteration:
            raise PiikitError(f"{path} is empty: a csv input needs a header row", "add a header line naming the columns") from None
        except UnicodeDecodeError:
            raise PiikitError(f"{path} is not UTF-8 text", "re-encode it as UTF-8") from None


def _read_csv(path: Path, column: str, batch_size: int, skip: int) -> Iterator[Batch]:
    header = csv_header(path)
    col = header.index(column)
    batch = Batch([], [], [])
    pos = 0
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        try:
            for record in reader:
                pos += 1
                if pos <= skip:
                    continue
                batch.end = pos
                if not record:
                    continue
                line = reader.line_num
                if len(record) != len(header):
                    batch.bad.append((line, "wrong number of fields", f"has {len(record)} fields, the header has {len(header)}"))
                else:
                    batch.texts.append(record[col])
                    batch.rows.append(line)
                    batch.payload.append(record)
                if len(batch.texts) + len(batch.bad) >= batch_size:
                    yield batch
                    batch = Batch([], [], [], end=pos)
        except UnicodeDecodeError:
            raise PiikitError(f"{path} is not UTF-8 text (after line {reader.line_num})", "re-encode it as UTF-8") from None
        except csv.Error as e:
            raise PiikitError(f"{path}: line {reader.line_num}: broken csv ({e})", "fix the quoting on that line") from None
    if batch.texts or batch.bad:
        yield batch


def parquet_schema(path: Path):
    import pyarrow.parquet as pq

    try:
        return pq.read_schema(path)
    except Exception as e:
        raise PiikitError(f"{path} is not a readable parquet file ({type(e).__name__})", "check the file, or set mask.format") from None


def _read_parquet(path: Path, column: str, batch_size: int, skip: int) -> Iterator[Batch]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    col_type = pf.schema_arrow.field(column).type
    is_text = pa.types.is_string(col_type) or pa.types.is_large_string(col_type)
    pos = 0
    for rb in pf.iter_batches(batch_size=batch_size):
        if pos + rb.num_rows <= skip:
            pos += rb.num_rows
            continue
        if pos < skip:
            rb = rb.slice(skip - pos)
            pos = skip
        values = rb.column(column).to_pylist()
        batch = Batch([], [], None)
        keep: list[int] = []
        for i, value in enumerate(values):
            row = pos + i + 1
            if value is None:
                batch.bad.append((row, "null", f"'{column}' is null"))
            elif not is_text:
                batch.bad.append((row, "not a string", f"'{column}' is {col_type}, not a string"))
            else:
                batch.texts.append(value)
                batch.rows.append(row)
                keep.append(i)
        batch.payload = (rb, keep)
        pos += rb.num_rows
        batch.end = pos
        yield batch


# --------------------------------------------------------------------------- writers
def _spans_json(spans: Sequence[Span]) -> list[dict[str, Any]]:
    return [{"start": s.start, "end": s.end, "label": s.label} for s in spans]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(partial: Path, final: Path) -> None:
    """fsync then rename a finished partial file into place."""
    _fsync(partial)
    os.replace(partial, final)


class _BytesWriter:
    """Appends bytes to one partial file per stream; state = byte offsets."""

    streams: tuple[str, ...] = ("main",)

    def __init__(self, partials: dict[str, Path], finals: dict[str, Path], state: dict | None):
        self.partials, self.finals = partials, finals
        self.fh: dict[str, Any] = {}
        for name in self.streams:
            path = partials[name]
            offset = (state or {}).get(name, 0)
            if state is None or not path.exists():
                if state and offset:
                    raise PiikitError(f"the partial output {path} is gone", "start over with mask.resume=false")
                path.write_bytes(b"")
            fh = path.open("r+b")
            fh.truncate(offset)
            fh.seek(offset)
            self.fh[name] = fh
        if not any(self.fh[n].tell() for n in self.streams):
            self.start()

    def start(self) -> None:
        pass

    def sync(self) -> dict[str, int]:
        for fh in self.fh.values():
            fh.flush()
            os.fsync(fh.fileno())
        return {n: fh.tell() for n, fh in self.fh.items()}

    def close(self) -> None:
        for fh in self.fh.values():
            fh.close()

    def finish(self) -> list[Path]:
        self.sync()
        self.close()
        for name in self.streams:
            _publish(self.partials[name], self.finals[name])
        return [self.finals[n] for n in self.streams]


class JsonlWriter(_BytesWriter):
    def __init__(self, partials, finals, state, opts):
        self.opts = opts
        super().__init__(partials, finals, state)

    def write(self, batch: Batch, keep: list[int], masked: list[str], spans: list[list[Span]]) -> None:
        o = self.opts
        out = []
        for i, text, found in zip(keep, masked, spans):
            record = batch.payload[i]
            if o.masked_column in record or o.spans_column in record:
                raise PiikitError(
                    f"row {batch.rows[i]} already has a field '{o.masked_column}' or '{o.spans_column}'",
                    "set mask.masked_column / mask.spans_column to new names",
                )
            record = {k: v for k, v in record.items() if o.keep_text or k != o.text_column}
            record[o.masked_column] = text
            record[o.spans_column] = _spans_json(found)
            out.append(json.dumps(record, ensure_ascii=False))
        if out:
            self.fh["main"].write(("\n".join(out) + "\n").encode("utf-8"))


class CsvWriter(_BytesWriter):
    def __init__(self, partials, finals, state, opts, header: list[str]):
        self.opts = opts
        for name in (opts.masked_column, opts.spans_column):
            if name in header:
                raise PiikitError(f"{finals['main'].name}: the input already has a column '{name}'", "set mask.masked_column / mask.spans_column to new names")
        self.keep_cols = [i for i, h in enumerate(header) if opts.keep_text or h != opts.text_column]
        self.header = [header[i] for i in self.keep_cols] + [opts.masked_column, opts.spans_column]
        super().__init__(partials, finals, state)

    def _rows(self, rows) -> None:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerows(rows)
        self.fh["main"].write(buf.getvalue().encode("utf-8"))

    def start(self) -> None:
        self._rows([self.header])

    def write(self, batch: Batch, keep, masked, spans) -> None:
        rows = []
        for i, text, found in zip(keep, masked, spans):
            record = batch.payload[i]
            rows.append([record[c] for c in self.keep_cols] + [text, json.dumps(_spans_json(found), ensure_ascii=False)])
        self._rows(rows)


class TxtWriter(_BytesWriter):
    """Masked lines in ``<name>.txt``; their spans in ``<name>.spans.jsonl`` ({row, spans})."""

    streams = ("main", "spans")

    def write(self, batch: Batch, keep, masked, spans) -> None:
        if not keep:
            return
        self.fh["main"].write(("\n".join(masked) + "\n").encode("utf-8"))
        lines = [json.dumps({"row": batch.rows[i], "spans": _spans_json(found)}, ensure_ascii=False) for i, found in zip(keep, spans)]
        self.fh["spans"].write(("\n".join(lines) + "\n").encode("utf-8"))


class ParquetWriter:
    """Row groups go to numbered part files (a part is closed at each sync, so a checkpoint
    never points into an unfinished parquet file); ``finish`` streams the parts into one file."""

    def __init__(self, partials, finals, state, opts, schema):
        import pyarrow as pa

        self.opts = opts
        self.dir: Path = partials["main"]
        self.final: Path = finals["main"]
        for name in (opts.masked_column, opts.spans_column):
            if name in schema.names:
                raise PiikitError(f"{self.final.name}: the input already has a column '{name}'", "set mask.masked_column / mask.spans_column to new names")
        self.in_names = [n for n in schema.names if opts.keep_text or n != opts.text_column]
        span_type = pa.list_(pa.struct([("start", pa.int64()), ("end", pa.int64()), ("label", pa.string())]))
        self.schema = pa.schema([schema.field(n) for n in self.in_names] + [pa.field(opts.masked_column, pa.string()), pa.field(opts.spans_column, span_type)], metadata=schema.metadata)
        self.span_type = span_type
        self.parts = (state or {}).get("parts", 0)
        if state is None and self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        for p in self.dir.glob("*.parquet"):  # parts written after the last checkpoint
            if int(p.stem) >= self.parts:
                p.unlink()
        if len(list(self.dir.glob("*.parquet"))) != self.parts:
            raise PiikitError(f"the partial output {self.dir} is missing parts", "start over with mask.resume=false")
        self.writer = None

    def _part(self, i: int) -> Path:
        return self.dir / f"{i:06d}.parquet"

    def write(self, batch: Batch, keep, masked, spans) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rb, idx = batch.payload
        rows = rb.take(pa.array([idx[i] for i in keep], type=pa.int64())) if len(keep) != rb.num_rows else rb
        arrays = [rows.column(n) for n in self.in_names]
        arrays.append(pa.array(masked, type=pa.string()))
        arrays.append(pa.array([_spans_json(s) for s in spans], type=self.span_type))
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self._part(self.parts), self.schema)
        self.writer.write_table(table)

    def sync(self) -> dict[str, int]:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
            _fsync(self._part(self.parts))
            self.parts += 1
        return {"parts": self.parts}

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def finish(self) -> list[Path]:
        import pyarrow.parquet as pq

        self.sync()
        tmp = self.dir / "merged.tmp"
        with pq.ParquetWriter(tmp, self.schema) as out:
            for i in range(self.parts):
                pf = pq.ParquetFile(self._part(i))
                for g in range(pf.num_row_groups):
                    out.write_table(pf.read_row_group(g))
        _publish(tmp, self.final)
        shutil.rmtree(self.dir)
        return [self.final]


def partial_paths(out_dir: Path, name: str, fmt: str) -> tuple[dict[str, Path], dict[str, Path]]:
    """(hidden partial paths, final paths) for one input file's output."""
    final = out_dir / name
    if fmt == "parquet":
        return {"main": out_dir / f".{name}.parts"}, {"main": final}
    partials = {"main": out_dir / f".{name}.partial"}
    finals = {"main": final}
    if fmt == "txt":
        stem = Path(name).stem
        partials["spans"] = out_dir / f".{stem}.spans.jsonl.partial"
        finals["spans"] = out_dir / f"{stem}.spans.jsonl"
    return partials, finals


def open_writer(fmt: str, path: Path, out_dir: Path, state: dict | None, opts) -> Any:
    partials, finals = partial_paths(out_dir, path.name, fmt)
    if fmt == "jsonl":
        return JsonlWriter(partials, finals, state, opts)
    if fmt == "csv":
        return CsvWriter(partials, finals, state, opts, csv_header(path))
    if fmt == "txt":
        return TxtWriter(partials, finals, state)
    return ParquetWriter(partials, finals, state, opts, parquet_schema(path))


def remove_partials(out_dir: Path, name: str, fmt: str) -> None:
    partials, _ = partial_paths(out_dir, name, fmt)
    for p in partials.values():
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


def check_columns(path: Path, fmt: str, column: str) -> None:
    """csv and parquet files name their columns up front: a missing text column is a setup
    mistake, not a bad row."""
    if fmt == "csv":
        names = csv_header(path)
    elif fmt == "parquet":
        names = parquet_schema(path).names
    else:
        return
    if column not in names:
        raise PiikitError(f"{path} has no column '{column}' (columns: {', '.join(names)})", "set mask.text_column to the column holding the text")


def count_units(path: Path, fmt: str) -> int:
    """Roughly how many rows a file has (for the progress bar's ETA), read in big chunks."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    n = 0
    last = b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        n += 1
    return max(0, n - 1) if fmt == "csv" else n
