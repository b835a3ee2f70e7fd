"""How a found span is replaced: ``placeholder``, ``redact``, ``hash`` or ``pseudonymize``.

Every strategy is a pure function of ``(label, value)`` and the :class:`Strategy` settings, so
the same value gets the same replacement in every batch, worker process, resumed run — and on
every Spark executor — without any shared state:

- ``placeholder``: ``[LABEL]`` (the ai4privacy convention).
- ``redact``: the value's characters replaced by ``redact_char`` (same length).
- ``hash``: ``[LABEL_<hex>]``, the first ``hash_length`` hex digits of
  HMAC-SHA256(salt, label + value): stable for a salt, not reversible without it.
- ``pseudonymize``: a Faker value of the label's kind (a name for ``FIRSTNAME``, an e-mail for
  ``EMAIL``, ...), drawn from a Faker seeded with HMAC-SHA256(salt, label + value). Labels
  without a known kind get a same-shape value (letters → letters, digits → digits).
"""

from __future__ import annotations

import hashlib
import hmac
import random
import string
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from piikit.data.schema import Span

STRATEGIES = ("placeholder", "redact", "hash", "pseudonymize")


@dataclass(frozen=True)
class Strategy:
    """Everything a worker needs to replace spans (picklable, no secrets printed in repr)."""

    name: str = "placeholder"
    redact_char: str = "*"
    salt: bytes = b""
    hash_length: int = 12
    locale: str = "en_US"

    @classmethod
    def from_config(cls, mask_config: Any, salt: bytes) -> "Strategy":
        """From a :class:`piikit.config.MaskConfig` and the resolved salt."""
        m = mask_config
        return cls(m.strategy, m.redact_char, salt, m.hash_length, m.locale)

    def __repr__(self) -> str:  # never show the salt
        return f"Strategy(name={self.name!r}, redact_char={self.redact_char!r}, hash_length={self.hash_length}, locale={self.locale!r})"


def digest(strategy: Strategy, label: str, value: str) -> bytes:
    return hmac.new(strategy.salt, f"{label}\x1f{value}".encode("utf-8"), hashlib.sha256).digest()


class Replacer:
    """Turns ``(label, value)`` into the replacement text; one per worker (holds a Faker)."""

    def __init__(self, strategy: Strategy):
        if strategy.name not in STRATEGIES:
            raise ValueError(f"unknown strategy {strategy.name!r}")
        self.strategy = strategy
        self._faker = None
        self._cache: dict[tuple[str, str], str] = {}

    def __call__(self, label: str, value: str) -> str:
        s = self.strategy
        if s.name == "placeholder":
            return f"[{label}]"
        if s.name == "redact":
            return s.redact_char * len(value)
        if s.name == "hash":
            return f"[{label}_{digest(s, label, value).hex()[: s.hash_length]}]"
        key = (label, value)
        fake = self._cache.get(key)
        if fake is None:
            fake = self._pseudonym(label, value)
            if len(self._cache) > 100_000:  # bounded memory; values are recomputed identically
                self._cache.clear()
            self._cache[key] = fake
        return fake

    def _pseudonym(self, label: str, value: str) -> str:
        seed = int.from_bytes(digest(self.strategy, label, value)[:8], "big")
        gen = generator_for(label)
        if gen is None:
            return same_shape(value, random.Random(seed))
        if self._faker is None:
            from faker import Faker

            self._faker = Faker(self.strategy.locale, use_weighting=False)  # 10x faster names
        self._faker.seed_instance(seed)
        fake = str(gen(self._faker))
        if fake == value:  # never hand back the real value
            fake = same_shape(value, random.Random(seed + 1))
        return fake


def apply_spans(text: str, spans: Sequence[Span], replace: Callable[[str, str], str]) -> str:
    """``text`` with each (sorted, non-overlapping) span replaced by ``replace(label, value)``."""
    out: list[str] = []
    pos = 0
    for s in spans:
        out.append(text[pos : s.start])
        out.append(replace(s.label, text[s.start : s.end]))
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


def same_shape(value: str, rng: random.Random) -> str:
    """Letters → random letters (same case), digits → random digits, the rest kept."""
    out = []
    for ch in value:
        if ch.isdigit():
            out.append(rng.choice(string.digits))
        elif ch.isalpha():
            letter = rng.choice(string.ascii_lowercase)
            out.append(letter.upper() if ch.isupper() else letter)
        else:
            out.append(ch)
    fake = "".join(out)
    if fake == value and any(c.isalnum() for c in value):
        return same_shape(value, rng)
    return fake


def _date(f: Any) -> str:
    return f.date()


