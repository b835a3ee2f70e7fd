"""``piikit.integrations.presidio.PiikitRecognizer``: a piikit model inside Presidio's
AnalyzerEngine, next to Presidio's own recognizers, anonymised by Presidio's AnonymizerEngine.

No spaCy model can be downloaded in the test environment, so the AnalyzerEngine runs with
Presidio's ``NoOpNlpEngine`` (no linguistic processing) and pattern recognizers that need no
network (Presidio's e-mail and URL recognizers fetch the public-suffix list)."""

from __future__ import annotations

import pytest

pytest.importorskip("presidio_analyzer", reason="presidio-analyzer is not installed: pip install -e '.[presidio]'")
pytest.importorskip("presidio_anonymizer", reason="presidio-anonymizer is not installed: pip install -e '.[presidio]'")

from mask_support import mask_plugin, train_model  # noqa: E402, F401 (fixture)
from piikit.errors import PiikitError  # noqa: E402

TEXT = "Dagny Osgood (dagny.osgood@example.org, +44 20 7946 0958) paid with 1BoatSLRHtKNngkdXEeobR76b53LETtpyT."


@pytest.fixture
def analyzer_with(tmp_path):
    """analyzer_with(recognizer) -> an AnalyzerEngine with it and three of Presidio's own recognizers."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer, CryptoRecognizer, IbanRecognizer

    def _make(recognizer):
        nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
        registry = RecognizerRegistry(recognizers=[CreditCardRecognizer(), CryptoRecognizer(), IbanRecognizer()], supported_languages=["en"])
        registry.add_recognizer(recognizer)
        return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])

    return _make


def test_analyzer_and_anonymizer_with_a_piikit_model(tmp_path, analyzer_with):
    from presidio_anonymizer import AnonymizerEngine

    from piikit.integrations.presidio import PiikitRecognizer

    recognizer = PiikitRecognizer(model=train_model(tmp_path / "run"))
    analyzer = analyzer_with(recognizer)
    results = analyzer.analyze(text=TEXT, language="en")
    found = sorted((r.start, r.end, r.entity_type) for r in results)
    assert found == [
        (0, 5, "PERSON"),  # FIRSTNAME → PERSON (the shipped label map)
        (6, 12, "PERSON"),  # LASTNAME → PERSON
        (14, 38, "EMAIL_ADDRESS"),
        (40, 56, "PHONE_NUMBER"),
        (68, 102, "CRYPTO"),  # Presidio's own CryptoRecognizer
    ]
    by = {r.entity_type: r.recognition_metadata["recognizer_name"] for r in results}
    assert by["PERSON"] == by["EMAIL_ADDRESS"] == "PiikitRecognizer" and by["CRYPTO"] == "CryptoRecognizer"
    anonymized = AnonymizerEngine().anonymize(text=TEXT, analyzer_results=results)
    # (Presidio's anonymizer merges the two adjacent PERSON spans into one)
    assert anonymized.text == "<PERSON> (<EMAIL_ADDRESS>, <PHONE_NUMBER>) paid with <CRYPTO>."
    # asking for some entities only
    only = analyzer.analyze(text=TEXT, language="en", entities=["EMAIL_ADDRESS"])
    assert [(r.start, r.end, r.entity_type) for r in only] == [(14, 38, "EMAIL_ADDRESS")]


def test_rules_tuner_label_map_and_entities():
    from piikit import Masker
    from piikit.integrations.presidio import PiikitRecognizer, presidio_label_map

    shipped = presidio_label_map()
    assert shipped["FIRSTNAME"] == "PERSON" and shipped["EMAIL"] == "EMAIL_ADDRESS"
    r = PiikitRecognizer(tuner="rules")
    assert "EMAIL_ADDRESS" in r.supported_entities and "IBAN_CODE" in r.supported_entities and "EMAIL" not in r.supported_entities
    assert [(x.entity_type, x.start, x.end) for x in r.analyze("mail ada@example.org", entities=None)] == [("EMAIL_ADDRESS", 5, 20)]
    custom = PiikitRecognizer(masker=Masker.load(tuner="rules"), label_map={"EMAIL": "MAIL"}, score=0.5, name="mine")
    res = custom.analyze("mail ada@example.org", entities=["MAIL"])
    assert [(x.entity_type, x.score, x.recognition_metadata["recognizer_name"]) for x in res] == [("MAIL", 0.5, "mine")]
    assert custom.analyze("mail ada@example.org", entities=["PERSON"]) == []


def test_recognizer_mistakes():
    from piikit import Masker
    from piikit.integrations.presidio import PiikitRecognizer

    with pytest.raises(PiikitError, match="needs a model or a tuner"):
        PiikitRecognizer()
    with pytest.raises(PiikitError, match="not both"):
        PiikitRecognizer(tuner="rules", masker=Masker.load(tuner="rules"))
    with pytest.raises(PiikitError, match="score=2"):
        PiikitRecognizer(tuner="rules", score=2)
