"""The masker: a loaded tuner plus a strategy, applied to a batch of texts.

:func:`mask_batch` is a pure function of its inputs — the local engine's worker processes call
it, and so can a Spark ``mapInPandas`` function (load the model once per executor with
:func:`load_model`, then call ``mask_batch`` per pandas batch).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, Sequence

from piikit.data.schema import Row, Span
from piikit.errors import PiikitError
from piikit.mask.strategies import Replacer, Strategy, apply_spans


class MaskedBatch(NamedTuple):
    """One entry per input text. A row the model failed on (``Prediction.error``, or masked
    text that cannot be aligned to the source) has ``masked=None``, ``spans=None`` and its
    reason in ``errors`` — never the unmasked text."""

    masked: list[str | None]
    spans: list[list[Span] | None]
    errors: list[str | None]


def normalize_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Sorted, clipped to the text, overlaps merged (the longer span's label wins), values
    taken from ``text`` itself."""
    clean = sorted(
        ((max(0, s.start), min(len(text), s.end), s.label) for s in spans if s.end > s.start),
        key=lambda t: (t[0], -t[1]),
    )
    merged: list[list[Any]] = []
    for start, end, label in clean:
        if start >= end:
            continue
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if end - start > last[1] - last[0]:
                last[2] = label
            last[1] = max(last[1], end)
        else:
            merged.append([start, end, label])
    return [Span(start, end, label, text[start:end]) for start, end, label in merged]


_REPLACERS: dict[Strategy, Replacer] = {}


def replacer_for(strategy: Strategy) -> Replacer:
    """One :class:`Replacer` (and so one Faker) per strategy per process."""
    rep = _REPLACERS.get(strategy)
    if rep is None:
        rep = _REPLACERS[strategy] = Replacer(strategy)
    return rep


def mask_batch(texts: Sequence[str], model: Any, strategy: Strategy) -> MaskedBatch:
    """Mask ``texts`` with ``model`` (a :class:`~piikit.tuners.base.Tuner`) and ``strategy``.

    Spans come from the model (taggers) or, for models that only return masked text, from
    :func:`piikit.evaluate.align.align`. The output is always rebuilt from the source text and
    those spans, so every strategy works with every model and nothing the model rewrote leaks
    into the output."""
    rows = [Row(id=str(i), source_text=t) for i, t in enumerate(texts)]
    predictions = list(model.predict(rows))
    if len(predictions) != len(rows):
        raise RuntimeError(f"the model returned {len(predictions)} predictions for {len(rows)} texts")
    replace = replacer_for(strategy)
    masked: list[str | None] = []
    found: list[list[Span] | None] = []
    errors: list[str | None] = []
    for text, pred in zip(texts, predictions):
        if pred.error is not None:
            masked.append(None)
            found.append(None)
            errors.append(f"model error: {pred.error}")
            continue
        spans_given = pred.spans
        if spans_given is None:  # a generative model: find what its masked text replaced
            from piikit.evaluate.align import align

            a = align(text, pred.prediction)
            if not a.ok or a.unaligned:
                # a placeholder we cannot place would leave its value in the output: skip the row
                masked.append(None)
                found.append(None)
                errors.append(f"model output could not be aligned to the text ({a.method}, {a.unaligned} placeholders unplaced)")
                continue
            spans_given = a.spans
        spans = normalize_spans(text, spans_given)
        masked.append(apply_spans(text, spans, replace))
        found.append(spans)
        errors.append(None)
    return MaskedBatch(masked, found, errors)


