"""Plugin manager and registries. Built-ins are registered through the same door as
third-party plugins (the ``piikit`` entry-point group)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import pluggy

from piikit import hookspecs
from piikit.errors import PiikitError, did_you_mean

ENTRY_POINT_GROUP = "piikit"
BUILTIN_PLUGINS = ("piikit.builtin",)


@dataclass(frozen=True)
class Entry:
    kind: str  # "tuner" | "evaluator" | "dataset"
    name: str
    target: Any  # callable or "module:attr"
    config: type | None
    help: str
    source: str  # plugin that registered it

    def load(self) -> Callable[..., Any]:
        if isinstance(self.target, str):
            module, _, attr = self.target.partition(":")
            return getattr(importlib.import_module(module), attr)
        return self.target


@lru_cache(maxsize=1)
def plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("piikit")
    pm.add_hookspecs(hookspecs)
    for name in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    return pm


def _collect(kind: str) -> dict[str, Entry]:
    pm = plugin_manager()
    hook = getattr(pm.hook, f"piikit_register_{kind}s")
    found: dict[str, Entry] = {}
    for impl in hook.get_hookimpls():
        source = pm.get_name(impl.plugin) or repr(impl.plugin)

        def register(name: str, *args: Any, help: str = "", _source: str = source) -> None:
            if kind == "evaluator":
                (target,) = args
                config = None
            else:
                config, target = args
            if name in found:  # a plugin must not silently replace a built-in (or another plugin's) entry
                raise PiikitError(f"two plugins register a {kind} named {name!r}: {found[name].source} and {_source}",
                                  "rename one of them, or uninstall the plugin you do not want (pip uninstall ...)")
            found[name] = Entry(kind, name, target, config, help, _source)

        impl.function(register=register)
    return found


@lru_cache(maxsize=None)
def registry(kind: str) -> dict[str, Entry]:
    return _collect(kind)


def get(kind: str, name: str) -> Entry:
    entries = registry(kind)
    if name not in entries:
        raise did_you_mean(kind, name, list(entries))
    return entries[name]


def listing() -> list[Entry]:
    """Everything installed, for ``piikit plugins``."""
    return [e for kind in ("dataset", "tuner", "evaluator") for e in registry(kind).values()]
