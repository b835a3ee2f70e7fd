"""Data tables for the synthetic generator: one module per language.

Each language module defines plain tables (no code paths), so extending the generator means
adding rows to tables or a new module listed in :data:`LANGUAGES`:

- ``LOCALE``: the Faker locale that fills the value pools.
- ``FAKER``: label -> Faker method name, overriding :data:`piikit.data.synthetic.FAKER_METHODS`.
- ``FAKER_SORT``: Faker provider list attributes to sort first (Faker builds some from sets,
  whose order changes with ``PYTHONHASHSEED``; sorting keeps rows byte-identical).
- ``WORDS``: label -> list of localised values sampled as-is (eye colours, genders, ...).
- ``MONTHS``, ``DATE_FORMATS``, ``TIME_FORMATS``, ``HEIGHT_FORMATS``, ``SECONDARY_FORMATS``,
  ``DECIMAL``/``THOUSANDS``: how values are written in that language.
- ``AGE_WORDS``: ages written out (``seventeen``), a share of the ``AGE`` values.
- ``FIELDS``: label -> form caption (``First name``); used to build form rows.
- ``FILLERS``: name -> non-PII words for ``{lowercase}`` placeholders (filled in, never
  labelled: hard negatives and variety).
- ``DOCS``: document kind -> ``{"head": [...], "body": [...], "tail": [...]}`` snippets with
  ``{LABEL}`` placeholders (PII spans) and ``{filler}`` placeholders. A row is an optional head, 1+ bodies and an optional tail of one
  kind (see ``KINDS`` in ``synthetic.py``). Kind ``none`` holds snippets without PII.
"""

from __future__ import annotations

import importlib
from types import ModuleType

LANGUAGES = ("en", "de", "fr", "es", "it", "nl")


def language(code: str) -> ModuleType:
    return importlib.import_module(f"piikit.data.synth.{code}")
