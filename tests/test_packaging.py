"""The installed package carries its config tree: a wheel built from this source has every
file under piikit/conf/ (and the report templates and the synthetic generator's language packs)
and every module (the tuners' subpackages too), so `piikit` works outside the source tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_config_tree(tmp_path):
    import importlib.util

    pytest.importorskip("setuptools", reason="building the wheel offline needs setuptools: pip install -e '.[test]'")
    if not (importlib.util.find_spec("setuptools.command.bdist_wheel") or importlib.util.find_spec("wheel")):
        pytest.skip("this setuptools cannot build wheels (needs >= 70.1, or the wheel package): pip install -e '.[test]'")
    tracked = subprocess.run(["git", "ls-files"], capture_output=True, text=True, cwd=ROOT)
    if tracked.returncode != 0 or "pyproject.toml" not in tracked.stdout.split():
        pytest.skip("not a git checkout")
    src = tmp_path / "src"  # build from a copy: the source tree gets no build/ folder
    for rel in tracked.stdout.split():
        if (ROOT / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, src / rel)
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"), str(src)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("piikit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {p for p in tracked.stdout.split() if p.startswith(("piikit/conf/", "piikit/report/templates/", "piikit/synth/packs/"))}
    assert "piikit/conf/config.yaml" in expected and any(p.startswith("piikit/conf/experiment/") for p in expected)
    assert {"piikit/synth/packs/common.yaml", "piikit/synth/packs/en/rows.yaml", "piikit/synth/packs/en/long.yaml"} <= expected
    modules = {p for p in tracked.stdout.split() if p.startswith("piikit/") and p.endswith(".py")}
    assert {"piikit/tuners/crf/tuner.py", "piikit/tuners/cloud/gemini.py", "piikit/tuners/transformer/tuner.py"} <= modules  # subpackages too
    expected |= modules
    missing = sorted(expected - names)
    assert not missing, f"not in the wheel: {missing}"
    assert not any(n.startswith(("outputs/", "tests/")) for n in names)
    licences = [n for n in names if n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE")]
    assert licences and zipfile.ZipFile(wheel).read(licences[0]).decode() == (ROOT / "LICENSE").read_text()


def test_license_file_matches_pyproject():
    import re

    declared = re.search(r'^license\s*=\s*\{\s*text\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert declared and declared.group(1) == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in text[:200] and "Version 2.0, January 2004" in text[:200]
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text and "END OF TERMS AND CONDITIONS" in text
