"""``tuner=rules``: a regex + checksum baseline that needs no training.

It finds the PII that has a *shape* — e-mail addresses, URLs, IP and MAC addresses, IBANs
(ISO 13616 mod-97 check), credit-card numbers (Luhn check), phone numbers, dates, times, US
SSNs, crypto addresses, GPS coordinates, VINs, BICs, user agents — and replaces it with
ai4privacy labels (``[EMAIL]``, ``[IBAN]``, ...). Names, streets and cities have no shape, so
its recall on those is zero by design: it is the floor a trained model must beat.

Overlaps are resolved by rule order (listed first wins), then by length.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Callable, Iterator, Optional, Sequence

from piikit.config import TunerConfig
from piikit.tuners.simple import NoTraining
from piikit.data.schema import Prediction, Row, Span, mask_text
from piikit.errors import PiikitError

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_COUNTRIES = set(
    "AD AE AT AU BE BG BH BR CA CH CN CY CZ DE DK EE ES FI FR GB GI GR HK HR HU IE IL IN IS IT JP KR KW "
    "LI LT LU LV MC MT MX NL NO NZ PL PT QA RO RS SA SE SG SI SK SM TR UA US ZA".split()
)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_ok(value: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters → 10..35, mod 97 == 1."""
    s = value.replace(" ", "").upper()
    if not 15 <= len(s) <= 34 or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    rearranged = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _card_ok(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    return 13 <= len(digits) <= 19 and luhn_ok(digits)


def _ipv6_ok(value: str) -> bool:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return value.count(":") >= 2


def _phone_ok(value: str) -> bool:
    digits = sum(ch.isdigit() for ch in value)
    return 7 <= digits <= (15 if value.startswith("+") else 11)


def _date_ok(value: str) -> bool:
    nums = [int(x) for x in re.findall(r"\d+", value)]
    if len(nums) != 3:
        return True  # month-name dates: the regex is specific enough
    if nums[0] > 31:  # ISO: yyyy-mm-dd
        return 1 <= nums[1] <= 12 and 1 <= nums[2] <= 31
    return (1 <= nums[0] <= 31 and 1 <= nums[1] <= 31) and (nums[0] <= 12 or nums[1] <= 12)


def _bic_ok(value: str) -> bool:
    return value[4:6] in _COUNTRIES and not value.isalpha() or (value[4:6] in _COUNTRIES and len(value) == 11)


def _vin_ok(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= 3 and sum(ch.isalpha() for ch in value) >= 3


# (label, pattern, validator) — order is priority
RULES: list[tuple[str, re.Pattern[str], Optional[Callable[[str], bool]]]] = [
    ("URL", re.compile(r"\b(?:https?://|www\.)[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]"), None),
    ("EMAIL", re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"), None),
    ("USERAGENT", re.compile(r"\bMozilla/\d\.\d \([^)]*\)(?: [A-Za-z]+/[\w.]+(?: \([^)]*\))?)*"), None),
    ("ETHEREUMADDRESS", re.compile(r"\b0x[a-fA-F0-9]{40}\b"), None),
    ("IBAN", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"), iban_ok),
    ("CREDITCARDNUMBER", re.compile(r"\b\d(?:[ -]?\d){12,18}\b"), _card_ok),
    ("MAC", re.compile(r"\b[0-9A-Fa-f]{2}(?:([:-])[0-9A-Fa-f]{2})(?:\1[0-9A-Fa-f]{2}){4}\b"), None),
    ("IPV6", re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])"), _ipv6_ok),
    ("IPV4", re.compile(r"\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b"), None),
    ("BITCOINADDRESS", re.compile(r"\b(?:bc1[a-z0-9]{25,39}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b"), None),
    ("LITECOINADDRESS", re.compile(r"\b[LM][a-km-zA-HJ-NP-Z1-9]{26,33}\b"), _vin_ok),
    ("VEHICLEVIN", re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b"), _vin_ok),
    ("NEARBYGPSCOORDINATE", re.compile(r"-?\d{1,2}\.\d{3,},\s?-?\d{1,3}\.\d{3,}"), None),
    ("SSN", re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), None),
    ("DATE", re.compile(
        rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"
        rf"|(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?:{_MONTHS})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?\s+\d{{4}})\b"), _date_ok),
    ("TIME", re.compile(r"\b(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?[AaPp]\.?[Mm]\b\.?)?"), None),
    ("PHONENUMBER", re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){1,4}(?:\s?(?:x|ext\.?)\s?\d{1,5})?\b"), _phone_ok),
    ("BIC", re.compile(r"\b[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b"), _bic_ok),
]
LABELS = tuple(label for label, _, _ in RULES)


def find_spans(text: str, labels: Sequence[str] | None = None) -> list[Span]:
    """Non-overlapping PII spans in ``text`` found by the rules (optionally only ``labels``)."""
    wanted = set(labels) if labels else None
    taken: list[tuple[int, int]] = []
    spans: list[Span] = []
    for label, pattern, check in RULES:
        if wanted is not None and label not in wanted:
            continue
        for m in pattern.finditer(text):
            a, b = m.span()
            value = m.group()
            if check is not None and not check(value):
                continue
            if any(a < e and s < b for s, e in taken):
                continue
            taken.append((a, b))
            spans.append(Span(a, b, label, value))
    return sorted(spans, key=lambda s: s.start)


@dataclass
class RulesConfig(TunerConfig):
    name: str = "rules"
    labels: Optional[list[str]] = None  # only these rules, e.g. [EMAIL,IBAN]; default: all

    def __post_init__(self) -> None:
        for label in self.labels or ():
            if label not in LABELS:
                from piikit.errors import did_you_mean

                err = did_you_mean("rules label", label, list(LABELS))
                raise PiikitError(f"tuner.labels: {err.message}", err.hint)


class RulesTuner(NoTraining):
    """Regex/checksum baseline: no training, deterministic."""

    def predict(self, rows: Sequence[Row]) -> Iterator[Prediction]:
        for row in rows:
            spans = find_spans(row.source_text, self.config.labels)
            yield Prediction(id=row.id, prediction=mask_text(row.source_text, spans), spans=spans)