# --------------------------------------------------------------------------- the model
@dataclass(frozen=True)
class ModelSpec:
    """How to rebuild the model in any process: the tuner config, its factory, the model dir."""

    tuner_config: Any  # the tuner's config dataclass
    factory: Any  # the registered factory: a callable or "module:attr"
    model_dir: Path | None  # None for tuners that need no training
    source: str  # for the manifest: where it came from

    def describe(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {"tuner": asdict(self.tuner_config), "model_dir": str(self.model_dir) if self.model_dir else None, "source": self.source}


def load_model(spec: ModelSpec, ctx: Any = None) -> Any:
    """Construct the tuner and load its weights (call once per process)."""
    factory = spec.factory
    if isinstance(factory, str):
        import importlib

        module, _, attr = factory.partition(":")
        factory = getattr(importlib.import_module(module), attr)
    tuner = factory(spec.tuner_config, ctx)
    if spec.model_dir is not None:
        try:
            tuner.load(spec.model_dir)
        except PiikitError as e:  # a tuner's hint names tuner.model; here the user set mask.model
            raise PiikitError(e.message, e.hint.replace("tuner.model", "mask.model") if e.hint else None) from None
    return tuner


def _needs_training(entry: Any, tuner_cfg: Any, ctx: Any) -> bool:
    factory = entry.load()
    needs_training = getattr(factory, "needs_training", None)
    if needs_training is None:  # a factory function: ask the tuner it builds
        needs_training = factory(tuner_cfg, ctx).needs_training
    return bool(needs_training)


def _tuner_config_from(data: dict[str, Any], where: Path) -> Any:
    from omegaconf import OmegaConf

    from piikit import plugins

    if not isinstance(data, dict) or "name" not in data:
        raise PiikitError(f"{where} has no tuner config", "point mask.model at a run dir made by piikit's tune stage")
    entry = plugins.get("tuner", data["name"])
    try:
        return OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(entry.config), data))
    except PiikitError:
        raise
    except Exception as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise PiikitError(f"the tuner config in {where} does not fit tuner '{data['name']}': {first}", "was it made by another piikit version?") from None


def resolve_model(value: str | None, tuner_cfg: Any, ctx: Any) -> ModelSpec:
    """``mask.model``: a run dir (``tune/manifest.json`` names the tuner), a model dir (its
    parent's ``manifest.json`` does, else ``tuner=``), or null: this run's / from_run's tune
    output, else the selected ``tuner=`` if it needs no training."""
    from piikit import plugins
    from piikit.io import read_json

    if value is None:
        roots = [ctx.run_dir] + ([ctx.from_run] if ctx.from_run else [])
        for root in roots:  # the tuner that ran in this run (or in from_run)
            if (root / "tune" / "manifest.json").is_file():
                return resolve_model(str(root), tuner_cfg, ctx)
        entry = plugins.get("tuner", tuner_cfg.name)
        if not _needs_training(entry, tuner_cfg, ctx):
            return ModelSpec(tuner_cfg, entry.target, None, f"tuner={tuner_cfg.name} (no training)")
        raise PiikitError(
            f"mask.model is not set and this run has no tune output for tuner={tuner_cfg.name}",
            "set mask.model=<run dir of a tune run>, add 'tune' to stages, or set from_run=<run dir>",
        )
    path = Path(value).expanduser().resolve()
    if not path.exists():
        raise PiikitError(f"mask.model={value} does not exist", "give a run dir (outputs/<date>/<time>) or a model dir")
    manifest = path / "tune" / "manifest.json"
    if manifest.is_file():
        config = _tuner_config_from(read_json(manifest).get("tuner"), manifest)
        model_dir = path / "tune" / "model"
        entry = plugins.get("tuner", config.name)
        if not model_dir.is_dir() and _needs_training(entry, config, ctx):
            raise PiikitError(f"mask.model={value} has tune/manifest.json but no tune/model/ (its tune stage did not finish?)",
                              "point mask.model at a run whose tune stage completed, or run the tune stage again")
        return ModelSpec(config, entry.target, model_dir if model_dir.is_dir() else None, str(path))
    if path.is_dir() and (path / ".hydra").is_dir():  # a run dir, but no tune/manifest.json
        raise PiikitError(f"mask.model={value} is a run dir without a trained model (no tune/manifest.json)",
                          "point mask.model at a run whose tune stage completed (stages included tune)")
    if path.is_dir():
        manifest = path.parent / "manifest.json"
        if manifest.is_file() and isinstance(read_json(manifest).get("tuner"), dict):
            config = _tuner_config_from(read_json(manifest)["tuner"], manifest)
        else:
            config = tuner_cfg
        entry = plugins.get("tuner", config.name)
        return ModelSpec(config, entry.target, path, str(path))
    raise PiikitError(f"mask.model={value} is neither a run dir with tune/manifest.json nor a model dir", "point it at an earlier run dir")
