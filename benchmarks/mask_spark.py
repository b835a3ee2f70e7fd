"""Benchmark the mask stage's two engines on the same corpus: local processes vs Spark local[2].

    python benchmarks/mask_spark.py                    # 1,000,000 rows, CRF model
    python benchmarks/mask_spark.py --rows 100000 --tuner rules

1. trains a small CRF (as benchmarks/mask.py does) and writes a JSON-lines corpus of invented rows;
2. runs ``piikit stages=[mask]`` on it as a user would (a subprocess) with
   ``mask.engine=local mask.workers=2`` and with ``mask.engine=spark mask.spark.master=local[2]``;
3. prints rows/s (the stage's own timing, and wall time incl. start-up) and peak RSS of the
   driver (the piikit process; for Spark also its JVM, which in local mode is driver and
   executor at once), of the largest Python worker, and of the whole job.

Needs ``pip install -e '.[spark]'`` and Java 17. Nothing here reads ../shared; all text is
generated.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import mask as bench  # noqa: E402  (benchmarks/mask.py: corpus, CRF training, /proc watcher)


class JobWatcher(bench.TreeWatcher):
    """TreeWatcher that keeps the JVM (a ``java`` process in the tree) apart from the Python workers."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.jvm_peak = 0
        super().__init__(pid, interval)

    def _run(self) -> None:
        while not self._stop.is_set():
            tree, todo = [], [self.pid]
            while todo:
                p = todo.pop()
                tree.append(p)
                todo += self._children(p)
            self.main_peak = max(self.main_peak, self._kb(self.pid, "VmHWM"))
            for p in tree[1:]:
                try:
                    java = Path(f"/proc/{p}/comm").read_text().strip() == "java"
                except (FileNotFoundError, ProcessLookupError):
                    continue
                if java:
                    self.jvm_peak = max(self.jvm_peak, self._kb(p, "VmHWM"))
                else:
                    self.worker_peak = max(self.worker_peak, self._kb(p, "VmHWM"))
            self.total_peak = max(self.total_peak, sum(self._kb(p, "VmRSS") for p in tree))
            time.sleep(self.interval)


def run(work: Path, corpus: Path, model: list[str], engine: str, strategy: str, batch_size: int) -> dict:
    name = f"{engine}-{corpus.stem}"
    out = work / f"out-{name}"
    args = [str(Path(sys.executable).parent / "piikit"), "stages=[mask]", f"mask.input={corpus}", *model,
            f"mask.output={out}", f"mask.strategy={strategy}", f"mask.batch_size={batch_size}", "mask.salt=bench",
            f"hydra.run.dir={work / ('run-' + name)}", f"mask.engine={engine}"]
    if engine == "local":
        args.append("mask.workers=2")
    else:
        args += ["mask.spark.master='local[2]'", "mask.spark.conf.spark.ui.enabled=false"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=work, env={**os.environ, "PIIKIT_PROGRESS": "0"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watcher = JobWatcher(proc.pid)
    stdout, stderr = proc.communicate()
    watcher.stop()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"piikit ({engine}) failed ({proc.returncode}):\n{stdout}\n{stderr[-3000:]}")
    manifest = json.loads((work / ("run-" + name) / "mask" / "manifest.json").read_text())
    shutil.rmtree(out, ignore_errors=True)
    return {"manifest": manifest, "wall": wall, "main_mb": watcher.main_peak / 1024, "jvm_mb": watcher.jvm_peak / 1024,
            "worker_mb": watcher.worker_peak / 1024, "total_mb": watcher.total_peak / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--strategy", default="placeholder")
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--train-rows", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tuner", default="crf", choices=["crf", "rules", "identity"])
    ap.add_argument("--engines", nargs="+", default=["local", "spark"], choices=["local", "spark"])
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="piikit-bench-mask-spark-"))
    try:
        model = [f"tuner={args.tuner}"]
        if args.tuner == "crf":
            bench.train_crf(work / "model_run", args.train_rows, args.seed)
            model = [f"mask.model={work / 'model_run'}"]
        corpus = work / f"corpus-{args.rows}.jsonl"
        t0 = time.perf_counter()
        bench.write_corpus(corpus, args.rows, args.seed + args.rows)
        print(f"wrote {args.rows:,} rows ({corpus.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f}s", flush=True)
        for engine in args.engines:
            r = run(work, corpus, model, engine, args.strategy, args.batch_size)
            m = r["manifest"]
            driver = r["main_mb"] + r["jvm_mb"]
            jvm = f" = python {r['main_mb']:.0f} + JVM {r['jvm_mb']:.0f}" if r["jvm_mb"] else ""
            print(
                f"{engine:>5} | {args.rows:,} rows | {m['rows_per_s']:>8,.0f} rows/s (stage) | {args.rows / r['wall']:>8,.0f} rows/s (wall, incl. start-up) | "
                f"peak RSS driver {driver:.0f} MB{jvm}, largest Python worker {r['worker_mb']:.0f} MB, job total {r['total_mb']:.0f} MB | "
                f"rows out {m['rows_out']:,}, spans {m['spans']:,}",
                flush=True,
            )
        print(f"tuner={args.tuner} strategy={args.strategy} cores available: {len(os.sched_getaffinity(0))}, load average: {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
