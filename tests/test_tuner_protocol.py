"""The Tuner Protocol's optional members are documented where the Protocol is (tuners/base.py):
every member piikit looks up on a tuner with getattr/hasattr is named in its docstring."""

from __future__ import annotations

import ast
from pathlib import Path

import piikit
from piikit.tuners.base import Tuner

ROOT = Path(piikit.__file__).parent

def _is_tuner(node: ast.expr) -> bool:
    """What piikit calls a tuner object where it asks for optional members: ``tuner`` (the tune
    stage) and ``self.model`` (a Masker); not ``cfg.tuner``, the tuner's settings."""
    if isinstance(node, ast.Name):
        return node.id == "tuner"
    return isinstance(node, ast.Attribute) and node.attr == "model" and isinstance(node.value, ast.Name) and node.value.id == "self"


def _looked_up() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr")
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)):
                if _is_tuner(node.args[0]):
                    found.add(node.args[1].value)
    return found


def test_every_optional_member_is_documented():
    looked_up = _looked_up()
    assert {"plan", "info", "loss_xlabel", "loss_ylabel"} <= looked_up
    undocumented = sorted(m for m in looked_up if f"``{m}" not in Tuner.__doc__)
    assert not undocumented, f"document these optional Tuner members in piikit/tuners/base.py: {undocumented}"
