"""Validation: exact spans, clear messages, fail vs drop; nothing repaired."""

from __future__ import annotations

import pytest

from piikit.data.schema import Row, Span
from piikit.data.validate import row_problems, validate
from piikit.errors import PiikitError

TEXT = "Call Ana on 555-0101 today."


def good() -> Row:
    spans = [Span(5, 8, "FIRSTNAME", "Ana"), Span(12, 20, "PHONENUMBER", "555-0101")]
    return Row("g", TEXT, "Call [FIRSTNAME] on [PHONENUMBER] today.", spans)


def test_good_row_has_no_problems():
    assert row_problems(good()) == []
    assert row_problems(Row("n", "no pii", None, [])) == []


@pytest.mark.parametrize(
    "spans, target, expected",
    [
        ([Span(5, 8, "FIRSTNAME", "Ann")], None, "text is 'Ana' but value is 'Ann'"),
        ([Span(5, 80, "FIRSTNAME", "Ana")], None, "out of bounds"),
        ([Span(8, 8, "FIRSTNAME", "")], None, "out of bounds or empty"),
        ([Span(5, 8, "", "Ana")], None, "empty label"),
        ([Span(5, 8, "FIRSTNAME", "Ana"), Span(6, 9, "LASTNAME", "na ")], None, "overlaps span FIRSTNAME"),
        ([Span(5, 8, "FIRSTNAME", "Ana")], "Call [NAME] on 555-0101 today.", "target_text differs from source_text masked by privacy_mask at char 6"),
    ],
)
def test_problems_are_named(spans, target, expected):
    problems = row_problems(Row("r", TEXT, target, spans))
    assert any(expected in p for p in problems), problems


def test_fail_names_first_rows_and_problem():
    bad1 = Row("row-7", TEXT, None, [Span(5, 8, "FIRSTNAME", "Bob")])
    bad2 = Row("row-9", TEXT, "x", [])
    with pytest.raises(PiikitError) as e:
        validate([good(), bad1, bad2], "fail")
    line = e.value.one_line()
    assert "2 of 3 rows are invalid" in line and "row row-7" in line and "row row-9" in line
    assert "dataset.on_invalid=drop" in line


def test_drop_counts_and_keeps_valid_rows_unchanged():
    rows = [good(), Row("b", TEXT, None, [Span(0, 4, "X", "Cal")]), good()]
    kept, report = validate(rows, "drop")
    assert [r.id for r in kept] == ["g", "g"]
    assert kept[0] is rows[0]
    assert (report.checked, report.invalid) == (3, 1)
    assert report.examples[0]["id"] == "b"
