"""Masking a corpus with a tuned model: strategies, the pure per-batch masker, file formats and
the local multi-process engine. The ``mask`` stage (piikit/stages/mask.py) drives them; a Spark
engine can reuse :func:`piikit.mask.masker.mask_batch` and :func:`~piikit.model.load_model`.
"""
