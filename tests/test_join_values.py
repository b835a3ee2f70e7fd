"""``tuner.join_values``: one span per value, for any tuner, in the tune stage and when masking."""

from __future__ import annotations

import json

import pytest

from mask_support import mask_plugin, train_model  # noqa: F401 (mask_plugin: autouse, registers the test tuner)
from piikit.data.schema import Span, join_values
from piikit.mask.masker import mask_batch
from piikit.mask.strategies import Strategy
from piikit.model import load_model, resolve_model
from piikit.pipeline import make_context
from pii_rows import spans_of


def joined(text: str, *parts: tuple[str, str]) -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in join_values(text, spans_of(text, *parts))]


def test_a_names_parts_become_one_name():
    text = "Médico:  Ignacio  Navarro Cuéllar, NºCol"
    assert joined(text, ("Ignacio", "FIRSTNAME"), ("Navarro Cuéllar", "LASTNAME")) == [("Ignacio  Navarro Cuéllar", "NAME")]
    text = "Anna Maria Weber"
    assert joined(text, ("Anna", "FIRSTNAME"), ("Maria", "MIDDLENAME"), ("Weber", "LASTNAME")) == [("Anna Maria Weber", "NAME")]
    # one kind of part keeps its label
    assert joined("Anna Maria", ("Anna", "FIRSTNAME"), ("Maria", "FIRSTNAME")) == [("Anna Maria", "FIRSTNAME")]


@pytest.mark.parametrize("text", ["Ana\nLópez", "Ana   López", "Ana, López", "Ana y López"])
def test_name_parts_apart_stay_apart(text):
    assert joined(text, ("Ana", "FIRSTNAME"), ("López", "LASTNAME")) == [("Ana", "FIRSTNAME"), ("López", "LASTNAME")]


def test_an_address_lines_parts_become_one_address():
    text = "Domicilio: Calle del Pez, 28  5 B, 28004 Madrid"
    assert joined(text, ("Calle del Pez", "STREET"), ("28", "BUILDINGNUMBER"), ("5 B", "SECONDARYADDRESS"),
                  ("28004", "ZIPCODE"), ("Madrid", "CITY")) == [
        ("Calle del Pez, 28  5 B", "ADDRESS"), ("28004", "ZIPCODE"), ("Madrid", "CITY")]  # the town is a value of its own
    assert joined("12 Elm St", ("12", "BUILDINGNUMBER"), ("Elm St", "STREET")) == [("12 Elm St", "ADDRESS")]


@pytest.mark.parametrize("text", ["Elm St\n12", "Elm St; 12", "Elm St,12", "Elm St ,  12", "Elm St y 12"])
def test_address_parts_apart_stay_apart(text):
    assert joined(text, ("Elm St", "STREET"), ("12", "BUILDINGNUMBER")) == [("Elm St", "STREET"), ("12", "BUILDINGNUMBER")]


def test_a_number_cut_at_a_space_is_one_number():
    text = "NASS 26 37482910 04, tel. 956 203 145"
    assert joined(text, ("26 37482910", "SSN"), ("04", "BUILDINGNUMBER"), ("956", "ZIPCODE"), ("203 145", "PHONENUMBER")) == [
        ("26 37482910 04", "SSN"), ("956 203 145", "PHONENUMBER")]
    # numbers two spaces or a comma apart, and a number next to a word, stay apart
    for text in ("26  04", "26, 04", "26 B4"):
        second = text[-2:]
        assert len(joined(text, ("26", "SSN"), (second, "BUILDINGNUMBER"))) == 2


def test_pieces_of_one_word_join_under_the_label_covering_most():
    text = "mail dcrespo@fhalcorcon.es now"
    assert joined(text, ("dcrespo", "FIRSTNAME"), ("@fhalcorcon.es", "EMAIL")) == [("dcrespo@fhalcorcon.es", "EMAIL")]
    text = "NHC 5347636/301."
    assert joined(text, ("5347636", "AMOUNT"), ("/", "PHONENUMBER"), ("301", "AMOUNT")) == [("5347636/301", "AMOUNT")]


def test_other_values_side_by_side_stay_apart_and_overlaps_merge():
    text = "28016 Madrid España"
    assert joined(text, ("28016", "ZIPCODE"), ("Madrid", "CITY"), ("España", "COUNTRY")) == [
        ("28016", "ZIPCODE"), ("Madrid", "CITY"), ("España", "COUNTRY")]
    text = "Hotel Mayor 5"
    spans = [Span(0, 11, "COMPANYNAME", "Hotel Mayor"), Span(6, 13, "ADDRESS", "Mayor 5")]
    assert [(s.value, s.label) for s in join_values(text, spans)] == [("Hotel Mayor 5", "COMPANYNAME")]
    assert join_values("x", []) == []


def test_a_model_saved_with_join_values_masks_names_whole(tmp_path, compose):
    """The setting is saved with the model, so the tune stage and every later mask agree."""
    texts = ["Please call Dagny Osgood about it", "Dagny wrote, Osgood too"]
    outs = {}
    for join in (False, True):
        run = train_model(tmp_path / f"join-{join}", join_values=join)
        cfg = compose()
        model = load_model(resolve_model(str(run), cfg.tuner, make_context(cfg, run)))
        outs[join] = mask_batch(texts, model, Strategy("placeholder"))
    assert outs[False].masked == ["Please call [FIRSTNAME] [LASTNAME] about it", "[FIRSTNAME] wrote, [LASTNAME] too"]
    assert outs[True].masked == ["Please call [NAME] about it", "[FIRSTNAME] wrote, [LASTNAME] too"]
    assert [(s.value, s.label) for s in outs[True].spans[0]] == [("Dagny Osgood", "NAME")]


def test_the_cli_joins_in_tune_evaluate_and_mask(cli, tmp_path):
    run = tmp_path / "run"
    r = cli("experiment=quick", "tuner=reference", "tuner.join_values=true", "stages=[prepare,tune,evaluate]", f"hydra.run.dir={run}")
    assert r.returncode == 0, r.stderr
    preds = [json.loads(line) for line in (run / "tune" / "predictions.jsonl").read_text().splitlines()]
    labels = {s["label"] for p in preds for s in p.get("spans") or []}
    assert "NAME" in labels  # the reference tuner's gold FIRSTNAME LASTNAME pairs, joined
    for p in preds:
        for a, b in zip(p["spans"], p["spans"][1:]):
            assert a["end"] < b["start"]  # nothing left touching
    metrics = json.loads((run / "evaluate" / "metrics.json").read_text())
    assert metrics["placeholder_validity"] == 1.0  # NAME is a valid placeholder for a name
