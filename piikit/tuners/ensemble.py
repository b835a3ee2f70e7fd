"""``tuner=ensemble``: combine the spans of several tuners to cut leaks.

Members come from config, each either a tuner name (its config dataclass with defaults) or a
dict: ``{name: crf, c1: 0.05}`` (overrides), ``{name: crf, model: outputs/…/run}`` (reuse a
trained model), ``{name: crf, key: crf_b}`` (a second member of the same tuner)::

    piikit tuner=ensemble tuner.members=[crf,transformer,rules] tuner.strategy=vote

How spans combine, per row (members that failed on the row are left out of it):

* overlapping spans of all members form a cluster; inside it, every stretch of characters
  gets the support of the members covering it (a member counts once, with its weight);
* ``union`` keeps every stretch any member covered (privacy first: fewest leaks);
  ``vote`` keeps stretches covered by at least ``min_votes`` members (default: a majority);
  ``weighted`` keeps stretches whose support is at least ``threshold`` × the total weight;
  kept stretches that touch merge into one span;
* ``fill`` keeps the first member's spans as they are, and each later member adds what it
  covers that no earlier member did, as spans of their own: the first member draws the
  boundaries of what it found (list the most precise member first), and nothing any member
  masked is dropped, as with ``union``;
* a span's label is the one with the largest summed weight among the member spans under it;
  ties go to ``label_priority``, then to the member listed first;
* a member without character spans (a generative model) has its masked text aligned to the
  source (:func:`piikit.evaluate.align.align`); a row it fails to align is left out;
* ``trust`` (label → member) puts that member's spans of that label in as they are, whatever
  the vote, replacing anything they overlap — e.g. trust ``rules`` for checksum-validated
  identifiers like IBAN or credit card numbers.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence

from piikit.config import TunerConfig
from piikit.data.schema import Prediction, Row, Span, mask_text, stripped
from piikit.errors import PiikitError, did_you_mean
from piikit.rundir import SNAPSHOTS
from piikit.tuners.base import Snapshot

log = logging.getLogger("piikit")

STRATEGIES = ("union", "vote", "weighted", "fill")
# checksum- or syntax-validated identifiers: the rules tuner's spans for them are trusted
TRUST_RULES = {"IBAN": "rules", "CREDITCARDNUMBER": "rules", "EMAIL": "rules"}


@dataclass
class EnsembleConfig(TunerConfig):
    name: str = "ensemble"
    # tuner names, or dicts {name: <tuner>, <its settings>..., model: <trained run>, key: <member id>}
    members: list[Any] = field(default_factory=lambda: ["crf", "transformer", "rules"])
    strategy: str = "union"  # union (fewest leaks) | vote (majority) | weighted | fill (first member's boundaries)
    weights: dict[str, float] = field(default_factory=dict)  # member key -> weight (default 1), e.g. {crf: 2}
    min_votes: Optional[int] = None  # vote: members that must agree (null: a majority)
    threshold: float = 0.5  # weighted: share of the total weight a stretch needs
    label_priority: list[str] = field(default_factory=list)  # tie-breaks between labels, first wins
    # label -> member whose spans of that label win (skipped when that tuner is not a member)
    trust: dict[str, str] = field(default_factory=lambda: dict(TRUST_RULES))

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise PiikitError(f"tuner.strategy={self.strategy!r} is not valid", f"use one of: {', '.join(STRATEGIES)}")
        if not self.members:
            raise PiikitError("tuner.members is empty", "list the tuners to combine, e.g. tuner.members=[crf,rules]")
        if not 0.0 < self.threshold <= 1.0:
            raise PiikitError(f"tuner.threshold={self.threshold} must be in (0, 1]")
        if any(w < 0 for w in self.weights.values()):
            raise PiikitError("tuner.weights must not be negative", str(dict(self.weights)))
        if self.min_votes is not None and not 1 <= self.min_votes <= len(self.members):
            raise PiikitError(f"tuner.min_votes={self.min_votes} must be between 1 and the number of members ({len(self.members)})")


# --------------------------------------------------------------------------- combining spans
@dataclass(frozen=True)
class Vote:
    """The spans one member gave for one row."""

    member: str
    spans: Sequence[Span]
    weight: float = 1.0


def combine(
    text: str,
    votes: Sequence[Vote],
    strategy: str = "union",
    min_votes: Optional[int] = None,
    threshold: float = 0.5,
    label_priority: Sequence[str] = (),
    trust: Optional[dict[str, str]] = None,
) -> list[Span]:
    """Merge the members' spans of one text into non-overlapping spans (see module doc)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}")
    if not votes:
        return []
    if strategy == "fill":
        return _trusted(text, votes, _fill(text, votes), trust)
    total = sum(v.weight for v in votes)
    if strategy == "vote":
        need = float(min_votes if min_votes is not None else len(votes) // 2 + 1)
    else:
        need = threshold * total  # weighted (union keeps any support)
    order = {v.member: i for i, v in enumerate(votes)}
    priority = {label: i for i, label in enumerate(label_priority)}

    # every member span, tagged with its member; clusters of overlapping spans
    tagged = sorted(((s, v) for v in votes for s in v.spans if s.end > s.start), key=lambda sv: (sv[0].start, sv[0].end))
    clusters: list[list[tuple[Span, Vote]]] = []
    end = -1
    for s, v in tagged:
        if clusters and s.start < end:
            clusters[-1].append((s, v))
            end = max(end, s.end)
        else:
            clusters.append([(s, v)])
            end = s.end

    out: list[Span] = []
    for cluster in clusters:
        cuts = sorted({p for s, _ in cluster for p in (s.start, s.end)})
        pieces: list[tuple[int, int]] = []
        for a, b in zip(cuts, cuts[1:]):
            covering = {v.member: v for s, v in cluster if s.start <= a and b <= s.end}
            if not covering:
                continue
            support = len(covering) if strategy == "vote" else sum(v.weight for v in covering.values())
            if strategy == "union" or support >= need:
                if pieces and pieces[-1][1] == a:
                    pieces[-1] = (pieces[-1][0], b)
                else:
                    pieces.append((a, b))
        for a, b in pieces:
            scores: dict[str, float] = {}
            first_member: dict[str, int] = {}
            for s, v in cluster:
                if s.start < b and a < s.end:
                    scores[s.label] = scores.get(s.label, 0.0) + v.weight
                    first_member[s.label] = min(first_member.get(s.label, 10**9), order[v.member])
            label = min(scores, key=lambda lab: (-scores[lab], priority.get(lab, len(priority)), first_member[lab], lab))
            out.append(Span(a, b, label, text[a:b]))

    return _trusted(text, votes, out, trust)


def _fill(text: str, votes: Sequence[Vote]) -> list[Span]:
    """The first member's spans, then what each later member covers that no earlier one did, as
    spans of their own (trimmed of spaces and separators; pieces without a letter or digit dropped)."""
    out: list[Span] = []
    covered = bytearray(len(text))  # 1 where a kept span is
    for v in votes:
        for s in v.spans:
            i = covered.find(0, s.start, s.end)  # the next stretch of s that nothing kept covers
            while i != -1:
                j = covered.find(1, i, s.end)
                j = s.end if j == -1 else j
                a, b = stripped(text, i, j, ",;:")
                if any(c.isalnum() for c in text[a:b]):
                    covered[a:b] = b"\x01" * (b - a)
                    out.append(Span(a, b, s.label, text[a:b]))
                i = covered.find(0, j, s.end)
    return out


def _trusted(text: str, votes: Sequence[Vote], out: list[Span], trust: Optional[dict[str, str]]) -> list[Span]:
    """``trust``: a member's spans of a label go in as they are, replacing what they overlap."""
    for label, member in (trust or {}).items():
        forced = [s for v in votes if v.member == member for s in v.spans if s.label == label]
        for f in forced:
            out = [s for s in out if not (s.start < f.end and f.start < s.end)]
            out.append(Span(f.start, f.end, f.label, text[f.start : f.end]))
    return sorted(out, key=lambda s: s.start)


# --------------------------------------------------------------------------- members
@dataclass
class Member:
    key: str
    config: Any  # the member tuner's config dataclass
    tuner: Any = None
    trained: bool = False  # fitted here or loaded from a trained model
    snapshots: list[Snapshot] = field(default_factory=list)


def member_configs(members: Sequence[Any]) -> list[tuple[str, Any]]:
    """``(key, config dataclass)`` for each entry of ``tuner.members``."""
    from piikit import plugins

    out: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for entry in members:
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise PiikitError(f"tuner.members entry {entry!r} is not a tuner name or a dict with a name", "e.g. tuner.members=[crf,rules] or [{name: crf, c1: 0.05},rules]")
        settings = dict(entry)
        name = settings["name"]
        if name == "ensemble":
            raise PiikitError("an ensemble cannot be a member of an ensemble", "list its members directly")
        key = str(settings.pop("key", None) or name)
        if key in seen:
            n = 2
            while f"{key}_{n}" in seen:
                n += 1
            key = f"{key}_{n}"
        seen.add(key)
        registered = plugins.get("tuner", name)
        allowed = {f.name for f in fields(registered.config)}
        for k in settings:
            if k not in allowed:
                raise did_you_mean(f"setting for member {key}", k, sorted(allowed))
        try:
            config = registered.config(**settings)
        except TypeError as e:
            raise PiikitError(f"member {key}: {e}") from None
        out.append((key, config))
    return out


class EnsembleTuner:
    """Trains (or loads) its members, predicts with all of them, combines their spans."""

    def __init__(self, config: EnsembleConfig, ctx=None):
        from piikit.tuners.base import build_tuner

        self.config = config
        self.ctx = ctx
        self.members: list[Member] = []
        for key, member_config in member_configs(config.members):
            member = Member(key, member_config, build_tuner(member_config, ctx))
            self.members.append(member)
        self._check_names()
        for member in self.members:
            if member.config.model and member.tuner.needs_training:
                from piikit.model import trained_model_dir

                member.tuner.load(trained_model_dir(member.config.model, member.config, ctx))
                member.trained = True

    def _check_names(self) -> None:
        keys = [m.key for m in self.members]
        for key in self.config.weights:
            if key not in keys:
                raise did_you_mean("member in tuner.weights", key, keys)
        from piikit import plugins

        tuners = list(plugins.registry("tuner"))
        self.trust: dict[str, str] = {}
        for label, key in self.config.trust.items():
            if key in keys:
                self.trust[label] = key
            elif key in tuners:
                log.info("ensemble: trust %s=%s skipped, %s is not a member", label, key, key)
            else:
                raise did_you_mean("member in tuner.trust", key, keys)

    @property
    def needs_training(self) -> bool:
        return any(m.tuner.needs_training for m in self.members)

    def fit(self, train: Sequence[Row]) -> list[Snapshot]:
        """Train the members that are not trained yet. Their loss curves are saved per member
        (``model/members/<key>/snapshots.jsonl``); the ensemble itself has no loss."""
        for member in self.members:
            if member.tuner.needs_training and not member.trained:
                log.info("ensemble: training member %s", member.key)
                member.snapshots = list(member.tuner.fit(train))
                member.trained = True
        return []

    def save(self, model_dir: Path) -> None:
        from piikit.io import write_json, write_jsonl

        model_dir = Path(model_dir)
        listing = []
        for member in self.members:
            sub = model_dir / "members" / member.key
            sub.mkdir(parents=True, exist_ok=True)
            if member.tuner.needs_training:
                member.tuner.save(sub)
            if member.snapshots:
                write_jsonl(sub / SNAPSHOTS, [s.to_dict() for s in member.snapshots])
            listing.append({"key": member.key, "config": asdict(member.config)})
        write_json(model_dir / "ensemble.json", {"members": listing})

    def load(self, model_dir: Path) -> None:
        """Rebuild the members saved in ``model_dir`` (its member list wins over the config's)."""
        from piikit.io import read_json
        from piikit.tuners.base import build_tuner

        model_dir = Path(model_dir)
        if not (model_dir / "ensemble.json").is_file():
            raise PiikitError(f"{model_dir} is not an ensemble model dir (no ensemble.json)", "point tuner.model at a run made with tuner=ensemble")
        members = []
        for saved in read_json(model_dir / "ensemble.json")["members"]:
            config = dict(saved["config"])
            config["model"] = None
            ((_, member_config),) = member_configs([config])
            member = Member(saved["key"], member_config, build_tuner(member_config, self.ctx))
            if member.tuner.needs_training:
                member.tuner.load(model_dir / "members" / member.key)
            member.trained = True
            members.append(member)
        self.members = members
        self._check_names()

    def predict(self, rows: Sequence[Row] | Iterable[Row]) -> Iterator[Prediction]:
        chunk: list[Row] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == 256:
                yield from self._predict_chunk(chunk)
                chunk = []
        if chunk:
            yield from self._predict_chunk(chunk)

    def _predict_chunk(self, rows: list[Row]) -> Iterator[Prediction]:
        answers = {m.key: list(m.tuner.predict(rows)) for m in self.members}
        for i, row in enumerate(rows):
            votes = []
            errors = []
            for m in self.members:
                pred = answers[m.key][i]
                if pred.error:
                    errors.append(f"{m.key}: {pred.error}")
                    continue
                spans = pred.spans
                if spans is None:  # a generative member: read its spans off the masked text
                    from piikit.evaluate.align import align

                    found = align(row.source_text, pred.prediction)
                    if not found.ok:
                        errors.append(f"{m.key}: unaligned")
                        continue
                    spans = found.spans
                votes.append(Vote(m.key, spans, float(self.config.weights.get(m.key, 1.0))))
            if not votes:
                yield Prediction(id=row.id, prediction=None, error="; ".join(errors) or "no member answered")
                continue
            spans = combine(
                row.source_text, votes, self.config.strategy, self.config.min_votes,
                self.config.threshold, self.config.label_priority, self.trust,
            )
            yield Prediction(id=row.id, prediction=mask_text(row.source_text, spans), spans=spans)
