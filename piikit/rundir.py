"""The layout of a run dir: every path piikit reads or writes in one, named once, here.

    run = RunDir("outputs/2026-11-27/10-00-00")
    run.prepare_test      # .../prepare/test.jsonl
    run.tune_manifest     # .../tune/manifest.json
    run.model             # .../tune/model

Stages, reports, the sweep summary, the mask engines and the model resolver ask a
:class:`RunDir` for a path instead of spelling ``"tune/manifest.json"`` out themselves.
"""

from __future__ import annotations

import os
from pathlib import Path

# file names that occur in more than one place (a cache entry mirrors prepare/, evaluate/eval/
# mirrors evaluate/, an ensemble's members each have their own snapshots)
MANIFEST = "manifest.json"
REPORT_FILE = "report.html"  # in a run dir and in a sweep dir
TRAIN, TEST = "train.jsonl", "test.jsonl"
SNAPSHOTS = "snapshots.jsonl"
METRICS = "metrics.json"
SCORED_PREDICTIONS = "scored_predictions.jsonl"


def _at(*parts: str) -> property:
    return property(lambda self: self.path.joinpath(*parts), doc="<run dir>/" + "/".join(parts))


class RunDir:
    """A run dir's paths as attributes (see the module doc). Nothing is created or checked."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"RunDir({str(self.path)!r})"

    def stage(self, name: str) -> Path:
        """``<run dir>/<stage>``: everything a stage writes is under it."""
        return self.path / name

    def manifest(self, stage: str) -> Path:
        """The ``manifest.json`` a stage finishes with."""
        return self.path / stage / MANIFEST

    hydra = _at(".hydra")  # Hydra's record of the run: config.yaml, overrides.yaml
    hydra_config = _at(".hydra", "config.yaml")  # the resolved config
    hydra_hydra = _at(".hydra", "hydra.yaml")  # Hydra's own settings (job number, searchpath)
    hydra_overrides = _at(".hydra", "overrides.yaml")
    report = _at(REPORT_FILE)
    status = _at("status.json")  # how the run ended (piikit.sweep.write_status), read by the sweep summary
    versions = _at("versions.json")  # the versions of piikit and its dependencies (piikit.provenance)
    log = _at("piikit.log")
    # prepare
    prepare = _at("prepare")
    prepare_train = _at("prepare", TRAIN)
    prepare_test = _at("prepare", TEST)
    prepare_eval = _at("prepare", "eval.jsonl")  # the eval_dataset, whole
    prepare_manifest = _at("prepare", MANIFEST)
    # tune
    tune = _at("tune")
    tune_manifest = _at("tune", MANIFEST)
    model = _at("tune", "model")
    snapshots = _at("tune", SNAPSHOTS)
    loss_png = _at("tune", "loss.png")
    predictions = _at("tune", "predictions.jsonl")
    eval_predictions = _at("tune", "eval_predictions.jsonl")
    plan = _at("tune", "plan.json")  # tuner.dry_run=true
    job = _at("tune", "job.json")  # a cloud tuner's job, for tuner.resume
    checkpoints = _at("tune", "checkpoints")
    # evaluate
    evaluate = _at("evaluate")
    evaluate_manifest = _at("evaluate", MANIFEST)
    metrics = _at("evaluate", METRICS)
    scored_predictions = _at("evaluate", SCORED_PREDICTIONS)
    evaluate_eval = _at("evaluate", "eval")  # the eval_dataset's scores
    # mask
    mask = _at("mask")
    mask_manifest = _at("mask", MANIFEST)

    def relative(self, name: str) -> str:
        """An attribute's path inside the run dir, e.g. ``relative("tune_manifest")`` is
        ``tune/manifest.json`` (for messages and for lists of sources)."""
        return getattr(self, name).relative_to(self.path).as_posix()
