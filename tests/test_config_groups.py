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


# --------------------------------------------------------------------------- one source for each default
# Each option's YAML holds its `defaults:` list and only the values that differ from its dataclass
# (piikit/config.py and the tuners' configs); the dataclass is the one source of every other
# default. Experiments are presets over the composed config and may pin what they are named after.
def _package(group: str, text: str) -> str:
    first = text.splitlines()[0] if text else ""
    return first.removeprefix("# @package").strip() if first.startswith("# @package") else group


def _flat(node, prefix: str = "") -> dict:
    if not isinstance(node, dict) or not node:
        return {prefix: node}
    out: dict = {}
    for key, value in node.items():
        out.update(_flat(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def _dataclass_defaults(group: str, raw, package: str) -> dict:
    from hydra.core.config_store import ConfigStore
    from omegaconf import OmegaConf

    from piikit.config import Config

    schema = next((d for d in raw.get("defaults", []) if isinstance(d, str) and d.startswith("/schema/")), None)
    if schema is not None:  # /schema/<group>/<name>@_here_
        node = ConfigStore.instance().load(schema.split("@")[0].lstrip("/") + ".yaml").node
    else:  # a package of the top-level Config, e.g. evaluate.eval_label_map
        node = OmegaConf.select(OmegaConf.structured(Config), package)
    return _flat(OmegaConf.to_container(node, resolve=False))


def _own_and_composed(compose, group: str, option: str):
    from omegaconf import OmegaConf

    path = CONF / group / f"{option}.yaml"
    text = path.read_text()
    raw = OmegaConf.load(path)
    package = _package(group, text)
    own = OmegaConf.to_container(raw, resolve=False) if raw else {}
    own.pop("defaults", None)
    cfg = compose([f"{group}={option}", *REQUIRED.get((group, option), [])], typed=False)
    composed = _flat(OmegaConf.to_container(OmegaConf.select(cfg, package), resolve=False))
    for extra in REQUIRED.get((group, option), []):  # the value the test had to give
        composed.pop(extra.split("=")[0].split(".", 1)[1], None)
    return raw, package, set(_flat(own)) if own else set(), composed


@pytest.mark.parametrize("group, option", [o for o in options() if o[0] != "experiment"])
def test_yaml_sets_only_what_differs_from_the_dataclass(compose, group, option):
    raw, package, own, composed = _own_and_composed(compose, group, option)
    defaults = _dataclass_defaults(group, raw, package)
    differs = {key for key, value in composed.items() if key not in defaults or value != defaults[key]}
    restated = own - differs
    assert not restated, f"conf/{group}/{option}.yaml restates the dataclass default of {sorted(restated)}: keep it in one place"
    hidden = differs - own
    assert not hidden, f"{group}={option} composes {sorted(hidden)} unlike the dataclass, but its YAML does not set them"


def test_a_dataset_is_the_same_as_training_data_and_as_eval_data(compose):
    """dataset=X and eval_dataset=X agree on every setting, except what eval_dataset/X.yaml sets
    on purpose (e.g. another seed); once, dataset=synthetic had 10% long documents and
    eval_dataset=synthetic none."""
    both = sorted({p.stem for p in (CONF / "dataset").glob("*.yaml")} & {p.stem for p in (CONF / "eval_dataset").glob("*.yaml")})
    assert "synthetic" in both and "hf" in both
    for name in both:
        _, _, _, as_train = _own_and_composed(compose, "dataset", name)
        _, _, eval_own, as_eval = _own_and_composed(compose, "eval_dataset", name)
        apart = {key for key in as_train if as_train[key] != as_eval.get(key)} - eval_own
        assert not apart, f"dataset={name} and eval_dataset={name} disagree on {sorted(apart)}"
    assert compose([]).dataset.long_fraction == compose(["eval_dataset=synthetic"]).eval_dataset.long_fraction == 0.1


def test_best_trains_its_tagger_as_the_e5_preset_does(compose):
    """experiment=best repeats experiment=e5's tagger settings (Hydra cannot compose one preset's
    tuner into another's member list): they must agree, setting for setting."""
    from dataclasses import fields

    from piikit.tuners.transformer.tuner import TransformerConfig

    e5 = compose(["experiment=e5"]).tuner
    best = compose(["experiment=best"]).tuner
    member = next(m for m in best.members if isinstance(m, dict) and m.get("name") == "transformer")
    default = TransformerConfig()
    # every setting the e5 preset changes, the member sets the same (its spans joined before the
    # CRF fills what it left unmasked; the ensemble joins the result again)
    changed = {f.name: getattr(e5, f.name) for f in fields(e5) if getattr(e5, f.name) != getattr(default, f.name)}
    assert changed["join_values"] is True and best.join_values is True
    assert {k: member.get(k) for k in changed} == changed
    # and the member sets nothing the e5 preset leaves at its default, but its seed and key
    assert set(member) - set(changed) <= {"name", "key", "seed"}
