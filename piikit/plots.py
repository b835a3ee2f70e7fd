"""Plots shared by stages (matplotlib/seaborn imported only when a plot is drawn)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence


def loss_curve(snapshots: Sequence[dict], path: Path, title: str = "Loss") -> Path:
    """Mean loss per epoch, like the walkthrough: ``snapshots`` carry ``epoch`` and ``loss``."""
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd
    import seaborn as sns
    from matplotlib import pyplot as plt

    from piikit.io import atomic_open

    df = pd.DataFrame(list(snapshots))
    per_epoch = df.groupby("epoch", as_index=False)["loss"].mean()
    x, xlabel = ("epoch", "Epoch") if len(per_epoch) > 1 else ("step", "Step")
    data = per_epoch if x == "epoch" else df
    fig, ax = plt.subplots(figsize=(6, 4))
    sns.lineplot(data=data, x=x, y="loss", marker="o", ax=ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Mean loss" if x == "epoch" else "Loss")
    ax.set_title(title)
    fig.tight_layout()
    with atomic_open(path, "wb") as fh:
        fig.savefig(fh, format="png", dpi=100)
    plt.close(fig)
    return path
