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


def placeholder(label: str) -> str:
    return f"[{label}]"


# the parts of a person's name; a value joined from different parts is labelled NAME
NAME_PARTS = frozenset({"FIRSTNAME", "MIDDLENAME", "LASTNAME", "NAME"})
JOINED_NAME = "NAME"


def join_values(text: str, spans: Iterable[Span]) -> list[Span]:
    """One span per value (``tuner.join_values``): spans with nothing between them (pieces of one
    word, ``dcrespo`` + ``@fhalcorcon.es``) join, and so do the parts of a person's name with only
    one or two spaces between (``Ignacio`` + ``Navarro Cuéllar``).

    Tagging models cut values in pieces, and most annotation schemes (presidio-research, MEDDOCAN,
    i2b2, CoNLL) mark a full name as one entity. A joined span takes the label that covers most
    of its characters; name parts of more than one kind become ``NAME``. Masking hides the same
    characters either way; only how many placeholders there are changes.
    """
    groups: list[tuple[int, int, list[Span]]] = []  # (start, end, the spans joined)
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if groups:
            start, end, parts = groups[-1]
            gap = text[end : s.start]
            names = parts[-1].label in NAME_PARTS and s.label in NAME_PARTS
            if s.start <= end or (names and len(gap) <= 2 and gap.strip(" \t") == ""):
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
        if len(labels) > 1 and labels <= NAME_PARTS:
            label = JOINED_NAME
        else:
            cover: dict[str, int] = {}  # in order of first appearance: max() keeps the first on a tie
            for p in parts:
                cover[p.label] = cover.get(p.label, 0) + p.end - p.start
            label = max(cover, key=cover.__getitem__)
        out.append(Span(start, end, label, text[start:end]))
    return out


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
