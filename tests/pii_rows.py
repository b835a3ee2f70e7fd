"""A tiny, seeded generator of PII rows with exact spans, for tuner tests.

Independent of piikit's own synthetic dataset on purpose: tests of the tagger should not break
(or pass by accident) when the dataset generator changes.
"""

from __future__ import annotations

import random

from faker import Faker

from piikit.data.schema import Row, Span, mask_text

TEMPLATES = {
    "en": [
        "Hi {FIRSTNAME}, please send the invoice to {EMAIL} before Friday.",
        "Call {FIRSTNAME} {LASTNAME} on {PHONENUMBER} about the contract.",
        "The refund goes to IBAN {IBAN}, account holder {FIRSTNAME} {LASTNAME}.",
        "Our records show {LASTNAME} registered with {EMAIL} last year.",
        "Please confirm the phone number {PHONENUMBER} for {FIRSTNAME}.",
    ],
    "de": [
        "Hallo {FIRSTNAME}, bitte schicken Sie die Rechnung an {EMAIL}.",
        "Rufen Sie {FIRSTNAME} {LASTNAME} unter {PHONENUMBER} an.",
        "Die Erstattung geht auf das Konto {IBAN} von {LASTNAME}.",
    ],
    "fr": [
        "Bonjour {FIRSTNAME}, merci d'écrire à {EMAIL} avant lundi.",
        "Appelez {FIRSTNAME} {LASTNAME} au {PHONENUMBER} demain.",
        "Le virement part du compte {IBAN} au nom de {LASTNAME}.",
    ],
}
LOCALES = {"en": "en_GB", "de": "de_DE", "fr": "fr_FR"}


def _value(fake: Faker, label: str) -> str:
    return {
        "FIRSTNAME": fake.first_name,
        "LASTNAME": fake.last_name,
        "EMAIL": fake.email,
        "PHONENUMBER": fake.phone_number,
        "IBAN": fake.iban,
    }[label]()


def make_rows(n: int, seed: int = 0, languages=("en", "de", "fr"), labels: set[str] | None = None) -> list[Row]:
    """``n`` rows; ``labels`` limits which placeholders become spans (the rest stay text)."""
    rng = random.Random(seed)
    fakers = {lang: Faker(LOCALES[lang]) for lang in languages}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(seed * 100 + i)
    rows = []
    for i in range(n):
        lang = languages[i % len(languages)]
        template = rng.choice(TEMPLATES[lang])
        text, spans, pos = "", [], 0
        for part in template.replace("}", "{").split("{"):
            if part.isupper() and part.isalpha():
                value = _value(fakers[lang], part)
                if labels is None or part in labels:
                    spans.append(Span(len(text), len(text) + len(value), part, value))
                text += value
            else:
                text += part
        rows.append(Row(id=f"r{seed}-{i}", source_text=text, target_text=mask_text(text, spans), privacy_mask=spans, language=lang))
    return rows


def overlap_f1(rows: list[Row], predicted: list[list[Span]]) -> float:
    """Type-agnostic span F1: a span counts as found when it overlaps one on the other side."""
    tp_p = n_p = tp_g = n_g = 0
    for row, pred in zip(rows, predicted):
        gold = row.privacy_mask
        n_p += len(pred)
        n_g += len(gold)
        tp_p += sum(any(p.start < g.end and g.start < p.end for g in gold) for p in pred)
        tp_g += sum(any(p.start < g.end and g.start < p.end for p in pred) for g in gold)
    precision = tp_p / n_p if n_p else 0.0
    recall = tp_g / n_g if n_g else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def spans_of(src: str, *pairs: tuple[str, str]) -> list[Span]:
    """Spans for ``(value, label)`` pairs, found in ``src`` in order."""
    out, pos = [], 0
    for value, label in pairs:
        start = src.index(value, pos)
        out.append(Span(start, start + len(value), label, value))
        pos = start + len(value)
    return out
