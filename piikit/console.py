"""One rich Console for the whole program; logging through RichHandler; progress that
turns itself off when output is not a terminal."""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from typing import Iterator

from rich.console import Console

console = Console(stderr=False, highlight=False)
err_console = Console(stderr=True, highlight=False)

LOG_TIME_FORMAT = "[%Y-%m-%dT%H:%M:%S]"  # the terminal's log times: ISO 8601, local time


class IsoFormatter(logging.Formatter):
    """``%(asctime)s`` in ISO 8601 with milliseconds and the UTC offset (piikit.log)."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        import datetime as dt

        return dt.datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


def setup_logging(level: int = logging.INFO) -> None:
    """Route the root logger through rich (idempotent)."""
    from rich.logging import RichHandler

    root = logging.getLogger()
    if not any(isinstance(h, RichHandler) for h in root.handlers):
        root.addHandler(RichHandler(console=console, show_path=False, rich_tracebacks=False, log_time_format=LOG_TIME_FORMAT))
    root.setLevel(level)


def progress_enabled() -> bool:
    """Progress bars only on a real terminal, and never inside parallel sweep jobs."""
    if os.environ.get("PIIKIT_PROGRESS", "").lower() in {"0", "false", "off", "no"}:
        return False
    if os.environ.get("PIIKIT_PROGRESS", "").lower() in {"1", "true", "on", "yes"}:
        return True
    return console.is_terminal


@contextmanager
def progress(*extra_columns, transient: bool = False) -> Iterator["rich.progress.Progress"]:  # noqa: F821
    """A rich Progress that is disabled (prints nothing) when output is not a terminal.

    Usage::

        with progress() as p:
            task = p.add_task("generating", total=n)
            p.advance(task)
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        *extra_columns,
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=console, disable=not progress_enabled(), transient=transient) as p:
        yield p


def rate_column():
    """A progress column showing rows per second (for generation against remote models)."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} rows/s" if speed else "– rows/s", style="progress.data.speed")

    return RateColumn()
