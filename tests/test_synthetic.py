"""The synthetic generator: exact spans, determinism, coverage."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piikit.synth import generator as synthetic
from piikit.data.schema import mask_text
from piikit.synth import packs
from piikit.data.validate import row_problems
from piikit.errors import PiikitError

LANGUAGES = packs.available()  # every built-in pack
SEEDS = st.sampled_from([42, 2**31 + 5])  # pools are built once per seed (~2 s): keep the set small
LANG_SETS = st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=6, unique=True)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _digest(rows) -> str:
    return hashlib.sha256("\n".join(json.dumps(r.to_dict(), ensure_ascii=False) for r in rows).encode()).hexdigest()


@FAST
@given(seed=SEEDS, index=st.integers(0, 10**7), langs=LANG_SETS)
def test_every_span_points_at_its_value_and_target_is_masked_source(seed, index, langs):
    langs_built = tuple(synthetic.build_language(c, seed) for c in langs)
    row = synthetic.make_row(index, seed, langs_built)
    assert row_problems(row) == []
    for s in row.privacy_mask:
        assert row.source_text[s.start : s.end] == s.value
        assert s.value == s.value.strip() and s.value
        assert s.label in synthetic.LABELS
    assert row.target_text == mask_text(row.source_text, row.privacy_mask)
    assert 0 <= len(row.privacy_mask) <= synthetic.MAX_SPANS
    assert row.language in langs


@FAST
@given(seed=SEEDS, size=st.integers(1, 40), start=st.integers(0, 10**6))
def test_same_seed_same_rows_and_rows_are_order_independent(seed, size, start):
    a = synthetic.generate(size, seed)
    b = synthetic.generate(size, seed)
    assert [r.to_dict() for r in a] == [r.to_dict() for r in b]
    langs = tuple(synthetic.build_language(c, seed) for c in LANGUAGES)
    # row i does not depend on the rows generated before it
    forward = [synthetic.make_row(i, seed, langs) for i in range(start, start + 5)]
    backward = [synthetic.make_row(i, seed, langs) for i in reversed(range(start, start + 5))][::-1]
    assert [r.to_dict() for r in forward] == [r.to_dict() for r in backward]


def test_different_seeds_give_different_rows():
    assert _digest(synthetic.generate(50, 42)) != _digest(synthetic.generate(50, 2**31 + 5))


def test_byte_identical_across_processes():
    """A fresh interpreter (other hash seed, empty caches) produces the same bytes."""
    code = (
        "import hashlib, json; from piikit.synth import generator as synthetic; "
        "rows = synthetic.generate(300, 42, ['en', 'it']); "
        "print(hashlib.sha256('\\n'.join(json.dumps(r.to_dict(), ensure_ascii=False) for r in rows).encode()).hexdigest())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONHASHSEED": "123", "PATH": ""}, check=True)
    assert out.stdout.strip() == _digest(synthetic.generate(300, 42, ["en", "it"]))  # it: Faker's set-built city list


def test_coverage_labels_languages_kinds_and_span_counts():
    rows = synthetic.generate(3000, 42)
    labels = Counter(s.label for r in rows for s in r.privacy_mask)
    assert len(labels) >= 40
    assert set(labels) == set(synthetic.LABELS)  # all 56 ai4privacy labels occur
    assert {r.language for r in rows} == set(synthetic.DEFAULT_LANGUAGES) == {"en", "de", "fr", "es", "it", "nl"}
    n_spans = Counter(len(r.privacy_mask) for r in rows)
    assert n_spans[0] > 0  # some rows have no PII
    assert max(n_spans) == synthetic.MAX_SPANS == 8
    assert len({r.source_text for r in rows}) > 0.97 * len(rows)  # varied, few duplicates
    assert [r.id for r in rows[:3]] == ["0", "1", "2"]


def test_english_has_every_kind_and_new_labels():
    assert set(packs.load("en").rows["docs"]) == set(synthetic.KINDS)
    rows = synthetic.generate(400, 3, ["en"])
    labels = {s.label for r in rows for s in r.privacy_mask}
    assert set(synthetic.EXTRA_LABELS) <= labels  # COUNTRY, NATIONALITY, ADDRESS occur
    assert any(r.source_text == r.source_text.lower() and r.privacy_mask for r in rows)  # lower-case noise
    for r in rows:
        for s in r.privacy_mask:
            assert r.source_text[s.start : s.end] == s.value


@pytest.mark.parametrize("code", LANGUAGES)
def test_language_tables_are_complete(code):
    t = packs.load(code).rows
    built = synthetic.build_language(code, 42)
    assert set(synthetic.LABELS) <= set(built.pools)
    assert all(built.pools[label] for label in synthetic.LABELS), "every label has values"
    # the ai4privacy-style kinds everywhere; prose kinds (narrative, dialogue, ...) where defined
    assert {"email", "chat", "form", "medical", "hr", "finance", "support", "none"} <= set(t["docs"]) <= set(synthetic.KINDS)
    assert set(built.kinds) == set(t["docs"]) and len(built.weights) == len(built.kinds)
    used = set()
    for kind, parts in built.docs.items():
        for part, snippets in parts.items():
            for literals, names, n_spans in snippets:
                labels = [synthetic.label_of(n) for n in names if synthetic.label_of(n)]
                assert n_spans == len(labels) <= synthetic.MAX_SPANS
                assert set(labels) <= set(synthetic.LABELS), (code, kind, labels)
                assert all(n in built.pools for n in names), (code, kind, names)
                if kind == "none":
                    assert not labels
                used |= set(labels)
    assert len(used) >= 40, sorted(set(synthetic.LABELS) - used)


def test_languages_restrict_the_mix_and_unknown_language_is_an_error():
    rows = synthetic.generate(200, 3, languages=["de", "nl"])
    assert {r.language for r in rows} == {"de", "nl"}
    with pytest.raises(PiikitError) as e:
        synthetic.generate(5, 3, languages=["xx"])
    assert e.value.one_line().startswith("synthetic data has no language 'xx' — use some of: de, en, es, fr, it, nl")


@pytest.mark.parametrize("code", LANGUAGES)
def test_ages_are_digits_and_words(code):
    ages = synthetic.build_language(code, 42).pools["AGE"]
    words = [a for a in ages if not a.isdigit()]
    assert words and set(words) <= set(packs.load(code).rows["age_words"])
    assert 0.1 < len(words) / len(ages) < 0.35, "mostly digits, some written out"


def _template_text(built) -> list[str]:
    """The literal text of every short-row and long-document snippet of a built language."""
    texts = [lit for parts in (*built.docs.values(), *built.long.values()) for group in parts.values()
             for snippet in group for lit in snippet.literals]
    assert texts
    return texts


@pytest.mark.parametrize("code", LANGUAGES)
def test_home_countries_are_a_share_of_country_values_and_never_template_text(code):
    home = packs.load(code).rows["home_countries"]
    built = synthetic.build_language(code, 42)
    countries = built.pools["COUNTRY"]
    share = sum(c in home for c in countries) / len(countries)
    assert synthetic.HOME_SHARE <= share < synthetic.HOME_SHARE + 0.05, share
    # a country written into a template's own text would be taught as "not PII"
    pattern = re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, home)))
    offenders = [lit for lit in _template_text(built) if pattern.search(lit)]
    assert not offenders, offenders


def test_a_weekday_is_labelled_as_a_date_and_never_left_unmasked():
    rows = synthetic.generate(600, 42, languages=["en"])
    weekdays = set(packs.load("en").rows["fillers"]["weekday"])
    dated = [s for r in rows for s in r.privacy_mask if s.value in weekdays]
    assert dated and {s.label for s in dated} == {"DATE"}
    left = re.compile(r"\b(?:%s)\b" % "|".join(weekdays))
    for r in rows:  # a weekday never stays in a row's masked text
        assert not left.search(r.target_text), r.target_text


@pytest.mark.parametrize("code", LANGUAGES)
def test_templates_never_write_a_weekday_as_plain_text(code):
    weekdays = packs.load(code).rows["fillers"]["weekday"]
    pattern = re.compile(r"\b(?:%s)\b" % "|".join(weekdays), re.IGNORECASE)
    offenders = [lit for lit in _template_text(synthetic.build_language(code, 42)) if pattern.search(lit)]
    assert not offenders, offenders  # a weekday is a DATE: write {weekday}


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_placeholder_in_a_template_is_filled(code):
    # a placeholder the parser does not recognise ("{test_abbr}" once) stays as literal text
    offenders = [lit for lit in _template_text(synthetic.build_language(code, 42)) if "{" in lit or "}" in lit]
    assert not offenders, offenders


def test_labelled_word_lists_become_spans_of_their_label():
    # sex words agree with their sentence, hospital names are organisations: all of them PII spans, never plain text the model learns to keep
    rows = synthetic.generate(400, 42, languages=["es"], long_fraction=1.0)
    spans = [s for r in rows for s in r.privacy_mask]
    sex = {s.value for s in spans if s.label == "SEX"}
    assert {"Mujer", "Varón", "femenina"} <= sex
    assert any(s.label == "COMPANYNAME" and s.value.startswith(("Hospital ", "Clínica ", "Centro de Salud ")) for s in spans)
    built = synthetic.build_language("es", 42)
    assert len(built.pools["hospital"]) == synthetic.POOL_SIZE
    assert all(h.split()[0] in ("Hospital", "Clínica", "Complejo", "Centro") for h in built.pools["hospital"])
