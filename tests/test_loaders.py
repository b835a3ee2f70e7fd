"""Loaders: every local file type, both schemas, column mapping, hf via local data, errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from piikit.data.loaders import load_hf, load_local
from piikit.data.schema import Span
from piikit.data.validate import row_problems
from piikit.errors import PiikitError

# Two small rows written for these tests (current ai4privacy schema).
ROWS = [
    {
        "id": "r1",
        "source_text": "Send the contract to Mia Lindqvist at mia@example.org.",
        "target_text": "Send the contract to [FIRSTNAME] [LASTNAME] at [EMAIL].",
        "privacy_mask": [
            {"value": "Mia", "start": 21, "end": 24, "label": "FIRSTNAME"},
            {"value": "Lindqvist", "start": 25, "end": 34, "label": "LASTNAME"},
            {"value": "mia@example.org", "start": 38, "end": 53, "label": "EMAIL"},
        ],
        "language": "en",
    },
    {
        "id": "r2",
        "source_text": "Ruf mich an: 0171 5550199, danke!",
        "target_text": "Ruf mich an: [PHONENUMBER], danke!",
        "privacy_mask": [{"value": "0171 5550199", "start": 13, "end": 25, "label": "PHONENUMBER"}],
        "language": "de",
    },
    {"id": "r3", "source_text": "Nothing personal here.", "target_text": "Nothing personal here.", "privacy_mask": [], "language": "en"},
]
OLD = [
    {"unmasked_text": "Hi Ola, your code is 4821.", "masked_text": "Hi [FIRSTNAME_1], your code is [PIN_1]."},
    {"unmasked_text": "Dear Jo Park, welcome", "masked_text": "Dear [FIRSTNAME] [LASTNAME], welcome"},
    {"unmasked_text": "Call Ben now", "masked_text": "Call [FIRSTNAME][LASTNAME] now"},  # adjacent: ambiguous
]


@pytest.fixture(autouse=True)
def _hf_cache_in_tmp(tmp_path, monkeypatch):
    """``datasets`` writes Arrow caches for local data: keep them in the test's tmp dir."""
    import datasets

    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf-cache")


def local(path: Path, **kw) -> SimpleNamespace:
    base = dict(name="local", path=str(path), format=None, columns={}, max_rows=None, languages=None, on_invalid="fail")
    return SimpleNamespace(**{**base, **kw})


def hf(id: str, **kw) -> SimpleNamespace:
    base = dict(name="hf", id=id, revision=None, split="train", streaming=True, max_rows=None, languages=None, on_invalid="fail")
    return SimpleNamespace(**{**base, **kw})


def write(path: Path, records: list[dict], fmt: str) -> Path:
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    elif fmt == "json":
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    elif fmt == "csv":
        cols = list(records[0])
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, cols)
            w.writeheader()
            for r in records:
                w.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in r.items()})
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(records), path)
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "parquet"])
def test_every_file_type_current_schema(tmp_path, fmt):
    rows = load_local(local(write(tmp_path / f"rows.{fmt}", ROWS, fmt)))
    assert [r.id for r in rows] == ["r1", "r2", "r3"]
    assert [r.language for r in rows] == ["en", "de", "en"]
    assert rows[0].privacy_mask[1] == Span(25, 34, "LASTNAME", "Lindqvist")
    assert rows[0].target_text == ROWS[0]["target_text"]
    assert all(row_problems(r) == [] for r in rows)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "parquet"])
def test_every_file_type_old_schema(tmp_path, fmt):
    rows = load_local(local(write(tmp_path / f"old.{fmt}", OLD, fmt)))
    assert [r.id for r in rows] == ["0", "1", "2"]  # no id column: row index
    assert rows[0].privacy_mask == [Span(3, 6, "FIRSTNAME", "Ola"), Span(21, 25, "PIN", "4821")]
    assert rows[0].target_text == "Hi [FIRSTNAME], your code is [PIN]."
    assert row_problems(rows[0]) == [] and row_problems(rows[1]) == []
    # the ambiguous row keeps its masked text and no spans: validation reports it
    assert rows[2].privacy_mask == [] and any("target_text differs" in p for p in row_problems(rows[2]))


def test_column_mapping_and_json_string_mask(tmp_path):
    records = [{"uid": 11, "text": r["source_text"], "masked": r["target_text"], "spans": json.dumps(r["privacy_mask"]), "lang": r["language"]} for r in ROWS]
    cols = {"source_text": "text", "target_text": "masked", "privacy_mask": "spans", "language": "lang"}
    rows = load_local(local(write(tmp_path / "mapped.jsonl", records, "jsonl"), columns=cols))
    assert rows[0].id == "11" and rows[1].language == "de" and len(rows[0].privacy_mask) == 3


