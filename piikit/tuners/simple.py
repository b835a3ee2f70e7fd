"""Tuners that need no training: sanity checks for the evaluate stage."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from piikit.config import TunerConfig
from piikit.data.schema import Prediction, Row, mask_text
from piikit.errors import PiikitError


@dataclass
class ReferenceConfig(TunerConfig):
    name: str = "reference"


@dataclass
class IdentityConfig(TunerConfig):
    name: str = "identity"


class NoTraining:
    """Mixin for tuners that need no training: fit/save/load do nothing."""

    needs_training = False

    def __init__(self, config, ctx=None):
        self.config = config

    def fit(self, train: Sequence[Row]) -> list:
        return []

    def save(self, model_dir: Path) -> None:
        pass

    def load(self, model_dir: Path) -> None:
        pass


class ReferenceTuner(NoTraining):
    """Answers with the gold masked text: every quality metric must come out perfect."""

    def predict(self, rows: Sequence[Row]) -> Iterator[Prediction]:
        for row in rows:
            if row.target_text is None and not row.privacy_mask and row.source_text:
                raise PiikitError(f"row {row.id} has no target_text or spans", "tuner=reference needs gold data")
            target = row.target_text if row.target_text is not None else mask_text(row.source_text, row.privacy_mask)
            yield Prediction(id=row.id, prediction=target, spans=list(row.privacy_mask))


class IdentityTuner(NoTraining):
    """Answers with the input unchanged: recall 0, every PII value leaks."""

    def predict(self, rows: Sequence[Row]) -> Iterator[Prediction]:
        for row in rows:
            yield Prediction(id=row.id, prediction=row.source_text, spans=[])
