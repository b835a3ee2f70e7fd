"""Word lists for CRF gazetteer features: is this word a known first name, last name, place?

Built once per process from Faker's own provider tables across many locales
(``world.locales`` in ``piikit/synth/packs/common.yaml``) plus the demonym table — never from a dataset — so
a name the CRF never saw in training (``Szöllösy``) still looks like a name. And the other
way round, :func:`frequency_class`: how common a word is in everyday language (wordfreq's
lists), since a capitalised word no everyday vocabulary has is usually a name.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SPLIT = re.compile(r"[\s\-']+")

# Faker provider attributes -> gazetteer class
ATTRS = {
    "first_names": "fn", "first_names_male": "fn", "first_names_female": "fn", "first_names_nonbinary": "fn",
    "last_names": "ln", "countries": "geo", "city_names": "geo", "cities": "geo", "states": "geo",
    "provinces": "geo", "regions": "geo", "departments": "geo", "street_suffixes": "street",
    "street_prefixes": "street", "street_suffixes_long": "street", "street_suffixes_short": "street",
    "company_suffixes": "org",
}


def _values(obj) -> list[str]:
    if isinstance(obj, dict):
        obj = list(obj.keys())
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [v for v in obj if isinstance(v, str)]
    return []


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, frozenset[str]]:
    """class (fn, ln, geo, street, org, nat) -> lower-cased words (at least 2 letters)."""
    from faker import Faker

    from piikit.synth import packs

    world = packs.common()

    words: dict[str, set[str]] = {c: set() for c in set(ATTRS.values()) | {"nat"}}
    for loc in world["world"]["locales"]:
        try:
            fake = Faker(loc)
        except AttributeError:
            continue
        for provider in fake.get_providers():
            for attr, cls in ATTRS.items():
                for value in _values(getattr(provider, attr, None)):
                    for w in _SPLIT.split(value.lower()):
                        w = w.strip(".,")
                        if len(w) >= 2:
                            words[cls].add(w)
    for value in world["nationalities"]:
        for w in _SPLIT.split(value.lower()):
            words["nat"].add(w)
    return {c: frozenset(ws) for c, ws in words.items()}


def classes(word: str) -> list[str]:
    """The gazetteer classes ``word`` belongs to, e.g. ``["fn", "ln"]`` for ``Jordan``."""
    lower = word.lower()
    return [c for c, ws in gazetteer().items() if lower in ws]


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """lower-cased word -> its highest Zipf frequency in any of piikit's synthetic languages
    (``default_languages`` in ``piikit/synth/packs/common.yaml``), from wordfreq's small lists (words seen at least
    about once per million words)."""
    import math

    from wordfreq import get_frequency_dict

    from piikit.synth import packs

    best: dict[str, float] = {}
    for lang in packs.common()["default_languages"]:
        for word, freq in get_frequency_dict(lang, wordlist="small").items():
            z = math.log10(freq) + 9 if freq > 0 else 0.0  # wordfreq's Zipf scale
            if z > best.get(word, 0.0):
                best[word] = z
    return best


def frequency_class(word: str) -> str:
    """How common ``word`` is as an everyday word: ``rare`` (not among the ~30k commonest words
    of any of piikit's languages), ``3`` (about 1–10 per million), ``4``, or ``5`` (very common).
    A capitalised rare word is far more often a name or an organisation than a common one."""
    z = _frequencies().get(word.lower(), 0.0)
    return "rare" if z < 3 else str(min(int(z), 5))
