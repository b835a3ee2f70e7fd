"""CRF, transformer, rules and their ensembles on text written elsewhere: quality and cost.

    python benchmarks/ensembles.py ../shared/data/presidio-research-dev.jsonl ../shared/data/meddocan-train-dev.jsonl
    python benchmarks/ensembles.py DEV.jsonl [DEV2.jsonl ...] --train 2000 --limit 500 --epochs 3

The trainable models learn from piikit's synthetic rows only (``--train`` rows, all languages,
seeded, ``--long-fraction`` of them long documents as in the default config) — never from the
dev sets, which are only read to score. Every model trains, and predicts each dev set, in a
fresh process, so the peak memory printed (max RSS) is that model's alone and the CPU time is
not shared with the other models.

Ensembles (members crf + transformer + rules, the ensemble tuner's default trust for IBAN,
CREDITCARDNUMBER and EMAIL) combine the members' predictions with the ensemble tuner's own
``combine``; their rows/s is the members' prediction times added up plus the combining time
(what ``tuner=ensemble`` spends, without loading the models three times over).

Scores are type-agnostic, as the dev sets use other label schemes than ai4privacy's: token
level over whitespace tokens (presidio-research style; precision, recall, F2 with β=2 since a
missed PII token costs more than an extra mask), and the leak rate: the share of gold PII
values that appear verbatim in the masked output.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import tempfile
import time
from pathlib import Path



def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _member(name: str, args):
    from piikit.tuners.base import build_tuner

    if name == "crf":
        from piikit.tuners.crf.tuner import CRFConfig as C
    elif name == "transformer":
        from piikit.tuners.transformer.tuner import TransformerConfig as C
    else:
        from piikit.tuners.rules import RulesConfig as C
    kwargs = {"epochs": args.epochs, "max_length": args.max_length, "threads": args.threads} if name == "transformer" else {}
    return build_tuner(C(**kwargs), None)


def train_worker(name: str, args, model_dir: str, out) -> None:
    from piikit.synth.generator import generate

    rows = generate(args.train, seed=args.seed, long_fraction=args.long_fraction)
    tuner = _member(name, args)
    t0 = time.perf_counter()
    snapshots = tuner.fit(rows)
    seconds = time.perf_counter() - t0
    tuner.save(Path(model_dir))
    out.put({"seconds": seconds, "peak_mb": _peak_mb(), "final_loss": snapshots[-1].loss if snapshots else None})


def predict_worker(name: str, args, model_dir: str | None, dev: str, pred_path: str, out) -> None:
    from piikit.data.schema import Row
    from piikit.io import read_jsonl, write_jsonl

    rows = [Row.from_dict({"id": i, **d}) for i, d in enumerate(read_jsonl(dev))][: args.limit]
    tuner = _member(name, args)
    if model_dir:
        tuner.load(Path(model_dir))
    t0 = time.perf_counter()
    preds = [p.to_dict() for p in tuner.predict(rows)]
    seconds = time.perf_counter() - t0
    write_jsonl(pred_path, preds)
    out.put({"seconds": seconds, "peak_mb": _peak_mb()})


def in_child(target, *args) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(*args, q))
    p.start()
    result = q.get()
    p.join()
    if p.exitcode:
        raise SystemExit(f"{target.__name__}{args[:1]} failed with exit code {p.exitcode}")
    return result


def scores(rows, preds) -> dict[str, float]:
    from piikit.evaluate import build_context
    from piikit.evaluate.metrics import LeakEvaluator, TokenEvaluator

    ctx = build_context(rows, preds)
    token = TokenEvaluator().evaluate(rows, preds, ctx)
    leak = LeakEvaluator().evaluate(rows, preds, ctx)
    return {"P": token["token_precision"], "R": token["token_recall"], "F2": token["token_f2"], "leak": leak["leak_rate"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dev", nargs="+", help="dev sets (piikit row jsonl) to score on — never trained on")
    ap.add_argument("--train", type=int, default=2000, help="synthetic training rows")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N rows of each dev set")
    ap.add_argument("--epochs", type=float, default=3.0, help="transformer epochs")
    ap.add_argument("--max-length", type=int, default=128, help="transformer window, tokens")
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's, one per core)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--long-fraction", type=float, default=0.1, help="share of long synthetic documents (the default config's 0.1)")
    ap.add_argument("--json", help="also write all numbers to this file")
    args = ap.parse_args()
    os.environ.setdefault("PIIKIT_PROGRESS", "0")

    from piikit.data.schema import Prediction, Row, mask_text
    from piikit.io import read_jsonl
    from piikit.tuners.ensemble import TRUST_RULES, Vote, combine

    tmp = Path(tempfile.mkdtemp(prefix="piikit-bench-"))
    report: dict = {"args": vars(args), "cpus": os.cpu_count(), "train": {}, "dev": {}}
    models = {}
    for name in ("crf", "transformer"):
        models[name] = str(tmp / name)
        r = in_child(train_worker, name, args, models[name])
        report["train"][name] = r
        print(f"trained {name} on {args.train} synthetic rows: {r['seconds']:.1f}s, peak {r['peak_mb']:.0f} MB", flush=True)

    for dev in args.dev:
        rows = [Row.from_dict({"id": i, **d}) for i, d in enumerate(read_jsonl(dev))][: args.limit]
        member_preds, results = {}, {}
        for name in ("rules", "crf", "transformer"):
            path = tmp / f"{Path(dev).stem}.{name}.jsonl"
            r = in_child(predict_worker, name, args, models.get(name), dev, str(path))
            member_preds[name] = [Prediction.from_dict(d) for d in read_jsonl(path)]
            results[name] = {**scores(rows, member_preds[name]), "rows_per_s": len(rows) / r["seconds"], "peak_mb": r["peak_mb"], "seconds": r["seconds"]}
        member_seconds = sum(results[n]["seconds"] for n in ("rules", "crf", "transformer"))
        for strategy in ("union", "vote"):
            t0 = time.perf_counter()
            preds = []
            for i, row in enumerate(rows):
                votes = [Vote(n, member_preds[n][i].spans or []) for n in ("crf", "transformer", "rules") if not member_preds[n][i].error]
                spans = combine(row.source_text, votes, strategy, trust=TRUST_RULES)
                preds.append(Prediction(row.id, mask_text(row.source_text, spans), spans))
            seconds = member_seconds + time.perf_counter() - t0
            peak = max(results[n]["peak_mb"] for n in ("crf", "transformer"))
            results[f"ensemble {strategy}"] = {**scores(rows, preds), "rows_per_s": len(rows) / seconds, "peak_mb": peak, "seconds": seconds}
        report["dev"][dev] = {"rows": len(rows), "results": results}

        print(f"\n{Path(dev).name}: {len(rows)} rows (type-agnostic token P/R/F2, leak = gold values left verbatim)")
        print(f"{'tuner':<18} {'P':>6} {'R':>6} {'F2':>6} {'leak':>7} {'rows/s':>9} {'peak MB':>8}")
        for name, r in results.items():
            print(f"{name:<18} {r['P']:6.3f} {r['R']:6.3f} {r['F2']:6.3f} {r['leak']:7.2%} {r['rows_per_s']:9.1f} {r['peak_mb']:8.0f}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
