"""Typed configuration: one dataclass per config group, registered in Hydra's ConfigStore.

The YAML files under ``piikit/conf/`` pick these schemas in their defaults lists
(``/schema/<group>/<name>@_here_``), so a wrong type (``split.n_test=abc``) or an unknown key
(``tuner.c3=1``) fails while composing. Tuner and dataset schemas come from the plugin
registries, so a plugin's settings are validated the same way as the built-ins'.

Beyond ``cli.py`` and this module nothing sees a DictConfig: stages get these dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from omegaconf import MISSING

from piikit.errors import PiikitError

STAGE_ORDER = ("prepare", "tune", "evaluate", "mask")


def check_choice(section: str, field_name: str, value: str, allowed: tuple[str, ...]) -> None:
    """``<section>.<field_name>`` must be one of ``allowed`` (for every config schema, plugins too)."""
    if value not in allowed:
        raise PiikitError(
            f"{section}.{field_name}={value!r} is not valid", f"use one of: {', '.join(allowed)}"
        )


# --------------------------------------------------------------------------- dataset
@dataclass
class DatasetConfig:
    """Settings every dataset source shares."""

    name: str = MISSING
    max_rows: Optional[int] = None  # keep the first N rows (the walkthrough takes 2,000)
    languages: Optional[list[str]] = None  # keep only these languages, e.g. [en,de]
    on_invalid: str = "fail"  # fail | drop  (invalid rows stop the run, or are dropped and counted)

    def __post_init__(self) -> None:
        check_choice("dataset", "on_invalid", self.on_invalid, ("fail", "drop"))
        if self.max_rows is not None and self.max_rows < 1:
            raise PiikitError(f"dataset.max_rows={self.max_rows} must be at least 1", "or null for all rows")


MAX_SYNTHETIC_ROWS = 1_000_000


@dataclass
class SyntheticDatasetConfig(DatasetConfig):
    """Seeded rows shaped like ai4privacy/pii-masking-200k (offline; Faker). ``languages``: null is the
    default mix (en, de, fr, es, it, nl); other packs by name (pl) or from ``packs``."""

    name: str = "synthetic"
    size: int = 2000  # rows to generate (scales to 209,000, the real dataset's size)
    seed: int = 42  # same seed => byte-identical rows
    # long documents (case reports, letters, support tickets, meeting minutes: mostly ordinary prose
    # with a few identifiers) mixed with the short PII-dense rows; they teach what NOT to mask
    long_fraction: float = 0.1  # share of rows that are long documents (0 = short rows only)
    long_chars: list[int] = field(default_factory=lambda: [1000, 5000])  # a long document's length range, characters
    long_pii_share: list[float] = field(default_factory=lambda: [0.02, 0.15])  # range of its characters that are PII
    packs: list[str] = field(default_factory=list)  # language pack directories to add (docs/synthetic-packs.md)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.size < 1:
            raise PiikitError(f"dataset.size={self.size} must be at least 1")
        if self.size > MAX_SYNTHETIC_ROWS:  # rows are held in memory (~4 KB each: 789 MiB for 209,000) while they are prepared
            raise PiikitError(f"dataset.size={self.size:,} is above the maximum of {MAX_SYNTHETIC_ROWS:,} synthetic rows (they are held in memory, about 4 KB each)",
                              "generate several sets with different dataset.seed and join them with dataset=local, or lower dataset.size")
        if not 0 <= self.long_fraction <= 1:
            raise PiikitError(f"dataset.long_fraction={self.long_fraction} must be between 0 and 1")
        if len(self.long_chars) != 2 or not 300 <= self.long_chars[0] <= self.long_chars[1]:
            raise PiikitError(f"dataset.long_chars={list(self.long_chars)} must be [min, max] with 300 <= min <= max",
                              "e.g. dataset.long_chars=[1000,5000]")
        if len(self.long_pii_share) != 2 or not 0 < self.long_pii_share[0] <= self.long_pii_share[1] < 1:
            raise PiikitError(f"dataset.long_pii_share={list(self.long_pii_share)} must be [min, max] with 0 < min <= max < 1",
                              "e.g. dataset.long_pii_share=[0.02,0.15]")


@dataclass
class HFDatasetConfig(DatasetConfig):
    name: str = "hf"
    max_rows: Optional[int] = 2000  # the walkthrough takes the first 2,000 rows (null: all; with streaming, the rows needed only)
    id: str = "ai4privacy/pii-masking-200k"
    revision: Optional[str] = None
    split: str = "train"
    streaming: bool = True  # read only the rows needed (max_rows) instead of the whole set


LOCAL_COLUMNS = ("id", "source_text", "target_text", "privacy_mask", "language", "unmasked_text", "masked_text")


@dataclass
class LocalDatasetConfig(DatasetConfig):
    name: str = "local"
    path: str = MISSING  # required: a .jsonl, .json, .csv or .parquet file
    format: Optional[str] = None  # jsonl | json | csv | parquet; default: from the file suffix
    # our field -> column in the file (null: the column of the same name), e.g.
    # dataset.columns.source_text=text dataset.columns.privacy_mask=spans. privacy_mask is a list of
    # {value,start,end,label} (a JSON string is fine, e.g. in CSV); unmasked_text + masked_text
    # ([LABEL] placeholders) is the older schema, read instead of source_text + target_text
    columns: dict[str, Optional[str]] = field(default_factory=lambda: dict.fromkeys(LOCAL_COLUMNS))


@dataclass
class NoEvalDatasetConfig:
    """``eval_dataset=none``: no cross-dataset evaluation."""

    name: str = "none"


def eval_enabled(cfg: Any) -> bool:
    """Whether the run has an ``eval_dataset`` (scored whole, besides the test split)."""
    ds = getattr(cfg, "eval_dataset", None)
    return ds is not None and getattr(ds, "name", "none") != "none"


# --------------------------------------------------------------------------- prompt
@dataclass
class PromptConfig:
    name: str = MISSING
    template: str = MISSING  # must contain {input}

    def __post_init__(self) -> None:
        if "{input}" not in self.template:
            raise PiikitError(
                f"prompt '{self.name}' has no {{input}} placeholder",
                "put {input} where the text to mask goes in prompt.template",
            )


# --------------------------------------------------------------------------- split
@dataclass
class SplitConfig:
    name: str = "head_tail"  # head_tail | random | stratified
    n_train: Optional[int] = 1900  # head_tail: first n_train rows; random/stratified: cap on train
    n_test: Optional[int] = 100  # head_tail: last n_test rows; random/stratified: cap on test
    test_fraction: float = 0.05  # random / stratified
    seed: int = 0
    dedupe: str = "drop"  # test rows whose text also occurs in train: drop | keep | fail

    def __post_init__(self) -> None:
        check_choice("split", "name", self.name, ("head_tail", "random", "stratified"))
        check_choice("split", "dedupe", self.dedupe, ("drop", "keep", "fail"))
        if not 0.0 < self.test_fraction < 1.0:
            raise PiikitError(f"split.test_fraction={self.test_fraction} must be between 0 and 1")
        for key in ("n_train", "n_test"):
            value = getattr(self, key)
            if value is not None and value < 1:
                raise PiikitError(f"split.{key}={value} must be at least 1", "or null for no limit")


# --------------------------------------------------------------------------- tuner
@dataclass
class TunerConfig:
    """Settings every tuner shares; each tuner's schema extends it."""

    name: str = MISSING
    model: Optional[str] = None  # reuse a trained model instead of training: a run dir or model dir
    # one span per value, as most annotation schemes mark them: join spans with nothing between
    # them, a name's parts ([NAME]), an address line's parts ([ADDRESS]) and a number cut at a space
    join_values: bool = False


