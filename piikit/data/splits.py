"""Train/test splits and the dedupe guard.

- ``head_tail``: train = first ``n_train`` rows, test = last ``n_test`` rows (the walkthrough).
- ``random``: seeded shuffle; ``test_fraction`` of the rows go to test; optional caps.
- ``stratified``: like random, but each language keeps the same share in train and test.

Within each split, rows keep their original order. The dedupe guard then looks for test rows
whose whitespace-normalised ``source_text`` also occurs in train: ``drop`` (default) removes
them from test, ``keep`` only counts them, ``fail`` stops the run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from piikit.data.schema import Row
from piikit.errors import PiikitError


@dataclass
class Split:
    train: list[Row]
    test: list[Row]
    duplicates: int = 0  # test rows whose text also occurs in train (dropped when dedupe=drop)
    dropped: int = 0


def head_tail(rows: list[Row], n_train: int | None, n_test: int | None) -> tuple[list[Row], list[Row]]:
    if n_test is None:
        raise PiikitError("split=head_tail needs split.n_test", "set split.n_test=100 (or use split=random)")
    n_train = len(rows) - n_test if n_train is None else n_train
    if n_train < 1 or n_train + n_test > len(rows):
        raise PiikitError(
            f"split=head_tail needs n_train + n_test = {max(n_train, 0) + n_test} rows but only {len(rows)} are selected",
            "lower split.n_train / split.n_test, or select more rows (dataset.size, dataset.max_rows, dataset.languages)",
        )
    return rows[:n_train], rows[len(rows) - n_test :]


def _allocate(sizes: dict[str, int], total: int) -> dict[str, int]:
    """Split ``total`` across groups in proportion to ``sizes`` (largest remainder)."""
    n = sum(sizes.values())
    if n == 0:
        return {k: 0 for k in sizes}
    exact = {k: total * v / n for k, v in sizes.items()}
    out = {k: int(x) for k, x in exact.items()}
    for k in sorted(sizes, key=lambda k: (out[k] - exact[k], k))[: total - sum(out.values())]:
        out[k] += 1
    return out


def _n_test(n: int, fraction: float, cap: int | None) -> int:
    k = max(1, round(n * fraction))
    return min(k, cap) if cap is not None else k


def _check_enough(rows: list[Row], name: str) -> None:
    if len(rows) < 2:
        raise PiikitError(f"split={name} needs at least 2 rows but {len(rows)} are selected", "select more rows")


def random_split(rows: list[Row], fraction: float, seed: int, n_train: int | None, n_test: int | None) -> tuple[list[Row], list[Row]]:
    _check_enough(rows, "random")
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    k = _n_test(len(rows), fraction, n_test)
    test_idx, train_idx = order[:k], order[k:]
    if n_train is not None:
        train_idx = train_idx[:n_train]
    return [rows[i] for i in sorted(train_idx)], [rows[i] for i in sorted(test_idx)]


def stratified(rows: list[Row], fraction: float, seed: int, n_train: int | None, n_test: int | None) -> tuple[list[Row], list[Row]]:
    _check_enough(rows, "stratified")
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(row.language, []).append(i)
    sizes = {lang: len(idx) for lang, idx in groups.items()}
    test_counts = _allocate(sizes, _n_test(len(rows), fraction, n_test))
    remaining = {lang: sizes[lang] - test_counts[lang] for lang in sizes}
    if n_train is None or n_train >= sum(remaining.values()):
        train_counts = remaining
    else:
        train_counts = _allocate(remaining, n_train)
    train_idx: list[int] = []
    test_idx: list[int] = []
    for lang in sorted(groups):
        idx = list(groups[lang])
        random.Random(f"{seed}:{lang}").shuffle(idx)
        k = test_counts[lang]
        test_idx += idx[:k]
        train_idx += idx[k : k + train_counts[lang]]
    return [rows[i] for i in sorted(train_idx)], [rows[i] for i in sorted(test_idx)]


def normalise(text: str) -> str:
    return " ".join(text.split())


def dedupe(train: list[Row], test: list[Row], mode: str) -> Split:
    seen = {normalise(r.source_text) for r in train}
    dupes = [r for r in test if normalise(r.source_text) in seen]
    if dupes and mode == "fail":
        ids = ", ".join(r.id for r in dupes[:5])
        raise PiikitError(
            f"{len(dupes)} test rows also occur in train (ids: {ids})",
            "set split.dedupe=drop to drop them from test, or split.dedupe=keep to keep them",
        )
    if dupes and mode == "drop":
        dupe_ids = {id(r) for r in dupes}
        return Split(train, [r for r in test if id(r) not in dupe_ids], duplicates=len(dupes), dropped=len(dupes))
    return Split(train, test, duplicates=len(dupes), dropped=0)


def split_rows(rows: list[Row], cfg) -> Split:
    """Apply ``SplitConfig`` (name, n_train, n_test, test_fraction, seed, dedupe)."""
    if cfg.name == "head_tail":
        train, test = head_tail(rows, cfg.n_train, cfg.n_test)
    elif cfg.name == "random":
        train, test = random_split(rows, cfg.test_fraction, cfg.seed, cfg.n_train, cfg.n_test)
    elif cfg.name == "stratified":
        train, test = stratified(rows, cfg.test_fraction, cfg.seed, cfg.n_train, cfg.n_test)
    else:  # config validation rejects other names first
        raise PiikitError(f"unknown split '{cfg.name}'", "use head_tail, random or stratified")
    return dedupe(train, test, cfg.dedupe)
