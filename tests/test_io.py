"""piikit.io: atomic writes."""

from __future__ import annotations

import os
import stat

import pytest

from piikit.io import atomic_open, write_json


def test_atomic_write_gets_the_umask_mode_not_mkstemps_0600(tmp_path):
    old = os.umask(0o022)
    try:
        import importlib

        import piikit.io

        importlib.reload(piikit.io)
        piikit.io.write_json(tmp_path / "m.json", {"a": 1})
    finally:
        os.umask(old)
        importlib.reload(piikit.io)
    assert stat.S_IMODE((tmp_path / "m.json").stat().st_mode) == 0o644


def test_failed_write_leaves_nothing_behind(tmp_path):
    target = tmp_path / "out.txt"
    with pytest.raises(RuntimeError):
        with atomic_open(target) as fh:
            fh.write("half")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
    write_json(target, [1])
    assert target.read_text().strip().startswith("[")
