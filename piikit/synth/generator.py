"""Seeded synthetic rows shaped like ai4privacy ``pii-masking-200k``.

How it works (and why it is fast enough for 209,000 rows):

1. **Value pools.** For each (language, label) a pool of values is drawn once from Faker (in
   the language's locale) or from the language's word tables, seeded by ``(seed, language,
   label)``. Faker is slow per call, so rows never call it: they sample from the pools.
2. **Rows.** Row ``i`` gets its own ``random.Random`` seeded by ``(seed, i)``, so any row can be
   generated alone, in any order or in parallel, and the same seed gives byte-identical rows.
   A row picks a language, a document kind (email, chat, form, medical, hr, finance, support,
   none), then an optional head, 1+ body snippets and an optional tail of that kind (at most
   :data:`MAX_SPANS` placeholders), and fills every ``{LABEL}`` from the pools while recording
   exact character offsets. ``target_text`` is :func:`mask_text` of those spans.

Sentences, captions and word lists are data: the language packs ``piikit/synth/packs/<lang>/``
and ``packs/common.yaml``, loaded and checked by :mod:`piikit.synth.packs` (format:
``docs/synthetic-packs.md``); value generators are :mod:`piikit.synth.values`. Adding a sentence
or a language is a change to the packs, not to this code.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, NamedTuple

from piikit.data.schema import Row, Span, mask_text
from piikit.synth import packs
from piikit.synth.values import GENERATORS, address

MAX_SPANS = 8
POOL_SIZE = 300  # values per (language, label) drawn from Faker
P_LOWER = 0.08  # share of rows written all lower-case (noise real text has)
P_NO_PERIOD = 0.15  # share of rows whose final full stop is dropped
HOME_SHARE = 0.3  # share of COUNTRY values that are the pack's home_countries: text names its own country most

_COMMON = packs.common()
LABELS: tuple[str, ...] = tuple(_COMMON["labels"]) + tuple(_COMMON["extra_labels"])  # ai4privacy's 56, then EXTRA_LABELS
EXTRA_LABELS: tuple[str, ...] = tuple(_COMMON["extra_labels"])  # beyond ai4privacy: COUNTRY, NATIONALITY, ADDRESS
LABELLED_FILLERS: dict[str, str] = _COMMON["labelled_fillers"]  # {lowercase} word lists whose values are spans
FILLERS: dict[str, list[str]] = _COMMON["fillers"]  # fillers every language shares
DEFAULT_LANGUAGES: tuple[str, ...] = tuple(_COMMON["default_languages"])


@dataclass(frozen=True)
class Kind:
    """How a document kind is assembled: separator between snippets, how many bodies, weight."""

    weight: float
    sep: str
    bodies: tuple[int, int]
    p_head: float = 0.8
    p_tail: float = 0.6


KINDS: dict[str, Kind] = {name: Kind(k["weight"], k["sep"], tuple(k["bodies"]), k["p_head"], k["p_tail"])
                          for name, k in _COMMON["kinds"].items()}
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")


def label_of(name: str) -> str | None:
    """The PII label a placeholder's value is a span of (``None``: a non-PII filler)."""
    return name if name.isupper() else LABELLED_FILLERS.get(name)


class Snippet(NamedTuple):
    literals: tuple[str, ...]  # len(literals) == len(names) + 1
    names: tuple[str, ...]  # labels and fillers, in order
    n_spans: int  # how many names are labels


def parse_snippet(text: str) -> Snippet:
    """``"Hi {FIRSTNAME}, {count} new mails"`` -> (("Hi ", ", ", " new mails"), ("FIRSTNAME", "count"), 1)."""
    parts = _PLACEHOLDER.split(text)
    names = tuple(parts[1::2])
    return Snippet(tuple(parts[0::2]), names, sum(1 for n in names if label_of(n)))


@dataclass(frozen=True)
class Language:
    code: str
    docs: dict[str, dict[str, tuple[Snippet, ...]]]  # kind -> part (head/body/tail) -> snippets
    pools: dict[str, tuple[str, ...]]  # label or filler name -> values
    kinds: tuple[str, ...] = ()  # document kinds this language has snippets for
    weights: tuple[float, ...] = ()
    long: dict[str, dict[str, tuple[Snippet, ...]]] = field(default_factory=dict)  # long-document kind -> part -> snippets


