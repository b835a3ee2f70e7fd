"""Every chart piikit draws, once: each is a matplotlib figure built here, then written as a PNG
(``loss.png``, ``per_label.png``, ``summary.png``) or as inline SVG for the HTML report, so the
two never disagree. matplotlib is imported only when a chart is drawn.

A swept parameter whose values are not all numbers is categorical: its means are drawn as
points, never joined by a line (a line between ``crf`` and ``rules`` means nothing).
SVG text stays text (``svg.fonttype=none``: searchable, crisp when printed); the XML prolog
and the metadata block (which names external RDF vocabularies) are dropped so the page embeds
the ``<svg>`` element as is.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import Any, Sequence

BLUE, RED, ORANGE = "#4c72b0", "#c44e52", "#dd8452"
LABEL_LIMIT = 40  # per-label chart: the most frequent labels
_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    return plt


# --------------------------------------------------------------------------- output
def write_png(fig, path: Path, dpi: int = 100) -> Path | None:
    """Write ``fig`` (None: nothing to draw, nothing written) to ``path`` atomically."""
    if fig is None:
        return None
    from piikit.io import atomic_open

    try:
        with atomic_open(path, "wb") as fh:
            fig.savefig(fh, format="png", dpi=dpi)
    finally:
        _pyplot().close(fig)
    return path


def to_svg(fig) -> str | None:
    """``fig`` as an ``<svg>`` element to embed in a page (None stays None)."""
    if fig is None:
        return None
    plt = _pyplot()
    buf = io.StringIO()
    try:
        with plt.rc_context({"svg.fonttype": "none"}):
            fig.savefig(buf, format="svg", metadata={"Date": None})
    finally:
        plt.close(fig)
    text = _METADATA.sub("", _PROLOG.sub("", buf.getvalue(), count=1), count=1)
    return text.replace("<svg ", '<svg role="img" ', 1)


# --------------------------------------------------------------------------- charts
def loss_figure(snapshots: Sequence[dict[str, Any]], title: str | None = None, xlabel: str | None = None, ylabel: str | None = None):
    """Mean loss per epoch (per step when there is one epoch); ``snapshots`` carry ``epoch``,
    ``step`` and ``loss``. The y axis turns logarithmic when the loss spans more than two orders
    of magnitude. None when no snapshot has a loss."""
    points = [s for s in snapshots if isinstance(s.get("loss"), (int, float)) and math.isfinite(s["loss"])]
    if not points:
        return None
    epochs: dict[Any, list[float]] = {}
    for s in points:
        epochs.setdefault(s.get("epoch", 0), []).append(float(s["loss"]))
    if len(epochs) > 1:
        xs = sorted(epochs)
        ys = [sum(epochs[e]) / len(epochs[e]) for e in xs]
        default_x, default_y = "Epoch", "Mean loss"
    else:
        xs = [s.get("step", i) for i, s in enumerate(points)]
        ys = [float(s["loss"]) for s in points]
        default_x, default_y = "Step", "Loss"
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(6, 3.8))
    ax.plot(xs, ys, marker="o" if len(xs) <= 50 else None, color=BLUE)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel or default_x)
    ax.set_ylabel(ylabel or default_y)
    if min(ys) > 0 and max(ys) / min(ys) > 100:
        ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def per_label_figure(per_label: dict[str, dict[str, Any]], title: str | None = None, limit: int = LABEL_LIMIT):
    """Strict span F1 and leak rate per label, as horizontal bars (the ``limit`` most frequent
    labels first). None when no label was seen."""
    labels = [lab for lab, v in sorted(per_label.items(), key=lambda kv: (-kv[1].get("support", 0), kv[0])) if v.get("support", 0) or v.get("predicted", 0)]
    if not labels:
        return None
    labels = labels[:limit]
    f1 = [float(per_label[lab].get("span_f1", 0.0)) for lab in labels]
    leak = [float(per_label[lab].get("leak_rate", 0.0)) for lab in labels]
    plt = _pyplot()
    height = 1.0 + 0.27 * len(labels) + (0.3 if title else 0.0)
    fig, ax = plt.subplots(figsize=(6.5, height))
    y = range(len(labels))
    h = 0.4
    ax.barh([i - h / 2 for i in y], f1, height=h, label="span F1 (strict)", color=BLUE)
    ax.barh([i + h / 2 for i in y], leak, height=h, label="leak rate", color=RED)
    ax.set_yticks(list(y))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=8)
    if title:
        ax.set_title(title, pad=22)
    fig.tight_layout()
    return fig


def _as_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def sweep_figure(panels: Sequence[tuple[str, Sequence[tuple[str, float]]]], metric: str, title: str | None = None):
    """One panel per swept parameter: ``(param, [(value, metric of one job), ...])``. Each job
    is a dot, the mean per value an orange point; the means are joined by a line only when
    every value of the parameter is a number. None when there is nothing to draw."""
    panels = [(param, points) for param, points in panels if points]
    if not panels:
        return None
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(panels), figsize=(4.6 * len(panels), 3.4 + (0.3 if title else 0.0)), squeeze=False)
    for ax, (param, points) in zip(axes[0], panels):
        values = sorted({v for v, _ in points}, key=lambda v: (_as_number(v) is None, _as_number(v) or 0.0, v))
        xs = {v: i for i, v in enumerate(values)}
        ax.scatter([xs[v] for v, _ in points], [m for _, m in points], color=BLUE, alpha=0.7, label="job")
        means = [sum(m for v2, m in points if v2 == v) / sum(1 for v2, _ in points if v2 == v) for v in values]
        numeric = all(_as_number(v) is not None for v in values)
        (line,) = ax.plot(range(len(values)), means, color=ORANGE, marker="o", linestyle="-" if numeric else "none", label="mean")
        line.set_gid(f"mean-{param}")
        ax.set_xticks(range(len(values)), values, rotation=30 if max(len(v) for v in values) > 6 else 0)
        ax.set_xlim(-0.5, len(values) - 0.5)
        ax.set_xlabel(param)
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
