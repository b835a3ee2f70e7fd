"""The Hydra callback that ends a ``piikit -m ...`` sweep (``hydra.callbacks.sweep_summary`` in
``conf/config.yaml``): the summary files (:mod:`piikit.sweep`), then ``report.html``
(:mod:`piikit.report`). It sits above both, so neither imports the other's caller.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from piikit.sweep import SweepOutcome, collect, summarize

log = logging.getLogger("piikit")

# The last sweep's outcome in this process, read by cli.main to set the exit status
# (Hydra swallows exceptions raised by callbacks).
last_outcome: SweepOutcome | None = None


def write_report(sweep_dir: Path, sort_by: str, metrics: list[str]) -> None:
    """``<sweep dir>/report.html`` (:mod:`piikit.report`); a broken page never fails the sweep."""
    try:
        from piikit.report import write_sweep_report

        log.info("sweep report → %s", write_sweep_report(sweep_dir, sort_by=sort_by, metrics=metrics))
    except Exception as e:
        log.warning("could not write the sweep report.html in %s: %s: %s", sweep_dir, type(e).__name__, e)


class SweepSummary:
    """Hydra callback (``hydra.callbacks.sweep_summary``): summarise the sweep when it ends."""

    def __init__(self) -> None:
        self.sweep_dir: Path | None = None

    def on_multirun_start(self, config, **kwargs: Any) -> None:
        self.sweep_dir = Path(str(config.hydra.sweep.dir))  # resolve ${now:} once, as the sweeper does

    def on_multirun_end(self, config, **kwargs: Any) -> None:
        global last_outcome
        from omegaconf import OmegaConf

        sweep_dir = self.sweep_dir or Path(str(config.hydra.sweep.dir))
        opts = OmegaConf.select(config, "sweep") or {}
        metrics = [str(m) for m in opts.get("metrics", [])]
        try:
            last_outcome = summarize(sweep_dir, sort_by=str(opts.get("sort_by", "span_f2")), metrics=metrics, draw=bool(opts.get("plot", True)))
        except Exception:  # Hydra would only warn: log it, and still let main() see failed jobs
            log.exception("could not write the sweep summary in %s", sweep_dir)
            last_outcome = SweepOutcome(sweep_dir, collect(sweep_dir, metrics))
        if last_outcome.jobs:
            write_report(sweep_dir, str(opts.get("sort_by", "span_f2")), metrics)

    # the remaining Hydra callback hooks: nothing to do
    def on_run_start(self, config, **kwargs: Any) -> None: ...
    def on_run_end(self, config, **kwargs: Any) -> None: ...
    def on_job_start(self, config, **kwargs: Any) -> None: ...
    def on_job_end(self, config, job_return, **kwargs: Any) -> None: ...
