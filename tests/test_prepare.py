"""The prepare stage end to end through the CLI: outputs, manifest, cache, user errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from run_dirs import only_run_dir
from piikit.data.schema import Row, mask_text
from piikit.data.validate import row_problems

SMALL = ("stages=[prepare]", "dataset.size=200", "split.n_train=150", "split.n_test=50")
SEED_ARTICLE = "Given the information below, mask the personal identifiable information.\n\nInput:\n{input}\n\nOutput:"


def read_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_prepare_writes_splits_and_manifest(cli, tmp_path):
    r = cli(*SMALL)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outputs"]  # nothing else in cwd
    run = only_run_dir(tmp_path)
    out = run / "prepare"
    train, test = read_rows(out / "train.jsonl"), read_rows(out / "test.jsonl")
    assert (len(train), len(test)) == (150, 50)
    assert [d["id"] for d in train[:2]] == ["0", "1"] and test[-1]["id"] == "199"  # head_tail
    for d in train + test:
        row = Row.from_dict(d)
        assert row_problems(row) == []
        assert d["prompt"] == SEED_ARTICLE.replace("{input}", d["source_text"])
        assert d["target_text"] == mask_text(row.source_text, row.privacy_mask)
    m = json.loads((out / "manifest.json").read_text())
    assert m["rows"] | {} == {**m["rows"], "loaded": 200, "selected": 200, "invalid": 0, "train": 150, "test": 50}
    assert sum(m["train"]["labels"].values()) == m["train"]["spans"] == sum(len(d["privacy_mask"]) for d in train)
    assert sum(m["test"]["languages"].values()) == 50
    assert len(m["data_fingerprint"]) == 64 and len(m["config_hash"]) == 16
    assert m["cache"]["hit"] is False and m["elapsed_seconds"] > 0
    assert m["dedupe"] == {"mode": "drop", "duplicates": 0, "dropped": 0}
    assert "prepared data" in r.stdout and "train" in r.stdout  # summary table


def test_second_identical_run_reuses_the_cache(cli, tmp_path):
    args = (*SMALL, "prompt=labels", "dataset.languages=[en,nl]")
    first = cli(*args, cwd=_mk(tmp_path / "a"))
    second = cli(*args, cwd=_mk(tmp_path / "b"))
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert "reused the cache" not in first.stdout and "reused the cache" in second.stdout
    a, b = only_run_dir(tmp_path / "a") / "prepare", only_run_dir(tmp_path / "b") / "prepare"
    for name in ("train.jsonl", "test.jsonl"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    ma, mb = (json.loads((d / "manifest.json").read_text()) for d in (a, b))
    assert (ma["cache"]["hit"], mb["cache"]["hit"]) == (False, True)
    assert ma["data_fingerprint"] == mb["data_fingerprint"]
    third = cli(*args, "dataset.seed=7", cwd=_mk(tmp_path / "c"))  # other config: rebuilt
    assert "reused the cache" not in third.stdout
    mc = json.loads((only_run_dir(tmp_path / "c") / "prepare" / "manifest.json").read_text())
    assert mc["cache"]["hit"] is False and mc["data_fingerprint"] != ma["data_fingerprint"]


def _mk(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_local(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _local_rows(n: int, bad: set[int] = frozenset()) -> list[dict]:
    rows = []
    for i in range(n):
        text = f"Ticket {i}: please call Kai on 555-01{i:02d}."
        start = text.index("Kai")
        mask = [{"value": "Kai" if i not in bad else "Kay", "start": start, "end": start + 3, "label": "FIRSTNAME"}]
        rows.append({"id": f"t{i}", "source_text": text, "privacy_mask": mask, "language": "en" if i % 2 else "de"})
    return rows


def test_local_dataset_with_random_split_and_drop(cli, tmp_path):
    path = _write_local(tmp_path / "mine.jsonl", _local_rows(40, bad={3, 5}))
    r = cli("stages=[prepare]", "dataset=local", f"dataset.path={path}", "dataset.on_invalid=drop", "split=random", "split.test_fraction=0.25")
    assert r.returncode == 0, r.stderr
    m = json.loads((only_run_dir(tmp_path) / "prepare" / "manifest.json").read_text())
    assert m["rows"]["invalid"] == 2 and m["rows"]["valid"] == 38
    assert {e["id"] for e in m["invalid_examples"]} == {"t3", "t5"}
    assert m["rows"]["test"] == 10 and m["rows"]["train"] == 28  # round(38 * 0.25) = 10


def test_languages_and_max_rows_filters(cli, tmp_path):
    r = cli("stages=[prepare]", "dataset.size=400", "dataset.languages=[de,fr]", "dataset.max_rows=120", "split=stratified", "split.test_fraction=0.2")
    assert r.returncode == 0, r.stderr
    m = json.loads((only_run_dir(tmp_path) / "prepare" / "manifest.json").read_text())
    assert m["rows"]["selected"] == 120
    assert set(m["train"]["languages"]) | set(m["test"]["languages"]) == {"de", "fr"}
    assert m["rows"]["test"] + m["dedupe"]["dropped"] == 24


@pytest.mark.parametrize(
    "args, expected",
    [
        (("dataset=local", "dataset.path=nope.jsonl"), "dataset.path=nope.jsonl: no such file"),
        (("dataset=local", "dataset.path={rows}", "dataset.columns.source_text=body"), "column 'body' (for source_text) is not in"),
        (("dataset=local", "dataset.path={rows}", "dataset.columns.source_text=body"), "available columns: id, source_text, privacy_mask, language"),
        (("dataset.size=0",), "dataset.size=0 must be at least 1"),
        (("dataset.on_invalid=ignore",), "dataset.on_invalid='ignore' is not valid — use one of: fail, drop"),
        (("dataset.languages=[xx]",), "synthetic data has no language 'xx'"),
        (("dataset=local", "dataset.path={bad}"), "1 of 6 rows are invalid — row t2: span FIRSTNAME@"),
        (("dataset=local", "dataset.path={bad}"), "dataset.on_invalid=drop"),
        (("dataset.size=100", "dataset.languages=[en]"), "split=head_tail needs n_train + n_test = 2000 rows but only 100 are selected"),
        (("dataset=local", "dataset.path={rows}", "split.n_train=3", "split.n_test=2", "split.dedupe=fail", "dataset.max_rows=4"), "needs n_train + n_test = 5 rows but only 4"),
    ],
)
def test_user_errors_are_one_line_exit_2(cli, tmp_path, args, expected):
    rows = _write_local(tmp_path / "rows.jsonl", _local_rows(6))
    bad = _write_local(tmp_path / "bad.jsonl", _local_rows(6, bad={2}))
    r = cli("stages=[prepare]", *(a.format(rows=rows, bad=bad) for a in args))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert expected in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_duplicate_test_rows_fail_with_dedupe_fail(cli, tmp_path):
    rows = _local_rows(6)
    rows[5] = {**rows[0], "id": "dup"}
    path = _write_local(tmp_path / "dups.jsonl", rows)
    base = ("stages=[prepare]", "dataset=local", f"dataset.path={path}", "split.n_train=4", "split.n_test=2")
    r = cli(*base, "split.dedupe=fail")
    assert r.returncode == 2 and "1 test rows also occur in train (ids: dup)" in r.stderr
    r = cli(*base, cwd=_mk(tmp_path / "drop"))
    assert r.returncode == 0, r.stderr
    m = json.loads((only_run_dir(tmp_path / "drop") / "prepare" / "manifest.json").read_text())
    assert m["dedupe"] == {"mode": "drop", "duplicates": 1, "dropped": 1} and m["rows"]["test"] == 1


def test_hub_unreachable_is_one_line(cli, tmp_path):
    env = {"HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1"}
    r = cli("stages=[prepare]", "dataset=hf", env=env)
    assert r.returncode == 2
    assert "dataset=synthetic or dataset=local" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    env = {"HF_HOME": str(tmp_path / "hf"), "HF_ENDPOINT": "http://127.0.0.1:9"}  # nothing listens there
    r = cli("stages=[prepare]", "dataset=hf", env=env)
    assert r.returncode == 2
    assert "can't reach the Hugging Face hub to load ai4privacy/pii-masking-200k" in r.stderr
    assert "dataset=synthetic or dataset=local" in r.stderr and len(r.stderr.strip().splitlines()) == 1
