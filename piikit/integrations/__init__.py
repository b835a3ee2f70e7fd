"""Adapters that let other tools use a piikit model (each imports its tool only when used):

- :mod:`piikit.integrations.presidio` — :class:`~piikit.integrations.presidio.PiikitRecognizer`,
  a Presidio ``EntityRecognizer`` (``pip install 'piikit[presidio]'``).
"""
