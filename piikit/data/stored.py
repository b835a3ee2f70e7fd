"""How ``predictions.jsonl`` and ``scored_predictions.jsonl`` hold a prediction: no PII.

A model's masked text is made of its source text, so it holds every value the model failed to
mask. By default a prediction file keeps none of it:

- the text becomes ``pieces``: ``[start, end]`` for each stretch copied from the source text,
  a string for the rest — placeholders (``[EMAIL]``) and characters the source text does not
  have at all (what a generative model added). No character of the source is kept as text;
- spans keep ``start, end, label``, not ``value``.

:func:`restored` takes both back from the test row's source text (``prepare/test.jsonl``), so
every reader sees the prediction the model made. ``span_values=true`` keeps the raw text
(``prediction``) and each span's ``value``; files written before this format hold them too and
are read as they are.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator, Mapping

from piikit.data.schema import without_value


def text_pieces(text: str, source: str) -> list[Any]:
    """``text`` as stretches of ``source`` (``[start, end]``) and literal strings: placeholders
    and characters ``source`` does not have. ``from_pieces(text_pieces(t, s), s) == t``."""
    pieces: list[Any] = []
    pos = 0  # a stretch is looked for here first: text in source order gets offsets in order

    def add(start: int, end: int) -> None:
        nonlocal pos
        i = start
        while i < end:
            k = _longest_copy(text, i, end, source)
            if k == 0:  # a character the source does not have
                if pieces and isinstance(pieces[-1], str):
                    pieces[-1] += text[i]
                else:
                    pieces.append(text[i])
                i += 1
                continue
            stretch = text[i : i + k]
            at = source.find(stretch, pos)
            at = source.find(stretch) if at < 0 else at
            pieces.append([at, at + k])
            pos, i = at + k, i + k

    last = 0
    for m in _placeholders(text):
        if m.group(0) in source:  # bracketed text of the source itself: copied like any text
            continue
        add(last, m.start())
        pieces.append(m.group(0))
        last = m.end()
    add(last, len(text))
    return pieces


def _placeholders(text: str) -> Iterator[re.Match]:
    """``PLACEHOLDER.finditer(text)``, 4x faster: the pattern is only tried where a ``[`` is."""
    from piikit.evaluate.align import PLACEHOLDER

    i = text.find("[")
    while i >= 0:
        m = PLACEHOLDER.match(text, i)
        if m:
            yield m
        i = text.find("[", m.end() if m else i + 1)


def _longest_copy(text: str, i: int, end: int, source: str) -> int:
    """The longest ``k`` with ``text[i:i+k]`` in ``source`` (``i + k <= end``)."""
    if text[i:end] in source:
        return end - i
    lo, hi = 0, end - i  # text[i:i+lo] is in source, text[i:i+hi] is not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if text[i : i + mid] in source:
            lo = mid
        else:
            hi = mid
    return lo


def from_pieces(pieces: Any, source: str) -> str:
    """The text ``pieces`` stand for (ValueError when they are not pieces of ``source``)."""
    if not isinstance(pieces, list):
        raise ValueError("'pieces' is not a list")
    out = []
    for p in pieces:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, list) and len(p) == 2 and all(isinstance(x, int) for x in p) and 0 <= p[0] <= p[1] <= len(source):
            out.append(source[p[0] : p[1]])
        else:
            raise ValueError(f"piece {p!r} is neither text nor [start, end] within the source text")
    return "".join(out)


def stored(d: dict[str, Any], source: str, keep_text: bool = False) -> dict[str, Any]:
    """A prediction dict (``prediction``, ``spans``, anything else) as a prediction file holds it:
    the text as ``pieces`` and spans without values, unless ``keep_text`` (``span_values=true``)."""
    if keep_text:
        return d
    out: dict[str, Any] = {}
    for k, v in d.items():
        if k == "prediction" and isinstance(v, str):
            out["pieces"] = text_pieces(v, source)
        elif k == "spans" and isinstance(v, list):
            out["spans"] = [without_value(s) for s in v]
        else:
            out[k] = v
    return out


def restored(d: dict[str, Any], source: str | None) -> dict[str, Any]:
    """The inverse of :func:`stored`: ``prediction`` text and span values taken back from the
    row's ``source`` text (a dict without pieces or with values is returned as it is)."""
    if source is None:
        return d
    out = dict(d)
    if "pieces" in out:
        out["prediction"] = from_pieces(out.pop("pieces"), source)
    spans = out.get("spans")
    if isinstance(spans, list):
        out["spans"] = [
            {**s, "value": source[s["start"] : s["end"]]}
            if isinstance(s, dict) and "value" not in s and isinstance(s.get("start"), int) and isinstance(s.get("end"), int)
            else s
            for s in spans
        ]
    return out


def read_restored(path: Path, sources: Mapping[str, str]) -> Iterator[dict[str, Any]]:
    """Each line of a prediction file, restored (:func:`restored`) from ``sources``: row id →
    source text (the rows of ``prepare/test.jsonl``)."""
    from piikit.io import read_jsonl

    for d in read_jsonl(path):
        yield restored(d, sources.get(str(d.get("id"))))