# --------------------------------------------------------------------------- evaluate
@dataclass
class EvaluateConfig:
    # evaluator names (built-in or plugin, see `piikit plugins`); `all` = every installed one
    evaluators: list[str] = field(default_factory=lambda: ["span", "token", "leak", "fidelity", "exact", "validity"])
    # fine label -> group, e.g. {FIRSTNAME: PERSON, LASTNAME: PERSON}: gold and predicted labels
    # are mapped before scoring, so a model using one label scheme can be scored on another
    label_map: dict[str, str] = field(default_factory=dict)
    # labels a placeholder may use, besides those in the prepared data and label_map
    labels: Optional[list[str]] = None
    # the same for the eval_dataset (a different label scheme, e.g. label_map=presidio); its
    # type-agnostic token/overlap scores need no map
    eval_label_map: dict[str, str] = field(default_factory=dict)
    fail_under: dict[str, float] = field(default_factory=dict)  # e.g. {span_f1: 0.9} → exit 3 below
    fail_over: dict[str, float] = field(default_factory=dict)  # e.g. {leak_rate: 0.01} → exit 3 above
    worst_examples: int = 3  # rows shown as source / expected / predicted in the terminal

    def __post_init__(self) -> None:
        from piikit import plugins

        if not self.evaluators:
            raise PiikitError("evaluate.evaluators is empty", "name at least one, e.g. evaluate.evaluators=[span,leak]")
        for name in self.evaluators:
            if name != "all":
                plugins.get("evaluator", name)  # unknown name → did you mean ... / available: ...
        if self.worst_examples < 0:
            raise PiikitError(f"evaluate.worst_examples={self.worst_examples} must be 0 or more")


