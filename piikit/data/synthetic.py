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

Sentences, captions and word lists are data tables in ``piikit/data/synth/<lang>.py``; value
generators are the small table :data:`GENERATORS` below. Extending the generator means adding
rows to those tables.
"""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, NamedTuple

from piikit.data.schema import Row, Span, mask_text
from piikit.data.synth import LANGUAGES, language, longdocs, world

MAX_SPANS = 8
POOL_SIZE = 300  # values per (language, label) drawn from Faker

# The ai4privacy pii-masking-200k label set (56 labels); the generator produces all of them.
LABELS = (
    "PREFIX", "FIRSTNAME", "MIDDLENAME", "LASTNAME", "DATE", "TIME", "DOB", "AGE", "SEX", "GENDER",
    "JOBTITLE", "JOBAREA", "JOBTYPE", "COMPANYNAME", "STREET", "BUILDINGNUMBER", "CITY", "STATE",
    "COUNTY", "ZIPCODE", "SECONDARYADDRESS", "NEARBYGPSCOORDINATE", "ORDINALDIRECTION", "EMAIL",
    "PHONENUMBER", "PHONEIMEI", "URL", "USERNAME", "PASSWORD", "USERAGENT", "IP", "IPV4", "IPV6", "MAC",
    "ACCOUNTNAME", "ACCOUNTNUMBER", "IBAN", "BIC", "PIN", "CREDITCARDNUMBER", "CREDITCARDCVV",
    "CREDITCARDISSUER", "MASKEDNUMBER", "AMOUNT", "CURRENCY", "CURRENCYCODE", "CURRENCYNAME",
    "CURRENCYSYMBOL", "BITCOINADDRESS", "ETHEREUMADDRESS", "LITECOINADDRESS", "VEHICLEVIN",
    "VEHICLEVRM", "SSN", "HEIGHT", "EYECOLOR",
)
# beyond ai4privacy: what real text is full of and a model must still mask (see synth/world.py)
EXTRA_LABELS = ("COUNTRY", "NATIONALITY", "ADDRESS")
LABELS = LABELS + EXTRA_LABELS


@dataclass(frozen=True)
class Kind:
    """How a document kind is assembled: separator between snippets, how many bodies, weight."""

    weight: float
    sep: str
    bodies: tuple[int, int]
    p_head: float = 0.8
    p_tail: float = 0.6


KINDS: dict[str, Kind] = {
    "email": Kind(0.22, "\n", (1, 3)),
    "chat": Kind(0.16, " ", (1, 3), p_head=0.4, p_tail=0.4),
    "form": Kind(0.14, "\n", (2, 8), p_head=0.9, p_tail=0.4),
    "medical": Kind(0.10, " ", (1, 3)),
    "hr": Kind(0.10, " ", (1, 3)),
    "finance": Kind(0.12, " ", (1, 3)),
    "support": Kind(0.10, " ", (1, 3)),
    "none": Kind(0.06, " ", (2, 4), p_head=0.0, p_tail=0.0),
    # prose kinds (languages that define them): people, places, organisations amid ordinary words
    "narrative": Kind(0.16, " ", (1, 3), p_head=0.2, p_tail=0.2),
    "dialogue": Kind(0.06, "\n", (2, 4), p_head=0.3, p_tail=0.3),
    "log": Kind(0.04, "\n", (1, 4), p_head=0.3, p_tail=0.0),
    "clinical": Kind(0.06, " ", (2, 4), p_head=0.5, p_tail=0.5),
}
P_LOWER = 0.08  # share of rows written all lower-case (noise real text has)
P_NO_PERIOD = 0.15  # share of rows whose final full stop is dropped
HOME_SHARE = 0.3  # share of COUNTRY values that are the language's HOME_COUNTRIES: text names its own country most
P_AGE_WORDS = 0.15  # share of AGE draws written out ("seventeen") where a language has AGE_WORDS (pools keep
# distinct values, so about a fifth of an AGE pool)

# label -> Faker method (a language module's FAKER table overrides entries)
FAKER_METHODS = {
    "FIRSTNAME": "first_name", "MIDDLENAME": "first_name", "LASTNAME": "last_name", "EMAIL": "email",
    "PHONENUMBER": "phone_number", "IBAN": "iban", "BIC": "swift", "CREDITCARDCVV": "credit_card_security_code",
    "CREDITCARDISSUER": "credit_card_provider", "IPV4": "ipv4", "IPV6": "ipv6", "MAC": "mac_address",
    "URL": "url", "USERNAME": "user_name", "USERAGENT": "user_agent", "STREET": "street_name",
    "BUILDINGNUMBER": "building_number", "CITY": "city", "STATE": "state", "ZIPCODE": "postcode",
    "JOBTITLE": "job", "COMPANYNAME": "company", "SSN": "ssn", "VEHICLEVRM": "license_plate",
    "CURRENCY": "currency_name", "CURRENCYNAME": "currency_name", "CURRENCYCODE": "currency_code",
}

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_VIN = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def _digits(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice(string.digits) for _ in range(n))


def _date(rnd: random.Random, t: Any, start: int, end: int) -> str:
    y, m, d = rnd.randint(start, end), rnd.randint(1, 12), rnd.randint(1, 28)
    return rnd.choice(t.DATE_FORMATS).format(d=d, m=m, y=y, yy=y % 100, month=t.MONTHS[m - 1])


def _time(rnd: random.Random, t: Any) -> str:
    hour, minute = rnd.randrange(24), rnd.randrange(60)
    return rnd.choice(t.TIME_FORMATS).format(
        H=hour, M=minute, S=rnd.randrange(60), h=(hour % 12) or 12, ampm=t.AMPM[hour >= 12]
    ).strip()


def _age(rnd: random.Random, t: Any) -> str:
    words = getattr(t, "AGE_WORDS", None)
    return rnd.choice(words) if words and rnd.random() < P_AGE_WORDS else str(rnd.randint(1, 99))


def _amount(rnd: random.Random, t: Any) -> str:
    value = rnd.choice([rnd.uniform(1, 100), rnd.uniform(100, 10_000), rnd.uniform(10_000, 900_000)])
    whole, cents = f"{value:,.2f}".split(".")
    text = whole.replace(",", t.THOUSANDS)
    return text if rnd.random() < 0.2 else f"{text}{t.DECIMAL}{cents}"


def _height(rnd: random.Random, t: Any) -> str:
    cm = rnd.randint(145, 205)
    inches = round(cm / 2.54)
    return rnd.choice(t.HEIGHT_FORMATS).format(cm=cm, m=f"{cm / 100:.2f}".replace(".", t.DECIMAL), ft=inches // 12, inch=inches % 12)


def _secondary(rnd: random.Random, t: Any) -> str:
    return rnd.choice(t.SECONDARY_FORMATS).format(
        n=rnd.randint(1, 999), f=rnd.randint(1, 12), b=rnd.choice("ABCDEF"), letter=rnd.choice("ABCDEFGH")
    )


def _gps(rnd: random.Random, t: Any) -> str:
    lat, lon = rnd.uniform(-60, 70), rnd.uniform(-170, 170)
    return rnd.choice(["[{:.4f}, {:.4f}]", "{:.5f}, {:.5f}", "[{:.2f},{:.2f}]"]).format(lat, lon)


def _card(fake: Any, rnd: random.Random) -> str:
    number = fake.credit_card_number()
    if rnd.random() < 0.4 and len(number) == 16:
        number = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    return number


def _masked(fake: Any, rnd: random.Random) -> str:
    number = fake.credit_card_number()
    keep = rnd.choice([4, 4, 6])
    return rnd.choice(["*", "X", "x"]) * (len(number) - keep) + number[-keep:]


def _imei(rnd: random.Random) -> str:
    d = _digits(rnd, 15)
    return d if rnd.random() < 0.5 else f"{d[:2]}-{d[2:8]}-{d[8:14]}-{d[14]}"


def _ip(fake: Any, rnd: random.Random) -> str:
    return fake.ipv4() if rnd.random() < 0.6 else fake.ipv6()


# label -> generator(fake, rnd, tables) for labels that are not a plain Faker call or word list
GENERATORS: dict[str, Callable[[Any, random.Random, Any], str]] = {
    "DATE": lambda fake, rnd, t: _date(rnd, t, 1990, 2030),
    "DOB": lambda fake, rnd, t: _date(rnd, t, 1930, 2012),
    "TIME": lambda fake, rnd, t: _time(rnd, t),
    "AGE": lambda fake, rnd, t: _age(rnd, t),
    "AMOUNT": lambda fake, rnd, t: _amount(rnd, t),
    "HEIGHT": lambda fake, rnd, t: _height(rnd, t),
    "SECONDARYADDRESS": lambda fake, rnd, t: _secondary(rnd, t),
    "NEARBYGPSCOORDINATE": lambda fake, rnd, t: _gps(rnd, t),
    "CREDITCARDNUMBER": lambda fake, rnd, t: _card(fake, rnd),
    "MASKEDNUMBER": lambda fake, rnd, t: _masked(fake, rnd),
    "PHONEIMEI": lambda fake, rnd, t: _imei(rnd),
    "IP": lambda fake, rnd, t: _ip(fake, rnd),
    "ACCOUNTNUMBER": lambda fake, rnd, t: _digits(rnd, rnd.randint(8, 12)),
    "PIN": lambda fake, rnd, t: _digits(rnd, rnd.choice([4, 4, 5, 6])),
    "PASSWORD": lambda fake, rnd, t: fake.password(length=rnd.randint(8, 16)),
    "CURRENCYSYMBOL": lambda fake, rnd, t: rnd.choice(["€", "$", "£", "¥", "₹", "₽", "CHF", "kr", "₺", "zł"]),
    "BITCOINADDRESS": lambda fake, rnd, t: rnd.choice("13") + "".join(rnd.choice(_B58) for _ in range(rnd.randint(25, 33))),
    "LITECOINADDRESS": lambda fake, rnd, t: rnd.choice("LM") + "".join(rnd.choice(_B58) for _ in range(rnd.randint(26, 33))),
    "ETHEREUMADDRESS": lambda fake, rnd, t: "0x" + "".join(rnd.choice("0123456789abcdef") for _ in range(40)),
    "VEHICLEVIN": lambda fake, rnd, t: "".join(rnd.choice(_VIN) for _ in range(17)),
    "COUNTRY": lambda fake, rnd, t: fake.country(),
    "NATIONALITY": lambda fake, rnd, t: rnd.choice(getattr(t, "NATIONALITIES", None) or world.NATIONALITIES),
}

# {UPPERCASE} is a PII label (a span); {lowercase} is a non-PII filler (filled, never labelled),
# except these word-list fillers, labelled as: a weekday names the day something happened to
# someone ("seen on Tuesday"), a date element as clinical de-identification and NER schemes count it;
# the sex_* lists (a language's TERMS) are the sex of the person a case report is about, as a noun
# or adjective that agrees with the sentence ("Mujer de 63 años", "un varón de", "paciente
# femenina"); {hospital} is a hospital's or health centre's name (a COMPANYNAME: an
# organisation), made from a language's HOSPITALS formats ("Hospital General de {CITY}") and its
# name and place pools
LABELLED_FILLERS = {"weekday": "DATE", "sex_noun": "SEX", "sex_f": "SEX", "sex_m": "SEX", "sex_adj": "SEX",
                    "hospital": "COMPANYNAME"}
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")


def label_of(name: str) -> str | None:
    """The PII label a placeholder's value is a span of (``None``: a non-PII filler)."""
    return name if name.isupper() else LABELLED_FILLERS.get(name)