@lru_cache(maxsize=8)
def world_pools(seed: int, pool_size: int = POOL_SIZE) -> dict[str, tuple[str, ...]]:
    """Names, companies, cities and addresses drawn across common.yaml's ``world.locales`` (seeded)."""
    from faker import Faker

    world = _COMMON["world"]
    pools: dict[str, tuple[str, ...]] = {}
    fakers = []
    for loc in world["locales"]:
        fake = Faker(loc)
        for provider in fake.get_providers():  # lists Faker keeps as sets: fixed order (PYTHONHASHSEED)
            for klass in type(provider).__mro__:
                for attr, value in list(vars(klass).items()):
                    if attr in world["faker_sort"] or isinstance(value, (set, frozenset)) and not attr.startswith("__"):
                        setattr(provider, attr, sorted(value, key=str))
        fakers.append(fake)
    per_locale = max(1, pool_size // len(fakers) + 1)
    for label, method in world["labels"].items():
        rnd = random.Random(_seed("world", seed, label))
        values: dict[str, None] = {}
        for loc, fake in zip(world["locales"], fakers):
            fake.seed_instance(_seed("world", seed, loc, label))
            for _ in range(per_locale):
                v = str(getattr(fake, method)())
                v = address(v, rnd) if label == "ADDRESS" else " ".join(v.split())
                if v:
                    values[v] = None
        pools[label] = tuple(values)
    return pools


def _seed(*parts: Any) -> str:
    return ":".join(str(p) for p in parts)


@lru_cache(maxsize=64)
def build_language(code: str, seed: int, pool_size: int = POOL_SIZE, extra_packs: tuple[str, ...] = ()) -> Language:
    """Parse one language pack's snippets and draw its value pools (seeded by seed, language, label);
    ``extra_packs``: pack directories besides the built-in ones (``dataset.packs``)."""
    from faker import Faker

    pack = packs.load(code, tuple(extra_packs))
    t = pack.rows
    docs: dict[str, dict[str, tuple[Snippet, ...]]] = {}
    for kind, parts in t["docs"].items():
        parsed = {part: tuple(parse_snippet(s) for s in parts[part]) for part in packs.SHORT_PARTS}
        if kind == "form" and not parsed["body"]:
            parsed["body"] = tuple(parse_snippet(f"{caption}: {{{label}}}") for label, caption in t["fields"].items())
        docs[kind] = parsed

    fake = Faker(t["locale"])
    # provider lists Faker builds from a set have a hash-seed-dependent order: sort them
    for provider in fake.get_providers():
        for attr in t["faker_sort"]:
            if hasattr(provider, attr):
                setattr(provider, attr, sorted(getattr(provider, attr)))
    methods = {**_COMMON["faker_methods"], **t["faker"]}
    words = t["words"]
    pools: dict[str, tuple[str, ...]] = {}
    for label in LABELS:
        if label == "ADDRESS":
            continue  # world pool only (below)
        if label in words:
            pools[label] = tuple(words[label])
            continue
        rnd = random.Random(_seed("pool", seed, code, label))
        fake.seed_instance(_seed("faker", seed, code, label))
        if label in GENERATORS:
            gen = GENERATORS[label]
            draw = lambda: gen(fake, rnd, t, _COMMON["nationalities"])  # noqa: E731
        else:
            method = getattr(fake, methods[label], None)
            if method is None:
                from piikit.errors import PiikitError

                raise PiikitError(f"{pack.path / 'rows.yaml'}: faker.{label}: Faker's {t['locale']} has no method {methods[label]!r}",
                                  f"name another method under faker, or give the values under words.{label}")
            draw = method
        values = dict.fromkeys(" ".join(str(draw()).split()) for _ in range(pool_size))  # ordered, unique
        pools[label] = tuple(v for v in values if v)
    extra = world_pools(seed, pool_size)
    share = _COMMON["world"]["share"]
    for label, values in extra.items():
        if label in words:
            continue
        own = pools.get(label, ())
        # mix: (1 - share) own-locale values, share from many cultures
        n_world = int(len(own) * share / (1 - share)) if own else len(values)
        rnd = random.Random(_seed("mix", seed, code, label))
        pools[label] = own + tuple(rnd.sample(values, min(n_world, len(values))))
    home = t["home_countries"]
    if home and "COUNTRY" not in words:  # repeated in the pool: a Spanish text says "España" far more than "Malawi"
        n_home = round(len(pools["COUNTRY"]) * HOME_SHARE / (1 - HOME_SHARE))
        pools["COUNTRY"] += tuple(home[i % len(home)] for i in range(n_home))
    long: dict[str, dict[str, tuple[Snippet, ...]]] = {}
    terms: dict[str, list[str]] = {}
    lt = pack.long
    if lt is not None:
        terms = dict(lt["terms"])
        for name in lt["also_capitalised"]:  # "Paracetamol" as often as "paracetamol"
            terms[name] = list(dict.fromkeys(terms[name] + [w[:1].upper() + w[1:] for w in terms[name]]))
        for kind, parts in lt["docs"].items():
            long[kind] = {part: tuple(parse_snippet(s) for s in parts[part]) for part in packs.LONG_PARTS}
    for name, values in {**FILLERS, **t["fillers"], **terms}.items():
        pools[name] = tuple(values)
    formats = lt["hospitals"] if lt is not None else []
    if formats:
        rnd = random.Random(_seed("hospital", seed, code))
        # Latin-script names only: "Hospital Clínico San Марфа" is no hospital anyone writes about
        names = {label: [v for v in pools[label] if all(ord(ch) < 0x250 for ch in v)] for label in ("CITY", "FIRSTNAME", "LASTNAME")}
        pools["hospital"] = tuple(rnd.choice(formats).format(**{k: rnd.choice(v) for k, v in names.items()})
                                  for _ in range(pool_size))
    kinds = tuple(k for k in KINDS if k in docs and any(docs[k].values()))
    return Language(code=code, docs=docs, pools=pools, kinds=kinds, weights=tuple(KINDS[k].weight for k in kinds), long=long)


def fill(snippet: Snippet, pools: dict[str, tuple[str, ...]], draw: Callable[[int], int], pieces: list[str],
         spans: list[Span], pos: int) -> int:
    """Append ``snippet`` filled from ``pools`` to ``pieces`` (a value per placeholder, pool index
    ``draw(len(pool))``) and its PII spans, offset from ``pos``, to ``spans``; returns the new end."""
    for literal, name in zip(snippet.literals, snippet.names):
        pieces.append(literal)
        pos += len(literal)
        pool = pools[name]
        value = pool[draw(len(pool))]
        label = label_of(name)
        if label:
            spans.append(Span(pos, pos + len(value), label, value))
        pieces.append(value)
        pos += len(value)
    pieces.append(snippet.literals[-1])
    return pos + len(snippet.literals[-1])


def make_row(index: int, seed: int, langs: tuple[Language, ...]) -> Row:
    """Row ``index`` of the seeded stream (independent of every other row)."""
    rnd = random.Random(((seed % 2**64) << 40) | index)  # an int seeds ~2x faster than a str
    lang = langs[rnd.randrange(len(langs))]
    kind_name = rnd.choices(lang.kinds, lang.weights)[0]
    kind = KINDS[kind_name]
    doc = lang.docs[kind_name]

    chosen: list[Snippet] = []
    n_bodies = rnd.randint(*kind.bodies)
    bodies = rnd.sample(doc["body"], min(n_bodies, len(doc["body"])))
    head = [rnd.choice(doc["head"])] if doc["head"] and rnd.random() < kind.p_head else []
    tail = [rnd.choice(doc["tail"])] if doc["tail"] and rnd.random() < kind.p_tail else []
    budget = MAX_SPANS
    for snippet in head + bodies + tail:
        if snippet.n_spans <= budget:
            chosen.append(snippet)
            budget -= snippet.n_spans

    rand = rnd.random
    draw = lambda n: int(rand() * n)  # noqa: E731 (~2x faster than randrange; fixes the seeded stream)
    pieces: list[str] = []
    spans: list[Span] = []
    pos = 0
    for i, snippet in enumerate(chosen):
        if i:
            pieces.append(kind.sep)
            pos += len(kind.sep)
        pos = fill(snippet, lang.pools, draw, pieces, spans, pos)
    text = "".join(pieces)
    noise = rand()
    if noise < P_LOWER:
        lower = text.lower()
        if len(lower) == len(text):  # (a few characters change length when lower-cased)
            text = lower
            spans = [Span(s.start, s.end, s.label, text[s.start : s.end]) for s in spans]
    elif noise < P_LOWER + P_NO_PERIOD and text.endswith(".") and not (spans and spans[-1].end == len(text)):
        text = text[:-1]
    return Row(id=str(index), source_text=text, target_text=mask_text(text, spans), privacy_mask=spans, language=lang.code)


class _Doc:
    """A document being written: text pieces, spans with absolute offsets, PII character count."""

    def __init__(self, pools: dict[str, tuple[str, ...]], rnd: random.Random):
        self.pools, self.rnd = pools, rnd
        self.pieces: list[str] = []
        self.spans: list[Span] = []
        self.pos = self.pii = 0

    def render(self, snippet: Snippet, sep: str) -> tuple[str, list[Span]]:
        """``sep`` + the snippet filled in, and its spans (offsets as if appended to the document)."""
        out: list[str] = [sep]
        spans: list[Span] = []
        fill(snippet, self.pools, self.rnd.randrange, out, spans, self.pos + len(sep))
        return "".join(out), spans

    def commit(self, text: str, spans: list[Span]) -> None:
        self.pieces.append(text)
        self.spans.extend(spans)
        self.pos += len(text)
        self.pii += sum(s.end - s.start for s in spans)

    @property
    def share(self) -> float:
        return self.pii / self.pos if self.pos else 0.0


def _write_long(lang: Language, rnd: random.Random, chars: tuple[int, int], pii_share: tuple[float, float]) -> _Doc:
    """One attempt at a long document: title, optional data block, paragraphs, closing.

    Writing stops at a length drawn from ``chars``; a piece that would pass ``chars[1]`` is never
    added. Each next sentence is a PII sentence while the PII share (characters inside spans /
    all characters) is below a target drawn from ``pii_share``, else plain prose, so the share
    converges to the target; no piece may take the PII characters past ``pii_share[1]`` of the
    planned length, so PII-dense titles, data blocks and closings cannot overshoot."""
    kind = rnd.choice(sorted(lang.long))
    parts = lang.long[kind]
    lo, hi = chars
    target = rnd.randint(lo, max(lo, hi - (hi - lo) // 5))
    share = rnd.uniform(*pii_share)
    cap = pii_share[1] * target  # PII characters allowed in the whole document
    doc = _Doc(lang.pools, rnd)

    def fits(text: str, spans: list[Span]) -> bool:
        return doc.pos + len(text) <= hi and doc.pii + sum(s.end - s.start for s in spans) <= cap

    def add_one(part: str, sep: str, tries: int = 10) -> bool:
        for _ in range(tries):
            text, spans = doc.render(rnd.choice(parts[part]), sep)
            if fits(text, spans):
                doc.commit(text, spans)
                return True
        return False

    add_one("title", "")
    if parts["header"] and rnd.random() < 0.6:
        for _ in range(rnd.randint(2, 8)):
            add_one("header", "\n", tries=1)
    in_paragraph, misses = 0, 0
    while doc.pos < target and misses < 20:
        if in_paragraph:
            sep = " "
        else:
            in_paragraph = rnd.randint(2, 6)
            sep = "\n\n"
            if parts["sections"] and rnd.random() < 0.4:  # a heading opens the paragraph
                sep = doc.render(rnd.choice(parts["sections"]), sep)[0] + rnd.choice(["\n", ": ", ". "])
        part = "pii" if doc.share < share else "prose"
        text, spans = doc.render(rnd.choice(parts[part]), sep)
        if not fits(text, spans):
            misses += 1
            in_paragraph = in_paragraph if sep == " " else 0
            continue
        doc.commit(text, spans)
        in_paragraph -= 1
    add_one("closing", "\n\n")
    return doc


def make_long_row(index: int, seed: int, langs: tuple[Language, ...], chars: tuple[int, int] = (1000, 5000),
                  pii_share: tuple[float, float] = (0.02, 0.15)) -> Row:
    """Row ``index`` as a long document (case report, letter, ticket or minutes) of ``chars``
    characters in which PII is ``pii_share`` of the characters (written from the pack's ``long.yaml``).

    Drawn again (a few times) until both hold; independent of every other row, like :func:`make_row`."""
    rnd = random.Random(_seed("long", seed, index))
    have = tuple(lang for lang in langs if lang.long)
    if not have:
        from piikit.errors import PiikitError

        raise PiikitError(f"no long-document pack for {', '.join(lang.code for lang in langs)}",
                          "add long.yaml to the language's pack (docs/synthetic-packs.md), or set dataset.long_fraction=0")
    lang = have[rnd.randrange(len(have))]
    for _ in range(50):
        doc = _write_long(lang, rnd, chars, pii_share)
        if chars[0] <= doc.pos <= chars[1] and pii_share[0] <= doc.share <= pii_share[1]:
            break
    text = "".join(doc.pieces)
    return Row(id=str(index), source_text=text, target_text=mask_text(text, doc.spans), privacy_mask=doc.spans, language=lang.code)


def is_long(index: int, seed: int, fraction: float) -> bool:
    """Whether row ``index`` of the stream is a long document (a ``fraction`` of rows, seeded)."""
    return fraction > 0 and random.Random(_seed("is-long", seed, index)).random() < fraction


def generate(size: int, seed: int = 42, languages: list[str] | tuple[str, ...] | None = None, on_row: Callable[[int], None] | None = None,
             long_fraction: float = 0.0, long_chars: tuple[int, int] = (1000, 5000), long_pii_share: tuple[float, float] = (0.02, 0.15),
             extra_packs: list[str] | tuple[str, ...] = ()) -> list[Row]:
    """``size`` rows; ``languages`` sets the language mix (default: common.yaml's
    ``default_languages``); a seeded ``long_fraction`` of them are long documents
    (:func:`make_long_row`); ``extra_packs``: pack directories besides the built-in ones."""
    codes = tuple(languages) if languages else DEFAULT_LANGUAGES
    extra = tuple(str(p) for p in extra_packs)
    have = packs.available(extra)
    unknown = [c for c in codes if c not in have]
    if unknown:
        from piikit.errors import PiikitError

        raise PiikitError(f"synthetic data has no language {', '.join(map(repr, unknown))}",
                          f"use some of: {', '.join(have)}, or add a pack with dataset.packs=[dir]")
    langs = tuple(build_language(c, seed, POOL_SIZE, extra) for c in codes)
    rows = []
    chars, share = tuple(long_chars), tuple(long_pii_share)
    for i in range(size):
        rows.append(make_long_row(i, seed, langs, chars, share) if is_long(i, seed, long_fraction) else make_row(i, seed, langs))
        if on_row is not None and (i + 1) % 1000 == 0:
            on_row(1000)
    if on_row is not None and size % 1000:
        on_row(size % 1000)
    return rows


def load(config: Any, ctx: Any = None) -> list[Row]:
    """Dataset plugin entry: ``SyntheticDatasetConfig`` -> rows (``max_rows`` caps ``size``)."""
    from piikit.console import progress

    size = min(config.size, config.max_rows) if config.max_rows else config.size
    with progress() as p:
        task = p.add_task(f"generating {size:,} synthetic rows", total=size)
        return generate(size, config.seed, config.languages, on_row=lambda n: p.advance(task, n), long_fraction=config.long_fraction,
                        long_chars=config.long_chars, long_pii_share=config.long_pii_share, extra_packs=config.packs)
