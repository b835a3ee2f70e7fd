"""Plots shared by stages (matplotlib/seaborn imported only when a plot is drawn)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence


def loss_curve(
    snapshots: Sequence[dict], path: Path, title: str = "Loss", xlabel: str | None = None, ylabel: str | None = None
) -> Path:
    """Mean loss per epoch, like the walkthrough: ``snapshots`` carry ``epoch`` and ``loss``.
    The y axis turns logarithmic when the loss spans more than two orders of magnitude."""
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd
    import seaborn as sns
    from matplotlib import pyplot as plt

    from piikit.io import atomic_open

    df = pd.DataFrame(list(snapshots))
    per_epoch = df.groupby("epoch", as_index=False)["loss"].mean()
    x, default_xlabel = ("epoch", "Epoch") if len(per_epoch) > 1 else ("step", "Step")
    data = per_epoch if x == "epoch" else df
    fig, ax = plt.subplots(figsize=(6, 4))
    sns.lineplot(data=data, x=x, y="loss", marker="o" if len(data) <= 50 else None, ax=ax)
    ax.set_xlabel(xlabel if xlabel else default_xlabel)
    ax.set_ylabel(ylabel if ylabel else ("Mean loss" if x == "epoch" else "Loss"))
    losses = data["loss"].dropna()
    if len(losses) and losses.min() > 0 and losses.max() / losses.min() > 100:
        ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)
    ax.set_title(title)
    fig.tight_layout()
    with atomic_open(path, "wb") as fh:
        fig.savefig(fh, format="png", dpi=100)
    plt.close(fig)
    return path
