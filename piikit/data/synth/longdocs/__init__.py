"""Tables for long synthetic documents: one module per language (``longdocs/<lang>.py``).

Real inputs are often long documents that are mostly ordinary prose with a few identifiers
(case reports, letters, support tickets, meeting minutes). Short PII-dense rows teach a model
that nearly every capitalised word is PII; these documents teach it what to leave alone:
domain vocabulary (drug and disease names, legal and financial terms, product names, error
codes), measurements, counts and durations, capitalised section titles.

Each language module defines two plain tables (no code paths):

- ``TERMS``: name -> list of non-PII words or phrases for ``{lowercase}`` placeholders (filled
  in, never labelled). Besides a module's own names, snippets may use the shared fillers of
  :data:`piikit.data.synthetic.FILLERS` (``count``, ``drug``, ``condition``, ``code``,
  ``measure``, ``product``, ``term``, ``work``, ``error``, ``version``, ``ticketno``) and the language's short-row ``FILLERS``.
- ``ALSO_CAPITALISED`` (optional): names of TERMS lists drawn both as written and capitalised
  (drug names: ``paracetamol`` and ``Paracetamol``).
- ``HOSPITALS`` (optional): formats of hospital and health-centre names (``"Hospital General de
  {CITY}"``, filled from the language's CITY/FIRSTNAME/LASTNAME pools) for ``{hospital}``
  placeholders, which are COMPANYNAME spans (see ``synthetic.LABELLED_FILLERS``, which also
  lists the labelled word lists such as ``sex_noun``).
- ``DOCS``: kind -> parts, every part a list of snippets. ``{UPPERCASE}`` placeholders are PII
  labels from :data:`piikit.data.synthetic.LABELS` (spans); ``{lowercase}`` ones are TERMS.

  ============  =================================================================================
  part          what it holds
  ============  =================================================================================
  ``title``     the first line (may contain PII)
  ``header``    ``Caption: {LABEL}`` lines for an optional data block under the title
  ``sections``  section headings that may open a paragraph (no PII)
  ``prose``     sentences without PII: the bulk of a document
  ``pii``       sentences with one to three PII placeholders amid ordinary words
  ``closing``   sign-off lines (may contain PII)
  ============  =================================================================================

Kinds: ``case_report`` (medical), ``letter`` (legal / official / insurance), ``ticket``
(technical support thread), ``minutes`` (meeting notes, business and finance). How the
generator assembles a document from these parts: :func:`piikit.data.synthetic.make_long_row`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

KINDS = ("case_report", "letter", "ticket", "minutes")
PARTS = ("title", "header", "sections", "prose", "pii", "closing")


def tables(code: str) -> ModuleType:
    return importlib.import_module(f"piikit.data.synth.longdocs.{code}")
