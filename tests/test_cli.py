"""The entrypoint: fast help, one-line errors with exit 2, plugin listing."""

from __future__ import annotations

import pytest


def test_help_lists_groups_and_options(cli):
    r = cli("--help")
    assert r.returncode == 0
    for group in ("dataset:", "prompt:", "split:", "tuner:", "evaluator:", "experiment:"):
        assert group in r.stdout
    assert "synthetic" in r.stdout and "head_tail" in r.stdout and "seed_article" in r.stdout


def test_help_imports_no_heavy_library():
    """`piikit --help` stays fast: it must not import the data, ML, plotting or Hydra stacks."""
    import subprocess
    import sys

    code = (
        "import sys, io, contextlib\n"
        "sys.argv = ['piikit', '--help']\n"
        "from piikit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    main()\n"
        "assert 'dataset:' in out.getvalue()\n"
        "heavy = ('datasets', 'pandas', 'pyarrow', 'numpy', 'sklearn', 'sklearn_crfsuite', 'pycrfsuite', 'matplotlib',\n"
        "         'faker', 'torch', 'transformers', 'hydra', 'google.generativeai', 'google.genai', 'jinja2')\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", f"--help imported: {r.stdout.strip()}"


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
        ("datset=hf", "Key 'datset' not in 'Config' — did you mean 'dataset'? available: cache_dir, dataset,"),
        ("split.n_tset=5", "Key 'n_tset' not in 'SplitConfig' — did you mean 'n_test'?"),
        ("stages=[prepar]", "did you mean 'prepare'"),
        ("stages=[]", "stages=[] selects no stage to run — name at least one, e.g. stages=[prepare,tune,evaluate]"),
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
