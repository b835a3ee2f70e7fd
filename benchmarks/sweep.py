"""A 4-job sweep with the basic launcher (jobs one after another) vs joblib on N cores.

    python benchmarks/sweep.py                       # CRF on 1,200 synthetic rows, c2 in 4 values
    python benchmarks/sweep.py --cores 2 --size 3000
    python benchmarks/sweep.py --sweep tuner=reference,identity split.n_test=50,100

Needs the ``sweep`` extra (``pip install -e '.[sweep]'``). Each launcher gets a fresh scratch dir
and a fresh cache, so both pay for preparing the data once. Prints wall-clock seconds and the
speed-up; both sweeps must finish with 4 completed jobs.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_sweep(launcher: list[str], overrides: list[str]) -> tuple[float, list[dict]]:
    with tempfile.TemporaryDirectory(prefix="piikit-bench-") as tmp:
        env = {**os.environ, "PIIKIT_CACHE": str(Path(tmp) / "cache"), "PIIKIT_PROGRESS": "0"}
        exe = Path(sys.executable).parent / "piikit"
        t0 = time.perf_counter()
        r = subprocess.run([str(exe), "-m", *overrides, *launcher], cwd=tmp, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        if r.returncode != 0:
            sys.exit(f"sweep failed ({' '.join(launcher) or 'basic'}):\n{r.stderr[-3000:]}")
        summary = next(Path(tmp, "outputs", "multirun").glob("*/*/summary.csv"))
        with summary.open(newline="") as fh:
            return seconds, list(csv.DictReader(fh))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cores", type=int, default=2, help="joblib workers (hydra.launcher.n_jobs)")
    ap.add_argument("--size", type=int, default=1200, help="synthetic rows per job")
    ap.add_argument("--sweep", nargs="*", help="the swept overrides (default: CRF tuner.c2 over 4 values)")
    args = ap.parse_args()
    n_test = max(1, args.size // 6)
    base = ["experiment=quick", f"dataset.size={args.size}", f"split.n_train={args.size - n_test}", f"split.n_test={n_test}"]
    swept = args.sweep or ["tuner=crf", "tuner.max_iterations=50", "tuner.c2=0.001,0.01,0.1,1"]
    overrides = base + swept
    print(f"sweep: piikit -m {' '.join(overrides)}   (cpus on this machine: {os.cpu_count()})")

    basic_s, basic_rows = run_sweep([], overrides)
    joblib_s, joblib_rows = run_sweep(["hydra/launcher=joblib", f"hydra.launcher.n_jobs={args.cores}"], overrides)
    for name, rows in (("basic", basic_rows), ("joblib", joblib_rows)):
        done = sum(r["status"] == "completed" for r in rows)
        job_s = sum(float(r["seconds"] or 0) for r in rows)
        print(f"{name:>7}: {len(rows)} jobs ({done} completed), sum of job times {job_s:.1f}s")
    print(f"basic launcher          : {basic_s:6.1f} s wall")
    print(f"joblib, {args.cores} workers       : {joblib_s:6.1f} s wall")
    print(f"speed-up                : {basic_s / joblib_s:.2f}x")


if __name__ == "__main__":
    main()
