"""The Tuner contract (a Protocol, not a base class) and helpers every tuner shares."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
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
    """Built by ``factory(config, ctx)``; ``ctx`` is the :class:`~piikit.pipeline.RunContext`
    (``None`` when a model is loaded outside a run: ``Masker.load``, Spark executors).

    Required members:

    - ``needs_training``: false for tuners that only predict (``reference``, ``identity``,
      ``rules``); then ``fit``/``save``/``load`` are never called with a model.
    - ``fit(train)``: trains on the prepared train rows (which carry ``prompt``) and returns
      the loss :class:`Snapshot` s; called only when ``needs_training`` is true.
    - ``save(model_dir)`` / ``load(model_dir)``: persist the model under
      ``<run dir>/tune/model/`` so a later run can reuse it (``tuner.model=<run>``,
      ``mask.model=<run>``); ``load`` raises :class:`~piikit.errors.PiikitError` for a model it
      cannot read.
    - ``predict(rows)``: yields one :class:`~piikit.data.schema.Prediction` per row, in order
      (a row it fails on gets ``error`` set, never an exception).

    Optional members (looked up with ``getattr``/``hasattr``; leave them out when they mean
    nothing for a tuner):

    - ``plan(train, test) -> dict``: what a run would do, without a network call or training
      (``tuner.dry_run=true``: printed and saved as ``tune/plan.json``). Cloud tuners have it.
    - ``info: dict``: facts about the model (sizes, timings, where it came from), stored as the
      tune manifest's ``model_info``; its ``labels`` (when given) are ``Masker.labels``.
    - ``loss_xlabel`` / ``loss_ylabel: str``: the axis titles of ``tune/loss.png`` when the
      snapshots' ``step``/``loss`` need saying (the CRF: iterations, loss per training row).

    Re-attaching to a cloud job after Ctrl-C is a setting (``tuner.resume``), not a member.
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
    return finish(entry.load()(config, ctx), config)


def finish(tuner: Tuner, config) -> Tuner:
    """The tuner as its factory built it, or wrapped to join its spans into values
    (``tuner.join_values``): every place that builds a tuner goes through here."""
    return JoinedValues(tuner) if getattr(config, "join_values", False) else tuner


class JoinedValues:
    """A tuner whose predicted spans come out one per value (:func:`~piikit.data.schema.join_values`);
    everything else is the wrapped tuner's. Predictions without spans (generative tuners) pass
    through."""

    def __init__(self, tuner: Tuner):
        self.tuner = tuner

    def __getattr__(self, name: str):
        return getattr(self.tuner, name)

    def predict(self, rows: Sequence[Row]) -> Iterable[Prediction]:
        from piikit.data.schema import join_values, mask_text

        rows = list(rows)
        for row, pred in zip(rows, self.tuner.predict(rows)):  # one prediction per row, in order
            if pred.spans is None or pred.error:
                yield pred
                continue
            spans = join_values(row.source_text, pred.spans)
            yield replace(pred, spans=spans, prediction=mask_text(row.source_text, spans))
