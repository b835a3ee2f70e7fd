"""The Python face of piikit: load a model once, mask strings.

::

    from piikit import Masker

    m = Masker.load("outputs/2026-12-07/10-00-00")   # a run dir or a model dir
    m = Masker.load(tuner="rules")                    # or a tuner that needs no training
    r = m.mask("Call Arvid at arvid@example.org")
    r.text    # 'Call [FIRSTNAME] at [EMAIL]'
    r.spans   # [Span(start=5, end=10, label='FIRSTNAME', value='Arvid'), ...]
    for r in m.mask_many(texts, batch_size=256): ...
    m.mask(text, strategy="hash", salt="my secret")

A :class:`Masker` is the existing masking code — :func:`piikit.model.resolve_model`,
:func:`~piikit.model.load_model`, :func:`~piikit.mask.masker.mask_batch` and the
strategies of :mod:`piikit.mask.strategies` — behind one object, so it gives exactly what the
``mask`` stage writes (the stage's worker processes use a Masker too). No Hydra, no run dir.
Calls are serialised by a lock, so Maskers can be shared by many threads.

This module imports only the standard library at import time: ``import piikit;
piikit.Masker`` stays instant; the model's libraries load in :meth:`Masker.load`.
"""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    from piikit.data.schema import Span
    from piikit.mask.masker import MaskedBatch
    from piikit.model import ModelSpec
    from piikit.mask.strategies import Strategy

__all__ = ["Masker", "MaskResult"]

SALT_ENV = "PIIKIT_MASK_SALT"

# One lock for every Masker of the process: taggers keep state between calls, and maskers with
# the same strategy share one Replacer (piikit.mask.masker.replacer_for), whose Faker is re-seeded
# for every pseudonym.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class MaskResult:
    """One masked text: ``text`` (the masked text) and ``spans`` (what was replaced, as
    character offsets into the *original* text, each with its ``label`` and ``value``).

    With ``errors="return"`` in :meth:`Masker.mask_many`, a text the model failed on has
    ``text=None``, ``spans=None`` and the reason in ``error`` — never the unmasked text."""

    text: str | None
    spans: "list[Span] | None"
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Masker:
    """A loaded model plus a replacement strategy. Build it with :meth:`load`."""

    def __init__(self, model: Any, spec: "ModelSpec", strategy: "Strategy"):
        self.model = model
        self.spec = spec
        self.strategy = strategy

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(
        cls,
        model: str | os.PathLike | None = None,
        *,
        tuner: str | None = None,
        strategy: str = "placeholder",
        salt: str | bytes | None = None,
        redact_char: str = "*",
        hash_length: int = 12,
        locale: str = "en_US",
        **tuner_options: Any,
    ) -> "Masker":
        """Load a model once.

        ``model``: a run dir (``outputs/<date>/<time>``, whose ``tune/manifest.json`` names the
        tuner) or a model dir (``<run>/tune/model``). Or leave it out and name a ``tuner`` that
        needs no training (``rules``, ``identity``), with its options as keywords
        (``Masker.load(tuner="rules", labels=["EMAIL"])``); for a bare model dir without a
        manifest, ``tuner`` says what kind of model it is.

        ``strategy``: ``placeholder`` (``[LABEL]``), ``redact`` (``*****``), ``hash``
        (``[LABEL_1a2b…]``) or ``pseudonymize`` (Faker values). ``salt`` keys ``hash`` and
        ``pseudonymize``; when not given, ``$PIIKIT_MASK_SALT``, else a random salt kept for the
        life of this Masker (same value → same replacement within it, never across runs).
        """
        from piikit.errors import PiikitError
        from piikit.model import load_model, resolve_model, tuner_config_from

        tuner_cfg = None
        if tuner is not None:
            tuner_cfg = tuner_config_from({"name": tuner, **tuner_options}, Path(f"tuner={tuner}"))
        elif tuner_options:
            raise PiikitError(f"tuner options {sorted(tuner_options)} need tuner=NAME", "e.g. Masker.load(tuner='rules', labels=['EMAIL'])")
        if model is None:
            if tuner_cfg is None:
                raise PiikitError("Masker.load needs a model or a tuner", "Masker.load('outputs/<date>/<time>') or Masker.load(tuner='rules')")
            try:
                spec = resolve_model(None, tuner_cfg, _NoRun())
            except PiikitError:
                raise PiikitError(f"tuner={tuner} needs a trained model", "Masker.load('<run dir>') with the run dir of a tune run") from None
        else:
            spec = resolve_model(os.fspath(model), tuner_cfg or _NoTuner(), None)
        strat = make_strategy(strategy, salt, redact_char, hash_length, locale)
        return cls(load_model(spec), spec, strat)

    @classmethod
    def from_spec(cls, spec: "ModelSpec", strategy: "Strategy", ctx: Any = None) -> "Masker":
        """From an already resolved :class:`~piikit.model.ModelSpec` (the mask stage's workers)."""
        from piikit.model import load_model

        return cls(load_model(spec, ctx), spec, strategy)

    # ------------------------------------------------------------------ masking
    @property
    def labels(self) -> list[str] | None:
        """The labels the model can predict, when it says (a trained CRF does)."""
        info = getattr(self.model, "info", None)
        labels = info.get("labels") if isinstance(info, dict) else None
        if labels is None and getattr(self.spec.tuner_config, "name", None) == "rules":
            from piikit.tuners.rules import LABELS

            labels = list(getattr(self.spec.tuner_config, "labels", None) or LABELS)
        return list(labels) if labels else None

    def mask_batch(self, texts: list[str], strategy: "Strategy | None" = None) -> "MaskedBatch":
        """The raw :class:`~piikit.mask.masker.MaskedBatch` for ``texts`` (what the mask stage writes)."""
        from piikit.mask.masker import mask_batch

        with _LOCK:  # taggers and Faker hold state: one call at a time
            return mask_batch(texts, self.model, strategy or self.strategy)

    def mask(self, text: str, *, strategy: str | None = None, salt: str | bytes | None = None) -> MaskResult:
        """Mask one text. Raises :class:`~piikit.errors.PiikitError` if the model fails on it."""
        return next(self.mask_many([text], strategy=strategy, salt=salt))

    def mask_many(
        self,
        texts: Iterable[str],
        batch_size: int = 256,
        *,
        strategy: str | None = None,
        salt: str | bytes | None = None,
        errors: str = "raise",
    ) -> Iterator[MaskResult]:
        """Mask ``texts`` lazily, ``batch_size`` at a time (any iterable, however long): one
        :class:`MaskResult` per text, in order. ``errors="raise"`` stops at a text the model
        failed on; ``errors="return"`` yields it as a result with ``error`` set."""
        from piikit.errors import PiikitError

        if batch_size < 1:
            raise PiikitError(f"batch_size={batch_size} must be at least 1")
        if errors not in ("raise", "return"):
            raise PiikitError(f"errors={errors!r} is not valid", "use 'raise' or 'return'")
        strat = self._strategy(strategy, salt)
        it = iter(texts)
        n = 0
        while batch := list(islice(it, batch_size)):
            for i, t in enumerate(batch):
                if not isinstance(t, str):
                    raise TypeError(f"text #{n + i} is a {type(t).__name__}, not a str")
            result = self.mask_batch(batch, strat)
            for masked, spans, error in zip(*result):
                if error is not None and errors == "raise":
                    raise PiikitError(f"text #{n}: {error}", "mask_many(..., errors='return') to get failed texts as results instead")
                yield MaskResult(masked, spans, error)
                n += 1

    def _strategy(self, name: str | None, salt: str | bytes | None) -> "Strategy":
        from dataclasses import replace

        if name is None and salt is None:
            return self.strategy
        s = self.strategy
        if name is not None:
            _check_strategy(name)
            s = replace(s, name=name)
        if salt is not None:
            s = replace(s, salt=_salt_bytes(salt))
        return s

    def __repr__(self) -> str:
        return f"Masker(model={self.spec.source!r}, strategy={self.strategy!r})"