# Exact labels (ai4privacy, presidio, common NER names) → a Faker call.
_EXACT: dict[str, Callable[[Any], Any]] = {
    "FIRSTNAME": lambda f: f.first_name(),
    "MIDDLENAME": lambda f: f.first_name(),
    "LASTNAME": lambda f: f.last_name(),
    "FULLNAME": lambda f: f.name(),
    "NAME": lambda f: f.name(),
    "PERSON": lambda f: f.name(),
    "PREFIX": lambda f: f.prefix(),
    "USERNAME": lambda f: f.user_name(),
    "PASSWORD": lambda f: f.password(length=12),
    "EMAIL": lambda f: f.email(),
    "EMAIL_ADDRESS": lambda f: f.email(),
    "PHONENUMBER": lambda f: f.phone_number(),
    "PHONE_NUMBER": lambda f: f.phone_number(),
    "PHONEIMEI": lambda f: f.numerify("##-######-######-#"),
    "STREET": lambda f: f.street_name(),
    "STREET_ADDRESS": lambda f: f.street_address(),
    "ADDRESS": lambda f: f.address().replace("\n", ", "),
    "BUILDINGNUMBER": lambda f: f.building_number(),
    "SECONDARYADDRESS": lambda f: f.secondary_address(),
    "CITY": lambda f: f.city(),
    "COUNTY": lambda f: f.city(),
    "STATE": lambda f: f.state(),
    "ZIPCODE": lambda f: f.postcode(),
    "ZIP_CODE": lambda f: f.postcode(),
    "COUNTRY": lambda f: f.country(),
    "GPE": lambda f: f.city(),
    "LOCATION": lambda f: f.city(),
    "NEARBYGPSCOORDINATE": lambda f: f"[{f.latitude()},{f.longitude()}]",
    "IBAN": lambda f: f.iban(),
    "IBAN_CODE": lambda f: f.iban(),
    "BIC": lambda f: f.swift(),
    "ACCOUNTNUMBER": lambda f: f.bban(),
    "ACCOUNTNAME": lambda f: f"{f.word().title()} Account",
    "CREDITCARDNUMBER": lambda f: f.credit_card_number(),
    "CREDIT_CARD": lambda f: f.credit_card_number(),
    "CREDITCARDCVV": lambda f: f.credit_card_security_code(),
    "CREDITCARDISSUER": lambda f: f.credit_card_provider(),
    "MASKEDNUMBER": lambda f: f.credit_card_number(),
    "PIN": lambda f: f.numerify("####"),
    "SSN": lambda f: f.ssn(),
    "US_SSN": lambda f: f.ssn(),
    "IP": lambda f: f.ipv4(),
    "IPV4": lambda f: f.ipv4(),
    "IP_ADDRESS": lambda f: f.ipv4(),
    "IPV6": lambda f: f.ipv6(),
    "MAC": lambda f: f.mac_address(),
    "URL": lambda f: f.url(),
    "DOMAIN_NAME": lambda f: f.domain_name(),
    "USERAGENT": lambda f: f.user_agent(),
    "DATE": _date,
    "DOB": _date,
    "BIRTHDAY": _date,
    "DATE_TIME": _date,
    "TIME": lambda f: f.time(),
    "AGE": lambda f: str(f.random_int(18, 90)),
    "COMPANYNAME": lambda f: f.company(),
    "COMPANY": lambda f: f.company(),
    "ORGANIZATION": lambda f: f.company(),
    "JOBTITLE": lambda f: f.job(),
    "TITLE": lambda f: f.prefix(),
    "VEHICLEVIN": lambda f: f.bothify("?#?##?#?#########", letters="ABCDEFGHJKLMNPRSTUVWXYZ"),
    "VEHICLEVRM": lambda f: f.license_plate(),
    "BITCOINADDRESS": lambda f: f.bothify("1" + "?" * 33, letters="abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ123456789"),
    "ETHEREUMADDRESS": lambda f: "0x" + f.hexify("^" * 40),
    "LITECOINADDRESS": lambda f: f.bothify("L" + "?" * 33, letters="abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ123456789"),
}

# Otherwise the first keyword contained in the label decides (order matters: ZIP before IP).
_KEYWORDS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("EMAIL", _EXACT["EMAIL"]),
    ("CORREO", _EXACT["EMAIL"]),
    ("PHONE", _EXACT["PHONENUMBER"]),
    ("TELEFONO", _EXACT["PHONENUMBER"]),
    ("FAX", _EXACT["PHONENUMBER"]),
    ("ZIP", _EXACT["ZIPCODE"]),
    ("POSTCODE", _EXACT["ZIPCODE"]),
    ("IBAN", _EXACT["IBAN"]),
    ("STREET", _EXACT["STREET_ADDRESS"]),
    ("CALLE", _EXACT["STREET_ADDRESS"]),
    ("CITY", _EXACT["CITY"]),
    ("FIRSTNAME", _EXACT["FIRSTNAME"]),
    ("LASTNAME", _EXACT["LASTNAME"]),
    ("NOMBRE", _EXACT["NAME"]),
    ("NAME", _EXACT["NAME"]),
    ("DATE", _date),
    ("FECHA", _date),
    ("CREDIT", _EXACT["CREDITCARDNUMBER"]),
    ("COMPANY", _EXACT["COMPANY"]),
    ("HOSPITAL", _EXACT["COMPANY"]),
    ("INSTITU", _EXACT["COMPANY"]),
    ("COUNTRY", _EXACT["COUNTRY"]),
    ("PAIS", _EXACT["COUNTRY"]),
)


def generator_for(label: str) -> Callable[[Any], Any] | None:
    key = label.upper()
    if key in _EXACT:
        return _EXACT[key]
    for word, gen in _KEYWORDS:
        if word in key:
            return gen
    return None
