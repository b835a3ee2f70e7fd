"""The run: stages in order, each given the typed config and a RunContext.

A stage is a module ``piikit.stages.<name>`` with one entry function
``run(cfg: Config, ctx: RunContext) -> dict``. It reads what earlier stages wrote (from this run
dir, or from ``from_run``), writes only under ``<run dir>/<stage>/`` and finishes with
``manifest.json``. Stages never call each other.
"""

from __future__ import annotations

import importlib
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from piikit.config import STAGE_ORDER, Config
from piikit.errors import PiikitError
from piikit.rundir import RunDir

log = logging.getLogger("piikit")


@dataclass
class RunContext:
    run_dir: Path
    cache_dir: Path
    from_run: Path | None = None
    overrides: list[str] = field(default_factory=list)

    @property
    def paths(self) -> RunDir:
        """This run dir's paths (:class:`piikit.rundir.RunDir`)."""
        return RunDir(self.run_dir)

    def stage_dir(self, stage: str) -> Path:
        path = self.paths.stage(stage)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def find(self, name: str) -> Path:
        """An earlier stage's output, by its :class:`~piikit.rundir.RunDir` name (e.g.
        ``"prepare_test"``): this run's, else ``from_run``'s."""
        runs = [self.paths] + ([RunDir(self.from_run)] if self.from_run is not None else [])
        for run in runs:
            path = getattr(run, name)
            if path.is_file():
                return path
        where = f"this run or from_run={self.from_run}" if self.from_run else "this run"
        relative = self.paths.relative(name)
        stage = relative.split("/")[0]
        raise PiikitError(
            f"no {relative} in {where}",
            f"add '{stage}' to stages, or point from_run=<run dir> at a run that has it",
        )


def make_context(cfg: Config, run_dir: Path, overrides: list[str] | None = None) -> RunContext:
    from_run = None
    if cfg.from_run:
        from_run = Path(cfg.from_run).expanduser()
        if not from_run.is_dir():
            raise PiikitError(f"from_run={cfg.from_run} is not a directory", "give the run dir of an earlier piikit run (outputs/<date>/<time>)")
    return RunContext(run_dir=run_dir, cache_dir=Path(cfg.cache_dir).expanduser(), from_run=from_run, overrides=list(overrides or []))


def run(cfg: Config, ctx: RunContext) -> dict[str, dict[str, Any]]:
    """Run the selected stages in their canonical order; return each stage's summary."""
    from piikit.console import console

    if "mask" in cfg.stages and cfg.mask.input == "-":  # stdout carries the masked lines: all else to stderr
        console.file = sys.stderr
    results: dict[str, dict[str, Any]] = {}
    for stage in [s for s in STAGE_ORDER if s in cfg.stages]:
        module = importlib.import_module(f"piikit.stages.{stage}")
        console.rule(f"[bold]{stage}")
        t0 = time.perf_counter()
        results[stage] = module.run(cfg, ctx) or {}
        log.info("%s done in %.1fs → %s", stage, time.perf_counter() - t0, ctx.run_dir / stage)
        if results[stage].get("dry_run"):  # a dry run plans and stops: later stages have no input
            log.info("dry run: stages after %s skipped", stage)
            break
        if results[stage].get("stop"):  # a helper process of a multi-GPU launch: its share is done
            break
    return results