# fillers every language shares; a language's FILLERS table adds its own words
FILLERS: dict[str, list[str]] = {"count": [str(n) for n in range(2, 400)], **world.DISTRACTORS}


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


def _address(value: str, rnd: random.Random) -> str:
    """A Faker address as one run of text: its line breaks become newlines, commas or spaces."""
    sep = rnd.choice(["\n", ", ", ", ", " "])
    return sep.join(" ".join(line.split()) for line in value.splitlines() if line.strip())


@lru_cache(maxsize=8)
def world_pools(seed: int, pool_size: int = POOL_SIZE) -> dict[str, tuple[str, ...]]:
    """Names, companies, cities and addresses drawn across :data:`world.LOCALES` (seeded)."""
    from faker import Faker

    pools: dict[str, tuple[str, ...]] = {}
    fakers = []
    for loc in world.LOCALES:
        fake = Faker(loc)
        for provider in fake.get_providers():  # lists Faker keeps as sets: fixed order (PYTHONHASHSEED)
            for klass in type(provider).__mro__:
                for attr, value in list(vars(klass).items()):
                    if attr in world.FAKER_SORT or isinstance(value, (set, frozenset)) and not attr.startswith("__"):
                        setattr(provider, attr, sorted(value, key=str))
        fakers.append(fake)
    per_locale = max(1, pool_size // len(fakers) + 1)
    for label, method in world.WORLD_LABELS.items():
        rnd = random.Random(_seed("world", seed, label))
        values: dict[str, None] = {}
        for loc, fake in zip(world.LOCALES, fakers):
            fake.seed_instance(_seed("world", seed, loc, label))
            for _ in range(per_locale):
                v = str(getattr(fake, method)())
                v = _address(v, rnd) if label == "ADDRESS" else " ".join(v.split())
                if v:
                    values[v] = None
        pools[label] = tuple(values)
    return pools


def _seed(*parts: Any) -> str:
    return ":".join(str(p) for p in parts)


@lru_cache(maxsize=64)
def build_language(code: str, seed: int, pool_size: int = POOL_SIZE) -> Language:
    """Parse one language's snippets and draw its value pools (seeded by seed, language, label)."""
    from faker import Faker

    tables = language(code)
    docs: dict[str, dict[str, tuple[Snippet, ...]]] = {}
    for kind, parts in tables.DOCS.items():
        parsed = {part: tuple(parse_snippet(s) for s in parts.get(part, [])) for part in ("head", "body", "tail")}
        if kind == "form" and not parsed["body"]:
            parsed["body"] = tuple(parse_snippet(f"{caption}: {{{label}}}") for label, caption in tables.FIELDS.items())
        docs[kind] = parsed

    fake = Faker(tables.LOCALE)
    # provider lists Faker builds from a set have a hash-seed-dependent order: sort them
    for provider in fake.get_providers():
        for attr in getattr(tables, "FAKER_SORT", ()):
            if hasattr(provider, attr):
                setattr(provider, attr, sorted(getattr(provider, attr)))
    methods = {**FAKER_METHODS, **getattr(tables, "FAKER", {})}
    pools: dict[str, tuple[str, ...]] = {}
    for label in LABELS:
        if label == "ADDRESS":
            continue  # world pool only (below)
        if label in tables.WORDS:
            pools[label] = tuple(tables.WORDS[label])
            continue
        rnd = random.Random(_seed("pool", seed, code, label))
        fake.seed_instance(_seed("faker", seed, code, label))
        if label in GENERATORS:
            gen = GENERATORS[label]
            draw = lambda: gen(fake, rnd, tables)  # noqa: E731
        else:
            method = getattr(fake, methods[label])
            draw = method
        values = dict.fromkeys(" ".join(str(draw()).split()) for _ in range(pool_size))  # ordered, unique
        pools[label] = tuple(v for v in values if v)
    extra = world_pools(seed, pool_size)
    for label, values in extra.items():
        if label in tables.WORDS:
            continue
        own = pools.get(label, ())
        # mix: (1 - WORLD_SHARE) own-locale values, WORLD_SHARE from many cultures
        n_world = int(len(own) * world.WORLD_SHARE / (1 - world.WORLD_SHARE)) if own else len(values)
        rnd = random.Random(_seed("mix", seed, code, label))
        pools[label] = own + tuple(rnd.sample(values, min(n_world, len(values))))
    home = getattr(tables, "HOME_COUNTRIES", ())
    if home and "COUNTRY" not in tables.WORDS:  # repeated in the pool: a Spanish text says "España" far more than "Malawi"
        n_home = round(len(pools["COUNTRY"]) * HOME_SHARE / (1 - HOME_SHARE))
        pools["COUNTRY"] += tuple(home[i % len(home)] for i in range(n_home))
    long: dict[str, dict[str, tuple[Snippet, ...]]] = {}
    terms: dict[str, list[str]] = {}
    try:
        long_tables = longdocs.tables(code)
    except ModuleNotFoundError:
        long_tables = None
    if long_tables is not None:
        terms = dict(long_tables.TERMS)
        for name in getattr(long_tables, "ALSO_CAPITALISED", ()):  # "Paracetamol" as often as "paracetamol"
            terms[name] = list(dict.fromkeys(terms[name] + [w[:1].upper() + w[1:] for w in terms[name]]))
        for kind, parts in long_tables.DOCS.items():
            long[kind] = {part: tuple(parse_snippet(s) for s in parts.get(part, [])) for part in longdocs.PARTS}
    for name, words in {**FILLERS, **getattr(tables, "FILLERS", {}), **terms}.items():
        pools[name] = tuple(words)
    formats = getattr(long_tables, "HOSPITALS", ())
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
    characters in which PII is ``pii_share`` of the characters (see :mod:`piikit.data.synth.longdocs`).

    Drawn again (a few times) until both hold; independent of every other row, like :func:`make_row`."""
    rnd = random.Random(_seed("long", seed, index))
    have = tuple(lang for lang in langs if lang.long)
    if not have:
        from piikit.errors import PiikitError

        raise PiikitError(f"no long-document tables for {', '.join(lang.code for lang in langs)}",
                          "add piikit/data/synth/longdocs/<lang>.py, or set dataset.long_fraction=0")
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
             long_fraction: float = 0.0, long_chars: tuple[int, int] = (1000, 5000), long_pii_share: tuple[float, float] = (0.02, 0.15)) -> list[Row]:
    """``size`` rows; ``languages`` restricts the language mix (default: all); a seeded
    ``long_fraction`` of them are long documents (:func:`make_long_row`)."""
    codes = tuple(languages) if languages else LANGUAGES
    unknown = [c for c in codes if c not in LANGUAGES]
    if unknown:
        from piikit.errors import PiikitError

        raise PiikitError(
            f"synthetic data has no language {', '.join(map(repr, unknown))}", f"use some of: {', '.join(LANGUAGES)}"
        )
    langs = tuple(build_language(c, seed) for c in codes)
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
                        long_chars=config.long_chars, long_pii_share=config.long_pii_share)
