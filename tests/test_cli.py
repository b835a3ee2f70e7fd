"""The entrypoint: fast help, one-line errors with exit 2, plugin listing."""

from __future__ import annotations

import pytest


def test_help_lists_groups_and_options(cli):
    r = cli("--help")
    assert r.returncode == 0
    for group in ("dataset:", "prompt:", "split:", "tuner:", "evaluator:", "experiment:"):
        assert group in r.stdout
    assert "synthetic" in r.stdout and "head_tail" in r.stdout and "seed_article" in r.stdout


def test_plugins_lists_builtins_with_source(cli):
    r = cli("plugins")
    assert r.returncode == 0
    assert "reference" in r.stdout and "piikit.builtin" in r.stdout


@pytest.mark.parametrize(
    "override, expected",
    [
        ("split.n_test=abc", "could not be converted to Integer"),
        ("tuner=nosuchtuner", "available:"),
        ("tuner.nosuchkey=1", "Key 'nosuchkey' not in"),
        ("stages=[prepar]", "did you mean 'prepare'"),
        ("split.dedupe=sometimes", "use one of: drop, keep, fail"),
        ("dataset=local", "dataset.path is required"),
        ("prompt.template=no-placeholder", "no {input} placeholder"),
        ("dataset.long_chars=[10]", "dataset.long_chars=[10] must be [min, max] with 300"),  # brackets are not markup
    ],
)
def test_user_mistakes_are_one_line_exit_2(cli, override, expected):
    extra = [] if override.startswith("stages=") else ["stages=[prepare]"]
    r = cli(override, *extra)
    assert r.returncode == 2, r.stderr
    assert expected in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
