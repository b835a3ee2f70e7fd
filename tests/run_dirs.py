"""Helpers test modules import directly (``from conftest import ...`` is ambiguous: the example
plugin's tests have a conftest too, and whichever pytest loads last owns the name)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


# The clock as piikit writes it (log lines, a report's "generated" stamp, manifests): a
# synthetic TIME value such as "14:05" is found in it whenever the run's minute matches.
CLOCK = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}| ?[A-Z]{2,5})?")


def without_clock(text: str) -> str:
    """``text`` with piikit's own timestamps taken out, before searching it for PII values."""
    return CLOCK.sub("<clock>", text)


def only_run_dir(cwd: Path) -> Path:
    """The single run dir a ``piikit`` call made under ``cwd/outputs``."""
    runs = sorted(p.parent for p in (cwd / "outputs").glob("*/*/.hydra"))
    assert len(runs) == 1, runs
    return runs[0]


def run_cli(args: list[str], cwd: Path, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``piikit`` as a user would (a subprocess), in ``cwd``."""
    full_env = {**os.environ, "PIIKIT_PROGRESS": "0", "COLUMNS": "200", **(env or {})}
    exe = Path(sys.executable).parent / "piikit"
    return subprocess.run([str(exe), *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout)
