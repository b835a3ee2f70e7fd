"""A piikit model as a Presidio recognizer (``pip install 'piikit[presidio]'``).

::

    from presidio_analyzer import AnalyzerEngine
    from presidio_anonymizer import AnonymizerEngine
    from piikit.integrations.presidio import PiikitRecognizer

    analyzer = AnalyzerEngine()
    analyzer.registry.add_recognizer(PiikitRecognizer(model="outputs/2026-12-07/10-00-00"))
    results = analyzer.analyze(text=text, language="en")
    print(AnonymizerEngine().anonymize(text=text, analyzer_results=results).text)

The recognizer runs a :class:`piikit.api.Masker` over the text and turns each span it finds
into a ``RecognizerResult``. piikit's (ai4privacy) labels become Presidio entity types through
the label map piikit ships for cross-dataset scoring (``piikit/conf/label_map/presidio.yaml``:
``FIRSTNAME → PERSON``, ``EMAIL → EMAIL_ADDRESS``, ...); labels the map does not name
(``USERNAME``, ``PASSWORD``, ...) keep their piikit name. Pass ``label_map=`` to change it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from piikit.errors import PiikitError

try:
    from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
except ImportError as e:  # pragma: no cover - exercised only without the extra
    raise PiikitError("piikit.integrations.presidio needs presidio-analyzer", "pip install 'piikit[presidio]'") from e

LABEL_MAP_FILE = Path(__file__).resolve().parent.parent / "conf" / "label_map" / "presidio.yaml"


def presidio_label_map() -> dict[str, str]:
    """The shipped piikit label → Presidio entity type map."""
    import yaml

    data = yaml.safe_load(LABEL_MAP_FILE.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


class PiikitRecognizer(EntityRecognizer):
    """A Presidio ``EntityRecognizer`` backed by a piikit model.

    ``model``: a run dir or model dir (as :meth:`piikit.api.Masker.load` takes), or ``tuner=``
    for a tuner that needs no training; or pass a loaded ``masker``. ``score``: the confidence
    given to every span (piikit's taggers return no scores). ``supported_entities``: what this
    recognizer says it finds; by default the model's labels (when it names them, else every
    label of the map), mapped."""

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        tuner: str | None = None,
        masker: Any = None,
        label_map: Mapping[str, str] | None = None,
        score: float = 0.85,
        supported_language: str = "en",
        supported_entities: list[str] | None = None,
        name: str = "PiikitRecognizer",
        **load_options: Any,
    ):
        from piikit import __version__
        from piikit.api import Masker

        if masker is None:
            masker = Masker.load(model, tuner=tuner, **load_options)
        elif model is not None or tuner is not None:
            raise PiikitError("give PiikitRecognizer a model/tuner or a masker, not both")
        if not 0 < score <= 1:
            raise PiikitError(f"score={score} must be in (0, 1]")
        self.masker = masker
        self.label_map = dict(presidio_label_map() if label_map is None else label_map)
        self.score = score
        if supported_entities is None:
            labels = masker.labels or list(self.label_map)
            supported_entities = sorted({self.label_map.get(label, label) for label in labels})
        super().__init__(supported_entities=supported_entities, name=name, supported_language=supported_language, version=__version__)

    def load(self) -> None:  # the model was loaded in __init__
        pass

    def entity_type(self, label: str) -> str:
        return self.label_map.get(label, label)

    def analyze(self, text: str, entities: list[str] | None, nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """One ``RecognizerResult`` per span the model finds, of the requested ``entities``."""
        wanted = set(entities) if entities else None
        results = []
        for span in self.masker.mask(text).spans:
            etype = self.entity_type(span.label)
            if wanted is not None and etype not in wanted:
                continue
            explanation = AnalysisExplanation(
                recognizer=self.name,
                original_score=self.score,
                textual_explanation=f"piikit model ({self.masker.spec.source}) labelled it {span.label}",
            )
            results.append(
                RecognizerResult(
                    entity_type=etype,
                    start=span.start,
                    end=span.end,
                    score=self.score,
                    analysis_explanation=explanation,
                    recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id},
                )
            )
        return results
