"""piikit.io: atomic writes; piikit.io.formats: the one reader layer the loaders, the mask stage
and its pipe share (BOM, CRLF, emoji offsets, lone surrogates, csv positions)."""

from __future__ import annotations

import io
import json
import os
import stat
from types import SimpleNamespace

import pytest

from piikit.io import atomic_open, write_json
from piikit.io import formats as io_formats


def test_atomic_write_gets_the_umask_mode_not_mkstemps_0600(tmp_path):
    old = os.umask(0o022)
    try:
        import importlib

        import piikit.io

        importlib.reload(piikit.io)
        piikit.io.write_json(tmp_path / "m.json", {"a": 1})
    finally:
        os.umask(old)
        importlib.reload(piikit.io)
    assert stat.S_IMODE((tmp_path / "m.json").stat().st_mode) == 0o644


def test_failed_write_leaves_nothing_behind(tmp_path):
    target = tmp_path / "out.txt"
    with pytest.raises(RuntimeError):
        with atomic_open(target) as fh:
            fh.write("half")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
    write_json(target, [1])
    assert target.read_text().strip().startswith("[")


BOM = b"\xef\xbb\xbf"
EMOJI_ROW = "\U0001F600 Hello Dagny"  # an astral character: one code point before the name


def test_lines_drop_a_leading_bom_count_from_one_and_skip():
    data = BOM + b"first\r\nsecond\n\nlast"
    got = list(io_formats.lines(io.BytesIO(data)))
    assert got == [(1, b"first\r\n"), (2, b"second\n"), (3, b"\n"), (4, b"last")]
    assert [io_formats.line_text(line) for _, line in got] == ["first", "second", "", "last"]
    assert list(io_formats.lines(io.BytesIO(data), skip=2)) == got[2:]


@pytest.mark.parametrize(
    "line, record, reason",
    [
        (b'{"text": "a"}\r\n', {"text": "a"}, None),
        (b"  \r\n", None, None),  # blank
        (b'{"text": "tab\there"}\n', None, "malformed JSON"),
        (b'{"text": "\xff"}\n', None, "malformed JSON"),  # not UTF-8
        (b'{"text": "half \\ud83d"}\n', None, "lone surrogate"),
        (b'{"text": "whole \\ud83d\\ude00"}\n', {"text": "whole \U0001F600"}, None),
        (b"[1, 2]\n", None, "not a JSON object"),
    ],
)
def test_json_line_outcomes(line, record, reason):
    got, problem = io_formats.json_line(line)
    assert got == record and (problem[0] if problem else None) == reason


def test_csv_records_count_records_and_report_the_line_they_end_on(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(BOM + b'id,text\r\n1,"two\r\nlines"\r\n\r\n2,x\r\n')
    assert io_formats.csv_header(path) == ["id", "text"]
    assert list(io_formats.csv_records(path)) == [(1, 3, ["1", "two\r\nlines"]), (2, 4, []), (3, 5, ["2", "x"])]
    assert [r[0] for r in io_formats.csv_records(path, skip=2)] == [3]


def test_loader_mask_reader_and_pipe_read_one_odd_file_alike(tmp_path):
    """A BOM, CRLF line ends and an emoji before a name: every reader gets the same text, and
    the loader's span offsets still point at the name."""
    from piikit.data.loaders import load_local
    from piikit.mask.formats import read_batches
    from piikit.mask.pipe import _parse

    rows = [{"id": "r0", "source_text": EMOJI_ROW, "privacy_mask": [{"start": 8, "end": 13, "label": "FIRSTNAME", "value": "Dagny"}]},
            {"id": "r1", "source_text": "Mr Osgood", "privacy_mask": []}]
    path = tmp_path / "odd.jsonl"
    path.write_bytes(BOM + b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\r\n" for r in rows))
    cfg = SimpleNamespace(path=str(path), format=None, columns={}, max_rows=None, languages=None)
    loaded = [r.source_text for r in load_local(cfg)]
    masked = [t for b in read_batches(path, "jsonl", "source_text", 8) for t in b.texts]
    piped = [_parse(line, "jsonl", "source_text")[0] for _, line in io_formats.lines(path)]
    assert loaded == masked == piped == [EMOJI_ROW, "Mr Osgood"]
    span = load_local(cfg)[0].privacy_mask[0]
    assert EMOJI_ROW[span.start : span.end] == "Dagny"


def test_read_jsonl_reads_as_the_formats_layer_reads_and_says_where_it_fails(tmp_path):
    from piikit.errors import PiikitError
    from piikit.io import read_jsonl

    path = tmp_path / "p.jsonl"
    path.write_bytes(BOM + b'{"id": "1"}\r\n\r\n{"id": "2"}\n')  # e.g. predictions saved by a Windows tool
    assert list(read_jsonl(path)) == [{"id": "1"}, {"id": "2"}]
    path.write_bytes(b'{"id": "1"}\n{"id": "\xff"}\n')
    with pytest.raises(PiikitError, match=r"p\.jsonl:2: not valid UTF-8"):
        list(read_jsonl(path))
