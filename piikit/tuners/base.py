"""The Tuner contract (a Protocol, not a base class) and helpers every tuner shares."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Protocol, Sequence, runtime_checkable

from piikit.data.schema import Prediction, Row

if TYPE_CHECKING:
    from piikit.pipeline import RunContext


@dataclass(frozen=True)
class Snapshot:
    """One point of the loss curve, the shape of Gemini's ``tuning_task.snapshots``."""

    step: int
    epoch: float
    loss: float

    def to_dict(self) -> dict:
        return asdict(self)


@runtime_checkable
class Tuner(Protocol):
    """Built by ``factory(config, ctx)``; ``ctx`` is the :class:`~piikit.pipeline.RunContext`.

    ``fit`` is called only when ``needs_training`` is true; it trains on the prepared train
    rows (which carry ``prompt``) and returns the loss snapshots. ``save``/``load`` persist the
    model under ``<run dir>/tune/model/`` so a later run can reuse it (``tuner.model=<run>``).
    ``predict`` yields one :class:`Prediction` per row, in order.
    """

    needs_training: bool

    def fit(self, train: Sequence[Row]) -> list[Snapshot]: ...

    def save(self, model_dir: Path) -> None: ...

    def load(self, model_dir: Path) -> None: ...

    def predict(self, rows: Sequence[Row]) -> Iterable[Prediction]: ...


def build_tuner(config, ctx: "RunContext") -> Tuner:
    """Look the tuner up in the plugin registry and construct it."""
    from piikit import plugins

    entry = plugins.get("tuner", config.name)
    return entry.load()(config, ctx)
