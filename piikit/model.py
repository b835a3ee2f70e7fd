"""A trained model, found and loaded: the one resolver behind ``tuner.model`` (the tune stage and
ensemble members), ``mask.model`` (the mask stage, Spark, the pipe) and ``Masker.load``.

A model is named by a run dir (its ``tune/manifest.json`` names the tuner, ``tune/model`` holds
the weights) or by a model dir (its parent's ``manifest.json`` names the tuner, else the selected
``tuner=``). :func:`resolve_model` turns that into a :class:`ModelSpec`; :func:`load_model`
builds the tuner from it in any process.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from piikit.errors import PiikitError
from piikit.rundir import MANIFEST, RunDir


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


def load_model(spec: ModelSpec, ctx: Any = None, setting: str = "mask.model") -> Any:
    """Construct the tuner and load its weights (call once per process)."""
    factory = spec.factory
    if isinstance(factory, str):
        import importlib

        module, _, attr = factory.partition(":")
        factory = getattr(importlib.import_module(module), attr)
    from piikit.tuners.base import finish

    tuner = finish(factory(spec.tuner_config, ctx), spec.tuner_config)
    if spec.model_dir is not None:
        try:
            tuner.load(spec.model_dir)
        except PiikitError as e:  # a tuner's hint names tuner.model; the user may have set mask.model
            raise PiikitError(e.message, e.hint.replace("tuner.model", setting) if e.hint else None) from None
    return tuner


def needs_training(entry: Any, tuner_cfg: Any, ctx: Any) -> bool:
    """Whether the tuner registered as ``entry`` needs a trained model (``reference``,
    ``identity`` and ``rules`` do not)."""
    factory = entry.load()
    needs = getattr(factory, "needs_training", None)
    if needs is None:  # a factory function: ask the tuner it builds
        needs = factory(tuner_cfg, ctx).needs_training
    return bool(needs)


def tuner_config_from(data: dict[str, Any], where: Path, setting: str = "mask.model") -> Any:
    """The typed tuner config from a saved ``{"name": ..., settings...}`` (a manifest's ``tuner``)."""
    from omegaconf import OmegaConf

    from piikit import plugins

    if not isinstance(data, dict) or "name" not in data:
        raise PiikitError(f"{where} has no tuner config", f"point {setting} at a run dir made by piikit's tune stage")
    entry = plugins.get("tuner", data["name"])
    try:
        return OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(entry.config), data))
    except PiikitError:
        raise
    except Exception as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise PiikitError(f"the tuner config in {where} does not fit tuner '{data['name']}': {first}", "was it made by another piikit version?") from None


def resolve_model(value: str | None, tuner_cfg: Any, ctx: Any, setting: str = "mask.model") -> ModelSpec:
    """``value`` (the user's ``setting``, e.g. ``mask.model`` or ``tuner.model``): a run dir
    (``tune/manifest.json`` names the tuner), a model dir (its parent's ``manifest.json`` does,
    else ``tuner=``), or null: this run's / from_run's tune output, else the selected ``tuner=``
    if it needs no training."""
    from piikit import plugins
    from piikit.io import read_json

    if value is None:
        roots = [ctx.run_dir] + ([ctx.from_run] if ctx.from_run else [])
        for root in roots:  # the tuner that ran in this run (or in from_run)
            if RunDir(root).tune_manifest.is_file():
                return resolve_model(str(root), tuner_cfg, ctx, setting)
        entry = plugins.get("tuner", tuner_cfg.name)
        if not needs_training(entry, tuner_cfg, ctx):
            return ModelSpec(tuner_cfg, entry.target, None, f"tuner={tuner_cfg.name} (no training)")
        raise PiikitError(
            f"{setting} is not set and this run has no tune output for tuner={tuner_cfg.name}",
            f"set {setting}=<run dir of a tune run>, add 'tune' to stages, or set from_run=<run dir>",
        )
    path = Path(value).expanduser().resolve()
    run = RunDir(path)
    if not path.exists():
        raise PiikitError(f"{setting}={value} does not exist", "give a run dir (outputs/<date>/<time>) or a model dir")
    if run.tune_manifest.is_file():
        config = tuner_config_from(read_json(run.tune_manifest).get("tuner"), run.tune_manifest, setting)
        entry = plugins.get("tuner", config.name)
        if not run.model.is_dir() and needs_training(entry, config, ctx):
            raise PiikitError(f"{setting}={value} has tune/manifest.json but no tune/model/ (its tune stage did not finish?)",
                              f"point {setting} at a run whose tune stage completed, or run the tune stage again")
        return ModelSpec(config, entry.target, run.model if run.model.is_dir() else None, str(path))
    if path.is_dir() and run.hydra.is_dir():  # a run dir, but no tune/manifest.json
        raise PiikitError(f"{setting}={value} is a run dir without a trained model (no tune/manifest.json)",
                          f"point {setting} at a run whose tune stage completed (stages included tune)")
    if path.is_dir():
        model_dir = run.model if run.model.is_dir() else path  # a copied run dir (no .hydra): its tune/model
        manifest = model_dir.parent / MANIFEST
        if manifest.is_file() and isinstance(read_json(manifest).get("tuner"), dict):
            config = tuner_config_from(read_json(manifest)["tuner"], manifest, setting)
        else:
            config = tuner_cfg
        entry = plugins.get("tuner", config.name)
        return ModelSpec(config, entry.target, model_dir, str(path))
    raise PiikitError(f"{setting}={value} is neither a run dir with tune/manifest.json nor a model dir", "point it at an earlier run dir")


def trained_model_dir(value: str, tuner_cfg: Any, ctx: Any = None) -> Path:
    """``tuner.model``: the model dir to load into the tuner being built (the tune stage, an
    ensemble member), through :func:`resolve_model`."""
    spec = resolve_model(value, tuner_cfg, ctx, setting="tuner.model")
    if spec.model_dir is None:
        raise PiikitError(f"tuner.model={value} has no trained model (its tuner {spec.tuner_config.name} needs no training)",
                          "point tuner.model at a run of a tuner that trains, or drop it")
    return spec.model_dir
