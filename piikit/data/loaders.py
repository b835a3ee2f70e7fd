"""Dataset loaders: the Hugging Face hub (``hf``) and local files (``local``).

Both convert records to :class:`Row` here, at the edge, and accept two schemas:

- current ai4privacy: ``source_text, target_text, privacy_mask`` (list of ``{value,start,end,
  label}`` dicts, or that list as a JSON string), optional ``language`` and ``id``/``uid``;
- the older one the original walkthrough used: ``unmasked_text, masked_text``. Spans are
  recovered by the evaluator's aligner (:func:`piikit.evaluate.align.align_exact`), so both
  read the same placeholders: ``[LABEL]``, ``[CREDIT_CARD]`` or numbered ``[LABEL_1]``
  (``target_text`` is written with ``[LABEL]``). A row that cannot be aligned exactly keeps
  no spans and its masked text, so validation reports it.

Loaders read no more than they need: ``max_rows`` (after the ``languages`` filter) stops
reading early. Heavy libraries (datasets, pyarrow) are imported inside the functions.
"""

from __future__ import annotations

import itertools
import json
import logging
from pathlib import Path
from typing import Any, Iterable, Iterator

from piikit.data.schema import Row, Span, mask_text
from piikit.evaluate.align import align_exact, plain_placeholders
from piikit.errors import PiikitError
from piikit.io import formats as io_formats

FIELDS = ("id", "source_text", "target_text", "privacy_mask", "language")
OLD_FIELDS = ("unmasked_text", "masked_text")
FORMATS = io_formats.suffixes("jsonl", "json", "csv", "parquet")

# --------------------------------------------------------------------------- conversion
def _parse_mask(value: Any, where: str) -> list[Span]:
    if value is None or (isinstance(value, float) and value != value):  # None / NaN
        return []
    if isinstance(value, str):
        if not value.strip():
            return []
        try:
            value = json.loads(value)
        except json.JSONDecodeError as e:
            raise PiikitError(f"{where}: privacy_mask is not valid JSON ({e.msg})", "it must be a list of {value,start,end,label}") from None
    if hasattr(value, "tolist"):  # numpy arrays from parquet/pandas
        value = value.tolist()
    if isinstance(value, dict) and set(value) >= {"start", "end", "label"}:  # columnar {start: [...], ...}
        value = [dict(zip(value, vals)) for vals in zip(*value.values())]
    try:
        return [Span.from_dict(d) for d in value]
    except (KeyError, TypeError, ValueError) as e:
        raise PiikitError(f"{where}: privacy_mask entries need value, start, end, label ({e})", "fix the column or map another with dataset.columns") from None


def to_row(rec: dict[str, Any], index: int, where: str) -> Row:
    """One record (already renamed to our field names) -> Row."""
    rid = rec.get("id")
    if rid is None or rid == "":
        rid = rec.get("uid")
    rid = str(index) if rid is None or rid == "" else str(rid)
    language = rec.get("language") or "en"
    if "source_text" in rec:
        target = rec.get("target_text")
        return Row(
            id=rid,
            source_text=rec["source_text"],
            target_text=None if target is None or target == "" and rec["source_text"] != "" else target,
            privacy_mask=_parse_mask(rec.get("privacy_mask"), f"{where} row {rid}"),
            language=str(language),
        )
    source, masked = rec["unmasked_text"], rec["masked_text"]
    spans = align_exact(source, masked)
    if spans is None:  # keep the masked text so validation reports the row
        return Row(id=rid, source_text=source, target_text=plain_placeholders(masked), privacy_mask=[], language=str(language))
    return Row(id=rid, source_text=source, target_text=mask_text(source, spans), privacy_mask=spans, language=str(language))


def _schema_columns(available: list[str], columns: dict[str, str], where: str) -> dict[str, str]:
    """Our field -> column in the data, checking the mapping and that a schema is present."""
    columns = {k: v for k, v in columns.items() if v}
    unknown = [k for k in columns if k not in FIELDS + OLD_FIELDS]
    if unknown:
        raise PiikitError(f"dataset.columns has unknown field {unknown[0]!r}", f"map any of: {', '.join(FIELDS + OLD_FIELDS)}")
    for ours, theirs in columns.items():
        if theirs not in available:
            raise PiikitError(
                f"column {theirs!r} (for {ours}) is not in {where}", f"available columns: {', '.join(available) or '(none)'}"
            )
    mapping = {f: columns.get(f, f) for f in FIELDS + OLD_FIELDS if columns.get(f, f) in available}
    if "uid" in available and "id" not in mapping:
        mapping["uid"] = "uid"
    if "source_text" not in mapping and not all(f in mapping for f in OLD_FIELDS):
        raise PiikitError(
            f"{where} has no source_text column (nor unmasked_text + masked_text)",
            f"map one with dataset.columns.source_text=<column>; available columns: {', '.join(available) or '(none)'}",
        )
    if "source_text" in mapping:
        for old in OLD_FIELDS:
            mapping.pop(old, None)
    return mapping