def make_strategy(name: str, salt: str | bytes | None, redact_char: str = "*", hash_length: int = 12, locale: str = "en_US") -> "Strategy":
    """A :class:`~piikit.mask.strategies.Strategy`, checked like ``mask.*`` settings are."""
    from piikit.errors import PiikitError
    from piikit.mask.strategies import Strategy

    _check_strategy(name)
    if len(redact_char) != 1:
        raise PiikitError(f"redact_char={redact_char!r} must be exactly one character")
    if not 4 <= hash_length <= 64:
        raise PiikitError(f"hash_length={hash_length} must be between 4 and 64")
    if salt is None:
        salt = os.environ.get(SALT_ENV) or secrets.token_bytes(32)
    return Strategy(name, redact_char, _salt_bytes(salt), hash_length, locale)


def _check_strategy(name: str) -> None:
    from piikit.errors import did_you_mean
    from piikit.mask.strategies import STRATEGIES

    if name not in STRATEGIES:
        raise did_you_mean("strategy", name, list(STRATEGIES))


def _salt_bytes(salt: str | bytes) -> bytes:
    from piikit.errors import PiikitError

    b = salt.encode("utf-8") if isinstance(salt, str) else bytes(salt)
    if not b:
        raise PiikitError("the salt is empty", "give a secret string, or leave it out for a random one")
    return b


class _NoRun:
    """``resolve_model(None, ...)`` looks for this run's tune output; a Masker has no run."""

    run_dir = Path("/nonexistent/piikit-no-run")
    from_run = None


class _NoTuner:
    """A bare model dir without a manifest needs ``tuner=``: say so in one line."""

    @property
    def name(self) -> str:
        from piikit.errors import PiikitError

        raise PiikitError("this model dir has no manifest saying which tuner made it", "pass tuner=NAME, e.g. Masker.load(path, tuner='crf')")
