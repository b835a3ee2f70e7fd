"""Language packs: the generator's content is data (piikit/synth/packs), loaded and validated."""

from __future__ import annotations

import hashlib
import json

from piikit.synth import generator as synthetic

# sha256 of 3,000 rows of the default synthetic config (seed 42, long documents included),
# recorded from the Python tables before they moved to YAML packs: the move changed no byte
DIGEST_3000 = "34d7d861b10b1242e56a650cc8d8af46e69e624cadd083d0840927356a849590"


def _digest(rows) -> str:
    return hashlib.sha256("\n".join(json.dumps(r.to_dict(), ensure_ascii=False) for r in rows).encode()).hexdigest()


def test_default_config_rows_are_byte_identical_to_the_python_tables(compose):
    ds = compose(["dataset=synthetic"]).dataset
    assert ds.long_fraction > 0  # long documents are part of the digest
    rows = synthetic.generate(3000, ds.seed, ds.languages, long_fraction=ds.long_fraction,
                              long_chars=tuple(ds.long_chars), long_pii_share=tuple(ds.long_pii_share))
    assert sum(len(r.source_text) >= ds.long_chars[0] for r in rows) > 200
    assert _digest(rows) == DIGEST_3000


# ----------------------------------------------------------------------------- a user's pack
import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402

import pytest  # noqa: E402

from piikit.errors import PiikitError  # noqa: E402
from piikit.synth import packs  # noqa: E402

TINY_ROWS = """\
locale: en_GB
faker: {STATE: county}  # en_GB has counties, no states
words:
  PREFIX: [Sir, Dame]
  SEX: [female, male]
  GENDER: [woman, man]
  EYECOLOR: [grey]
  JOBAREA: [Cargo]
  JOBTYPE: [Mate]
  ACCOUNTNAME: [Sea Account]
  ORDINALDIRECTION: [North, South]
  COUNTY: [Kent]
fillers:
  weekday: [Moonday, Starday]
  fruit: [a plum, a pear]
months: [Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec]
date_formats: ["{d}/{m}/{y}"]
time_formats: ["{H:02d}.{M:02d}"]
ampm: [am, pm]
height_formats: ["{cm} cm"]
secondary_formats: ["Flat {n}"]
decimal: "."
thousands: ","
fields: {FIRSTNAME: Given name, EMAIL: Mail}
docs:
  email:
    head: ["Ahoy {FIRSTNAME},"]
    body: ["Ship {fruit} to {EMAIL} by {weekday}.", "Call {PHONENUMBER} at {TIME}."]
    tail: ["Yours, {PREFIX} {LASTNAME}"]
  form:
    head: [Tiny form]
  none:
    body: ["Nothing personal here.", "{fruit} is ripe."]
"""
TINY_LONG = """\
terms:
  fruit_kind: [stone fruit, pome]
docs:
  letter:
    title: ["Letter to {FIRSTNAME} {LASTNAME}"]
    prose: ["A plum is a {fruit_kind} and keeps for {count} days in a cool cellar, wrapped in paper, away from the light."]
    pii: ["{FIRSTNAME} {LASTNAME} of {CITY} wrote to {EMAIL} about it."]
    closing: ["Kind regards, {FIRSTNAME}"]
"""


def _pack(root, code="xx", rows=TINY_ROWS, long=TINY_LONG):
    d = root / code
    d.mkdir(parents=True)
    (d / "rows.yaml").write_text(rows)
    if long is not None:
        (d / "long.yaml").write_text(long)
    return d


def test_a_pack_directory_from_the_user_adds_a_language(tmp_path):
    d = str(_pack(tmp_path))
    assert "xx" in packs.available((d,)) and "xx" not in packs.available()
    rows = synthetic.generate(300, 5, ["xx"], long_fraction=0.1, long_chars=(300, 2000), extra_packs=[d])
    assert {r.language for r in rows} == {"xx"}
    text = "\n".join(r.source_text for r in rows)
    assert "Ahoy " in text and "Letter to " in text and "Given name: " in text  # short, long and form rows
    labels = {s.label for r in rows for s in r.privacy_mask}
    assert {"FIRSTNAME", "EMAIL", "DATE", "PREFIX"} <= labels  # {weekday} is a DATE span, PREFIX from words
    assert any(s.value in ("Moonday", "Starday") and s.label == "DATE" for r in rows for s in r.privacy_mask)
    assert "a plum" in text and not any(s.value == "a plum" for r in rows for s in r.privacy_mask)  # fillers are never spans


