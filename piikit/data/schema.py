"""The one in-memory schema used everywhere (the ai4privacy convention).

A :class:`Row` is ``id, source_text, target_text, privacy_mask=[{value,start,end,label}],
language``; prepared rows also carry the rendered ``prompt``. Anything else is converted at
the loader. A :class:`Prediction` is what a tuner returns for one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str
    value: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "start": self.start, "end": self.end, "label": self.label}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Span":
        return cls(start=int(d["start"]), end=int(d["end"]), label=str(d["label"]), value=str(d["value"]))


@dataclass(slots=True)
class Row:
    id: str
    source_text: str
    target_text: str | None = None
    privacy_mask: list[Span] = field(default_factory=list)
    language: str = "en"
    prompt: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "source_text": self.source_text,
            "target_text": self.target_text,
            "privacy_mask": [s.to_dict() for s in self.privacy_mask],
            "language": self.language,
        }
        if self.prompt is not None:
            d["prompt"] = self.prompt
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Row":
        return cls(
            id=str(d["id"]),
            source_text=d["source_text"],
            target_text=d.get("target_text"),
            privacy_mask=[Span.from_dict(s) for s in d.get("privacy_mask") or []],
            language=d.get("language") or "en",
            prompt=d.get("prompt"),
        )


@dataclass(slots=True)
class Prediction:
    """A tuner's answer for one row.

    ``prediction`` is the masked text (``[LABEL]`` placeholders); ``spans`` are the character
    spans of ``source_text`` the model masked, when the model knows them (taggers do, generative
    models don't — the evaluator recovers them by alignment). ``error`` marks a failed row
    (``blocked``, ``timeout``, ``empty``, ...): it is scored as a failure, never a crash.
    """

    id: str
    prediction: str | None
    spans: list[Span] | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "prediction": self.prediction}
        if self.spans is not None:
            d["spans"] = [s.to_dict() for s in self.spans]
        if self.error is not None:
            d["error"] = self.error
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Prediction":
        spans = d.get("spans")
        return cls(
            id=str(d["id"]),
            prediction=d.get("prediction"),
            spans=None if spans is None else [Span.from_dict(s) for s in spans],
            error=d.get("error"),
        )


def without_value(span: dict[str, Any]) -> dict[str, Any]:
    """A span dict without its ``value`` (offsets and label only)."""
    return {k: v for k, v in span.items() if k != "value"}


def stripped(text: str, start: int, end: int, chars: str = "") -> tuple[int, int]:
    """The bounds of ``text[start:end]`` without the whitespace (and ``chars``) at its edges."""
    while start < end and (text[start].isspace() or text[start] in chars):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1
    return start, end


def placeholder(label: str) -> str:
    return f"[{label}]"


# the parts of one value that tagging models (and ai4privacy's labels) cut apart, under the label
# a value joined from parts of different kinds takes: a person's name, one line of an address
JOINED_PARTS = {
    "NAME": frozenset({"FIRSTNAME", "MIDDLENAME", "LASTNAME", "NAME"}),
    "ADDRESS": frozenset({"STREET", "BUILDINGNUMBER", "SECONDARYADDRESS", "ADDRESS"}),
}


def join_values(text: str, spans: Iterable[Span]) -> list[Span]:
    """One span per value (``tuner.join_values``). Spans join when:

    * nothing is between them (pieces of one word: ``dcrespo`` + ``@fhalcorcon.es``);
    * they are parts of one name with one or two spaces between (``Ignacio`` + ``Navarro Cuéllar``);
    * they are parts of one address line with one or two spaces, or a comma and a space, between
      (``Calle del Pez`` + ``28`` + ``5 B``);
    * both are numbers (digits, no letters) with one space between (``26 37482910`` + ``04``):
      one number, cut at a space.

    Tagging models cut values in pieces, and most annotation schemes (presidio-research, MEDDOCAN,
    i2b2, CoNLL) mark a full name or a street address as one entity. A value joined from parts of
    different kinds is labelled by its kind (``NAME``, ``ADDRESS``: :data:`JOINED_PARTS`); otherwise
    it takes the label covering most of its characters. Masking hides the same characters either
    way; only how many placeholders there are changes.
    """
    groups: list[tuple[int, int, list[Span]]] = []  # (start, end, the spans joined)
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if groups:
            start, end, parts = groups[-1]
            if s.start <= end or _one_value(text, parts[-1], s, end):
                parts.append(s)
                groups[-1] = (start, max(end, s.end), parts)
                continue
        groups.append((s.start, s.end, [s]))
    out: list[Span] = []
    for start, end, parts in groups:
        if len(parts) == 1:
            out.append(parts[0])
            continue
        labels = {p.label for p in parts}
        kind = next((k for k, kinds in JOINED_PARTS.items() if len(labels) > 1 and labels <= kinds), None)
        if kind:
            label = kind
        else:
            cover: dict[str, int] = {}  # in order of first appearance: max() keeps the first on a tie
            for p in parts:
                cover[p.label] = cover.get(p.label, 0) + p.end - p.start
            label = max(cover, key=cover.__getitem__)
        out.append(Span(start, end, label, text[start:end]))
    return out


def _one_value(text: str, left: Span, right: Span, end: int) -> bool:
    """Are ``left`` (its group ending at ``end``) and ``right`` parts of one value (:func:`join_values`)?"""
    gap = text[end : right.start]
    blank = len(gap) <= 2 and not gap.strip(" \t")  # one or two spaces or tabs
    if left.label in JOINED_PARTS["NAME"] and right.label in JOINED_PARTS["NAME"]:
        return blank
    if left.label in JOINED_PARTS["ADDRESS"] and right.label in JOINED_PARTS["ADDRESS"]:
        return blank or gap == ", "
    numbers = (text[left.start : left.end], text[right.start : right.end])
    return gap == " " and all(any(c.isdigit() for c in v) and not any(c.isalpha() for c in v) for v in numbers)


def mask_text(text: str, spans: Iterable[Span]) -> str:
    """Replace each span of ``text`` by ``[LABEL]`` (spans must not overlap)."""
    out: list[str] = []
    pos = 0
    for s in sorted(spans, key=lambda s: s.start):
        out.append(text[pos : s.start])
        out.append(placeholder(s.label))
        pos = s.end
    out.append(text[pos:])
    return "".join(out)