# --------------------------------------------------------------------------- report
@dataclass
class ReportConfig:
    """``report.html``: one self-contained page per run (and per sweep)."""

    # true (default): examples in report.html and the terminal show masked text only (no source
    # text; leaked values replaced by [LEAKED:LABEL]). false: raw examples, PII included (warned)
    redact_examples: bool = True
    worst_examples: int = 5  # rows shown as source / expected / predicted

    def __post_init__(self) -> None:
        if self.worst_examples < 0:
            raise PiikitError(f"report.worst_examples={self.worst_examples} must be 0 or more")


# --------------------------------------------------------------------------- mask
MASK_FORMATS = ("jsonl", "csv", "parquet", "txt")
MASK_STRATEGIES = ("placeholder", "redact", "hash", "pseudonymize")
MASK_ENGINES = ("local", "spark")


@dataclass
class MaskSparkConfig:
    """``mask.engine=spark``: where the job runs and how it writes (see piikit/mask/spark.py)."""

    master: Optional[str] = "local[*]"  # null: take spark-submit's --master (or the environment's)
    app_name: str = "piikit-mask"
    output_format: Optional[str] = None  # parquet | jsonl; null: parquet for parquet input, else jsonl
    partitions: Optional[int] = None  # null: the input's partitions, raised to Spark's default parallelism
    conf: dict[str, Any] = field(default_factory=dict)  # any other Spark setting, e.g. {spark.executor.memory: 4g}

    def __post_init__(self) -> None:
        if self.output_format is not None:
            check_choice("mask.spark", "output_format", self.output_format, ("parquet", "jsonl"))
        if self.partitions is not None and self.partitions < 1:
            raise PiikitError(f"mask.spark.partitions={self.partitions} must be at least 1", "or null for Spark's default parallelism")
        if self.master is not None and not self.master.strip():
            raise PiikitError("mask.spark.master is empty", "e.g. mask.spark.master='local[*]', or null to take spark-submit's")


