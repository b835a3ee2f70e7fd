"""User-facing errors: one line saying what is wrong and how to fix it.

Exit codes (see DESIGN): 0 ok, 1 bug, 2 user error (bad config/input), 3 quality gate failed.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USER = 2
EXIT_GATE = 3


class PiikitError(Exception):
    """A mistake the user can fix. Rendered as one line, exit status ``exit_code``."""

    exit_code = EXIT_USER

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        text = " ".join(self.message.split())
        if self.hint:
            text += f" — {' '.join(self.hint.split())}"
        return text


class QualityGateError(PiikitError):
    """A metric missed a configured threshold (``evaluate.fail_under`` / ``fail_over``)."""

    exit_code = EXIT_GATE


def did_you_mean(kind: str, name: str, available: list[str] | tuple[str, ...]) -> PiikitError:
    """``unknown evaluator 'x' — did you mean 'y'? available: a, b`` (lm-eval style)."""
    import difflib

    close = difflib.get_close_matches(name, list(available), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return PiikitError(f"unknown {kind} '{name}'", f"{hint}available: {', '.join(sorted(available))}")
