"""One module per stage, each with one entry function ``run(cfg, ctx) -> dict``."""