@dataclass
class MaskConfig:
    """The ``mask`` stage: run a tuned model over a user's own corpus (see piikit/stages/mask.py)."""

    input: Optional[str] = None  # a file or a glob of files (jsonl, csv, parquet, txt)
    text_column: str = "text"  # the column/field to mask (ignored for txt: one record per line)
    format: Optional[str] = None  # jsonl | csv | parquet | txt; default: from each file's suffix
    model: Optional[str] = None  # a run dir (with tune/) or a model dir; default: this run's tune
    output: Optional[str] = None  # output directory; default: <run dir>/mask/
    strategy: str = "placeholder"  # placeholder [LABEL] | redact ***** | hash [LABEL_1a2b..] | pseudonymize (Faker)
    redact_char: str = "*"  # redact: every character of a value becomes this one
    # hash/pseudonymize key; null: a random one per run (not stored). Keep it secret: the YAML reads
    # it from $PIIKIT_MASK_SALT (an env var, not the command line)
    salt: Optional[str] = None
    hash_length: int = 12  # hash: hex characters kept
    locale: str = "en_US"  # pseudonymize: Faker locale of the fake values
    masked_column: str = "masked_text"  # added column: the masked text
    spans_column: str = "spans"  # added column: [{start, end, label}] found in the original text
    keep_text: bool = False  # true: keep the original text column in the output (it holds the PII)
    batch_size: int = 256  # rows per batch handed to a worker
    workers: Optional[int] = None  # processes; null: one per CPU core
    resume: bool = False  # continue an interrupted run from its checkpoint in the output dir (same settings, same output dir)
    overwrite: bool = False  # replace output files already in mask.output (else: refused)
    checkpoint_seconds: float = 5.0  # how often progress is made durable (0: after every batch)
    # bad rows (missing/null/non-string text, broken JSON): skip | fail  (skipped and counted, or stop the run)
    on_error: str = "skip"
    engine: str = "local"  # local (processes on this machine) | spark (pip install 'piikit[spark]', Java 17)
    spark: MaskSparkConfig = field(default_factory=MaskSparkConfig)  # used with engine=spark

    def __post_init__(self) -> None:
        check_choice("mask", "engine", self.engine, MASK_ENGINES)
        check_choice("mask", "strategy", self.strategy, MASK_STRATEGIES)
        check_choice("mask", "on_error", self.on_error, ("skip", "fail"))
        if self.format is not None:
            check_choice("mask", "format", self.format, MASK_FORMATS)
        if len(self.redact_char) != 1:
            raise PiikitError(f"mask.redact_char={self.redact_char!r} must be exactly one character", "e.g. mask.redact_char='#'")
        if not 4 <= self.hash_length <= 64:
            raise PiikitError(f"mask.hash_length={self.hash_length} must be between 4 and 64")
        if self.batch_size < 1:
            raise PiikitError(f"mask.batch_size={self.batch_size} must be at least 1")
        if self.workers is not None and self.workers < 1:
            raise PiikitError(f"mask.workers={self.workers} must be at least 1", "or null for one per CPU core")
        if self.checkpoint_seconds < 0:
            raise PiikitError(f"mask.checkpoint_seconds={self.checkpoint_seconds} must be 0 or more")
        if not self.masked_column or not self.spans_column or self.masked_column == self.spans_column:
            raise PiikitError("mask.masked_column and mask.spans_column must be two different non-empty names")
        if self.salt is not None and not self.salt:
            raise PiikitError("mask.salt is empty", "give a secret string, or null for a random one per run")


# keys older runs may still have (in .hydra/config.yaml or overrides.yaml): (schema, key) → what
# replaced it, said in one line by the CLI instead of "unknown key"
REMOVED_KEYS: dict[tuple[type, str], PiikitError] = {
    (MaskConfig, "drop_text"): PiikitError(
        "mask.drop_text was replaced by mask.keep_text, inverted (drop_text=false is keep_text=true; the text is now left out by default)",
        "use mask.keep_text=true to keep the text; in an older run's .hydra/config.yaml or overrides.yaml, change the drop_text line the same way",
    ),
}


# --------------------------------------------------------------------------- sweep
@dataclass
class SweepConfig:
    """How ``piikit -m ...`` summarises a sweep (summary.csv / summary.md / summary.png), e.g.
    ``piikit -m ... sweep.sort_by=leak_rate``."""

    sort_by: str = "span_f2"  # best job first; leak_rate/over_masking/*seconds/*loss sort ascending
    # columns of the summary: looked up in each job's evaluate/metrics.json, then tune/manifest.json
    metrics: list[str] = field(
        default_factory=lambda: ["span_f2", "span_f1", "span_precision", "span_recall", "leak_rate", "fidelity", "exact_match"]
    )
    plot: bool = True  # summary.png: sort_by against each swept parameter


