"""Dev loop for generalisation: train the default CRF on synthetic data, score a dev set.

    python benchmarks/generalise.py --dev ../shared/data/presidio-research-dev.jsonl
    python benchmarks/generalise.py --dev DEV --size 800 --iterations 30   # quicker, rougher
    python benchmarks/generalise.py --train-languages en,de,fr --test-languages es,it,nl

Uses the default config (``piikit``'s own defaults, composed through Hydra) unless overridden,
prints token-level type-agnostic P/R/F1/F2 (presidio-research's measure), overlap P/R/F2, leak
rate and fidelity on the dev set, plus the in-distribution test split; ``--errors N`` prints
the tokens most often missed / wrongly masked. The dev set is only read, never trained on.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("PIIKIT_PROGRESS", "0")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def compose(overrides: list[str]):
    from hydra import compose as hydra_compose
    from hydra import initialize_config_module
    from omegaconf import OmegaConf

    from piikit.config import register_configs

    register_configs()
    with initialize_config_module(config_module="piikit.conf", version_base="1.3"):
        return OmegaConf.to_object(hydra_compose(config_name="config", overrides=overrides))


def score(rows, preds, label_map=None) -> dict:
    from piikit.evaluate import build_context
    from piikit.evaluate.metrics import FidelityEvaluator, LeakEvaluator, SpanEvaluator, TokenEvaluator

    ctx = build_context(rows, preds, label_map=label_map or {})
    out = {}
    for ev in (TokenEvaluator(), SpanEvaluator(), LeakEvaluator(), FidelityEvaluator()):
        out.update({k: v for k, v in ev.evaluate(rows, preds, ctx).items() if isinstance(v, (int, float))})
    return out, ctx


KEYS = ("token_precision", "token_recall", "token_f1", "token_f2", "overlap_precision", "overlap_recall", "overlap_f2", "leak_rate",
        "fidelity", "over_masking")


def line(name: str, m: dict, rows, seconds: float) -> str:
    chars = sum(len(r.source_text or "") for r in rows)
    return (f"{name:<22} " + " ".join(f"{m.get(k, float('nan')):6.3f}" for k in KEYS)
            + f"  {len(rows) / seconds:7.0f} rows/s {chars / seconds:9,.0f} chars/s {seconds / len(rows) * 1000:7.1f} ms/row")


def errors(rows, ctx, top: int) -> None:
    from piikit.evaluate.metrics import _token_ids  # noqa: PLC2701 (dev tool)

    missed, extra = Counter(), Counter()
    for row, g, p in zip(rows, ctx.gold, ctx.pred):
        gi, pi = _token_ids(row.source_text, g), _token_ids(row.source_text, p)
        text = row.source_text
        for a in gi - pi:
            missed[text[a:].split(None, 1)[0]] += 1
        for a in pi - gi:
            extra[text[a:].split(None, 1)[0]] += 1
    print("missed :", ", ".join(f"{w}×{c}" for w, c in missed.most_common(top)))
    print("extra  :", ", ".join(f"{w}×{c}" for w, c in extra.most_common(top)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", action="append", default=[], help="a dev set (jsonl rows); repeatable")
    ap.add_argument("--size", type=int, help="dataset.size (default: the config's)")
    ap.add_argument("--iterations", type=int, help="tuner.max_iterations (default: the config's)")
    ap.add_argument("--train-languages", help="e.g. en,de,fr (default: all)")
    ap.add_argument("--test-languages", help="score a synthetic split in these languages too, e.g. es,it,nl")
    ap.add_argument("--max-dev-rows", type=int)
    ap.add_argument("--errors", type=int, default=0, help="print the N most missed / over-masked tokens")
    ap.add_argument("overrides", nargs="*", help="more config overrides, e.g. tuner.c1=0.1")
    args = ap.parse_args()

    from piikit.data.loaders import load_local
    from piikit.data.splits import split_rows
    from piikit.synth.generator import generate
    from piikit.tuners.crf.tuner import CRFTuner

    overrides = list(args.overrides)
    if args.size:
        overrides.append(f"dataset.size={args.size}")
    if args.iterations:
        overrides.append(f"tuner.max_iterations={args.iterations}")
    cfg = compose(overrides)
    langs = args.train_languages.split(",") if args.train_languages else cfg.dataset.languages
    t0 = time.perf_counter()
    d = cfg.dataset
    rows = generate(d.size, d.seed, langs, long_fraction=d.long_fraction, long_chars=d.long_chars, long_pii_share=d.long_pii_share)
    split = split_rows(rows, cfg.split)
    t1 = time.perf_counter()
    tuner = CRFTuner(cfg.tuner)
    tuner.fit(split.train)
    t2 = time.perf_counter()
    print(f"train: {len(split.train)} synthetic rows ({','.join(langs or ['all'])}; long_fraction {d.long_fraction}), "
          f"generate {t1 - t0:.1f}s, fit {t2 - t1:.1f}s")
    print(f"{'set':<22} " + " ".join(f"{h:>6}" for h in ("tokP", "tokR", "tokF1", "tokF2", "ovP", "ovR", "ovF2", "leak", "fidel", "overm")))

    def run(name, test):
        t = time.perf_counter()
        preds = list(tuner.predict(test))
        dt = time.perf_counter() - t
        m, ctx = score(test, preds)
        print(line(name, m, test, dt), flush=True)
        return m, ctx

    run("synthetic test", split.test)
    if args.test_languages:
        other = generate(1000, cfg.dataset.seed + 1, args.test_languages.split(","))
        run(f"synthetic {args.test_languages}", other)
    for dev in args.dev:
        from types import SimpleNamespace

        from piikit.config import LOCAL_COLUMNS

        dcfg = SimpleNamespace(path=dev, format=None, columns=dict.fromkeys(LOCAL_COLUMNS), languages=None, max_rows=args.max_dev_rows)
        test = load_local(dcfg)
        if args.max_dev_rows:
            test = test[: args.max_dev_rows]
        m, ctx = run(Path(dev).stem[:22], test)
        if args.errors:
            errors(test, ctx, args.errors)


if __name__ == "__main__":
    main()
