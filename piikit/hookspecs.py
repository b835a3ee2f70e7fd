"""The plugin contract (pluggy). Built-ins implement these hooks exactly like third-party
plugins do; third-party plugins are found through the ``piikit`` entry-point group::

    # pyproject.toml of a plugin
    [project.entry-points.piikit]
    my_plugin = "my_plugin"          # a module with @hookimpl functions

Each hook receives a ``register`` callable; call it once per thing you add.
"""

from __future__ import annotations

from typing import Any, Callable

import pluggy

hookspec = pluggy.HookspecMarker("piikit")
hookimpl = pluggy.HookimplMarker("piikit")


@hookspec
def piikit_register_evaluators(register: Callable[..., None]) -> None:
    """Add masking evaluators.

    ``register(name, factory, help="")`` — ``factory()`` (or a ``"module:attr"`` string naming
    it) returns an object with ``name: str`` and
    ``evaluate(rows, predictions, ctx) -> dict[str, Any]`` (see ``piikit.evaluate``).
    """


@hookspec
def piikit_register_tuners(register: Callable[..., None]) -> None:
    """Add tuners.

    ``register(name, config, factory, help="")`` — ``config`` is a dataclass with the tuner's
    settings (its ``name`` field defaults to ``name``); ``factory(config)`` (or a
    ``"module:attr"`` string) returns a :class:`piikit.tuners.base.Tuner`. The tuner becomes
    selectable as ``tuner=<name>``.
    """


@hookspec
def piikit_register_datasets(register: Callable[..., None]) -> None:
    """Add dataset sources.

    ``register(name, config, loader, help="")`` — ``loader(config, ctx) -> list[Row]`` (or a
    ``"module:attr"`` string). Selectable as ``dataset=<name>``.
    """


def _unused(*_: Any) -> None:  # pragma: no cover - keeps linters quiet about Any
    pass
