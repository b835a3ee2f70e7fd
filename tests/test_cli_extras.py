"""The little things: --version, python -m piikit, the '+group=' hint, plugin descriptions shown
literally, ISO 8601 log timestamps."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version

from run_dirs import only_run_dir

import piikit


def test_version_prints_piikit_then_hydra(cli):
    p = cli("--version")
    assert p.returncode == 0 and p.stdout == f"piikit {piikit.__version__}\nHydra {version('hydra-core')}\n"


def test_python_dash_m_piikit_works_like_piikit(tmp_path):
    env = {**os.environ, "PIIKIT_PROGRESS": "0"}
    p = subprocess.run([sys.executable, "-m", "piikit", "--version"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert p.returncode == 0 and p.stdout.startswith(f"piikit {piikit.__version__}\n")
    p = subprocess.run([sys.executable, "-m", "piikit", "stages=[prepare]", "experiment=quick"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert (only_run_dir(tmp_path) / "prepare" / "test.jsonl").is_file()
    p = subprocess.run([sys.executable, "-m", "piikit", "tuner=crff"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert p.returncode == 2 and "crf" in p.stderr and "Traceback" not in p.stderr


def test_plus_on_an_existing_group_says_drop_the_plus(cli):
    for arg in ("+experiment=quick", "+tuner=rules", "+label_map=presidio"):
        p = cli(arg, "stages=[prepare]")
        assert p.returncode == 2 and "Traceback" not in p.stderr
        assert f"drop the '+': {arg[1:]}" in " ".join(p.stderr.split()), p.stderr


def test_plugins_shows_square_brackets_literally(cli):
    p = cli("plugins", env={"COLUMNS": "250"})
    assert p.returncode == 0
    line = next(x for x in p.stdout.splitlines() if " transformer " in x)
    assert "(extra: [transformer]; CPU or GPU)" in line


def test_log_timestamps_are_iso_8601(cli, tmp_path):
    p = cli("stages=[prepare]", "experiment=quick")
    assert p.returncode == 0, p.stderr
    log_line = (only_run_dir(tmp_path) / "piikit.log").read_text().splitlines()[0]
    assert re.match(r"\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d\]\[piikit\]\[INFO\] - ", log_line), log_line
    assert re.search(r"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\] INFO ", p.stdout, re.M), p.stdout
