"""``tuner=crf``: the CRF token tagger and what only it uses.

``tuner.py`` (CRFConfig, CRFTuner) · ``features.py`` (a token's string features) ·
``tagging.py`` (tokens with character offsets, BIO/IO tags ↔ spans) · ``gazetteer.py`` (word lists,
word frequency).
"""