def test_dataset_packs_is_a_config_field_and_the_prepare_cache_key_covers_the_pack_files(compose, tmp_path):
    from piikit.stages.prepare import cache_key_material

    d = _pack(tmp_path)
    cfg = compose(["dataset=synthetic", f"dataset.packs=[{d}]", "dataset.languages=[xx]", "dataset.size=40"])
    assert cfg.dataset.packs == [str(d)]
    rows = synthetic.load(cfg.dataset)
    assert len(rows) == 40 and {r.language for r in rows} == {"xx"}
    before = cache_key_material(cfg)
    (d / "rows.yaml").write_text(TINY_ROWS.replace("Ahoy", "Ahoy there"))
    assert cache_key_material(cfg) != before  # editing a pack invalidates the prepared data
    # the built-in packs are part of the code fingerprint: every one of them lives under piikit/synth/
    assert all("piikit/synth/packs/" in f.as_posix() for f in packs.files())


@pytest.mark.parametrize(("rows", "long", "where", "problem"), [
    (TINY_ROWS.replace("{EMAIL} by", "{EMAILADDRESS} by"), TINY_LONG, "rows.yaml: docs.email.body[0]", "{EMAILADDRESS} is not a known label"),
    (TINY_ROWS.replace("{fruit} is ripe", "{fruits} is ripe"), TINY_LONG, "rows.yaml: docs.none.body[1]", "{fruits} is not a defined filler or term"),
    (TINY_ROWS, TINY_LONG.replace("{fruit_kind}", "{kind_of_fruit}"), "long.yaml: docs.letter.prose[0]", "{kind_of_fruit} is not a defined filler or term"),
    (TINY_ROWS.replace("fields:", "feilds:"), TINY_LONG, "rows.yaml: feilds", "unknown key"),
    (TINY_ROWS.replace("months: [Jan,", "months: [Jan, Jan,"), TINY_LONG, "rows.yaml: months", "has 13 names, not 12"),
    (TINY_ROWS.replace('["{d}/{m}/{y}"]', '["{day}/{m}/{y}"]'), TINY_LONG, "rows.yaml: date_formats[0]", "unknown field {day}"),
    (TINY_ROWS.replace("  PREFIX: [Sir, Dame]", "  TITLE: [Sir, Dame]"), TINY_LONG, "rows.yaml: words.TITLE", "not a known label"),
    (TINY_ROWS.replace("locale: en_GB\n", ""), TINY_LONG, "rows.yaml: locale", "missing"),
    (TINY_ROWS.replace("  EYECOLOR: [grey]\n", ""), TINY_LONG, "rows.yaml: words", "no values for EYECOLOR"),
    (TINY_ROWS.replace("{STATE: county}", "{STATE: no_such_method}"), TINY_LONG, "rows.yaml: faker.STATE", "has no method 'no_such_method'"),
    (TINY_ROWS.replace("ampm: [am, pm]", "ampm: [am, pm"), TINY_LONG, "rows.yaml line", "not valid YAML"),
    (TINY_ROWS, TINY_LONG.replace("    closing:", "    ending:"), "long.yaml: ending", "unknown key"),
])
def test_a_broken_pack_is_one_line_naming_the_file_and_the_key(tmp_path, rows, long, where, problem):
    d = str(_pack(tmp_path, rows=rows, long=long))
    with pytest.raises(PiikitError) as e:
        synthetic.generate(5, 1, ["xx"], extra_packs=[d])
    line = e.value.one_line()
    assert "\n" not in line and str(tmp_path) in line and where in line and problem in line, line