# --------------------------------------------------------------------------- top level
@dataclass
class Config:
    # which stages run, in this order: prepare → tune → evaluate (→ mask)
    stages: list[str] = field(default_factory=lambda: ["prepare", "tune", "evaluate"])
    seed: int = 42
    # reuse an earlier run's outputs, e.g. from_run=outputs/2026-11-27/10-00-00 stages=[evaluate]
    from_run: Optional[str] = None
    cache_dir: str = "${oc.env:PIIKIT_CACHE,${oc.env:HOME,.}/.cache/piikit}"
    dataset: Any = MISSING
    prompt: PromptConfig = MISSING
    split: SplitConfig = MISSING
    tuner: Any = MISSING
    # a second dataset scored whole (no split) with this run's model: eval_dataset=local ...
    eval_dataset: Any = None
    evaluate: EvaluateConfig = field(default_factory=EvaluateConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    mask: MaskConfig = field(default_factory=MaskConfig)
    sweep: SweepConfig = field(default_factory=SweepConfig)
    # test rows to print after predicting (source/gold/prediction), by row id, e.g. [1900, 1969]
    show_rows: list[str] = field(default_factory=list)
    # true: tune/predictions.jsonl and evaluate/scored_predictions.jsonl keep the model's raw
    # masked text and each span's value (the PII it failed to mask included); default: offsets,
    # labels and placeholders only (piikit.data.stored)
    span_values: bool = False

    def __post_init__(self) -> None:
        where = non_finite(self)
        if where is not None:
            raise PiikitError(f"{where[0]}={where[1]} is not a finite number", "give a finite number (nan and inf are not settings)")
        if not self.stages:
            raise PiikitError("stages=[] selects no stage to run", f"name at least one, e.g. stages=[{','.join(STAGE_ORDER[:3])}]")
        for stage in self.stages:
            if stage not in STAGE_ORDER:
                from piikit.errors import did_you_mean

                raise did_you_mean("stage", stage, list(STAGE_ORDER))


def non_finite(obj: Any, path: str = "") -> tuple[str, float] | None:
    """The first float setting that is nan or ±inf, as (dotted key, value); None if there is none."""
    import dataclasses
    import math

    if isinstance(obj, float):
        return None if math.isfinite(obj) else (path, obj)
    if dataclasses.is_dataclass(obj):
        items: Any = ((f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj))
    elif isinstance(obj, dict):
        items = obj.items()
    elif isinstance(obj, (list, tuple)):
        items = enumerate(obj)
    else:
        return None
    for key, value in items:
        found = non_finite(value, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def register_configs() -> None:
    """Store every schema in Hydra's ConfigStore (idempotent)."""
    from hydra.core.config_store import ConfigStore

    from piikit import plugins

    cs = ConfigStore.instance()
    cs.store(name="schema", node=Config)
    cs.store(group="schema/prompt", name="base", node=PromptConfig, package="prompt")
    cs.store(group="schema/split", name="base", node=SplitConfig, package="split")
    cs.store(group="schema/mask", name="default", node=MaskConfig, package="mask")
    cs.store(group="schema/eval_dataset", name="none", node=NoEvalDatasetConfig, package="eval_dataset")
    for entry in plugins.registry("dataset").values():  # any dataset can be the eval dataset
        cs.store(group="schema/eval_dataset", name=entry.name, node=entry.config, package="eval_dataset")
        if not _has_yaml("eval_dataset", entry.name):
            cs.store(group="eval_dataset", name=entry.name, node=entry.config)
    for kind in ("dataset", "tuner"):
        for entry in plugins.registry(kind).values():
            cs.store(group=f"schema/{kind}", name=entry.name, node=entry.config, package=kind)
            if not _has_yaml(kind, entry.name):
                # a plugin's option needs no YAML file: its dataclass defaults are the config
                cs.store(group=kind, name=entry.name, node=entry.config)


def _has_yaml(group: str, name: str) -> bool:
    from importlib.resources import files

    return files("piikit").joinpath("conf", group, f"{name}.yaml").is_file()
