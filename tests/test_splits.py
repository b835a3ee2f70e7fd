"""Splits (head_tail, random, stratified), dedupe guard, prompt rendering."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest

from piikit.data.schema import Row
from piikit.data.splits import dedupe, head_tail, random_split, split_rows, stratified
from piikit.errors import PiikitError
from piikit.prompts import render


def rows(n: int, langs=("en",)) -> list[Row]:
    return [Row(str(i), f"text number {i}", None, [], langs[i % len(langs)]) for i in range(n)]


def cfg(**kw):
    base = dict(name="head_tail", n_train=1900, n_test=100, test_fraction=0.05, seed=0, dedupe="drop")
    return SimpleNamespace(**{**base, **kw})


def test_head_tail_takes_first_and_last():
    train, test = head_tail(rows(10), 6, 3)
    assert [r.id for r in train] == ["0", "1", "2", "3", "4", "5"]
    assert [r.id for r in test] == ["7", "8", "9"]
    s = split_rows(rows(2000), cfg())
    assert (len(s.train), len(s.test)) == (1900, 100)
    assert s.train[-1].id == "1899" and s.test[0].id == "1900"


def test_head_tail_without_n_train_uses_the_rest():
    train, test = head_tail(rows(10), None, 2)
    assert len(train) == 8 and [r.id for r in test] == ["8", "9"]


def test_head_tail_too_few_rows_is_a_clear_error():
    with pytest.raises(PiikitError) as e:
        head_tail(rows(150), 150, 50)
    assert "needs n_train + n_test = 200 rows but only 150 are selected" in e.value.one_line()


def test_random_is_seeded_and_respects_fraction_and_caps():
    data = rows(1000)
    a = random_split(data, 0.1, 5, None, None)
    b = random_split(data, 0.1, 5, None, None)
    c = random_split(data, 0.1, 6, None, None)
    assert [r.id for r in a[1]] == [r.id for r in b[1]]
    assert [r.id for r in a[1]] != [r.id for r in c[1]]
    assert (len(a[0]), len(a[1])) == (900, 100)
    assert {r.id for r in a[0]}.isdisjoint({r.id for r in a[1]})
    assert [int(r.id) for r in a[0]] == sorted(int(r.id) for r in a[0])  # original order kept
    train, test = random_split(data, 0.1, 5, 50, 20)
    assert (len(train), len(test)) == (50, 20)


def test_stratified_keeps_language_shares():
    data = rows(600, langs=("en", "en", "de", "fr", "fr", "fr"))  # en 200, de 100, fr 300
    train, test = stratified(data, 0.1, 1, None, None)
    assert Counter(r.language for r in test) == {"en": 20, "de": 10, "fr": 30}
    assert Counter(r.language for r in train) == {"en": 180, "de": 90, "fr": 270}
    train, test = stratified(data, 0.1, 1, 120, 30)
    assert Counter(r.language for r in test) == {"en": 10, "de": 5, "fr": 15}
    assert Counter(r.language for r in train) == {"en": 40, "de": 20, "fr": 60}
    assert stratified(data, 0.1, 1, None, None)[1] == stratified(data, 0.1, 1, None, None)[1]


def test_dedupe_drop_keep_fail():
    train = [Row("a", "Hello  Ana\n"), Row("b", "other")]
    test = [Row("c", " Hello Ana"), Row("d", "new text")]
    s = dedupe(train, test, "drop")
    assert [r.id for r in s.test] == ["d"] and (s.duplicates, s.dropped) == (1, 1)
    s = dedupe(train, test, "keep")
    assert [r.id for r in s.test] == ["c", "d"] and (s.duplicates, s.dropped) == (1, 0)
    with pytest.raises(PiikitError, match=r"1 test rows also occur in train \(ids: c\)"):
        dedupe(train, test, "fail")


def test_render_replaces_input_and_leaves_braces_alone():
    template = "Mask this {not a field}:\n{input}\nOutput:"
    assert render(template, "Hi {name} {input} {0}") == "Mask this {not a field}:\nHi {name} {input} {0}\nOutput:"
