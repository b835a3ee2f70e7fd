"""The example plugin (plugins/piikit-consistency) discovered through its installed entry point."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from evaluate_helpers import make_rows, single_run_dir, write_run

from piikit.io import read_json
from piikit.tuners.simple import ReferenceTuner

PLUGIN_DIR = Path(__file__).resolve().parents[1] / "plugins" / "piikit-consistency"


@pytest.fixture(scope="session")
def consistency_installed():
    """Install the plugin into this venv once (CI's .ci/run already does)."""
    try:
        metadata.distribution("piikit-consistency")
        return
    except metadata.PackageNotFoundError:
        pass
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode != 0:
        pytest.skip("pip is not available to install plugins/piikit-consistency")
    base = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", str(PLUGIN_DIR)]
    r = subprocess.run(base, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"pip install -e {PLUGIN_DIR} failed: {r.stderr[-2000:]}"


def test_plugins_command_lists_entry_point_evaluator(cli, consistency_installed):
    r = cli("plugins")
    assert r.returncode == 0, r.stderr
    line = next(ln for ln in r.stdout.splitlines() if " consistency " in ln)
    assert "evaluator" in line and line.count("consistency") >= 2  # name and source (the entry point)


def test_plugin_evaluator_runs_in_the_stage(tmp_path, cli, consistency_installed):
    rows = make_rows()
    run_dir = write_run(tmp_path / "prev", rows, list(ReferenceTuner(None).predict(rows)))
    r = cli("stages=[evaluate]", f"from_run={run_dir}", "evaluate.evaluators=[span,consistency]")
    assert r.returncode == 0, r.stderr
    assert "consistency_rate" in r.stdout
    m = read_json(single_run_dir(tmp_path) / "evaluate" / "metrics.json")
    assert m["consistency_rate"] == 1.0 and m["span_f1"] == 1.0 and m["evaluators"] == ["span", "consistency"]
    r = cli("stages=[evaluate]", f"from_run={run_dir}", "evaluator=all")
    assert r.returncode == 0 and "consistency_rate" in r.stdout
