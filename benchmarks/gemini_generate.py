"""Generation speed of the Gemini tuner: sequential vs the default concurrency.

Starts the local fake Generative Language server (tests/fakes/genai_server.py) with a fixed
latency per generateContent call, tunes a tiny model on it, then generates ROWS test rows
through the real google-generativeai SDK with concurrency=1 and with the default (8).
Prints both times and the speed-up (target ≥ 6× at 200 ms latency). No network needed.

    python benchmarks/gemini_generate.py [--rows 100] [--latency 0.2] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from fakes.genai_server import FakeGenAI  # noqa: E402

from piikit.data.schema import Row, Span, mask_text  # noqa: E402
from piikit.pipeline import RunContext  # noqa: E402
from piikit.tuners.cloud.gemini import GeminiConfig, GeminiTuner  # noqa: E402


def rows(n: int, start: int = 0) -> list[Row]:
    out = []
    for i in range(start, start + n):
        name, email = f"Name{i % 7}", f"user{i}@example.org"
        text = f"Hi {name}, your receipt went to {email}."
        spans = [Span(3, 3 + len(name), "FIRSTNAME", name), Span(text.index(email), text.index(email) + len(email), "EMAIL", email)]
        out.append(Row(id=f"r{i}", source_text=text, target_text=mask_text(text, spans), privacy_mask=spans,
                       prompt=f"Mask the PII.\nText: {text}\nMasked:"))
    return out


def timed_generation(fake: FakeGenAI, work: Path, model: str, test: list[Row], concurrency: int) -> tuple[float, int]:
    ctx = RunContext(run_dir=work / f"run-c{concurrency}", cache_dir=work / f"cache-c{concurrency}")  # cold cache each
    tuner = GeminiTuner(GeminiConfig(api_endpoint=fake.endpoint, concurrency=concurrency), ctx)
    tuner.model_name = model
    t0 = time.perf_counter()
    preds = list(tuner.predict(test))
    seconds = time.perf_counter() - t0
    return seconds, sum(p.error is not None for p in preds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100)
    ap.add_argument("--latency", type=float, default=0.2, help="seconds per generateContent call")
    ap.add_argument("--concurrency", type=int, default=GeminiConfig.concurrency)
    args = ap.parse_args()

    os.environ["GOOGLE_API_KEY"] = "bench-key"
    os.environ.setdefault("PIIKIT_PROGRESS", "0")
    with FakeGenAI(api_key="bench-key") as fake, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tuner = GeminiTuner(GeminiConfig(api_endpoint=fake.endpoint, poll_interval=0), RunContext(work / "fit", work / "c"))
        tuner.fit(rows(20))
        fake.latency = args.latency
        test = rows(args.rows, start=1000)
        seq, seq_err = timed_generation(fake, work, tuner.model_name, test, 1)
        par, par_err = timed_generation(fake, work, tuner.model_name, test, args.concurrency)
    print(f"rows: {args.rows}, latency per call: {args.latency * 1000:.0f} ms")
    print(f"sequential (concurrency=1): {seq:6.2f} s  {args.rows / seq:6.1f} rows/s  errors {seq_err}")
    print(f"concurrent (concurrency={args.concurrency}): {par:6.2f} s  {args.rows / par:6.1f} rows/s  errors {par_err}")
    print(f"speed-up: {seq / par:.1f}x (target >= 6x)")


if __name__ == "__main__":
    main()
