"""Tokens with character offsets, and BIO tags to and from character spans.

Any token tagger (the CRF today, others later) works on these: ``tokenize`` keeps the exact
``start``/``end`` of each token in the original text, ``spans_to_bio`` labels tokens from gold
spans, and ``bio_to_spans`` turns predicted tags back into character spans of the original
text. When every span starts and ends on token boundaries the round trip is exact.

Tokenisation splits on whitespace and punctuation, but keeps things PII is made of in one
piece: URLs, e-mail addresses, IPv4 addresses, colon-separated hex/number groups (IPv6, MAC,
times) and digit groups joined by ``.``, ``-`` or ``/`` (dates, phone numbers, card numbers).
Words are Unicode-aware (accents, combining marks, Cyrillic, Greek, Arabic, Indic scripts);
CJK ideographs and kana, written without spaces, become one token per character.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from piikit.data.schema import Span

# \w in Python's re excludes combining marks (Mn/Mc/Me); add the common blocks so words like
# "नमस्ते" or NFD-decomposed "é" stay one token.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0dff\u0e31-\u0e4e\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
_W = rf"[\w{_MARKS}]"
# a byte-order mark (a file saved by Notepad starts with one) and zero-width characters are
# not tokens: "\ufeffNombre:" is the caption "Nombre:" at the start of the text
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

TOKEN_RE = re.compile(
    "|".join(
        [
            r"(?:https?://|www\.)[^\s<>\"'()\[\]{}]*[^\s<>\"'()\[\]{}.,;:!?]",  # URL (no trailing punct)
            r"[\w.+%-]*\w@\w[\w-]*(?:\.[\w-]+)+",  # e-mail
            r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w])",  # IPv4
            r"(?<![\w:])[0-9A-Fa-f]{1,4}(?:::?[0-9A-Fa-f]{1,4}){2,7}(?![\w:])",  # IPv6 / MAC / 12:30:45
            rf"(?=[\w./-]*\d){_W}+(?:[./-]{_W}+)+",  # digit groups: 2024-05-01, 555-123-4567, DE89/…
            rf"{_W}+",  # a word
            rf"[^\s{_INVISIBLE}]",  # any other single visible character (punctuation, symbols)
        ]
    )
)
_CJK_RE = re.compile(f"[{_CJK}]")
_CJK_SPLIT_RE = re.compile(f"[{_CJK}]|[^{_CJK}]+")

OUTSIDE = "O"


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` with offsets: ``text[t.start:t.end] == t.text``, in order, never
    overlapping, covering every non-whitespace character except a byte-order mark and
    zero-width spaces/joiners standing alone (:data:`_INVISIBLE`)."""
    tokens: list[Token] = []
    for m in TOKEN_RE.finditer(text):
        word = m.group()
        if _CJK_RE.search(word) is None:
            tokens.append(Token(word, m.start(), m.end()))
            continue
        base = m.start()
        for piece in _CJK_SPLIT_RE.finditer(word):
            tokens.append(Token(piece.group(), base + piece.start(), base + piece.end()))
    return tokens


def spans_to_bio(tokens: Sequence[Token], spans: Iterable[Span], scheme: str = "bio") -> list[str]:
    """Tags per token. ``scheme="bio"``: ``B-LABEL`` on an entity's first token, ``I-LABEL`` on
    the rest, ``O`` outside. ``scheme="io"``: ``I-LABEL`` on every token, and ``B-LABEL`` only
    where an entity directly follows another of the same label — nearly half the tags of BIO
    (CRF cost grows with the square of the tag count), and :func:`bio_to_spans` reads both.

    A token overlapping a span gets its label (masking a little more is safer than leaking);
    of overlapping spans the earlier one wins."""
    if scheme not in ("bio", "io"):
        raise ValueError(f"unknown tagging scheme {scheme!r}")
    tags = [OUTSIDE] * len(tokens)
    starts = [t.start for t in tokens]
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.end <= span.start:
            continue
        i = max(bisect.bisect_right(starts, span.start) - 1, 0)
        first = True
        while i < len(tokens) and tokens[i].start < span.end:
            if tokens[i].end > span.start and tags[i] == OUTSIDE:  # else taken by an earlier span
                if not first:
                    tags[i] = "I-" + span.label
                elif scheme == "bio" or (i > 0 and tags[i - 1][2:] == span.label):
                    tags[i] = "B-" + span.label
                else:
                    tags[i] = "I-" + span.label
                first = False
            i += 1
    return tags


def bio_to_spans(text: str, tokens: Sequence[Token], tags: Sequence[str]) -> list[Span]:
    """Character spans from tags. Lenient like conlleval: an ``I-X`` that does not continue an
    ``X`` entity starts one; ``B-X`` always starts a new one."""
    spans: list[Span] = []
    label: str | None = None
    start = end = 0
    for tok, tag in zip(tokens, tags):
        if tag == OUTSIDE or len(tag) < 3 or tag[1] != "-":
            if label is not None:
                spans.append(Span(start, end, label, text[start:end]))
            label = None
            continue
        prefix, tag_label = tag[0], tag[2:]
        if prefix == "I" and label == tag_label:
            end = tok.end
            continue
        if label is not None:
            spans.append(Span(start, end, label, text[start:end]))
        label, start, end = tag_label, tok.start, tok.end
    if label is not None:
        spans.append(Span(start, end, label, text[start:end]))
    return spans
