"""Language packs: the synthetic generator's content as data, loaded and validated here.

A pack is a directory named by its language code holding ``rows.yaml`` (short rows: Faker locale,
word lists, formats, form captions, snippets per document kind) and optionally ``long.yaml`` (long
documents: terms and snippets per part). ``packs/common.yaml`` holds what every pack shares
(labels, kinds, Faker methods, world pools, shared fillers). The format, key by key:
``docs/synthetic-packs.md``. Built-in packs live in ``piikit/synth/packs/<lang>/``; a user adds
more with ``dataset.packs=[dir, ...]`` (each ``dir`` a pack directory, e.g. ``./packs/pt``).

Every file is checked on load: known keys of the right type, every ``{UPPERCASE}`` placeholder a
known label, every ``{lowercase}`` one a defined filler or term. A problem is a
:class:`~piikit.errors.PiikitError` naming the file and the key, in one line.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from piikit.errors import PiikitError

BUILTIN = Path(__file__).resolve().parent / "packs"
LONG_PARTS = ("title", "header", "sections", "prose", "pii", "closing")  # see generator._write_long
SHORT_PARTS = ("head", "body", "tail")
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")
_REQUIRED = object()

# key -> default (_REQUIRED: must be present); anything else in a file is an error (catches typos)
ROWS_KEYS: dict[str, Any] = {
    "locale": _REQUIRED, "faker": {}, "faker_sort": [], "words": {}, "fillers": {}, "months": _REQUIRED,
    "date_formats": _REQUIRED, "time_formats": _REQUIRED, "ampm": _REQUIRED, "home_countries": [], "age_words": [],
    "height_formats": _REQUIRED, "secondary_formats": _REQUIRED, "decimal": _REQUIRED, "thousands": _REQUIRED,
    "fields": {}, "edge_words": [], "docs": _REQUIRED,
}
LONG_KEYS: dict[str, Any] = {"also_capitalised": [], "hospitals": [], "terms": {}, "docs": _REQUIRED}
COMMON_KEYS = ("default_languages", "labels", "extra_labels", "labelled_fillers", "kinds", "faker_methods", "world",
               "nationalities", "fillers")
# str.format fields each format list may use (values.py fills them)
FORMAT_FIELDS = {
    "date_formats": {"d", "m", "y", "yy", "month"}, "time_formats": {"H", "M", "S", "h", "ampm"},
    "height_formats": {"cm", "m", "ft", "inch"}, "secondary_formats": {"n", "f", "b", "letter"},
}
HOSPITAL_FIELDS = {"CITY", "FIRSTNAME", "LASTNAME"}


@dataclass(frozen=True)
class Pack:
    """One language: ``rows`` (rows.yaml with defaults filled in) and ``long`` (long.yaml, or None)."""

    code: str
    path: Path
    rows: dict[str, Any]
    long: dict[str, Any] | None


def _read(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: ~10x faster
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise PiikitError(f"{path}{where}: not valid YAML ({getattr(e, 'problem', None) or e})",
                          "see docs/synthetic-packs.md for the format") from None
    except OSError as e:
        raise PiikitError(f"{path}: cannot read ({e.strerror})") from None


class _Checker:
    """Type and placeholder checks that raise one-line errors naming ``file: key``."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, problem: str, hint: str = "see docs/synthetic-packs.md for the format") -> PiikitError:
        return PiikitError(f"{self.path}: {key}: {problem}", hint)

    def strings(self, value: Any, key: str, empty: bool = True) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a list of strings")
        if not empty and not value:
            raise self.fail(key, "must not be empty")
        return value

    def mapping(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise self.fail(key, "must be a mapping with text keys")
        return value

    def table(self, data: Any, keys: dict[str, Any] | tuple[str, ...], what: str) -> dict[str, Any]:
        data = self.mapping(data if data is not None else {}, what)
        unknown = [k for k in data if k not in keys]
        if unknown:
            raise self.fail(unknown[0], "unknown key", f"a {what} has: {', '.join(keys)}")
        out = {}
        for k in keys:
            default = keys[k] if isinstance(keys, dict) else _REQUIRED
            if k not in data:
                if default is _REQUIRED:
                    raise self.fail(k, "missing", f"a {what} needs: " + ", ".join(
                        x for x in keys if not isinstance(keys, dict) or keys[x] is _REQUIRED))
                out[k] = type(default)(default)
            else:
                out[k] = data[k]
        return out

    def labels(self, names: Any, key: str, labels: frozenset[str]) -> None:
        for name in names:
            if name not in labels:
                raise self.fail(f"{key}.{name}", "not a known label", "labels are listed in common.yaml (labels, extra_labels)")

    def snippets(self, value: Any, key: str, known: set[str], labels: frozenset[str]) -> None:
        for i, text in enumerate(self.strings(value, key)):
            for name in _PLACEHOLDER.findall(text):
                if name.isupper():
                    if name not in labels:
                        raise self.fail(f"{key}[{i}]", f"{{{name}}} is not a known label",
                                        "labels are listed in common.yaml (labels, extra_labels)")
                elif name not in known:
                    raise self.fail(f"{key}[{i}]", f"{{{name}}} is not a defined filler or term",
                                    "define it under fillers (rows.yaml) or terms (long.yaml), or see common.yaml fillers")

    def formats(self, value: Any, key: str, fields: set[str]) -> None:
        for i, text in enumerate(self.strings(value, key, empty=False)):
            try:
                used = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
            except ValueError as e:
                raise self.fail(f"{key}[{i}]", f"bad format ({e})") from None
            if used - fields:
                raise self.fail(f"{key}[{i}]", f"unknown field {{{sorted(used - fields)[0]}}}", f"use: {', '.join(sorted(fields))}")


@lru_cache(maxsize=1)
def common() -> dict[str, Any]:
    """``packs/common.yaml``, checked; ``fillers.count`` style ``{range: [lo, hi]}`` lists expanded."""
    path = BUILTIN / "common.yaml"
    c = _Checker(path)
    data = c.table(_read(path), COMMON_KEYS, "common.yaml")
    c.strings(data["default_languages"], "default_languages", empty=False)
    c.strings(data["labels"], "labels", empty=False)
    c.strings(data["extra_labels"], "extra_labels")
    labels = frozenset(data["labels"]) | frozenset(data["extra_labels"])
    c.labels(data["labelled_fillers"].values(), "labelled_fillers", labels)
    c.labels(c.mapping(data["faker_methods"], "faker_methods"), "faker_methods", labels)
    kinds = c.mapping(data["kinds"], "kinds")
    for name, kind in kinds.items():
        kinds[name] = c.table(kind, {"weight": _REQUIRED, "sep": _REQUIRED, "bodies": _REQUIRED, "p_head": 0.8, "p_tail": 0.6}, f"kinds.{name}")
    c.strings(data["nationalities"], "nationalities", empty=False)
    world = c.table(data["world"], ("locales", "faker_sort", "share", "labels"), "world")
    c.labels(c.mapping(world["labels"], "world.labels"), "world.labels", labels)
    fillers = {}
    for name, words in c.mapping(data["fillers"], "fillers").items():
        if isinstance(words, dict) and set(words) == {"range"}:
            lo, hi = words["range"]
            words = [str(n) for n in range(lo, hi + 1)]
        fillers[name] = c.strings(words, f"fillers.{name}", empty=False)
    data["fillers"] = fillers
    return data


def _pack_dirs(extra: tuple[str, ...]) -> dict[str, Path]:
    """language code -> pack directory: the built-in packs, then ``extra`` (``dataset.packs``)."""
    dirs = {p.name: p for p in sorted(BUILTIN.iterdir()) if (p / "rows.yaml").is_file()}
    for entry in extra:
        p = Path(entry).expanduser().resolve()
        if not (p / "rows.yaml").is_file():
            raise PiikitError(f"dataset.packs: {entry} is not a language pack (no rows.yaml in it)",
                              "a pack is a directory named by its language code with rows.yaml (and long.yaml); see docs/synthetic-packs.md")
        if p.name in dirs:
            raise PiikitError(f"dataset.packs: {entry} defines language {p.name!r}, which {dirs[p.name]} already defines",
                              "name the directory by another language code, or drop one of them")
        dirs[p.name] = p
    return dirs


def available(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every language code a pack exists for (built-in, then ``extra``)."""
    return tuple(_pack_dirs(tuple(extra)))


def files(extra: tuple[str, ...] = ()) -> list[Path]:
    """Every pack file (common.yaml, the built-in packs, ``extra``): what the prepare cache key covers."""
    return [BUILTIN / "common.yaml"] + [f for d in _pack_dirs(tuple(extra)).values() for f in sorted(d.glob("*.yaml"))]


@lru_cache(maxsize=32)
def load(code: str, extra: tuple[str, ...] = ()) -> Pack:
    """Language ``code``'s pack, from the built-in packs or ``extra`` directories, checked."""
    dirs = _pack_dirs(extra)
    if code not in dirs:
        raise PiikitError(f"synthetic data has no language {code!r}",
                          f"use some of: {', '.join(dirs)}, or add a pack with dataset.packs=[dir]")
    com = common()
    labels = frozenset(com["labels"]) | frozenset(com["extra_labels"])
    path = dirs[code] / "rows.yaml"
    c = _Checker(path)
    rows = c.table(_read(path), ROWS_KEYS, "rows.yaml")
    if not isinstance(rows["locale"], str):
        raise c.fail("locale", "must be a Faker locale such as pl_PL")
    c.labels(c.mapping(rows["faker"], "faker"), "faker", labels)
    c.strings(rows["faker_sort"], "faker_sort")
    for label, words in c.mapping(rows["words"], "words").items():
        c.labels([label], "words", labels)
        c.strings(words, f"words.{label}", empty=False)
    for name, words in c.mapping(rows["fillers"], "fillers").items():
        c.strings(words, f"fillers.{name}", empty=False)
    c.strings(rows["months"], "months")
    if len(rows["months"]) != 12:
        raise c.fail("months", f"has {len(rows['months'])} names, not 12")
    for key, fields in FORMAT_FIELDS.items():
        c.formats(rows[key], key, fields)
    c.strings(rows["ampm"], "ampm")
    if len(rows["ampm"]) != 2:
        raise c.fail("ampm", "must be two strings: before and after noon")
    c.strings(rows["home_countries"], "home_countries")
    c.strings(rows["age_words"], "age_words")
    c.strings(rows["edge_words"], "edge_words")
    for key in ("decimal", "thousands"):
        if not isinstance(rows[key], str):
            raise c.fail(key, "must be a string")
    from piikit.synth.values import GENERATORS

    made = set(GENERATORS) | set(com["faker_methods"]) | set(rows["faker"]) | set(com["world"]["labels"])
    unfilled = [label for label in (*com["labels"], *com["extra_labels"]) if label not in made and label not in rows["words"]]
    if unfilled:
        raise c.fail("words", f"no values for {', '.join(unfilled)} (no Faker method or generator makes them)",
                     f"add a word list for each, e.g. words: {{{unfilled[0]}: [...]}}")
    c.labels(c.mapping(rows["fields"], "fields"), "fields", labels)
    c.strings(list(rows["fields"].values()), "fields")

    long = None
    lpath = dirs[code] / "long.yaml"
    if lpath.is_file():
        lc = _Checker(lpath)
        long = lc.table(_read(lpath), LONG_KEYS, "long.yaml")
        for name, words in lc.mapping(long["terms"], "terms").items():
            lc.strings(words, f"terms.{name}", empty=False)
        for name in lc.strings(long["also_capitalised"], "also_capitalised"):
            if name not in long["terms"]:
                raise lc.fail("also_capitalised", f"{name!r} is not a list under terms")
        for i, text in enumerate(lc.strings(long["hospitals"], "hospitals")):
            if set(_PLACEHOLDER.findall(text)) - HOSPITAL_FIELDS:
                raise lc.fail(f"hospitals[{i}]", "may only use {CITY}, {FIRSTNAME} and {LASTNAME}")

    known = set(com["fillers"]) | set(rows["fillers"]) | set((long or {}).get("terms", {}))
    if (long or {}).get("hospitals"):
        known.add("hospital")  # made from long.yaml's hospitals formats
    kinds = c.mapping(rows["docs"], "docs")
    for kind, parts in kinds.items():
        if kind not in com["kinds"]:
            raise c.fail(f"docs.{kind}", "not a document kind", f"kinds: {', '.join(com['kinds'])} (common.yaml)")
        kinds[kind] = c.table(parts, {p: [] for p in SHORT_PARTS}, f"docs.{kind}")
        for part, snippets in kinds[kind].items():
            c.snippets(snippets, f"docs.{kind}.{part}", known, labels)
    if long is not None:
        long_kinds = lc.mapping(long["docs"], "docs")
        for kind, parts in long_kinds.items():
            long_kinds[kind] = lc.table(parts, {p: [] for p in LONG_PARTS}, f"docs.{kind}")
            for part in ("title", "prose", "pii", "closing"):  # what every long document is written from
                if not long_kinds[kind][part]:
                    raise lc.fail(f"docs.{kind}.{part}", "must not be empty")
            for part, snippets in long_kinds[kind].items():
                lc.snippets(snippets, f"docs.{kind}.{part}", known, labels)
    return Pack(code=code, path=dirs[code], rows=rows, long=long)
