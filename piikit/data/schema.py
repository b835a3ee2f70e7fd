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
