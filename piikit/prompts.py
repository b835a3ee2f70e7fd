"""Prompt templates: ``{input}`` is replaced by the row's text (plain ``str.replace``, so
braces in user text or in the template are left alone)."""

from __future__ import annotations

PLACEHOLDER = "{input}"


def render(template: str, text: str) -> str:
    return template.replace(PLACEHOLDER, text)
