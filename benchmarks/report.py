"""report.html speed and size: how long a run's page takes to build, and how big it is.

    python benchmarks/report.py                         # a rules-tuner run on 1,000 synthetic test rows
    python benchmarks/report.py --test 10000            # a bigger test split
    python benchmarks/report.py --run outputs/2026-11-27/10-00-00   # an existing run dir

Without ``--run``, makes a run in a temp dir with ``piikit tuner=rules`` (offline, no training)
on synthetic rows. Prints the time to read the run and build the page data, to render the
template, and the file size; CPU time next to wall time (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_run(tmp: Path, n_test: int) -> Path:
    env = {**os.environ, "PIIKIT_CACHE": str(tmp / "cache"), "PIIKIT_PROGRESS": "0"}
    args = ["tuner=rules", f"dataset.size={n_test + 100}", "split.n_train=100", f"split.n_test={n_test}", "evaluate.worst_examples=0"]
    subprocess.run([str(Path(sys.executable).parent / "piikit"), *args], cwd=tmp, env=env, check=True, capture_output=True)
    return next(p.parent for p in (tmp / "outputs").glob("*/*/.hydra"))


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", help="an existing run dir (with evaluate/metrics.json)")
    ap.add_argument("--test", type=int, default=1000, help="test rows of the generated run")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()

    from piikit.config import ReportConfig
    from piikit.report import render
    from piikit.report.run import run_page

    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(a.run) if a.run else make_run(Path(tmp), a.test)
        rows = sum(1 for _ in open(run_dir / "evaluate" / "scored_predictions.jsonl"))
        print(f"run: {run_dir} ({rows} scored rows)")
        for redact in (False, True):
            for i in range(a.repeat):
                page, w1, c1 = timed(lambda: run_page(run_dir, ReportConfig(redact_examples=redact)))
                html, w2, c2 = timed(lambda: render("run.html", page))
                print(f"redact={redact!s:5} #{i + 1}: page data {w1:.2f}s (cpu {c1:.2f}s), render {w2:.3f}s (cpu {c2:.3f}s), {len(html.encode()) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
