"""mask.engine=spark on a real local Spark session (local[2]): same answers as the local engine.

One Spark session for the whole file (starting the JVM is the slow part); tiny inputs.
Skipped when pyspark (pip install -e '.[spark]') or Java is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mask_support import PLUGIN_DIR, corpus, read_output, register_plugin, train_model, write_input
from piikit.errors import PiikitError
from piikit.mask.strategies import Replacer, Strategy, apply_spans
from piikit.pipeline import make_context

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -e '.[spark]')")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Java is not installed (Spark needs Java 17)", allow_module_level=True)

SALT = "spark-test-salt"


@pytest.fixture(scope="session")
def spark():
    """One local[2] session, made by the engine's own get_session (the engine and register_udf
    then reuse the active session)."""
    from piikit.config import MaskSparkConfig
    from piikit.mask.spark import get_session

    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", "PYSPARK_PYTHON")}
    # Python workers must import the test plugin (as an installed plugin would be importable)
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in [str(PLUGIN_DIR), os.environ.get("PYTHONPATH", "")] if p)
    os.environ.pop("PYSPARK_PYTHON", None)  # the engine picks this interpreter by itself
    conf = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "2",
        "spark.driver.memory": "512m",
        "spark.sql.files.maxPartitionBytes": "2000",  # tiny files → several partitions
        # short jobs: the quick JIT tier and a small GC start faster on 2 cores
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    }
    session, owned = get_session(MaskSparkConfig(master="local[2]", app_name="piikit-tests", conf=conf))
    assert owned
    yield session
    session.stop()
    for key, value in saved.items():
        os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)


@pytest.fixture(autouse=True)
def _plugin():
    register_plugin()


@pytest.fixture(scope="module")
def model_run(tmp_path_factory):
    return train_model(tmp_path_factory.mktemp("spark_model") / "run")


@pytest.fixture
def run_stage(compose, tmp_path):
    """run_stage(overrides...) -> (summary, run_dir): the mask stage on a fresh run dir."""
    counter = iter(range(1000))

    def _run(*overrides: str):
        from piikit.stages import mask

        cfg = compose(["stages=[mask]", *overrides])
        run_dir = tmp_path / f"run{next(counter)}"
        run_dir.mkdir()
        return mask.run(cfg, make_context(cfg, run_dir)), run_dir

    return _run


def spark_rows(out_dir: Path) -> list[dict]:
    """Rows of a Spark output directory (parquet or JSON lines part files)."""
    assert (out_dir / "_SUCCESS").exists()
    rows = []
    for part in sorted(out_dir.glob("part-*")):
        if part.suffix == ".parquet":
            import pyarrow.parquet as pq

            rows += [dict(r, _part=part.name) for r in pq.read_table(part).to_pylist()]
        else:
            rows += [dict(json.loads(line), _part=part.name) for line in part.read_text(encoding="utf-8").splitlines()]
    return rows


def _input_dir(tmp_path: Path, fmt: str, n_files: int = 3, per_file: int = 30) -> Path:
    """Several files → several partitions; ids unique across files; names repeat across them."""
    src = tmp_path / f"in_{fmt}"
    for f in range(n_files):
        texts = corpus(per_file, seed=f)
        path = write_input(src / f"part{f}.{fmt}", texts)
        if fmt == "jsonl":  # unique ids across files
            lines = [json.loads(line) for line in path.read_text().splitlines()]
            path.write_text("".join(json.dumps({**r, "id": f"f{f}-{r['id']}"}) + "\n" for r in lines))
        elif fmt == "csv":
            path.write_text(path.read_text().replace("\nr", f"\nf{f}-r"))
        else:
            import pyarrow.parquet as pq

            table = pq.read_table(path)
            ids = [f"f{f}-{i}" for i in table.column("id").to_pylist()]
            import pyarrow as pa

            pq.write_table(table.set_column(0, "id", pa.array(ids)), path)
    return src


# each strategy on another input format; each input is a directory of 3 files (≥ 3 partitions)
CASES = [("placeholder", "csv"), ("redact", "parquet"), ("hash", "jsonl"), ("pseudonymize", "jsonl")]


@pytest.mark.parametrize("strategy,fmt", CASES)
def test_spark_equals_local_engine(strategy, fmt, spark, tmp_path, model_run, run_stage):
    src = _input_dir(tmp_path, fmt)
    common = [f"mask.input={src}", f"mask.model={model_run}", f"mask.strategy={strategy}", f"mask.salt={SALT}", "mask.batch_size=16", "mask.keep_text=true"]
    run_stage(*common, f"mask.output={tmp_path / 'local'}", "mask.workers=1")
    local = {r["id"]: r for f in sorted((tmp_path / "local").glob(f"part*.{fmt}")) for r in read_output(f)}
    summary, run_dir = run_stage(*common, "mask.engine=spark")
    out_dir = run_dir / "mask" / "masked"
    got = spark_rows(out_dir)

    assert len(got) == len(local) == 90 and summary["rows out"] == 90
    parts = {r["_part"] for r in got}
    assert len(parts) >= 2, "the input should have been masked in several partitions"
    expected_suffix = ".parquet" if fmt == "parquet" else ".json"
    assert all(p.endswith(expected_suffix) for p in parts)
    replace = Replacer(Strategy(strategy, salt=SALT.encode()))  # a fresh replacer: no shared state
    for row in got:
        want = local[row["id"]]
        spans = want["spans"] if fmt != "csv" else json.loads(want["spans"])
        assert row["masked_text"] == want["masked_text"], row["id"]
        assert row["spans"] == spans, row["id"]
        assert row["text"] == want["text"] and str(row["n"]) == str(want["n"])
        from piikit.data.schema import Span

        found = [Span(s["start"], s["end"], s["label"], row["text"][s["start"] : s["end"]]) for s in spans]
        assert row["masked_text"] == apply_spans(row["text"], found, replace)
    # values masked in several partitions (above: the same replacement as a fresh replacer's)
    parts_of: dict[tuple, set] = {}
    for row in got:
        for s in row["spans"]:
            parts_of.setdefault((s["label"], row["text"][s["start"] : s["end"]]), set()).add(row["_part"])
    assert sum(len(p) >= 2 for p in parts_of.values()) >= 3
    manifest = json.loads((run_dir / "mask" / "manifest.json").read_text())
    assert manifest["engine"] == "spark" and manifest["rows_in"] == 90 and manifest["rows_skipped"] == 0
    assert manifest["spans"] == sum(len(r["spans"]) for r in got) > 0
    assert SALT not in json.dumps(manifest)


def test_bad_rows_skipped_counted_or_fail_without_output(spark, tmp_path, model_run, run_stage):
    src = tmp_path / "in" / "bad.jsonl"
    src.parent.mkdir()
    good = corpus(6)
    lines = [json.dumps({"id": f"r{i}", "text": t}) for i, t in enumerate(good)]
    lines += [json.dumps({"id": "null", "text": None}), json.dumps({"id": "missing"}), '{"id": "broken", "text": ']
    src.write_text("\n".join(lines) + "\n")
    summary, run_dir = run_stage(f"mask.input={src}", f"mask.model={model_run}", "mask.engine=spark", "mask.spark.output_format=parquet")
    rows = spark_rows(run_dir / "mask" / "masked")
    assert sorted(r["id"] for r in rows) == [f"r{i}" for i in range(6)]
    assert "text" not in rows[0] and all(r["masked_text"] for r in rows)
    manifest = json.loads((run_dir / "mask" / "manifest.json").read_text())
    assert manifest["rows_in"] == 9 and manifest["rows_out"] == 6
    assert manifest["skipped_by_reason"] == {"malformed JSON": 1, "null": 2}

    out = tmp_path / "failed_out"
    # partitions run in parallel: whichever bad row a task meets first is reported
    with pytest.raises(PiikitError, match=r"bad\.jsonl: a row .*(null|not valid JSON)"):
        run_stage(f"mask.input={src}", f"mask.model={model_run}", "mask.engine=spark", "mask.on_error=fail", f"mask.output={out}")
    assert not out.exists(), "a failed job leaves no output (not even an empty directory)"


def test_sql_function(spark, model_run, tmp_path):
    from piikit.mask.masker import mask_batch
    from piikit.model import load_model, resolve_model
    from piikit.mask.spark import register_udf

    from pyspark.sql.functions import pandas_udf

    @pandas_udf("int")
    def model_loads(s):  # in the same Python worker, after piikit_mask ran on this batch
        import pandas as pd

        from piikit.mask import spark as engine

        return pd.Series([max(engine.LOADS.values(), default=0)] * len(s))

    texts = corpus(20, seed=7) + [None]
    register_udf(spark, model=str(model_run), name="piikit_mask", strategy="hash", salt=SALT)
    spark.udf.register("model_loads", model_loads)
    spark.createDataFrame([(i, t) for i, t in enumerate(texts)], "id int, text string").createOrReplaceTempView("tickets")
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "3")  # many batches per worker
    try:
        result = spark.sql("SELECT id, piikit_mask(text) AS m, model_loads(text) AS loads FROM tickets").collect()
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    got = {r["id"]: r["m"] for r in result}
    assert {r["loads"] for r in result} == {1}, "the model is loaded once per Python worker, not per batch"
    model = load_model(resolve_model(str(model_run), None, None))
    want = mask_batch(texts[:-1], model, Strategy("hash", salt=SALT.encode())).masked
    assert [got[i] for i in range(20)] == want and got[20] is None
    assert any("[FIRSTNAME_" in w for w in want)
    # Python workers run the driver's interpreter (set up by get_session, not by this test)
    assert spark.sparkContext.parallelize([0], 1).map(lambda _: sys.executable).collect() == [sys.executable]
    # and Spark's own log is quiet on a local master: piikit reports a failed job in one line
    assert spark.sparkContext.getConf().get("spark.log.level") == "FATAL"
    with pytest.raises(PiikitError, match="unknown option"):
        register_udf(spark, model=str(model_run), strategyy="hash")


def test_setup_errors_are_one_line(tmp_path, monkeypatch, compose, model_run):
    from piikit.mask import spark as engine

    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no java here
    with pytest.raises(PiikitError, match="needs Java") as e:
        engine.require_java()
    assert "openjdk-17" in e.value.hint
    monkeypatch.undo()
    code = "import sys; sys.modules['pyspark'] = None\nfrom piikit.mask.spark import require_pyspark\ntry:\n    require_pyspark()\nexcept Exception as e:\n    print(e.one_line())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert "needs pyspark" in out and "piikit[spark]" in out and "\n" not in out
    with pytest.raises(PiikitError, match="cannot tell the format"):
        engine.input_format(str(tmp_path), None)
    with pytest.raises(PiikitError, match="reads parquet, jsonl or csv"):
        engine.input_format("x.txt", "txt")
    assert engine.input_format("s3a://lake/tickets/*.parquet", None) == "parquet"
    wrapped = RuntimeError("An error occurred while calling o87.json.\n: org.apache.spark.SparkException: Job aborted\nTraceback (most recent call last):\n  File \"x.py\", line 1\nValueError: the tuner broke\n\tat org.apache.Foo")
    assert engine._spark_error(wrapped).message == "the Spark job failed: ValueError: the tuner broke"
    assert engine._flatten({"spark": {"executor": {"memory": "4g"}}, "spark.task.cpus": 1}) == {"spark.executor.memory": "4g", "spark.task.cpus": "1"}
    cfg = compose(["mask.engine=spark", "++mask.spark.conf.spark.executor.memory=4g"])
    assert engine._flatten(cfg.mask.spark.conf) == {"spark.executor.memory": "4g"} and cfg.mask.spark.master == "local[*]"
