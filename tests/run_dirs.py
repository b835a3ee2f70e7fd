"""Helpers test modules import directly (``from conftest import ...`` is ambiguous: the example
plugin's tests have a conftest too, and whichever pytest loads last owns the name)."""

from __future__ import annotations

from pathlib import Path


def only_run_dir(cwd: Path) -> Path:
    """The single run dir a ``piikit`` call made under ``cwd/outputs``."""
    runs = sorted(p.parent for p in (cwd / "outputs").glob("*/*/.hydra"))
    assert len(runs) == 1, runs
    return runs[0]
