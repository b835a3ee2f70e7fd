"""Row validation: spans must match the text exactly; nothing is ever repaired silently.

Checks per row: every span is in bounds, non-empty, ``source_text[start:end] == value``, has a
non-empty label, and spans don't overlap; when ``target_text`` is present it must equal the
source text masked by the spans (:func:`mask_text`). Invalid rows either stop the run
(``on_invalid=fail``) or are dropped and counted (``on_invalid=drop``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from piikit.data.schema import Row, mask_text
from piikit.errors import PiikitError

SHOW = 3  # row ids named in an error message


def row_problems(row: Row) -> list[str]:
    """Everything wrong with one row (empty list: valid)."""
    problems: list[str] = []
    text = row.source_text
    if not isinstance(text, str):
        return [f"source_text is {type(text).__name__}, not text"]
    prev_end, prev_label = -1, None
    for s in sorted(row.privacy_mask, key=lambda s: (s.start, s.end)):
        where = f"span {s.label or '?'}@{s.start}:{s.end}"
        if not s.label or not s.label.strip():
            problems.append(f"{where} has an empty label")
        if not 0 <= s.start < s.end <= len(text):
            problems.append(f"{where} is out of bounds or empty (text length {len(text)})")
            continue
        if text[s.start : s.end] != s.value:
            problems.append(f"{where}: text is {text[s.start:s.end]!r} but value is {s.value!r}")
        if s.start < prev_end:
            problems.append(f"{where} overlaps span {prev_label} ending at {prev_end}")
        if s.end > prev_end:
            prev_end, prev_label = s.end, s.label
    if row.target_text is not None and not problems:
        expected = mask_text(text, row.privacy_mask)
        if row.target_text != expected:
            at = next((i for i, (a, b) in enumerate(zip(row.target_text, expected)) if a != b), min(len(expected), len(row.target_text)))
            problems.append(
                f"target_text differs from source_text masked by privacy_mask at char {at} "
                f"({row.target_text[at:at + 25]!r} vs {expected[at:at + 25]!r})"
            )
    return problems


@dataclass
class ValidationReport:
    checked: int = 0
    invalid: int = 0
    examples: list[dict] = field(default_factory=list)  # first few {id, problems}


def validate(rows: Iterable[Row], on_invalid: str = "fail", on_row: Callable[[int], None] | None = None) -> tuple[list[Row], ValidationReport]:
    """Return the valid rows and a report. ``on_invalid=fail`` raises naming the first rows."""
    kept: list[Row] = []
    report = ValidationReport()
    for row in rows:
        report.checked += 1
        problems = row_problems(row)
        if problems:
            report.invalid += 1
            if len(report.examples) < 10:
                report.examples.append({"id": row.id, "problems": problems})
        else:
            kept.append(row)
        if on_row is not None and report.checked % 1000 == 0:
            on_row(1000)
    if on_row is not None and report.checked % 1000:
        on_row(report.checked % 1000)
    if report.invalid and on_invalid == "fail":
        shown = "; ".join(f"row {e['id']}: {e['problems'][0]}" for e in report.examples[:SHOW])
        raise PiikitError(
            f"{report.invalid} of {report.checked} rows are invalid — {shown}",
            "fix the data, or set dataset.on_invalid=drop to drop and count them",
        )
    return kept, report
