"""CRF tuner speed: training time, and masking throughput in rows/s.

    python benchmarks/crf.py                          # train on 1,900 and 10,000 rows; mask 10,000
    python benchmarks/crf.py --train 1900 --mask 10000 --jobs 1,2
    python benchmarks/crf.py --data rows.jsonl        # your own rows instead of synthetic ones

Rows come from piikit's synthetic generator (seeded, all languages) unless ``--data`` is given.
Masking = tokenise + featurise + Viterbi + ``[LABEL]`` text, for rows the model never saw,
timed with the model trained on the first ``--train`` size. ``--jobs 2`` splits the rows over
two processes that each load the saved model (what a multi-process mask stage does).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from piikit.data.schema import Row
from piikit.tuners.crf.tuner import CRFConfig, CRFTuner


def load_rows(n: int, data: str | None, seed: int) -> list[Row]:
    if data:
        from piikit.io import read_jsonl

        rows = [Row.from_dict(d) for d in read_jsonl(data)]
    else:
        from piikit.synth.generator import generate

        rows = generate(n, seed=seed)
    if len(rows) < n:
        raise SystemExit(f"need {n} rows, have {len(rows)}")
    return rows[:n]


_worker: CRFTuner | None = None


def _init(model_dir: str) -> None:
    global _worker
    _worker = CRFTuner(CRFConfig())
    _worker.load(Path(model_dir))


def _mask_chunk(rows: list[Row]) -> int:
    return sum(1 for _ in _worker.predict(rows))


def mask_throughput(model_dir: Path, rows: list[Row], jobs: int) -> tuple[float, float | None]:
    """(rows/s wall, rows/s of CPU time — what one free core would do — for jobs=1)."""
    if jobs == 1:
        _init(str(model_dir))
        t0, c0 = time.perf_counter(), time.process_time()
        n = _mask_chunk(rows)
        return n / (time.perf_counter() - t0), n / (time.process_time() - c0)
    chunks = [rows[i : i + 500] for i in range(0, len(rows), 500)]
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_init, initargs=(str(model_dir),)) as pool:
        list(pool.map(_mask_chunk, chunks[:jobs]))  # warm up: workers started and model loaded
        t0 = time.perf_counter()
        n = sum(pool.map(_mask_chunk, chunks))
        return n / (time.perf_counter() - t0), None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default="1900,10000", help="training sizes, comma-separated")
    ap.add_argument("--mask", type=int, default=10000, help="rows to mask for throughput")
    ap.add_argument("--jobs", default="1,2", help="process counts for the masking throughput")
    ap.add_argument("--max-iterations", type=int, default=CRFConfig().max_iterations)
    ap.add_argument("--data", help="a jsonl of piikit rows instead of synthetic data")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    sizes = [int(x) for x in args.train.split(",")]
    jobs = [int(x) for x in args.jobs.split(",")]
    os.environ.setdefault("PIIKIT_PROGRESS", "0")

    rows = load_rows(max(sizes) + args.mask, args.data, args.seed)
    held_out = rows[len(rows) - args.mask :]
    print(f"cpus={os.cpu_count()} load average={os.getloadavg()[0]:.1f} rows: train sizes {sizes}, mask {len(held_out)} held-out rows, max_iterations={args.max_iterations}")
    print(f"{'train rows':>10} {'tokens':>8} {'tags':>5} {'iters':>5} {'fit s':>7} {'fit cpu s':>9} {'featurize s':>11} {'final loss':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        first_model = None
        for n in sizes:
            tuner = CRFTuner(CRFConfig(max_iterations=args.max_iterations))
            t0, c0 = time.perf_counter(), time.process_time()
            snaps = tuner.fit(rows[:n])
            fit_s, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
            info = tuner.info
            print(f"{n:>10} {info['train_tokens']:>8} {info['tags']:>5} {len(snaps):>5} {fit_s:>7.1f} {fit_cpu:>9.1f} {info['featurize_seconds']:>11.1f} {snaps[-1].loss:>10.4f}", flush=True)
            if first_model is None:
                first_model = Path(tmp) / f"model-{n}"
                tuner.save(first_model)
        for j in jobs:
            rate, cpu_rate = mask_throughput(first_model, held_out, j)
            cpu = f"; {cpu_rate:,.0f} rows per CPU-second" if cpu_rate else ""
            print(f"masking with the {sizes[0]}-row model: {rate:,.0f} rows/s wall with {j} process{'es' if j > 1 else ''} ({len(held_out)} rows{cpu}; load {os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":
    main()
