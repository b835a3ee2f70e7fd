"""Benchmark the evaluate stage: N predictions with realistic errors, all built-in evaluators.

    python benchmarks/evaluate.py                 # 100,000 rows
    python benchmarks/evaluate.py --rows 20000
    python benchmarks/evaluate.py --rows-file some_test.jsonl   # your own rows (Row dicts)

Prints the error mix, the time of each part (alignment + evaluators, then the whole stage with
reading and writing files) in rows/s, and the peak RSS. Target: 100,000 rows in <= 20 s.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("PIIKIT_PROGRESS", "0")

from piikit.data.schema import Prediction, Row, Span  # noqa: E402
from piikit.io import read_jsonl, write_jsonl  # noqa: E402

TEMPLATES = [
    "Dear {FIRSTNAME} {LASTNAME}, your appointment on {DATE} at {TIME} is confirmed. Reply to {EMAIL} if you need to change it.",
    "Please transfer the deposit to {IBAN} before {DATE}. Questions? Call {PHONENUMBER} during office hours.",
    "User {USERNAME} logged in from {IPV4} with a new device; if this was not you, reset your password at {URL}.",
    "The package for {FIRSTNAME} will be delivered to {BUILDINGNUMBER} {STREET}, {CITY} {ZIPCODE} between 9 and 5.",
    "Card ending {CREDITCARDNUMBER} was charged twice. Our agent {FIRSTNAME} will contact you at {PHONENUMBER}.",
    "Meeting notes: nothing personal was discussed, the budget stays as planned and the next review is in spring.",
    "{PREFIX} {LASTNAME} (born {DOB}) works as a {JOBTITLE} and can be reached at {EMAIL} or {PHONENUMBER}.",
]
VALUES = {
    "FIRSTNAME": ["Orla", "Tibor", "Wenke", "Ilse", "Mateo", "Saoirse"], "LASTNAME": ["Quist", "Vargo", "Ulm", "Okafor", "Lindqvist"],
    "DATE": ["2024-02-29", "3 March 2021", "11/07/2019"], "TIME": ["14:05", "09:30", "7 pm"],
    "EMAIL": ["orla.q@example.org", "t.vargo@mail.example", "ops@example.net"],
    "IBAN": ["GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00"], "PHONENUMBER": ["+44 20 7946 0958", "+1 212 555 0100", "030 1234567"],
    "USERNAME": ["orla_q", "tv1987", "wenke.u"], "IPV4": ["10.20.30.40", "192.168.1.7"], "URL": ["https://example.org/reset", "https://example.com/u/42"],
    "BUILDINGNUMBER": ["12", "221b", "7"], "STREET": ["Oak Avenue", "Rue de la Paix", "Hauptstraße"], "CITY": ["Springfield", "Lyon", "Graz"],
    "ZIPCODE": ["12345", "69001"], "CREDITCARDNUMBER": ["4111 1111 1111 1111", "5500 0000 0000 0004"], "PREFIX": ["Dr.", "Ms.", "Mr."],
    "DOB": ["1980-05-17", "2 June 1975"], "JOBTITLE": ["data engineer", "nurse", "pilot"],
}


def make_row(i: int, rnd: random.Random) -> Row:
    template = TEMPLATES[i % len(TEMPLATES)]
    text, spans, pos = "", [], 0
    for m in re.finditer(r"\{(\w+)\}", template):
        text += template[pos : m.start()]
        value = rnd.choice(VALUES[m.group(1)])
        spans.append(Span(len(text), len(text) + len(value), m.group(1), value))
        text += value
        pos = m.end()
    text += template[pos:]
    target = re.sub(r"\{(\w+)\}", r"[\1]", template)
    return Row(id=f"b{i}", source_text=text, target_text=target, privacy_mask=spans, language=rnd.choice(["en", "en", "de", "fr"]))


def _mask(text: str, spans: list[Span]) -> str:
    out, pos = [], 0
    for s in spans:
        out += [text[pos : s.start], f"[{s.label}]"]
        pos = s.end
    return "".join(out) + text[pos:]


def corrupt(row: Row, rnd: random.Random) -> tuple[str, Prediction]:
    """One prediction with a realistic error (or none)."""
    spans, text, target = row.privacy_mask, row.source_text, row.target_text or ""
    r = rnd.random()
    if r < 0.55 or not spans:
        return "exact", Prediction(row.id, target)
    if r < 0.63:  # missed one span: the value leaks
        keep = [s for s in spans if s is not rnd.choice(spans)]
        return "missed span", Prediction(row.id, _mask(text, keep))
    if r < 0.69:  # wrong label
        k = rnd.randrange(len(spans))
        return "wrong label", Prediction(row.id, _mask(text, [Span(s.start, s.end, "NAME" if j == k else s.label, s.value) for j, s in enumerate(spans)]))
    if r < 0.74:  # boundary: mask swallows the next word
        k = rnd.randrange(len(spans))
        s = spans[k]
        nxt = re.compile(r"\s*\S+").match(text, s.end)
        end = nxt.end() if nxt and (k + 1 == len(spans) or nxt.end() <= spans[k + 1].start) else s.end
        return "boundary", Prediction(row.id, _mask(text, [Span(x.start, end if j == k else x.end, x.label, "") for j, x in enumerate(spans)]))
    if r < 0.80:  # whitespace changed
        return "whitespace", Prediction(row.id, re.sub(r" ", lambda _: rnd.choice([" ", "  ", "\n", " "]), target))
    if r < 0.86:  # a word dropped or changed
        words = target.split(" ")
        k = rnd.randrange(len(words))
        if "[" not in words[k]:
            words[k] = rnd.choice(["", "the", "kindly"])
        return "rewritten", Prediction(row.id, " ".join(w for w in words if w))
    if r < 0.89:  # numbered or invented placeholder labels
        return "odd placeholder", Prediction(row.id, target.replace("[FIRSTNAME]", rnd.choice(["[FIRSTNAME_1]", "[GIVENNAME]"]), 1))
    if r < 0.92:
        return "blocked", Prediction(row.id, None, error=rnd.choice(["blocked", "timeout"]))
    if r < 0.94:
        return "refusal", Prediction(row.id, "I'm sorry, but I can't help with redacting this message.")
    if r < 0.97:
        return "identity", Prediction(row.id, text)
    return "empty", Prediction(row.id, "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--rows-file", type=Path, help="jsonl of Row dicts to use instead of generated rows")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    rnd = random.Random(args.seed)
    if args.rows_file:
        rows = [Row.from_dict({**d, "id": str(d.get("id", i))}) for i, d in enumerate(read_jsonl(args.rows_file))][: args.rows]
    else:
        rows = [make_row(i, rnd) for i in range(args.rows)]
    kinds, preds = Counter(), []
    for row in rows:
        kind, p = corrupt(row, rnd)
        kinds[kind] += 1
        preds.append(p)
    print(f"{len(rows):,} rows; injected: " + ", ".join(f"{k} {v / len(rows):.0%}" for k, v in kinds.most_common()))

    from piikit.evaluate import alignment_summary, build_context
    from piikit.stages.evaluate import resolve_evaluators, run_evaluators

    names = resolve_evaluators(["span", "token", "leak", "fidelity", "exact", "validity"])
    import gc

    gc.disable()  # as the stage does
    c0, t0 = time.process_time(), time.perf_counter()
    ectx = build_context(rows, preds)
    c1, t1 = time.process_time(), time.perf_counter()
    merged, _, errors = run_evaluators(names, rows, preds, ectx)
    c2, t2 = time.process_time(), time.perf_counter()
    gc.enable()
    assert not errors, errors
    n = len(rows)
    print("part        wall s   CPU s   rows/s (wall)")
    print(f"align      {t1 - t0:7.2f} {c1 - c0:7.2f} {n / (t1 - t0):10,.0f}  {alignment_summary(ectx)['alignment_methods']}")
    print(f"evaluators {t2 - t1:7.2f} {c2 - c1:7.2f} {n / (t2 - t1):10,.0f}  ({', '.join(names)})")
    print(f"in memory  {t2 - t0:7.2f} {c2 - c0:7.2f} {n / (t2 - t0):10,.0f}")
    print("metrics: " + ", ".join(f"{k}={merged[k]:.3f}" for k in ("span_f1", "overlap_f1", "token_f1", "leak_rate", "fidelity", "over_masking", "exact_match", "placeholder_validity")))

    # the whole stage: read inputs, evaluate, write metrics.json, csv, scored rows, plot
    from hydra import compose, initialize_config_module
    from omegaconf import OmegaConf

    from piikit.config import register_configs
    from piikit.console import console
    from piikit.pipeline import RunContext
    from piikit.stages import evaluate as stage

    register_configs()
    with initialize_config_module(config_module="piikit.conf", version_base="1.3"):
        cfg = OmegaConf.to_object(compose(config_name="config", overrides=["stages=[evaluate]", "evaluate.worst_examples=0"]))
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp)
        write_jsonl(run_dir / "prepare" / "test.jsonl", (r.to_dict() for r in rows))
        write_jsonl(run_dir / "tune" / "predictions.jsonl", (p.to_dict() for p in preds))
        console.quiet = True
        c3, t3 = time.process_time(), time.perf_counter()
        stage.run(cfg, RunContext(run_dir=run_dir, cache_dir=run_dir / "cache"))
        c4, t4 = time.process_time(), time.perf_counter()
        console.quiet = False
    print(f"stage      {t4 - t3:7.2f} {c4 - c3:7.2f} {n / (t4 - t3):10,.0f}  (read inputs + evaluate + write all outputs incl. plot)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS   {rss:,.0f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
