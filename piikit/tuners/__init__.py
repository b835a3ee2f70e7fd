"""Tuners: things that learn to mask (or need no learning) and then predict masked text.

``base.py`` (the Tuner Protocol, its optional members) · ``crf/`` · ``cloud/`` (gemini, vertex) ·
``transformer/`` · ``rules.py`` · ``ensemble.py`` · ``simple.py`` (reference, identity) ·
``windows.py`` (long texts in overlapping windows: the CRF and the cloud tuners).
"""
