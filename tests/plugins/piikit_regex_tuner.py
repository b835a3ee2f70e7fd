"""A small, real tuner used by the mask-stage tests (a plugin, registered through the hook).

It learns a gazetteer — every PII value seen in training, with its label — and also finds
e-mail addresses and phone numbers with regular expressions. Spans come back with every
prediction, like any tagging tuner's.

Test knobs: ``delay`` (seconds per ``predict`` call) slows it down; the environment variable
``PIIKIT_TEST_KILL_AFTER_CALLS=N`` makes the N-th ``predict`` call SIGKILL its own process group
(a deterministic ``kill -9`` of the whole job, workers included).
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from piikit.config import TunerConfig
from piikit.data.schema import Prediction, Span, mask_text
from piikit.hookspecs import hookimpl

PATTERNS = {
    "EMAIL": r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    "PHONENUMBER": r"\+?\d[\d -]{6,}\d",
}


@dataclass
class RegexTestConfig(TunerConfig):
    name: str = "regex_test"
    delay: float = 0.0
    no_spans: bool = False  # answer like a generative model: masked text only
    refuse: str = ""  # texts containing this get Prediction.error="blocked" (like a cloud model)
    rewrite: str = ""  # with no_spans: texts containing "REWRITE" come back as this text instead


class RegexTuner:
    needs_training = True

    def __init__(self, config, ctx=None):
        self.config = config
        self.gazetteer: dict[str, str] = {}
        self.calls = 0

    def fit(self, train):
        for row in train:
            for s in row.privacy_mask:
                self.gazetteer[s.value] = s.label
        return []

    def save(self, model_dir: Path) -> None:
        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        (model_dir / "gazetteer.json").write_text(json.dumps(self.gazetteer, sort_keys=True))

    def load(self, model_dir: Path) -> None:
        self.gazetteer = json.loads((Path(model_dir) / "gazetteer.json").read_text())

    def _spans(self, text: str) -> list[Span]:
        found: list[Span] = []
        taken = [False] * len(text)
        candidates = [(m.start(), m.end(), label) for label, rx in PATTERNS.items() for m in re.finditer(rx, text)]
        for value, label in self.gazetteer.items():
            candidates += [(m.start(), m.end(), label) for m in re.finditer(rf"\b{re.escape(value)}\b", text)]
        for start, end, label in sorted(candidates, key=lambda c: (c[0], -(c[1] - c[0]))):
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.append(Span(start, end, label, text[start:end]))
        return sorted(found, key=lambda s: s.start)

    def predict(self, rows):
        self.calls += 1
        kill_after = int(os.environ.get("PIIKIT_TEST_KILL_AFTER_CALLS", "0") or 0)
        if kill_after and self.calls >= kill_after:
            os.killpg(os.getpgid(0), signal.SIGKILL)
        if self.config.delay:
            time.sleep(self.config.delay)
        for row in rows:
            if self.config.refuse and self.config.refuse in row.source_text:
                yield Prediction(id=row.id, prediction=None, error="blocked")
                continue
            spans = self._spans(row.source_text)
            masked = mask_text(row.source_text, spans)
            if self.config.no_spans and self.config.rewrite and "REWRITE" in row.source_text:
                masked = self.config.rewrite
            yield Prediction(id=row.id, prediction=masked, spans=None if self.config.no_spans else spans)


@hookimpl
def piikit_register_tuners(register):
    register("regex_test", RegexTestConfig, "piikit_regex_tuner:RegexTuner", help="tests only: gazetteer + regex tagger")