def test_pack_errors_reach_the_command_line_as_exit_2(cli, tmp_path):
    d = _pack(tmp_path / "packs", rows=TINY_ROWS.replace("{EMAIL} by", "{EMAILADDRESS} by"))
    r = cli("stages=[prepare]", f"dataset.packs=[{d}]", "dataset.languages=[xx]", "dataset.size=20")
    assert r.returncode == 2, r.stderr[-2000:]
    assert f"{d}/rows.yaml: docs.email.body[0]: {{EMAILADDRESS}} is not a known label" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_pack_must_not_redefine_a_language_or_miss_its_rows(tmp_path):
    with pytest.raises(PiikitError, match=r"defines language 'en', which .* already defines"):
        synthetic.generate(5, 1, ["en"], extra_packs=[str(_pack(tmp_path, code="en"))])
    (tmp_path / "empty").mkdir()
    with pytest.raises(PiikitError, match="is not a language pack"):
        synthetic.generate(5, 1, ["en"], extra_packs=[str(tmp_path / "empty")])


def test_term_keys_are_one_english_vocabulary():
    # the same kind of list has the same name in every pack (no "befund", "examen", "medida", "prueba_sigla")
    for code in packs.available():
        pack = packs.load(code)
        names = set(pack.rows["fillers"]) | set((pack.long or {}).get("terms", {}))
        for name in names:
            assert name.isascii() and name == name.lower(), (code, name)
        assert not names & {"befund", "examen", "medida", "prueba_sigla", "enfermedad_sigla", "farmaco", "wirkstoff"}, code
    shared = {"lesion_size", "test_abbr", "disease_abbr", "panel"}
    assert all(shared <= set(packs.load(c).long["terms"]) for c in synthetic.DEFAULT_LANGUAGES)


def test_packs_load_lazily_and_parse_with_the_c_loader():
    code = textwrap.dedent("""
        import sys
        import piikit, piikit.cli, piikit.config, piikit.plugins
        piikit.plugins.listing()
        print(sorted(m for m in sys.modules if m.startswith("piikit.synth")))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"  # neither the generator nor its packs load before data is generated
    import yaml

    assert hasattr(yaml, "CSafeLoader")  # libyaml: the packs (~500 KB) parse in well under a second


def test_polish_is_a_pack_of_data_only_with_every_label_in_short_rows_and_long_documents():
    pl = packs.load("pl")
    assert sorted(p.name for p in pl.path.iterdir()) == ["long.yaml", "rows.yaml"]  # no Python
    assert "pl" in packs.available() and "pl" not in synthetic.DEFAULT_LANGUAGES  # named in dataset.languages, like a user's pack
    rows = synthetic.generate(3000, 42, ["pl"], long_fraction=0.1)
    assert {r.language for r in rows} == {"pl"}
    assert {s.label for r in rows for s in r.privacy_mask} == set(synthetic.LABELS)
    long = [r for r in rows if len(r.source_text) >= 1000]
    assert len(long) > 200 and all(r.privacy_mask for r in long)
    assert any("Pacjent" in r.source_text for r in long) and any("Zgłoszenie" in r.source_text for r in rows)
    assert len({r.source_text for r in rows}) > 0.97 * len(rows)


def test_the_crf_trims_every_pack_s_edge_words_from_predicted_spans():
    from piikit.data.schema import Span
    from piikit.tuners.crf.tuner import trim_spans

    text = "Umowę podpisuje oraz Anna Kowalska"
    (span,) = trim_spans(text, [Span(16, len(text), "FIRSTNAME", text[16:])])  # "oraz" is in pl/rows.yaml edge_words
    assert span.value == "Anna Kowalska"
    text = "a letter by Anna Smith"
    (span,) = trim_spans(text, [Span(9, len(text), "FIRSTNAME", text[9:])])  # "by": en/rows.yaml
    assert span.value == "Anna Smith"


def test_every_built_in_pack_file_reads_the_same_with_the_pure_python_yaml_loader():
    import yaml

    for f in packs.files():  # where libyaml is missing, packs.py falls back to yaml.SafeLoader
        text = f.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=yaml.SafeLoader) == yaml.load(text, Loader=yaml.CSafeLoader), f
