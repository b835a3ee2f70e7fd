"""Benchmark the mask stage: rows/s and peak memory on 100,000 and 1,000,000 synthetic rows.

    python benchmarks/mask.py                      # 100k and 1M rows, workers = cores
    python benchmarks/mask.py --sizes 20000 --workers 2 --strategy pseudonymize

1. trains a small CRF (``tuner=crf``) on invented Faker rows and saves it as a run dir
   (``tune/model`` + ``tune/manifest.json``), exactly what the tune stage leaves behind;
2. writes a JSONL corpus of each size (other invented rows, same shapes);
3. runs ``piikit stages=[mask]`` on it as a user would (a subprocess), watching every process
   of the job in /proc for peak RSS;
4. prints rows/s (the stage's own timing and wall time incl. start-up) and peak RSS of the
   main process, of the largest worker, and of the whole job.

Targets (issue 9): ≥ 2,000 rows/s on 2 cores; peak RSS within 20 % between the two sizes.
Needs the CRF tuner (``pip install -e .`` brings python-crfsuite). Nothing here reads
../shared; all text is generated.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

TEMPLATES = [
    "Hi {FIRSTNAME}, your appointment on {DATE} is confirmed. Call {PHONENUMBER} to reschedule.",
    "Please wire the deposit to IBAN {IBAN} before Friday, {FIRSTNAME} {LASTNAME}.",
    "Ticket #{n}: customer {FIRSTNAME} {LASTNAME} ({EMAIL}) reports that the export fails.",
    "Ship the replacement to {STREET}, {CITY} and send the tracking code to {EMAIL}.",
    "The meeting notes were circulated to the team; no further action is needed this week.",
    "{FIRSTNAME} logged in from {IPV4} with username {USERNAME} at {TIME}.",
    "Dear {PREFIX} {LASTNAME}, we received your claim dated {DATE} regarding account {ACCOUNTNUMBER}.",
]


def _faker_values(fake) -> dict[str, str]:
    return {
        "FIRSTNAME": fake.first_name(), "LASTNAME": fake.last_name(), "EMAIL": fake.email(),
        "PHONENUMBER": fake.phone_number(), "DATE": fake.date(), "IBAN": fake.iban(),
        "STREET": fake.street_address(), "CITY": fake.city(), "IPV4": fake.ipv4(),
        "USERNAME": fake.user_name(), "TIME": fake.time(), "PREFIX": fake.prefix(),
        "ACCOUNTNUMBER": fake.bban(),
    }


def make_row(fake, rng: random.Random, i: int):
    """One invented row with its PII spans (the ai4privacy shape)."""
    from piikit.data.schema import Row, Span

    values = _faker_values(fake)
    template = rng.choice(TEMPLATES)
    text, spans, pos = "", [], 0
    import re

    for m in re.finditer(r"\{(\w+)\}", template):
        text += template[pos : m.start()]
        key = m.group(1)
        value = str(i) if key == "n" else values[key]
        if key != "n":
            spans.append(Span(len(text), len(text) + len(value), key, value))
        text += value
        pos = m.end()
    text += template[pos:]
    return Row(id=str(i), source_text=text, privacy_mask=spans)


def train_crf(run_dir: Path, n_train: int, seed: int) -> None:
    from faker import Faker

    from piikit.io import write_json
    from piikit.tuners.crf.tuner import CRFConfig, CRFTuner

    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    train = [make_row(fake, rng, i) for i in range(n_train)]
    config = CRFConfig(max_iterations=50)
    tuner = CRFTuner(config)
    t0 = time.perf_counter()
    tuner.fit(train)
    tuner.save(run_dir / "tune" / "model")
    write_json(run_dir / "tune" / "manifest.json", {"stage": "tune", "tuner": asdict(config), "train_rows": n_train})
    print(f"trained a CRF on {n_train:,} rows in {time.perf_counter() - t0:.1f}s", flush=True)


def write_corpus(path: Path, n: int, seed: int) -> None:
    """n rows; generated from a pool of 5,000 Faker value sets so writing 1M rows is quick."""
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    pool = [make_row(fake, rng, i).source_text for i in range(5000)]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": i, "text": pool[rng.randrange(len(pool))], "meta": {"source": "bench"}}) + "\n")


class TreeWatcher:
    """Polls /proc for a process and its descendants: peak RSS per process and in total."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval = pid, interval
        self.main_peak = self.worker_peak = self.total_peak = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _children(self, pid: int) -> list[int]:
        out = []
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                out += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
        return out

    @staticmethod
    def _kb(pid: int, key: str) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError):
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            tree, todo = [], [self.pid]
            while todo:
                p = todo.pop()
                tree.append(p)
                todo += self._children(p)
            self.main_peak = max(self.main_peak, self._kb(self.pid, "VmHWM"))
            for p in tree[1:]:
                self.worker_peak = max(self.worker_peak, self._kb(p, "VmHWM"))
            self.total_peak = max(self.total_peak, sum(self._kb(p, "VmRSS") for p in tree))
            time.sleep(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self.thread.join()


def run_mask(work: Path, corpus: Path, model_run: Path | None, workers: int | None, strategy: str, batch_size: int, tuner: str = "crf") -> dict:
    out = work / f"out-{corpus.stem}"
    model = [f"mask.model={model_run}"] if model_run else [f"tuner={tuner}"]
    args = [str(Path(sys.executable).parent / "piikit"), "stages=[mask]", f"mask.input={corpus}", *model,
            f"mask.output={out}", f"mask.strategy={strategy}", f"mask.batch_size={batch_size}", "mask.salt=bench",
            f"hydra.run.dir={work / ('run-' + corpus.stem)}"]
    if workers:
        args.append(f"mask.workers={workers}")
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=work, env={**os.environ, "PIIKIT_PROGRESS": "0"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watcher = TreeWatcher(proc.pid)
    stdout, stderr = proc.communicate()
    watcher.stop()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"piikit failed ({proc.returncode}):\n{stdout}\n{stderr}")
    manifest = json.loads((work / ("run-" + corpus.stem) / "mask" / "manifest.json").read_text())
    return {"manifest": manifest, "wall": wall, "main_mb": watcher.main_peak / 1024, "worker_mb": watcher.worker_peak / 1024, "total_mb": watcher.total_peak / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--workers", type=int, default=None, help="mask.workers (default: one per core)")
    ap.add_argument("--strategy", default="placeholder")
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--train-rows", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the work dir")
    ap.add_argument("--tuner", default="crf", choices=["crf", "rules", "identity"],
                    help="crf (trained here), rules (regex baseline), identity (masks nothing: the engine's own ceiling)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="piikit-bench-mask-"))
    model_run = None
    if args.tuner == "crf":
        model_run = work / "model_run"
        train_crf(model_run, args.train_rows, args.seed)
    results = []
    for n in args.sizes:
        corpus = work / f"corpus-{n}.jsonl"
        t0 = time.perf_counter()
        write_corpus(corpus, n, args.seed + n)
        print(f"wrote {n:,} rows ({corpus.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f}s", flush=True)
        r = run_mask(work, corpus, model_run, args.workers, args.strategy, args.batch_size, args.tuner)
        m = r["manifest"]
        results.append((n, r))
        print(
            f"{n:>9,} rows | {m['rows_per_s']:>8,.0f} rows/s (stage) | {n / r['wall']:>8,.0f} rows/s (wall, incl. start-up) | "
            f"peak RSS main {r['main_mb']:.0f} MB, largest worker {r['worker_mb']:.0f} MB, job total {r['total_mb']:.0f} MB | "
            f"tuner={args.tuner} workers={m['workers']} spans={m['spans']:,}",
            flush=True,
        )
        corpus.unlink()
    if len(results) > 1:
        (n0, a), (n1, b) = results[0], results[-1]
        for key in ("main_mb", "worker_mb", "total_mb"):
            change = (b[key] - a[key]) / a[key] * 100 if a[key] else float("nan")
            print(f"peak RSS {key[:-3]}: {a[key]:.0f} MB at {n0:,} rows → {b[key]:.0f} MB at {n1:,} rows ({change:+.1f} %)")
    print(f"cores available: {len(os.sched_getaffinity(0))}")
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"work dir: {work}")


if __name__ == "__main__":
    main()
