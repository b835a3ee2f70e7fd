"""CRF on one long text: windowed (tuner.max_chars) against whole-text tagging — seconds,
characters/s (CPU time) and peak Python memory (tracemalloc; slows both runs alike).

    python benchmarks/long_text_crf.py                      # 300 kB, train on 1,900 synthetic rows
    python benchmarks/long_text_crf.py --chars 1000000 --train 500 --sizes 4000,1000

The long text is synthetic rows (seeded) joined by blank lines; the model is trained on other
synthetic rows first. Also prints how many spans differ between windowed and whole tagging.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from dataclasses import replace

from piikit.synth.generator import generate
from piikit.tuners.crf.tuner import CRFConfig, CRFTuner


def run(tuner: CRFTuner, text: str, max_chars: int, overlap: int, memory: bool) -> tuple[float, float, float | None, set]:
    tuner.config = replace(tuner.config, max_chars=max_chars, window_overlap=overlap)
    if memory:
        tracemalloc.start()
    t0, c0 = time.perf_counter(), time.process_time()
    spans = tuner.tag_spans(text, "en")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = tracemalloc.get_traced_memory()[1] / 1e6 if memory else None
    if memory:
        tracemalloc.stop()
    return wall, cpu, peak, {(s.start, s.end, s.label) for s in spans}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=300_000)
    ap.add_argument("--train", type=int, default=1900)
    ap.add_argument("--sizes", default="4000,1000", help="window sizes (tuner.max_chars) to compare with whole-text tagging")
    ap.add_argument("--overlap", type=int, default=200)
    ap.add_argument("--memory", action="store_true", help="also measure peak Python memory (slower)")
    args = ap.parse_args()
    tuner = CRFTuner(CRFConfig())
    tuner.fit(generate(args.train, seed=1))
    rows, text = generate(max(200, args.chars // 100), seed=99), ""
    while len(text) < args.chars:
        text += "\n\n".join(r.source_text for r in rows) + "\n\n"
    text = text[: args.chars]
    tuner.tag_spans(text[:5000], "en")  # warm caches
    wall, cpu, peak, whole = run(tuner, text, 0, 0, args.memory)
    print(f"{len(text):,} chars, {len(whole):,} spans")
    print(f"{'max_chars':>10} {'seconds':>8} {'chars/s (CPU)':>14} {'peak MB':>8} {'spans ≠ whole':>14}")
    print(f"{'0 (whole)':>10} {wall:8.2f} {len(text) / cpu:14,.0f} {peak if peak is not None else '-':>8} {0:>14}")
    for size in (int(s) for s in args.sizes.split(",")):
        wall, cpu, peak, got = run(tuner, text, size, min(args.overlap, size - 1), args.memory)
        print(f"{size:>10} {wall:8.2f} {len(text) / cpu:14,.0f} {f'{peak:.1f}' if peak is not None else '-':>8} {len(got ^ whole):>14}")


if __name__ == "__main__":
    main()
