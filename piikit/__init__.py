"""piikit: fine-tune a model to mask PII in text, and measure how well it masks.

``from piikit import Masker`` is the Python API (:mod:`piikit.api`); it is imported on first
use, so ``import piikit`` stays instant.
"""

__version__ = "0.1.0"

__all__ = ["Masker", "MaskResult", "__version__"]


def __getattr__(name: str):
    if name in ("Masker", "MaskResult"):
        from piikit import api

        return getattr(api, name)
    raise AttributeError(f"module 'piikit' has no attribute {name!r}")
