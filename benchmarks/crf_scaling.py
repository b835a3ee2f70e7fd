"""How CRF quality grows with training data: span F1 and leak rate for 1,900 / 10,000 / 50,000
training rows, overall and per language, on one held-out synthetic test set.

    python benchmarks/crf_scaling.py                       # sizes 1900,10000,50000; 2,000 test rows
    python benchmarks/crf_scaling.py --sizes 1900,10000 --test 1000
    python benchmarks/crf_scaling.py --data rows.jsonl     # your own rows instead of synthetic ones

Scores come from the evaluate stage's own evaluators (span, leak), so the numbers mean exactly
what ``evaluate/metrics.json`` means: ``overlap_f1`` is type-agnostic span F1 (a span counts
when it overlaps one on the other side), ``span_f1`` is strict (same start, end and label),
``leak_rate`` is the share of gold PII values left verbatim in the masked text.
"""

from __future__ import annotations

import argparse
import os
import time

from piikit.data.schema import Row
from piikit.tuners.crf.tuner import CRFConfig, CRFTuner


def score(rows: list[Row], predictions) -> dict:
    from piikit.evaluate import build_context
    from piikit.evaluate.metrics import LeakEvaluator, SpanEvaluator

    ctx = build_context(rows, predictions)
    span = SpanEvaluator().evaluate(rows, predictions, ctx)
    leak = LeakEvaluator().evaluate(rows, predictions, ctx)
    per_language = {lang: {**v, **leak["per_language"].get(lang, {})} for lang, v in span["per_language"].items()}
    return {**span, "leak_rate": leak["leak_rate"], "per_language": per_language}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1900,10000,50000", help="training sizes, comma-separated")
    ap.add_argument("--test", type=int, default=2000, help="held-out test rows (after the largest train size)")
    ap.add_argument("--max-iterations", type=int, default=CRFConfig().max_iterations)
    ap.add_argument("--data", help="a jsonl of piikit rows instead of synthetic data")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    os.environ.setdefault("PIIKIT_PROGRESS", "0")
    sizes = [int(x) for x in args.sizes.split(",")]
    n = max(sizes) + args.test
    if args.data:
        from piikit.io import read_jsonl

        rows = [Row.from_dict(d) for d in read_jsonl(args.data)][:n]
    else:
        from piikit.synth.generator import generate

        rows = generate(n, seed=args.seed)
    test = rows[max(sizes) :]
    print(f"test: {len(test)} held-out rows; max_iterations={args.max_iterations}")
    print(f"{'train rows':>10} {'overlap F1':>10} {'span F1':>8} {'leak rate':>9} {'fit s':>7}   per language: overlap F1 / span F1 / leak rate")
    for size in sizes:
        tuner = CRFTuner(CRFConfig(max_iterations=args.max_iterations))
        t0 = time.perf_counter()
        tuner.fit(rows[:size])
        fit_s = time.perf_counter() - t0
        m = score(test, list(tuner.predict(test)))
        langs = "  ".join(
            f"{lang} {v['overlap_f1']:.3f}/{v['span_f1']:.3f}/{v['leak_rate']:.3f}"
            for lang, v in sorted(m["per_language"].items())
        )
        print(f"{size:>10} {m['overlap_f1']:>10.4f} {m['span_f1']:>8.4f} {m['leak_rate']:>9.4f} {fit_s:>7.1f}   {langs}", flush=True)


if __name__ == "__main__":
    main()
