"""Tuners: things that learn to mask (or need no learning) and then predict masked text."""
