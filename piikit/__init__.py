"""piikit: fine-tune a model to mask PII in text, and measure how well it masks."""

__version__ = "0.1.0"
