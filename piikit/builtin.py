"""Built-in datasets, tuners and evaluators, registered through the same hooks as plugins."""

from __future__ import annotations

from piikit.hookspecs import hookimpl


@hookimpl
def piikit_register_datasets(register):
    from piikit.config import HFDatasetConfig, LocalDatasetConfig, SyntheticDatasetConfig

    register("synthetic", SyntheticDatasetConfig, "piikit.synth.generator:load", help="seeded Faker rows shaped like ai4privacy (offline)")
    register("hf", HFDatasetConfig, "piikit.data.loaders:load_hf", help="a Hugging Face hub dataset (default ai4privacy/pii-masking-200k)")
    register("local", LocalDatasetConfig, "piikit.data.loaders:load_local", help="jsonl / json / csv / parquet files")


@hookimpl
def piikit_register_tuners(register):
    from piikit.tuners.simple import IdentityConfig, ReferenceConfig

    register("reference", ReferenceConfig, "piikit.tuners.simple:ReferenceTuner", help="returns the gold masked text (sanity check: perfect scores)")
    register("identity", IdentityConfig, "piikit.tuners.simple:IdentityTuner", help="returns the input unchanged (sanity check: leaks everything)")

    from piikit.tuners.cloud.gemini import GeminiConfig

    register("gemini", GeminiConfig, "piikit.tuners.cloud.gemini:GeminiTuner", help="tunes Gemini through google-generativeai (Generative Language API)")

    from piikit.tuners.cloud.vertex import VertexConfig

    register("vertex", VertexConfig, "piikit.tuners.cloud.vertex:VertexTuner", help="supervised fine-tuning of Gemini 2.x on Vertex AI (google-genai)")

    from piikit.tuners.crf.tuner import CRFConfig

    register("crf", CRFConfig, "piikit.tuners.crf.tuner:CRFTuner", help="CRF token tagger (python-crfsuite), trains offline in seconds")

    from piikit.tuners.rules import RulesConfig

    register("rules", RulesConfig, "piikit.tuners.rules:RulesTuner", help="regex + checksum baseline (emails, phones, IBAN mod-97, cards Luhn, IPs, URLs, dates, ...), no training")

    from piikit.tuners.ensemble import EnsembleConfig
    from piikit.tuners.transformer.tuner import TransformerConfig

    register("transformer", TransformerConfig, "piikit.tuners.transformer.tuner:TransformerTuner", help="fine-tunes a local transformer token tagger (extra: [transformer]; CPU or GPU)")
    register("ensemble", EnsembleConfig, "piikit.tuners.ensemble:EnsembleTuner", help="combines other tuners' spans: union | vote | weighted, per-label trust")


@hookimpl
def piikit_register_evaluators(register):
    m = "piikit.evaluate.metrics"
    register("span", f"{m}:SpanEvaluator", help="span P/R/F1/F2: strict (boundaries+label) and overlap (type-agnostic); micro, macro, per label, per language")
    register("token", f"{m}:TokenEvaluator", help="type-agnostic P/R/F1/F2 over whitespace tokens (presidio-research style)")
    register("leak", f"{m}:LeakEvaluator", help="share of gold PII values that appear verbatim in the prediction")
    register("fidelity", f"{m}:FidelityEvaluator", help="share of non-PII text kept unchanged; over-masking")
    register("exact", f"{m}:ExactEvaluator", help="share of predictions equal to the gold masked text")
    register("validity", f"{m}:ValidityEvaluator", help="share of placeholders whose label is in the dataset's label set")
