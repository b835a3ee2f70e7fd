"""Long synthetic documents: shape, PII share, tables, mixing with short rows."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piikit.synth import generator as synthetic
from piikit.data.schema import mask_text
from piikit.synth import packs
from piikit.data.validate import row_problems

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LANGUAGES = packs.available()  # every built-in pack
LONG_KINDS = ("case_report", "letter", "ticket", "minutes")
_NAME = re.compile(r"\{([A-Za-z0-9_]+)\}")


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_has_long_document_tables_whose_placeholders_resolve(code):
    pack = packs.load(code)
    tables = pack.long
    fillers = set(tables["terms"]) | set(synthetic.FILLERS) | set(pack.rows["fillers"])
    if tables["hospitals"]:  # {hospital}: names made from the language's formats
        fillers.add("hospital")
    assert set(tables["docs"]) == set(LONG_KINDS)
    for kind, parts in tables["docs"].items():
        assert set(parts) == set(packs.LONG_PARTS), kind
        for part, snippets in parts.items():
            assert snippets, (code, kind, part)
            for snippet in snippets:
                names = _NAME.findall(snippet)
                for name in names:
                    assert (name in synthetic.LABELS) if name.isupper() else (name in fillers), (code, kind, snippet)
                labels = [n for n in names if synthetic.label_of(n)]
                if part in ("prose", "sections"):
                    assert not labels, f"PII placeholder in {part}: {snippet!r}"
                if part == "pii":
                    assert labels, f"no PII placeholder in {part}: {snippet!r}"
            if part == "header":  # mostly data fields, a few that are not personal data ("Department: ...")
                with_pii = sum(synthetic.parse_snippet(s).n_spans > 0 for s in snippets)
                assert with_pii >= 0.7 * len(snippets), (code, kind, "header lines are mostly PII fields")


@FAST
@given(index=st.integers(0, 10**6), lo=st.integers(800, 3000), width=st.integers(500, 4000),
       share=st.tuples(st.floats(0.02, 0.2), st.floats(0.0, 0.2)))
def test_long_documents_keep_length_and_pii_share_in_the_configured_ranges(index, lo, width, share):
    langs = tuple(synthetic.build_language(c, 42) for c in LANGUAGES)
    chars, pii_share = (lo, lo + width), (share[0], share[0] + share[1] + 0.03)
    row = synthetic.make_long_row(index, 42, langs, chars, pii_share)
    text = row.source_text
    assert row_problems(row) == []
    assert row.target_text == mask_text(text, row.privacy_mask)
    for s in row.privacy_mask:
        assert text[s.start : s.end] == s.value and s.label in synthetic.LABELS
    assert chars[0] <= len(text) <= chars[1]
    pii = sum(s.end - s.start for s in row.privacy_mask) / len(text)
    assert pii_share[0] <= pii <= pii_share[1], (pii, pii_share)
    assert "\n\n" in text, "a long document has paragraphs"


def test_long_rows_mix_with_short_rows_by_ratio_without_changing_the_short_ones():
    plain = synthetic.generate(400, 7)
    mixed = synthetic.generate(400, 7, long_fraction=0.25, long_chars=(1000, 3000))
    long_ids = [r.id for r in mixed if len(r.source_text) >= 1000]
    assert 0.15 * 400 < len(long_ids) < 0.35 * 400
    by_id = {r.id: r for r in plain}
    short = [r for r in mixed if r.id not in long_ids]
    assert short and all(r.to_dict() == by_id[r.id].to_dict() for r in short), "short rows are the same stream"
    again = synthetic.generate(400, 7, long_fraction=0.25, long_chars=(1000, 3000))
    assert [r.to_dict() for r in again] == [r.to_dict() for r in mixed], "same seed, same documents"
    langs = {r.language for r in mixed if r.id in long_ids}
    assert langs == set(synthetic.DEFAULT_LANGUAGES), "every language writes long documents"


def test_long_documents_are_mostly_ordinary_words():
    rows = synthetic.generate(60, 3, long_fraction=1.0)
    text = sum(len(r.source_text) for r in rows)
    pii = sum(s.end - s.start for r in rows for s in r.privacy_mask)
    assert pii / text <= 0.15
    assert all(len(r.privacy_mask) >= 1 for r in rows)


@pytest.mark.parametrize(("override", "message"), [
    ("dataset.long_fraction=1.5", "dataset.long_fraction=1.5 must be between 0 and 1"),
    ("dataset.long_chars=[5000,1000]", "dataset.long_chars=[5000, 1000] must be [min, max]"),
    ("dataset.long_pii_share=[0,0.1]", "dataset.long_pii_share=[0.0, 0.1] must be [min, max]"),
])
def test_bad_long_document_settings_are_one_line_errors(compose, override, message):
    from piikit.errors import PiikitError

    with pytest.raises(Exception) as e:
        compose([override])
    chain, err = [], e.value
    while err is not None:  # Hydra wraps the PiikitError raised while building the typed config
        chain.append(err.one_line() if isinstance(err, PiikitError) else str(err))
        err = err.__cause__ or err.__context__
    assert any(message in c for c in chain), chain


def test_drug_names_are_drawn_as_written_and_capitalised():
    pools = synthetic.build_language("es", 42).pools
    assert "paracetamol" in pools["medication"] and "Paracetamol" in pools["medication"]
    assert len(pools["medication"]) == len(set(pools["medication"]))
