"""Every option of every config group composes into a valid typed config."""

from __future__ import annotations

from pathlib import Path

import pytest

import piikit

CONF = Path(piikit.__file__).parent / "conf"
# every group folder under conf/ (hydra/ holds Hydra's own settings, composed in test_sweep.py)
GROUPS = tuple(sorted(p.name for p in CONF.iterdir() if p.is_dir() and p.name not in ("hydra", "__pycache__")))
# options that need a value the user must give
REQUIRED = {("dataset", "local"): ["dataset.path=rows.jsonl"], ("eval_dataset", "local"): ["eval_dataset.path=rows.jsonl"]}


def options():
    for group in GROUPS:
        for yaml in sorted((CONF / group).glob("*.yaml")):
            yield group, yaml.stem


@pytest.mark.parametrize("group, option", list(options()))
def test_every_option_composes(compose, group, option):
    cfg = compose([f"{group}={option}", *REQUIRED.get((group, option), [])])
    if group in ("dataset", "prompt", "split", "tuner"):
        assert getattr(cfg, group).name == option
    if group == "prompt":
        assert "{input}" in cfg.prompt.template
    if group == "eval_dataset":
        assert cfg.eval_dataset.name == option
    if group == "label_map":
        assert (option == "none") == (cfg.evaluate.eval_label_map == {})


def test_there_are_options_to_compose():
    assert {"dataset", "prompt", "split", "tuner", "evaluator", "experiment", "eval_dataset", "label_map", "mask"} <= set(GROUPS)
    found = set(options())
    assert {("dataset", "synthetic"), ("dataset", "hf"), ("dataset", "local"), ("prompt", "seed_article"), ("prompt", "labels"), ("split", "head_tail"), ("split", "random"), ("split", "stratified")} <= found


def test_defaults_are_the_walkthrough(compose):
    cfg = compose([])
    assert (cfg.dataset.name, cfg.dataset.size, cfg.split.name, cfg.split.n_train, cfg.split.n_test) == ("synthetic", 2000, "head_tail", 1900, 100)
    assert cfg.prompt.template == "Given the information below, mask the personal identifiable information.\n\nInput:\n{input}\n\nOutput:"


def test_local_columns_are_settable_one_by_one(compose):
    cfg = compose(["dataset=local", "dataset.path=x.csv", "dataset.columns.source_text=text", "dataset.columns.privacy_mask=spans"])
    assert cfg.dataset.columns["source_text"] == "text" and cfg.dataset.columns["privacy_mask"] == "spans"
    assert cfg.dataset.columns["target_text"] is None
