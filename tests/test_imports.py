"""The module graph of piikit: no import circle, and no private name imported across packages.

Read from the source with ast (imports inside functions count too: a deferred import is still a
dependency). ``from piikit.report import svg`` depends on the submodule ``piikit.report.svg``;
``from piikit.report import write_run_report`` depends on ``piikit/report/__init__.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import piikit

ROOT = Path(piikit.__file__).parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _package(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]


def _imports(module: str):
    """(imported module, imported name or None, line) for every piikit import in ``module``."""
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((a.name, None, node.lineno) for a in node.names if a.name.startswith("piikit"))
        elif isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                base = _package(module).split(".")[: len(_package(module).split(".")) - node.level + 1]
                source = ".".join(base + ([source] if source else []))
            if source.startswith("piikit"):
                yield from ((source, a.name, node.lineno) for a in node.names)


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        deps = set()
        for source, name, _ in _imports(module):
            deps.add(f"{source}.{name}" if name and f"{source}.{name}" in MODULES else source)
        graph[module] = {d for d in deps if d in MODULES and d != module}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the list of modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                return path[path.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_there_is_no_import_circle():
    assert "piikit.sweep" in MODULES and "piikit.report.sweep" in _graph()["piikit.report"]
    circle = _cycle(_graph())
    assert circle is None, "import circle: " + " → ".join(circle)


def test_the_circle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_private_name_is_imported_across_packages():
    found = []
    for module in MODULES:
        for source, name, line in _imports(module):
            private = name is not None and name.startswith("_") and not name.startswith("__") and f"{source}.{name}" not in MODULES
            if private and source in MODULES and _package(source) != _package(module):
                found.append(f"{MODULES[module].relative_to(ROOT.parent)}:{line} imports {name} from {source}")
    assert not found, "make these public in their one home:\n" + "\n".join(found)
