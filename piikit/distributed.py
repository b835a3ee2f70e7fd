"""Which process of a multi-process launch (``torchrun``, ``accelerate launch``) this is.

Both launchers start one ``piikit`` per GPU (or per CPU worker) with ``RANK``/``WORLD_SIZE``
in the environment. Every process runs the stages up to ``tune`` and trains its share of each
batch (``transformers.Trainer`` sets up the process group from those variables); the main
process (rank 0) alone saves the model, predicts and evaluates. Read from the environment
only, so nothing heavy is imported.
"""

from __future__ import annotations

import os


def world_size() -> int:
    return int(os.environ.get("WORLD_SIZE", "1") or 1)


def rank() -> int:
    return int(os.environ.get("RANK", "0") or 0)


def is_main() -> bool:
    return rank() == 0