def test_filters_and_max_rows_read_less(tmp_path):
    path = write(tmp_path / "rows.jsonl", ROWS, "jsonl")
    assert [r.id for r in load_local(local(path, languages=["en"]))] == ["r1", "r3"]
    assert [r.id for r in load_local(local(path, max_rows=2))] == ["r1", "r2"]
    with path.open("a") as fh:
        fh.write("{not json\n")  # never reached with max_rows=3
    assert len(load_local(local(path, max_rows=3))) == 3


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: local(d / "missing.jsonl"), "dataset.path="),
        (lambda d: local(write(d / "a.jsonl", ROWS, "jsonl"), columns={"source_text": "body"}), "column 'body' (for source_text) is not in"),
        (lambda d: local(write(d / "a.jsonl", ROWS, "jsonl"), columns={"text": "source_text"}), "dataset.columns has unknown field 'text'"),
        (lambda d: local(write(d / "a.jsonl", [{"body": "x"}], "jsonl")), "has no source_text column"),
        (lambda d: local(write(d / "a.txt", ROWS, "jsonl")), "can't tell the format"),
        (lambda d: local(write(d / "a.jsonl", ROWS, "jsonl"), format="xml"), "dataset.format='xml' is not supported"),
        (lambda d: local(write(d / "a.json", ROWS, "jsonl")), "not valid JSON"),
        (lambda d: local(write(d / "a.parquet", ROWS, "jsonl")), "not a readable parquet file"),
        (lambda d: local(write(d / "a.csv", [{"source_text": "x", "privacy_mask": "[{oops"}], "csv")), "privacy_mask is not valid JSON"),
    ],
)
def test_local_errors_are_one_line(tmp_path, make, expected):
    with pytest.raises(PiikitError) as e:
        load_local(make(tmp_path))
    line = e.value.one_line()
    assert expected in line and "\n" not in line


def test_unknown_column_lists_available_columns(tmp_path):
    path = write(tmp_path / "a.csv", ROWS, "csv")
    with pytest.raises(PiikitError) as e:
        load_local(local(path, columns={"source_text": "body"}))
    assert str(path) in e.value.one_line()
    assert "available columns: id, source_text, target_text, privacy_mask, language" in e.value.one_line()


def test_old_schema_reads_every_label_spelling_the_evaluator_reads(tmp_path):
    # the loader once had its own aligner, which took [CREDIT_CARD] for literal text
    records = [
        {"unmasked_text": "Card 4111 1111 1111 1111 ok", "masked_text": "Card [CREDIT_CARD] ok"},
        {"unmasked_text": "Card 4111 1111 1111 1111, born 1990-01-02", "masked_text": "Card [CREDIT_CARD_1], born [DATE_OF_BIRTH_2]"},
        {"unmasked_text": "ip 10.0.0.1 ssn 123-45-6789", "masked_text": "ip [IPV4] ssn [US_SSN]"},
    ]
    rows = load_local(local(write(tmp_path / "old.jsonl", records, "jsonl")))
    assert rows[0].privacy_mask == [Span(5, 24, "CREDIT_CARD", "4111 1111 1111 1111")]
    assert rows[0].target_text == "Card [CREDIT_CARD] ok"
    assert [(s.label, s.value) for s in rows[1].privacy_mask] == [("CREDIT_CARD", "4111 1111 1111 1111"), ("DATE_OF_BIRTH", "1990-01-02")]
    assert rows[1].target_text == "Card [CREDIT_CARD], born [DATE_OF_BIRTH]"
    assert [(s.label, s.value) for s in rows[2].privacy_mask] == [("IPV4", "10.0.0.1"), ("US_SSN", "123-45-6789")]
    assert all(row_problems(r) == [] for r in rows)


def test_hf_from_local_parquet_folder(tmp_path):
    folder = tmp_path / "ds"
    (folder / "data").mkdir(parents=True)
    write(folder / "data" / "train-00000-of-00001.parquet", ROWS, "parquet")
    rows = load_hf(hf(str(folder), max_rows=2))
    assert [r.id for r in rows] == ["r1", "r2"] and rows[0].privacy_mask[2].label == "EMAIL"
    rows = load_hf(hf(str(folder), streaming=False, languages=["de"]))
    assert [r.id for r in rows] == ["r2"]


def test_hf_from_local_file_old_schema_and_uid(tmp_path):
    records = [{**o, "uid": 100 + i, "language": "en"} for i, o in enumerate(OLD)]
    rows = load_hf(hf(str(write(tmp_path / "old.jsonl", records, "jsonl"))))
    assert [r.id for r in rows] == ["100", "101", "102"]
    assert rows[1].privacy_mask == [Span(5, 7, "FIRSTNAME", "Jo"), Span(8, 12, "LASTNAME", "Park")]


def test_hf_missing_split_is_one_line(tmp_path):
    folder = tmp_path / "ds"
    folder.mkdir()
    write(folder / "train.parquet", ROWS, "parquet")
    with pytest.raises(PiikitError) as e:
        load_hf(hf(str(folder), split="validation"))
    line = e.value.one_line()
    assert "validation" in line and "set dataset.split" in line and "\n" not in line


def test_a_lone_surrogate_stops_the_loader_with_the_line(tmp_path):
    # half an emoji cannot be written to prepare/*.jsonl as UTF-8: say so at load, in one line
    path = tmp_path / "chat.jsonl"
    path.write_bytes(json.dumps(ROWS[2]).encode() + b'\n{"source_text": "Hi Ann \\ud83d"}\n')
    with pytest.raises(PiikitError) as e:
        load_local(local(path))
    assert f"{path}:2: holds a lone surrogate \\ud83d" in e.value.one_line()
