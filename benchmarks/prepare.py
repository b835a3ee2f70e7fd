"""Benchmark: synthetic generation + validation + prompt rendering + split (+ writing the
jsonl files, as the prepare stage does).

    python benchmarks/prepare.py                # 209,000 rows (the size of pii-masking-200k)
    python benchmarks/prepare.py --size 20000 --split random
    python benchmarks/prepare.py --long-fraction 0  # short rows only

Prints seconds and rows/s per phase, and the peak RSS. Target: <= 60 s and <= 2 GiB on 2 cores.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from piikit.synth import generator as synthetic  # noqa: E402
from piikit.data.splits import split_rows  # noqa: E402
from piikit.data.validate import validate  # noqa: E402
from piikit.prompts import render  # noqa: E402
from piikit.stages.prepare import _write_rows  # noqa: E402

SEED_ARTICLE = "Given the information below, mask the personal identifiable information.\n\nInput:\n{input}\n\nOutput:"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=209_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--split", default="head_tail", choices=["head_tail", "random", "stratified"])
    ap.add_argument("--long-fraction", type=float, default=0.1,
                    help="share of long documents (default 0.1, as dataset=synthetic: SyntheticDatasetConfig)")
    ap.add_argument("--no-write", action="store_true", help="skip writing train/test jsonl")
    args = ap.parse_args()

    n_test = max(1, args.size // 20)
    split_cfg = SimpleNamespace(name=args.split, n_train=args.size - n_test, n_test=n_test, test_fraction=0.05, seed=0, dedupe="drop")
    times: dict[str, float] = {}

    t = time.perf_counter()
    for code in synthetic.DEFAULT_LANGUAGES:
        synthetic.build_language(code, args.seed)
    times["value pools (Faker)"] = time.perf_counter() - t

    t = time.perf_counter()
    rows = synthetic.generate(args.size, args.seed, long_fraction=args.long_fraction)
    times["generate rows"] = time.perf_counter() - t

    t = time.perf_counter()
    valid, report = validate(rows, "fail")
    times["validate"] = time.perf_counter() - t

    t = time.perf_counter()
    for row in valid:
        row.prompt = render(SEED_ARTICLE, row.source_text)
    times["render prompts"] = time.perf_counter() - t

    t = time.perf_counter()
    split = split_rows(valid, split_cfg)
    times[f"split ({args.split}, dedupe)"] = time.perf_counter() - t

    if not args.no_write:
        t = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            digest = hashlib.sha256()
            _write_rows(Path(tmp) / "train.jsonl", split.train, digest)
            _write_rows(Path(tmp) / "test.jsonl", split.test, digest)
        times["write jsonl + fingerprint"] = time.perf_counter() - t

    total = sum(times.values())
    n_long = sum(len(r.source_text) >= 1000 for r in rows)
    print(f"rows: {args.size:,} ({n_long:,} of >= 1,000 characters; long_fraction={args.long_fraction}), {sum(len(r.source_text) for r in rows) / 1e6:.0f} M characters")
    print(f"  (train {len(split.train):,}, test {len(split.test):,}, deduped {split.dropped}, invalid {report.invalid})")
    for name, sec in times.items():
        print(f"  {name:<28} {sec:7.2f} s   {args.size / sec:>12,.0f} rows/s")
    print(f"  {'total':<28} {total:7.2f} s   {args.size / total:>12,.0f} rows/s")
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(f"CPU time: {ru.ru_utime + ru.ru_stime:.1f} s (wall time above includes waiting for a busy CPU)")
    print(f"peak RSS: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