def convert(records: Iterable[dict[str, Any]], columns: dict[str, str], where: str, languages: list[str] | None, max_rows: int | None) -> Iterator[Row]:
    """Rename columns, convert to rows, filter languages, stop after ``max_rows``."""
    mapping: dict[str, str] | None = None
    wanted = set(languages) if languages else None
    n = 0
    for index, rec in enumerate(records):
        if mapping is None:
            mapping = _schema_columns(list(rec), columns, where)
        row = to_row({ours: rec.get(theirs) for ours, theirs in mapping.items()}, index, where)
        if wanted is not None and row.language not in wanted:
            continue
        yield row
        n += 1
        if max_rows is not None and n >= max_rows:
            return


# --------------------------------------------------------------------------- local files
def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    for lineno, line in io_formats.lines(path):
        record, problem = io_formats.json_line(line)
        if problem is not None:
            raise PiikitError(f"{path}:{lineno}: {problem[1]}", "each line must be one JSON object")
        if record is not None:
            yield record


def _read_json(path: Path) -> Iterator[dict[str, Any]]:
    try:
        data = json.loads(io_formats.read_text(path))
    except json.JSONDecodeError as e:
        raise PiikitError(f"{path}: not valid JSON ({e.msg} at line {e.lineno})", "a .json file must hold a list of row objects") from None
    if isinstance(data, dict):  # {"data": [...]} / {"rows": [...]} or columnar {"col": [...]}
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(data) == 1 and lists and all(isinstance(x, dict) for x in lists[0]):
            data = lists[0]
        elif lists and len(lists) == len(data):
            data = [dict(zip(data, vals)) for vals in zip(*data.values())]
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise PiikitError(f"{path}: expected a list of row objects", "a .json file must hold a list of row objects (or use .jsonl)")
    yield from data


def _read_csv(path: Path) -> Iterator[dict[str, Any]]:
    """Rows keyed by the header (a short row's missing fields are None), blank lines skipped."""
    header = io_formats.csv_header(path)
    for _, _, fields in io_formats.csv_records(path):
        if fields:
            yield {name: fields[i] if i < len(fields) else None for i, name in enumerate(header)}


def _read_parquet(path: Path) -> Iterator[dict[str, Any]]:
    for _, batch in io_formats.parquet_batches(io_formats.parquet_file(path), 4096):
        yield from batch.to_pylist()


READERS = {"jsonl": _read_jsonl, "json": _read_json, "csv": _read_csv, "parquet": _read_parquet}


def _local_format(path: Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in READERS:
            raise PiikitError(f"dataset.format={fmt!r} is not supported", f"use one of: {', '.join(READERS)}")
        return fmt
    if path.suffix.lower() not in FORMATS:
        raise PiikitError(f"can't tell the format of {path} from its suffix", f"set dataset.format to one of: {', '.join(READERS)}")
    return FORMATS[path.suffix.lower()]


def _local_records(path: Path, fmt: str) -> Iterator[dict[str, Any]]:
    try:
        yield from READERS[fmt](path)
    except UnicodeDecodeError as e:
        raise PiikitError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})", "save the file as UTF-8") from None


def load_local(config: Any, ctx: Any = None) -> list[Row]:
    """``LocalDatasetConfig`` -> rows (jsonl, json, csv, parquet)."""
    from piikit.console import progress

    path = Path(config.path).expanduser()
    if not path.is_file():
        hint = "give a .jsonl, .json, .csv or .parquet file: dataset.path=/abs/path/file.jsonl"
        raise PiikitError(f"dataset.path={config.path}: no such file ({path.resolve()})", hint)
    fmt = _local_format(path, config.format)
    rows: list[Row] = []
    with progress() as p:
        task = p.add_task(f"loading {path.name}", total=config.max_rows)
        for row in convert(_local_records(path, fmt), dict(config.columns), str(path), config.languages, config.max_rows):
            rows.append(row)
            p.advance(task)
    if not rows:
        raise PiikitError(f"{path} has no rows" + (f" in languages {config.languages}" if config.languages else ""), "check the file and dataset.languages")
    return rows


