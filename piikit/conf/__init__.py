"""Hydra config tree shipped inside the package (works from a wheel)."""
