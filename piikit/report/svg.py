"""Plots for the HTML report as inline SVG strings (matplotlib imported only when drawing).

Text stays text (``svg.fonttype=none``: searchable, crisp when printed); the XML prolog and the
metadata block (which names external RDF vocabularies) are dropped so the page embeds the
``<svg>`` element as is.
"""

from __future__ import annotations

import io
import re
from typing import Any, Sequence

_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
BLUE, RED, ORANGE = "#4c72b0", "#c44e52", "#dd8452"


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    return plt


def to_svg(fig) -> str:
    plt = _pyplot()
    buf = io.StringIO()
    try:
        with plt.rc_context({"svg.fonttype": "none"}):
            fig.savefig(buf, format="svg", metadata={"Date": None})
    finally:
        plt.close(fig)
    text = _METADATA.sub("", _PROLOG.sub("", buf.getvalue(), count=1), count=1)
    return text.replace("<svg ", '<svg role="img" ', 1)


def loss_curve(snapshots: Sequence[dict[str, Any]]) -> str | None:
    """Mean loss per epoch (per step when there is one epoch), as ``piikit.plots.loss_curve``."""
    points = [s for s in snapshots if isinstance(s.get("loss"), (int, float))]
    if not points:
        return None
    epochs: dict[Any, list[float]] = {}
    for s in points:
        epochs.setdefault(s.get("epoch", 0), []).append(float(s["loss"]))
    if len(epochs) > 1:
        xs = sorted(epochs)
        ys = [sum(epochs[e]) / len(epochs[e]) for e in xs]
        xlabel, ylabel = "Epoch", "Mean loss"
    else:
        xs = [s.get("step", i) for i, s in enumerate(points)]
        ys = [float(s["loss"]) for s in points]
        xlabel, ylabel = "Step", "Loss"
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.4))
    from matplotlib.ticker import MaxNLocator

    ax.plot(xs, ys, marker="o", color=BLUE)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return to_svg(fig)


def per_label(per_label: dict[str, dict[str, Any]], limit: int = 25) -> str | None:
    """Strict span F1 and leak rate per label (the ``limit`` most frequent labels)."""
    labels = [lab for lab, v in sorted(per_label.items(), key=lambda kv: (-kv[1].get("support", 0), kv[0])) if v.get("support", 0) or v.get("predicted", 0)]
    if not labels:
        return None
    labels = labels[:limit]
    f1 = [float(per_label[lab].get("span_f1", 0.0)) for lab in labels]
    leak = [float(per_label[lab].get("leak_rate", 0.0)) for lab in labels]
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 1.0 + 0.27 * len(labels)))
    y = range(len(labels))
    h = 0.4
    ax.barh([i - h / 2 for i in y], f1, height=h, label="span F1 (strict)", color=BLUE)
    ax.barh([i + h / 2 for i in y], leak, height=h, label="leak rate", color=RED)
    ax.set_yticks(list(y))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 1.0 + 0.6 / (1.0 + 0.27 * len(labels))), ncol=2, frameon=False, fontsize=8)
    fig.tight_layout()
    return to_svg(fig)


def metric_by_param(points: Sequence[tuple[str, float]], param: str, metric: str) -> str:
    """One swept parameter: each job's ``metric`` (dots) and the mean per value (joined by a line
    when the values are numbers)."""

    def as_number(v: str) -> float | None:
        try:
            return float(v)
        except ValueError:
            return None

    values = sorted({v for v, _ in points}, key=lambda v: (as_number(v) is None, as_number(v) or 0.0, v))
    xs = {v: i for i, v in enumerate(values)}
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(4.6, 3.2))
    ax.scatter([xs[v] for v, _ in points], [m for _, m in points], color=BLUE, alpha=0.7, label="job")
    means = [sum(m for v2, m in points if v2 == v) / sum(1 for v2, _ in points if v2 == v) for v in values]
    numeric = all(as_number(v) is not None for v in values)  # a line between categories means nothing
    ax.plot(range(len(values)), means, color=ORANGE, marker="o", linestyle="-" if numeric else "none", label="mean")
    ax.set_xticks(range(len(values)), values, rotation=30 if max(len(v) for v in values) > 6 else 0)
    ax.set_xlabel(param)
    ax.set_ylabel(metric)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return to_svg(fig)