# --------------------------------------------------------------------------- hugging face
def _hf_unreachable(exc: BaseException) -> bool:
    text = f"{type(exc).__name__}: {exc}".lower()
    names = {type(e).__name__ for e in _chain(exc)}
    return bool(
        names & {"ConnectionError", "ConnectTimeout", "ReadTimeout", "Timeout", "OfflineModeIsEnabled", "LocalEntryNotFoundError", "MaxRetryError", "NewConnectionError", "ConnectError", "NetworkError", "TransportError"}
    ) or any(s in text for s in ("couldn't reach", "connection", "offline", "network is unreachable", "name resolution", "timed out"))


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _hf_dataset(config: Any):
    """``datasets.load_dataset`` for a hub id, a local folder, or a local data file."""
    import datasets

    local = Path(config.id).expanduser()
    kwargs: dict[str, Any] = {"split": config.split, "streaming": config.streaming}
    if local.is_file():
        fmt = FORMATS.get(local.suffix.lower())
        if fmt is None:
            raise PiikitError(f"dataset.id={config.id}: can't tell the file format", "use a .jsonl, .json, .csv or .parquet file, or a folder")
        builder = {"jsonl": "json", "json": "json", "csv": "csv", "parquet": "parquet"}[fmt]
        return datasets.load_dataset(builder, data_files={config.split: str(local)}, **kwargs)
    if local.is_dir():
        return datasets.load_dataset(str(local), **kwargs)
    _probe_hub(config)
    return datasets.load_dataset(config.id, revision=config.revision, **kwargs)


def _probe_hub(config: Any) -> None:
    """One quick request before ``load_dataset`` (which retries for ~30 s when offline)."""
    from huggingface_hub import HfApi, constants

    if constants.HF_HUB_OFFLINE:  # offline mode: datasets reads its local cache
        return
    try:
        HfApi().dataset_info(config.id, revision=config.revision, timeout=15)
    except Exception as e:
        name = type(e).__name__
        if name in ("RepositoryNotFoundError", "RevisionNotFoundError", "GatedRepoError", "HfHubHTTPError") and not _hf_unreachable(e):
            first = (str(e).strip().splitlines() or [name])[0][:160]
            raise PiikitError(
                f"dataset.id={config.id}: {name} ({first})",
                "check dataset.id / dataset.revision (gated sets need `hf auth login`), or use dataset=synthetic or dataset=local",
            ) from None
        raise


def load_hf(config: Any, ctx: Any = None) -> list[Row]:
    """``HFDatasetConfig`` -> rows via ``datasets.load_dataset`` (streams only what is needed)."""
    import datasets

    from piikit.console import progress, progress_enabled

    datasets.logging.set_verbosity_error()
    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)
    if not progress_enabled():
        datasets.disable_progress_bars()
    where = f"dataset.id={config.id}"
    try:
        ds = _hf_dataset(config)
        records: Iterable[dict[str, Any]] = iter(ds)
        if not config.streaming and config.max_rows and not config.languages:
            records = itertools.islice(records, config.max_rows)
        rows: list[Row] = []
        with progress() as p:
            task = p.add_task(f"loading {config.id}", total=config.max_rows)
            for row in convert(records, {}, where, config.languages, config.max_rows):
                rows.append(row)
                p.advance(task)
    except PiikitError:
        raise
    except Exception as e:
        first = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
        if type(e).__name__ == "DatasetNotFoundError" or "doesn't exist on the hub" in str(e).lower():
            raise PiikitError(f"{where}: not found ({first})", "check dataset.id / dataset.revision, or use dataset=synthetic or dataset=local") from None
        from huggingface_hub import constants

        if constants.HF_HUB_OFFLINE:
            raise PiikitError(
                f"{config.id} is not in the local Hugging Face cache and HF_HUB_OFFLINE is set ({type(e).__name__})",
                "unset HF_HUB_OFFLINE to download it, or work offline with dataset=synthetic or dataset=local dataset.path=<file>",
            ) from None
        if _hf_unreachable(e):
            raise PiikitError(
                f"can't reach the Hugging Face hub to load {config.id} ({type(e).__name__})",
                "check your network, or work offline with dataset=synthetic or dataset=local dataset.path=<file>",
            ) from None
        if isinstance(e, ValueError) and "split" in str(e).lower():
            raise PiikitError(f"{where}: {first}", "set dataset.split to one of the dataset's splits") from None
        raise
    if not rows:
        raise PiikitError(f"{where} gave no rows" + (f" in languages {config.languages}" if config.languages else ""), "check dataset.split and dataset.languages")
    return rows
