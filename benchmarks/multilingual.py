"""Quality and cost of piikit's offline models on text someone else wrote, over training seeds.

    python benchmarks/multilingual.py --dev ../shared/data/presidio-research-dev.jsonl \
        --dev ../shared/data/meddocan-train-dev.jsonl --model crf --model e5=experiment=e5 --seeds 42,1,2
    python benchmarks/multilingual.py --unseen --model crf --model e5=experiment=e5 --seeds 42,1,2

A model is ``NAME=OVERRIDES`` (space-separated piikit overrides; ``crf`` alone means the
default run). ``@NAME`` in an override is the run dir of the model NAME listed before it, same
seed: ``ens=tuner=ensemble tuner.members=[{name:crf,model:@crf},{name:transformer,model:@e5},rules]``
combines already-trained members instead of training them again, and ``--combine
ens=crf+e5+rules`` does the same from the members' saved predictions, through the ensemble
tuner's own ``combine`` (union, the default trust), without predicting again (``:join``
after the strategy also joins the result into one span per value, as ``tuner.join_values``
does: ``--combine "e5j=e5:union:join"`` is the e5 tagger's predictions joined): its speed is
its members' speeds together. For every model and seed it trains with the real CLI, exactly as a user would
(``piikit <overrides> seed=S dataset.seed=S stages=[prepare,tune]``: synthetic data only, the
dev sets are never trained on), recording wall time, CPU time and peak memory; then, in a
child process, it loads the run's model, masks every dev set (rows/s, chars/s, peak memory),
writes the predictions in the reference scorer's format and scores them with
``--scorer`` (``../shared/tools/score.py`` by default when it exists) next to piikit's own
metrics. The table gives the mean over the seeds with the min–max spread.

``--unseen`` trains on en/de/fr only and scores synthetic rows in es/it/nl (and, for the
in-distribution comparison, in en/de/fr): how much a model loses on languages it never saw.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import resource
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("PIIKIT_PROGRESS", "0")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_SCORER = ROOT.parent / "shared" / "tools" / "score.py"


def train(run_dir: Path, overrides: list[str], seed: int) -> dict:
    """Train with the CLI in a child process; its wall/CPU time and peak memory."""
    cmd = [sys.executable, "-m", "piikit.cli", *overrides, f"seed={seed}", f"dataset.seed={seed}", "stages=[prepare,tune]",
           f"hydra.run.dir={run_dir}"]
    if (run_dir / "tune" / "manifest.json").is_file():
        return json.loads((run_dir / "bench_train.json").read_text())
    import tempfile

    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own usage (RUSAGE_CHILDREN's peak is the max of all children so far)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        if proc.returncode:
            err.seek(0)
            sys.exit(f"training failed ({shlex.join(cmd)}):\n{err.read()[-2000:]}")
    tune = json.loads((run_dir / "tune" / "manifest.json").read_text())
    out = {"train_wall_s": wall, "train_cpu_s": usage.ru_utime + usage.ru_stime, "train_peak_mb": usage.ru_maxrss / 1024,
           "tune_s": tune.get("seconds")}
    (run_dir / "bench_train.json").write_text(json.dumps(out))
    return out


def _predict_worker(run_dir: str, dev: str, pred_path: str, languages, out) -> None:
    from piikit.data.schema import Row
    from piikit.io import read_jsonl, write_jsonl
    from piikit.io.formats import spans_json
    from piikit.model import load_model, resolve_model

    if dev.startswith("synthetic:"):
        from piikit.synth.generator import generate

        _, size, seed = dev.split(":")
        rows = generate(int(size), seed=int(seed), languages=languages)
        write_jsonl(pred_path + ".gold.jsonl", [r.to_dict() for r in rows])
    else:
        rows = [Row.from_dict({"id": i, **d}) for i, d in enumerate(read_jsonl(dev))]
    model = load_model(resolve_model(run_dir, None, None))
    t0 = time.perf_counter()
    preds = list(model.predict(rows))
    seconds = time.perf_counter() - t0
    write_jsonl(pred_path, [{"index": i, "spans": spans_json(p.spans or []),
                             "prediction": p.prediction} for i, p in enumerate(preds)])
    from generalise import score

    own, _ = score(rows, preds)
    out.put({"rows_per_s": len(rows) / seconds, "chars_per_s": sum(len(r.source_text) for r in rows) / seconds,
             "predict_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "piikit": own})


def predict(run_dir: Path, dev: str, pred_path: Path, languages=None) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_predict_worker, args=(str(run_dir), dev, str(pred_path), languages, q))
    p.start()
    result = q.get()
    p.join()
    return result


def reference_score(scorer: Path, gold: str, pred: Path) -> dict:
    js = pred.with_suffix(".score.json")
    subprocess.run([sys.executable, str(scorer), gold, str(pred), "--json", str(js)], check=True, capture_output=True)
    return json.loads(js.read_text())


def flat(d: dict, prefix: str = "") -> dict[str, float]:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flat(v, f"{prefix}{k}."))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out[f"{prefix}{k}"] = float(v)
    return out


SHOW = [  # (column, key in the flattened results)
    ("tokP", "ref.token.p"), ("tokR", "ref.token.r"), ("tokF2", "ref.token.f2"),
    ("ovP", "ref.overlap.p"), ("ovR", "ref.overlap.r"), ("ovF2", "ref.overlap.f2"), ("leak", "ref.leak.rate"),
    ("pk.ovF2", "piikit.overlap_f2"), ("pk.leak", "piikit.leak_rate"), ("rows/s", "rows_per_s"), ("chars/s", "chars_per_s"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", action="append", default=[], help="a dev set (jsonl rows), repeatable; never trained on")
    ap.add_argument("--model", action="append", default=[], help="NAME or NAME=OVERRIDES (e.g. e5=experiment=e5), repeatable")
    ap.add_argument("--seeds", default="42,1,2")
    ap.add_argument("--unseen", action="store_true", help="train on en/de/fr, score synthetic es/it/nl and en/de/fr")
    ap.add_argument("--unseen-rows", type=int, default=600)
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER if DEFAULT_SCORER.is_file() else None)
    ap.add_argument("--out", type=Path, default=Path("outputs/bench-multilingual"))
    ap.add_argument("--json", type=Path, help="also write every number here")
    ap.add_argument("--combine", action="append", default=[], help="NAME=MEMBER+MEMBER[+rules][:strategy][:join], from saved predictions")
    ap.add_argument("--table", type=Path, help="only print the table of an earlier run's --json file")
    args = ap.parse_args()
    if args.table:
        saved = json.loads(args.table.read_text())
        table({tuple(k.split("|")): v for k, v in saved.items()}, ["(saved)"])
        return
    if args.scorer is None:
        sys.exit("no reference scorer: pass --scorer PATH/score.py")
    subprocess.run([sys.executable, str(args.scorer), "--selftest"], check=True, capture_output=True)
    models = [(m.partition("=")[0], m.partition("=")[2].split()) for m in args.model or ["crf"]]
    seeds = [int(s) for s in args.seeds.split(",")]
    sets = [(Path(d).stem, d, None) for d in args.dev]
    extra: list[str] = []
    if args.unseen:
        extra = ["dataset.languages=[en,de,fr]"]
        sets = [("seen-en-de-fr", f"synthetic:{args.unseen_rows}:999", ["en", "de", "fr"]),
                ("unseen-es-it-nl", f"synthetic:{args.unseen_rows}:999", ["es", "it", "nl"])]
    results: dict = {}
    runs: dict[tuple[str, int], Path] = {}
    for seed in seeds:  # seed-major: every model has results for the first seeds even if a run is cut short
        for name, overrides in models:
            run_dir = (args.out / f"{name}{'-unseen' if args.unseen else ''}-s{seed}").resolve()
            run_dir.parent.mkdir(parents=True, exist_ok=True)
            resolved = [re.sub(r"@(\w+)", lambda m: str(runs[m.group(1), seed]), o) for o in overrides]
            cost = train(run_dir, resolved + extra, seed)
            runs[name, seed] = run_dir
            print(f"# {name} seed {seed}: trained in {cost['train_wall_s']:.0f}s wall, {cost['train_cpu_s']:.0f}s CPU, "
                  f"peak {cost['train_peak_mb']:.0f} MB", flush=True)
            for set_name, dev, languages in sets:
                pred = run_dir / f"pred-{set_name}.jsonl"
                done = pred.with_suffix(".result.json")  # a rerun only prints what was measured before
                if done.is_file():
                    got = json.loads(done.read_text())
                else:
                    got = predict(run_dir, dev, pred, languages)
                    gold = str(pred) + ".gold.jsonl" if dev.startswith("synthetic:") else dev
                    got["ref"] = reference_score(args.scorer, gold, pred)
                    done.write_text(json.dumps(got))
                results.setdefault((name, set_name), []).append({**flat(got), **cost})
                print(f"#   {set_name}: " + " ".join(f"{c}={flat(got).get(k, float('nan')):.3f}" for c, k in SHOW[:7]), flush=True)
        for spec in args.combine:
            name, _, members = spec.partition("=")
            members, _, strategy = members.partition(":")
            strategy, _, join = strategy.partition(":")
            for set_name, dev, languages in sets:
                got = combined(args, [m for m in members.split("+")], strategy or "union", seed, set_name, dev, runs, join == "join")
                results.setdefault((name, set_name), []).append(flat(got))
                print(f"#   {name} {set_name}: " + " ".join(f"{c}={flat(got).get(k, float('nan')):.3f}" for c, k in SHOW[:7]), flush=True)
        if args.json:  # after every run, so a cut-short benchmark keeps what it measured
            args.json.write_text(json.dumps({f"{n}|{st}": r for (n, st), r in results.items()}, indent=2))
    table(results, seeds)


def combined(args, members: list[str], strategy: str, seed: int, set_name: str, dev: str, runs: dict, join: bool = False) -> dict:
    """An ensemble of already-measured members, from their saved predictions (``rules`` is run here)."""
    from generalise import score

    from piikit.data.schema import Prediction, Row, Span, join_values, mask_text
    from piikit.io import read_jsonl, write_jsonl
    from piikit.io.formats import spans_json
    from piikit.tuners.ensemble import TRUST_RULES, Vote, combine
    from piikit.tuners.rules import RulesConfig, RulesTuner

    gold_path = str(runs[members[0], seed] / f"pred-{set_name}.jsonl") + ".gold.jsonl" if dev.startswith("synthetic:") else dev
    rows = [Row.from_dict({"id": i, **d}) for i, d in enumerate(read_jsonl(gold_path))]
    votes: list[list[Vote]] = [[] for _ in rows]
    for member in members:
        if member == "rules":
            preds = [p.spans for p in RulesTuner(RulesConfig()).predict(rows)]
        else:
            preds = [[Span(s["start"], s["end"], s["label"], "") for s in p["spans"]] for p in read_jsonl(runs[member, seed] / f"pred-{set_name}.jsonl")]
        for i, spans in enumerate(preds):
            votes[i].append(Vote(member, [Span(s.start, s.end, s.label, rows[i].source_text[s.start:s.end]) for s in spans]))
    trust = {label: m for label, m in TRUST_RULES.items() if m in members}
    out = []
    for row, vs in zip(rows, votes):
        spans = combine(row.source_text, vs, strategy=strategy, trust=trust)
        if join:
            spans = join_values(row.source_text, spans)
        out.append(Prediction(id=row.id, prediction=mask_text(row.source_text, spans), spans=spans))
    pred = args.out / f"ens-{'+'.join(members)}-{strategy}{'-join' if join else ''}-s{seed}-{set_name}.jsonl"
    write_jsonl(pred, [{"index": i, "spans": spans_json(p.spans), "prediction": p.prediction}
                       for i, p in enumerate(out)])
    own, _ = score(rows, out)
    return {"piikit": own, "ref": reference_score(args.scorer, gold_path, pred)}


def table(results: dict, seeds) -> None:
    print("\nmean over seeds " + ",".join(map(str, seeds)) + " [min–max]; ref.* = the reference scorer, pk.* = piikit's own")
    print(f"{'model':<10} {'set':<28} " + " ".join(f"{c:>17}" for c, _ in SHOW) + f" {'train s (wall)':>18} {'train MB':>10}")
    for (name, set_name), runs in results.items():
        cells = []
        for _, key in SHOW + [("", "train_wall_s"), ("", "train_peak_mb")]:
            vals = [r[key] for r in runs if key in r]
            if not vals:
                cells.append(f"{'-':>17}")
                continue
            fmt = "{:.0f}" if key in ("rows_per_s", "chars_per_s", "train_wall_s", "train_peak_mb") else "{:.3f}"
            mean = statistics.mean(vals)
            cells.append(f"{fmt.format(mean)} [{fmt.format(min(vals))}–{fmt.format(max(vals))}]".rjust(17))
        print(f"{name:<10} {set_name:<28} " + " ".join(cells))


if __name__ == "__main__":
    main()
