"""The cloud tuners: ``tuner=gemini`` (Generative Language API) and ``tuner=vertex`` (Vertex AI).

``gemini.py``, ``vertex.py`` (one tuner each) · ``common.py`` (their shared settings, training
examples, dry-run plan pieces, resume, credentials) · ``generation.py`` (requests in flight,
retries with backoff, timeouts, the answer cache).
"""
