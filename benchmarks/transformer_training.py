"""tuner=transformer CPU training speed: transformers.Trainer (piikit's fit) against the
hand-written PyTorch loop it replaced, on the same rows, settings and machine, in one run.

    python benchmarks/transformer_training.py                      # default rows, 60 steps each, 2 rounds
    python benchmarks/transformer_training.py --steps 100 --rounds 3 --threads 2

The rows are the default run's train split (``piikit stages=[prepare]`` with the default
config: 1,900 synthetic rows, 10 % long documents); the settings are the default
``tuner=transformer`` ones (MiniLM, batch 16, 128-token windows, lr 5e-5, warmup 10 %).
Each fit runs ``--steps`` optimizer steps in a fresh process, the two ways alternating
(loop, trainer, trainer, loop, ...) so a change in the machine's load hits both. Timed: the whole
``fit`` (model load, windowing, training; the Trainer also writes its end-of-epoch checkpoint),
as wall seconds and as the process's CPU seconds — on a shared machine the wall clock mostly
measures the neighbours, the CPU time the work. s/step is CPU time over the steps, and
"3 epochs" multiplies it by the default run's step count.

The old loop is kept here only, as it was in piikit before the Trainer (same windows, same
AdamW with weight decay groups, linear warmup schedule, gradient clipping at 1.0).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def old_loop_fit(tuner, train) -> int:
    """piikit's training loop before transformers.Trainer (verbatim but for the progress bar)."""
    torch, cfg = tuner.torch, tuner.config
    from piikit.tuners.transformer.tuner import resolve_base_model

    random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    tuner.labels = sorted({s.label for r in train for s in r.privacy_mask})
    id2label = {i: lab for i, lab in enumerate(["O"] + [f"{p}-{l}" for l in tuner.labels for p in ("B", "I")])}
    label2id = {lab: i for i, lab in id2label.items()}
    name, local = resolve_base_model(cfg.base_model)
    tuner.tokenizer = tuner._load_tokenizer(name, local)
    tuner.model = tuner.transformers.AutoModelForTokenClassification.from_pretrained(
        name, num_labels=len(id2label), id2label=id2label, label2id=label2id, local_files_only=local, ignore_mismatched_sizes=True
    )
    tuner.model.to(tuner.device)
    examples = tuner._examples(train, label2id)
    per_epoch = math.ceil(len(examples) / cfg.batch_size)
    total = math.ceil(per_epoch * cfg.epochs)
    if cfg.max_steps is not None:
        total = min(total, cfg.max_steps)
    no_decay = ("bias", "LayerNorm.weight", "layer_norm", "norm.weight")
    groups = [
        {"params": [p for n, p in tuner.model.named_parameters() if not any(k in n for k in no_decay)], "weight_decay": cfg.weight_decay},
        {"params": [p for n, p in tuner.model.named_parameters() if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=cfg.learning_rate)
    scheduler = tuner.transformers.get_linear_schedule_with_warmup(optimizer, int(total * cfg.warmup_ratio), total)
    rng = random.Random(cfg.seed)
    step = 0
    tuner.model.train()
    while step < total:
        order = list(range(len(examples)))
        rng.shuffle(order)
        for k in range(0, len(order), cfg.batch_size):
            if step >= total:
                break
            batch = tuner._batch([examples[i] for i in order[k : k + cfg.batch_size]])
            loss = tuner.model(**{key: t.to(tuner.device) for key, t in batch.items()}).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(tuner.model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
    return step


def _cpu_seconds() -> float:
    """CPU time of this process, all threads (less swayed than the wall clock by other load)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker(way: str, train_path: str, steps: int, threads: int, out) -> None:
    from piikit.data.schema import Row
    from piikit.io import read_jsonl
    from piikit.tuners.transformer.tuner import TransformerConfig, TransformerTuner

    train = [Row.from_dict(d) for d in read_jsonl(train_path)]
    tuner = TransformerTuner(TransformerConfig(device="cpu", threads=threads, max_steps=steps))
    t0, c0 = time.perf_counter(), _cpu_seconds()
    done = old_loop_fit(tuner, train) if way == "loop" else tuner.fit(train)[-1].step
    seconds, cpu = time.perf_counter() - t0, _cpu_seconds() - c0
    windows = sum(len(tuner._windows(enc)) for enc in tuner.encode([r.source_text for r in train]))
    out.put({"way": way, "steps": done, "seconds": seconds, "cpu": cpu, "windows": windows})


def default_train_rows(folder: Path) -> Path:
    """The default run's prepared train split."""
    exe = Path(sys.executable).parent / "piikit"
    subprocess.run([str(exe), "stages=[prepare]", f"hydra.run.dir={folder}"], check=True, capture_output=True,
                   env={**os.environ, "PIIKIT_PROGRESS": "0"})
    return folder / "prepare" / "train.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=60, help="optimizer steps per fit")
    ap.add_argument("--rounds", type=int, default=2, help="fits per way, alternating")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (1 is steadiest on a shared machine)")
    args = ap.parse_args()
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        train_path = default_train_rows(Path(tmp) / "prep")
        n_rows = sum(1 for _ in open(train_path, encoding="utf-8"))
        results = []
        for r in range(args.rounds):
            for way in ("loop", "trainer") if r % 2 == 0 else ("trainer", "loop"):
                q = ctx.Queue()
                p = ctx.Process(target=worker, args=(way, str(train_path), args.steps, args.threads, q))
                p.start()
                p.join()
                if p.exitcode != 0:
                    raise SystemExit(f"the {way} fit failed (exit code {p.exitcode})")
                res = q.get()
                results.append(res)
                print(f"  round {r + 1} {way:<8} {res['steps']} steps in {res['seconds']:.1f}s ({res['cpu']:.1f} CPU s)", flush=True)
    windows = results[0]["windows"]
    full_steps = 3 * math.ceil(windows / 16)
    print(f"\n{n_rows} default train rows → {windows} windows; the default 3 epochs are {full_steps} steps; "
          f"torch threads {args.threads}; load average {os.getloadavg()[0]:.1f}\n")
    print("| way | fits | steps | median wall s | median CPU s | CPU s/step | 3 epochs (est., CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for way in ("loop", "trainer"):
        wall = statistics.median(x["seconds"] for x in results if x["way"] == way)
        cpu = statistics.median(x["cpu"] for x in results if x["way"] == way)
        label = "hand-written loop (before)" if way == "loop" else "transformers.Trainer (now)"
        print(f"| {label} | {args.rounds} | {args.steps} | {wall:.1f} | {cpu:.1f} | {cpu / args.steps:.3f} | {cpu / args.steps * full_steps / 60:.0f} min |")


if __name__ == "__main__":
    main()
