"""Streaming readers and resumable writers for the mask stage: jsonl, csv, parquet, txt, on
top of :mod:`piikit.io.formats` (which knows the formats, BOM, line ends and surrogates).

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

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from piikit.data.schema import Span
from piikit.errors import PiikitError
from piikit.io import fsync_path, publish
from piikit.io import formats as io_formats

FORMATS = ("jsonl", "csv", "parquet", "txt")
SUFFIXES = io_formats.suffixes(*FORMATS)


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


# --------------------------------------------------------------------------- readers
def read_batches(path: Path, fmt: str, column: str, batch_size: int, skip: int = 0) -> Iterator[Batch]:
    return {"jsonl": _read_jsonl, "txt": _read_txt, "csv": _read_csv, "parquet": _read_parquet}[fmt](path, column, batch_size, skip)


def _read_jsonl(path: Path, column: str, batch_size: int, skip: int) -> Iterator[Batch]:
    batch = Batch([], [], [], end=skip)
    for pos, line in io_formats.lines(path, skip):
        record, problem = io_formats.json_line(line)
        if record is not None:
            problem = io_formats.text_problem(record.get(column), column, column in record)
            if problem is None:
                batch.texts.append(record[column])
                batch.rows.append(pos)
                batch.payload.append(record)
        if problem is not None:
            batch.bad.append((pos, *problem))
        batch.end = pos
        if len(batch.texts) + len(batch.bad) >= batch_size:
            yield batch
            batch = Batch([], [], [], end=pos)
    if batch.texts or batch.bad:
        yield batch


def _read_txt(path: Path, column: str, batch_size: int, skip: int) -> Iterator[Batch]:
    batch = Batch([], [], None, end=skip)
    for pos, line in io_formats.lines(path, skip):
        try:
            batch.texts.append(io_formats.line_text(line))
            batch.rows.append(pos)
        except UnicodeDecodeError:
            batch.bad.append((pos, "invalid UTF-8", "is not valid UTF-8"))
        batch.end = pos
        if len(batch.texts) + len(batch.bad) >= batch_size:
            yield batch
            batch = Batch([], [], None, end=pos)
    if batch.texts or batch.bad:
        yield batch


def _read_csv(path: Path, column: str, batch_size: int, skip: int) -> Iterator[Batch]:
    header = io_formats.csv_header(path)
    col = header.index(column)
    batch = Batch([], [], [], end=skip)
    for pos, line, record in io_formats.csv_records(path, skip):
        batch.end = pos
        if not record:
            continue
        if len(record) != len(header):
            batch.bad.append((line, "wrong number of fields", f"has {len(record)} fields, the header has {len(header)}"))
        else:
            batch.texts.append(record[col])
            batch.rows.append(line)
            batch.payload.append(record)
        if len(batch.texts) + len(batch.bad) >= batch_size:
            yield batch
            batch = Batch([], [], [], end=pos)
    if batch.texts or batch.bad:
        yield batch


def parquet_schema(path: Path):
    return io_formats.parquet_file(path, "check the file, or set mask.format").schema_arrow


def _read_parquet(path: Path, column: str, batch_size: int, skip: int) -> Iterator[Batch]:
    import pyarrow as pa

    pf = io_formats.parquet_file(path, "check the file, or set mask.format")
    col_type = pf.schema_arrow.field(column).type
    is_text = pa.types.is_string(col_type) or pa.types.is_large_string(col_type)
    for pos, rb in io_formats.parquet_batches(pf, batch_size, skip):
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
        batch.end = pos + rb.num_rows
        yield batch


# --------------------------------------------------------------------------- writers
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
            publish(self.partials[name], self.finals[name])
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
            record[o.spans_column] = io_formats.spans_json(found)
            out.append(io_formats.json_text(record))
        self.fh["main"].write(io_formats.line_bytes(out))


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
        self.fh["main"].write(io_formats.csv_text(rows).encode("utf-8"))

    def start(self) -> None:
        self._rows([self.header])

    def write(self, batch: Batch, keep, masked, spans) -> None:
        rows = []
        for i, text, found in zip(keep, masked, spans):
            record = batch.payload[i]
            rows.append([record[c] for c in self.keep_cols] + [text, io_formats.json_text(io_formats.spans_json(found))])
        self._rows(rows)


class TxtWriter(_BytesWriter):
    """Masked lines in ``<name>.txt``; their spans in ``<name>.spans.jsonl`` ({row, spans})."""

    streams = ("main", "spans")

    def write(self, batch: Batch, keep, masked, spans) -> None:
        if not keep:
            return
        self.fh["main"].write(io_formats.line_bytes(masked))
        lines = [io_formats.json_text({"row": batch.rows[i], "spans": io_formats.spans_json(found)}) for i, found in zip(keep, spans)]
        self.fh["spans"].write(io_formats.line_bytes(lines))


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
        arrays.append(pa.array([io_formats.spans_json(s) for s in spans], type=self.span_type))
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self._part(self.parts), self.schema)
        self.writer.write_table(table)

    def sync(self) -> dict[str, int]:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
            fsync_path(self._part(self.parts))
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
        publish(tmp, self.final)
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
        return CsvWriter(partials, finals, state, opts, io_formats.csv_header(path))
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
        names = io_formats.csv_header(path)
    elif fmt == "parquet":
        names = parquet_schema(path).names
    else:
        return
    if column not in names:
        raise PiikitError(f"{path} has no column '{column}' (columns: {', '.join(names)})", "set mask.text_column to the column holding the text")
