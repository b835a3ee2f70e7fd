"""Tiny hand-written test rows and run dirs for the evaluate stage tests (no prepare stage needed)."""

from __future__ import annotations

import re
from pathlib import Path

from piikit.data.schema import Prediction, Row, Span
from piikit.io import write_jsonl

TEMPLATES = [
    ("en", "Hi {FIRSTNAME} {LASTNAME}, your IBAN is {IBAN}. Thanks."),
    ("en", "Send the form to {EMAIL} before {DATE}, please."),
    ("de", "Der Server {IPV4} wurde um {TIME} von {IPV6} erreicht."),
    ("en", "Card {CREDITCARDNUMBER} belongs to {FIRSTNAME}."),
    ("fr", "Rien de personnel ici."),
    ("en", "Ring {PHONENUMBER} or visit {URL} today."),
]
VALUES = {
    "FIRSTNAME": ["Orla", "Tibor", "Wenke"],
    "LASTNAME": ["Quist", "Vargo", "Ulm"],
    "IBAN": ["GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00"],
    "EMAIL": ["orla.q@example.org", "t.vargo@mail.example"],
    "DATE": ["2024-02-29", "3 March 2021"],
    "IPV4": ["10.20.30.40", "192.168.1.7"],
    "IPV6": ["2001:db8::1", "fe80::1ff:fe23:4567:890a"],
    "TIME": ["14:05", "09:30"],
    "CREDITCARDNUMBER": ["4111 1111 1111 1111", "5500 0000 0000 0004"],
    "PHONENUMBER": ["+44 20 7946 0958", "+1 212 555 0100"],
    "URL": ["https://example.org/profile/orla", "https://example.com/u/42"],
}


def make_rows(n: int = 12) -> list[Row]:
    rows = []
    for i in range(n):
        lang, template = TEMPLATES[i % len(TEMPLATES)]
        text, spans, pos = "", [], 0
        for m in re.finditer(r"\{(\w+)\}", template):
            text += template[pos : m.start()]
            label = m.group(1)
            value = VALUES[label][i % len(VALUES[label])]
            spans.append(Span(len(text), len(text) + len(value), label, value))
            text += value
            pos = m.end()
        text += template[pos:]
        target = re.sub(r"\{(\w+)\}", r"[\1]", template)
        rows.append(Row(id=f"r{i}", source_text=text, target_text=target, privacy_mask=spans, language=lang))
    return rows


def write_run(run_dir: Path, rows: list[Row], predictions: list[Prediction] | list[dict] | None) -> Path:
    write_jsonl(run_dir / "prepare" / "test.jsonl", [r.to_dict() for r in rows])
    if predictions is not None:
        write_jsonl(run_dir / "tune" / "predictions.jsonl", [p if isinstance(p, dict) else p.to_dict() for p in predictions])
    return run_dir


def single_run_dir(cwd: Path) -> Path:
    """The one run dir a ``piikit`` call made under ``cwd/outputs``."""
    runs = sorted(p.parent for p in (cwd / "outputs").glob("*/*/.hydra"))
    assert len(runs) == 1, runs
    return runs[0]
