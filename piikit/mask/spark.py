"""The Spark engine (``mask.engine=spark``) and a Spark SQL function, for corpora that outgrow
one machine.

The job: read Parquet, JSON lines or CSV (a file, a directory or a glob; local or any
Hadoop-compatible URI) → ``mapInPandas`` (Arrow batches of ``mask.batch_size`` rows, each one
call of :meth:`piikit.api.Masker.mask_batch`) → write a Parquet or JSON-lines directory
through Spark's job commit (a failed job leaves no part files behind).

The model is shipped once: its directory is packed into bytes and broadcast together with the
tuner config and the strategy (salt included); each Python worker unpacks and loads it once
and keeps it in a module-level cache keyed by the model's hash (Python workers are reused
across tasks). Strategies are pure functions of ``(salt, label, value)``, so every executor
gives the same answer as the local engine.

SQL: :func:`register_udf` registers the same masker as a (pandas) SQL function::

    register_udf(spark, model="outputs/2026-11-27/10-00-00")
    spark.sql("SELECT id, piikit_mask(text) AS text FROM tickets")

pyspark is imported lazily: nothing here loads unless the Spark engine is used.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import logging
import os
import re
import secrets
import shutil
import sys
import tarfile
import tempfile
import time
from collections import Counter
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, Iterator

from piikit.errors import PiikitError
from piikit.io import formats as io_formats
from piikit.model import ModelSpec, resolve_model
from piikit.mask.strategies import Strategy

log = logging.getLogger("piikit")

ERROR_COLUMN = "__piikit_error"
FILE_COLUMN = "__piikit_file"
CORRUPT_COLUMN = "_corrupt_record"  # Spark's column for JSON lines it cannot parse
BAD_ROW = "PIIKIT-BAD-ROW: "  # marks our own failure inside a Spark task's error text
# what Spark reads, by suffix: a .json file is read as JSON lines (Spark's json reader)
SPARK_FORMATS = {suffix[1:]: "jsonl" if fmt == "json" else fmt for suffix, fmt in io_formats.suffixes("parquet", "jsonl", "json", "csv").items()}
INSTALL = "pip install 'piikit[spark]'"
JAVA_HINT = "install Java 17 (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME"


# --------------------------------------------------------------------------- set-up
def require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
        from pyspark.sql import SparkSession  # noqa: F401
    except ImportError:
        raise PiikitError("mask.engine=spark needs pyspark, which is not installed", INSTALL) from None


def _under_spark_submit() -> bool:
    """spark-submit (or a notebook's kernel) already runs the JVM: it decides master and Java."""
    return "PYSPARK_GATEWAY_PORT" in os.environ


def require_java() -> None:
    if _under_spark_submit():
        return
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return
    if shutil.which("java") is None:
        raise PiikitError("mask.engine=spark needs Java, and no 'java' is on PATH (JAVA_HOME is not set)", JAVA_HINT)


def _flatten(conf: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """``{spark: {executor: {memory: 4g}}}`` and ``{spark.executor.memory: 4g}`` alike."""
    out: dict[str, str] = {}
    for key, value in conf.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


def _is_local(master: str | None) -> bool:
    return master is not None and master.startswith("local")


def get_session(spark_cfg: Any, batch_size: int | None = None):
    """The active SparkSession, or a new one from ``mask.spark`` (master, app name, conf).

    Python workers use this interpreter (and so this environment) unless ``PYSPARK_PYTHON`` or
    ``spark.pyspark.python`` says otherwise — on a local master; on a cluster the executors'
    Python comes from the cluster set-up (see docs/spark.md). On a local master Spark's own log is
    quiet (``spark.log.level=FATAL``) unless ``mask.spark.conf`` sets it: piikit reports errors."""
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    require_java()
    logging.getLogger("py4j").setLevel(logging.WARNING)  # not its INFO lines in piikit's log
    conf = _flatten(spark_cfg.conf or {})
    master = None if _under_spark_submit() else spark_cfg.master
    if _is_local(master) and "spark.pyspark.python" not in conf and not os.environ.get("PYSPARK_PYTHON"):
        # local workers run this interpreter; a cluster's come from its own set-up
        os.environ["PYSPARK_PYTHON"] = sys.executable
        conf["spark.pyspark.python"] = sys.executable
    if _is_local(master):
        # piikit reports a failed job in one line (PIIKIT_TRACEBACK=1: Spark's full error), so
        # Spark's own log — task stack traces of that same error — stays quiet; its stage
        # progress bar shows only where piikit's would
        from piikit.console import progress_enabled

        conf.setdefault("spark.log.level", "FATAL")
        conf.setdefault("spark.ui.showConsoleProgress", "true" if progress_enabled() else "false")
    if batch_size:
        conf.setdefault("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch_size))
    builder = SparkSession.builder.appName(spark_cfg.app_name)
    if master:
        builder = builder.master(master)
    for key, value in conf.items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate(), True
    except Exception as e:  # e.g. a Java too old for this pyspark, a bad master URL
        raise PiikitError(f"Spark did not start: {_first_line(e)}", f"check mask.spark.master and mask.spark.conf; {JAVA_HINT}") from None


def _first_line(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0][:300]


# --------------------------------------------------------------------------- the model, shipped once
def pack_model(spec: ModelSpec) -> tuple[str, ModelSpec, bytes]:
    """(hash, the spec without its local model dir, the model dir as tar bytes)."""
    buf = io.BytesIO()
    if spec.model_dir is not None:
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for path in sorted(Path(spec.model_dir).rglob("*")):
                tar.add(path, arcname=str(path.relative_to(spec.model_dir)), recursive=False)
    data = buf.getvalue()
    h = hashlib.sha256(data)
    h.update(repr((asdict(spec.tuner_config), spec.factory if isinstance(spec.factory, str) else repr(spec.factory))).encode())
    portable = replace(spec, model_dir=Path(".") if spec.model_dir is not None else None)
    return h.hexdigest(), portable, data


_MODELS: dict[str, Any] = {}  # per Python worker process: model hash → loaded piikit.api.Masker
LOADS: Counter = Counter()  # per process: how often each model was loaded (once, unless evicted)


def worker_model(key: str, spec: ModelSpec, data: bytes, strategy: Strategy) -> Any:
    """The loaded model for ``key`` as a :class:`piikit.api.Masker` (the Python API's object):
    unpacked and loaded on the first call in this process."""
    model = _MODELS.get(key)
    if model is None:
        model_dir = None
        if spec.model_dir is not None:
            model_dir = Path(tempfile.mkdtemp(prefix=f"piikit-model-{key[:12]}-"))
            atexit.register(shutil.rmtree, model_dir, True)
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                if hasattr(tarfile, "data_filter"):
                    tar.extractall(model_dir, filter="data")
                else:  # pragma: no cover - Python < 3.11.4
                    tar.extractall(model_dir)
        from piikit.api import Masker

        model = _MODELS[key] = Masker.from_spec(replace(spec, model_dir=model_dir), strategy)
        LOADS[key] += 1
    return model


def ship(spark, spec: ModelSpec, strategy: Strategy):
    """Broadcast (hash, spec, model bytes, strategy) once; tasks read it with ``.value``."""
    key, portable, data = pack_model(spec)
    return spark.sparkContext.broadcast((key, portable, data, strategy))


def _from_broadcast(shipped) -> tuple[Any, Strategy]:
    key, spec, data, strategy = shipped.value
    return worker_model(key, spec, data, strategy), strategy


# --------------------------------------------------------------------------- the per-batch function
def _problem(value: Any, column: str) -> tuple[str, str] | None:
    """As the local engine says it (pandas gives NaN for some nulls)."""
    return io_formats.text_problem(None if isinstance(value, float) and value != value else value, column)


def _mask_frames(frames: Iterator[Any], shipped, opts: dict[str, Any], tally) -> Iterator[Any]:
    """mapInPandas body: each pandas batch gets the masked text, the spans and an error column
    (bad rows are removed by the job afterwards, and counted here)."""
    masker, strategy = _from_broadcast(shipped)
    text_col, corrupt = opts["text_column"], opts["corrupt"]
    for pdf in frames:
        n = len(pdf)
        masked: list[Any] = [None] * n
        spans: list[Any] = [None] * n
        errors: list[Any] = [None] * n
        counts: Counter = Counter()
        good: list[int] = []
        texts: list[str] = []
        values = pdf[text_col].tolist()
        broken = pdf[corrupt].tolist() if corrupt else [None] * n
        for i, value in enumerate(values):
            if broken[i] is not None and broken[i] == broken[i]:
                errors[i] = "malformed JSON"
                detail = "is not valid JSON"
            else:
                problem = _problem(value, text_col)
                if problem is None:
                    good.append(i)
                    texts.append(value)
                    continue
                errors[i], detail = problem
            _bad(opts, pdf, i, detail)
        if texts:
            result = masker.mask_batch(texts, strategy)
            for i, text, found, error in zip(good, *result):
                if error is not None:
                    errors[i] = "model error"
                    _bad(opts, pdf, i, error)
                    continue
                masked[i] = text
                spans[i] = io_formats.spans_json(found)
                counts.update(f"label:{s.label}" for s in found)
        for e in errors:
            counts[f"skipped:{e}" if e else "rows_out"] += 1
        counts["rows_in"] += n
        if tally is not None:
            tally.add(counts)
        out = pdf.copy() if not corrupt else pdf.drop(columns=[corrupt])
        if FILE_COLUMN in out.columns:
            out = out.drop(columns=[FILE_COLUMN])
        out[opts["masked_column"]] = masked
        out[opts["spans_column"]] = spans
        out[ERROR_COLUMN] = errors
        yield out


def _bad(opts: dict[str, Any], pdf: Any, i: int, detail: str) -> None:
    if opts["on_error"] != "fail":
        return
    where = pdf[FILE_COLUMN].iloc[i] if FILE_COLUMN in pdf.columns else "a row"
    raise RuntimeError(f"{BAD_ROW}{where}: a row {detail}\n")


def _counter_param():
    from pyspark.accumulators import AccumulatorParam

    class CounterParam(AccumulatorParam):
        def zero(self, value):
            return Counter()

        def addInPlace(self, a, b):
            a.update(b)
            return a

    return CounterParam()


# --------------------------------------------------------------------------- reading and writing
def _has_scheme(path: str) -> bool:
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", path) is not None


def input_format(path: str, forced: str | None) -> str:
    """The reader for ``mask.input``: ``mask.format``, else the suffix of the path (or glob), else
    the suffix of the files in a local directory."""
    if forced:
        if forced not in ("parquet", "jsonl", "csv"):
            raise PiikitError(f"mask.engine=spark reads parquet, jsonl or csv, not {forced}", "convert the input, or use mask.engine=local")
        return forced
    local = path[len("file://"):] if path.startswith("file://") else (None if _has_scheme(path) else os.path.expanduser(path))
    names = [path.rstrip("/")]
    if local is not None and os.path.isdir(local):
        names = sorted(p.name for p in Path(local).iterdir() if p.is_file() and not p.name.startswith(("_", ".")))
    kinds = {SPARK_FORMATS.get(n.rsplit(".", 1)[-1].lower()) for n in names if "." in n}
    kinds.discard(None)
    if len(kinds) == 1:
        return kinds.pop()
    if len(kinds) > 1:
        raise PiikitError(f"mask.input={path} mixes formats ({', '.join(sorted(kinds))})", "point it at one format (a glob such as 'dir/*.jsonl'), or set mask.format")
    raise PiikitError(f"cannot tell the format of mask.input={path}", "set mask.format=parquet|jsonl|csv")


def _check_local_input(path: str) -> None:
    if _has_scheme(path) and not path.startswith("file://"):
        return  # a Hadoop URI: Spark lists it
    import glob

    local = os.path.expanduser(path[len("file://"):] if path.startswith("file://") else path)
    if not glob.glob(local):
        raise PiikitError(f"mask.input={path} matches no files", "give a file, a directory or a glob such as 'data/*.jsonl'")


def read_input(spark, path: str, fmt: str):
    """A DataFrame over ``path``: parquet, JSON lines, or csv with a header (all columns strings)."""
    reader = spark.read
    if fmt == "parquet":
        return reader.parquet(path)
    if fmt == "jsonl":
        return reader.option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT_COLUMN).json(path)
    return (
        reader.option("header", True).option("multiLine", True).option("escape", '"')
        .option("encoding", "UTF-8").csv(path)
    )


def _local_path(path: str) -> Path | None:
    if path.startswith("file://"):
        return Path(path[len("file://"):])
    return None if _has_scheme(path) else Path(path).expanduser()


def _remove_if_empty(spark, path: str) -> None:
    """After a failed job: drop the (empty) output directory Spark may have created."""
    try:
        jvm = spark.sparkContext._jvm
        hpath = jvm.org.apache.hadoop.fs.Path(path)
        fs = hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        if fs.exists(hpath) and len(fs.listStatus(hpath)) == 0:
            fs.delete(hpath, False)
    except Exception as e:  # best effort: the job itself already failed
        log.debug("could not tidy %s: %s", path, e)


def _spark_error(e: BaseException) -> PiikitError:
    text = str(e)
    if BAD_ROW in text:
        message = text.split(BAD_ROW, 1)[1].split("\n", 1)[0].strip()
        return PiikitError(message, "fix or remove the row, or set mask.on_error=skip to skip and count bad rows")
    if "PATH_ALREADY_EXISTS" in text or "already exists" in text:
        return PiikitError(f"the Spark job's output already exists: {_first_line(e)}", "remove it, or choose another mask.output")
    log.debug("Spark job failed", exc_info=e)
    # a Python worker's error ("ValueError: ...") says more than the Java wrapper's first line
    python_errors = re.findall(r"^([A-Z]\w*(?:Error|Exception): .+)$", text, flags=re.M)
    reason = python_errors[-1][:300] if python_errors else _first_line(e)
    return PiikitError(f"the Spark job failed: {reason}", "set PIIKIT_TRACEBACK=1 for Spark's full error")


# --------------------------------------------------------------------------- the job
def mask_dataframe(df, spark, spec: ModelSpec, strategy: Strategy, m: Any, tally=None, partitions: int | None = None):
    """``df`` with ``m.masked_column`` and ``m.spans_column`` added and bad rows removed
    (``m`` is a :class:`piikit.config.MaskConfig`), first spread over ``partitions`` if given.
    Lazy: nothing runs until it is written."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    if m.text_column not in df.columns:
        raise PiikitError(f"mask.input has no column '{m.text_column}' (columns: {', '.join(c for c in df.columns if c != CORRUPT_COLUMN)})", "set mask.text_column to the column holding the text")
    text_type = df.schema[m.text_column].dataType
    if not isinstance(text_type, T.StringType):
        raise PiikitError(f"mask.input column '{m.text_column}' is {text_type.simpleString()}, not text", "set mask.text_column to the column holding the text")
    for name in (m.masked_column, m.spans_column):
        if name in df.columns:
            raise PiikitError(f"mask.input already has a column '{name}'", "set mask.masked_column / mask.spans_column to new names")
    corrupt = CORRUPT_COLUMN if CORRUPT_COLUMN in df.columns else None
    if m.on_error == "fail":
        df = df.withColumn(FILE_COLUMN, F.col("_metadata.file_path"))
    if partitions:
        df = df.repartition(partitions)
    span_type = T.ArrayType(T.StructType([T.StructField("start", T.LongType()), T.StructField("end", T.LongType()), T.StructField("label", T.StringType())]))
    keep = [f for f in df.schema.fields if f.name not in (corrupt, FILE_COLUMN)]
    out_schema = T.StructType(keep + [T.StructField(m.masked_column, T.StringType()), T.StructField(m.spans_column, span_type), T.StructField(ERROR_COLUMN, T.StringType())])
    opts = {"text_column": m.text_column, "masked_column": m.masked_column, "spans_column": m.spans_column, "on_error": m.on_error, "corrupt": corrupt}
    shipped = ship(spark, spec, strategy)

    def fn(frames):
        return _mask_frames(frames, shipped, opts, tally)

    out = df.mapInPandas(fn, out_schema).filter(F.col(ERROR_COLUMN).isNull()).drop(ERROR_COLUMN)
    if not m.keep_text:  # the original text holds the PII: only on request
        out = out.drop(m.text_column)
    return out


def run_stage(cfg: Any, ctx: Any) -> dict[str, Any]:
    """The mask stage on Spark (called by :func:`piikit.stages.mask.run` for engine=spark)."""
    from piikit.console import console
    from piikit.io import write_json

    m = cfg.mask
    if not m.input:
        raise PiikitError("mask.input is required for the mask stage", "e.g. mask.input=tickets.parquet or mask.input='s3a://lake/tickets/*.jsonl'")
    if m.resume:
        raise PiikitError("mask.resume is for mask.engine=local", "a Spark job leaves no partial output: rerun it with mask.resume=false")
    _check_local_input(m.input)
    fmt = input_format(m.input, m.format)
    out_fmt = m.spark.output_format or ("parquet" if fmt == "parquet" else "jsonl")
    output = m.output or str(ctx.stage_dir("mask") / "masked")
    local_out = _local_path(output)
    if local_out is not None:
        output = str(local_out.resolve())
        if local_out.exists() and (not local_out.is_dir() or any(local_out.iterdir())):
            raise PiikitError(f"mask.output={output} already exists", "engine=spark writes a new directory: remove it or choose another mask.output")
    spec = resolve_model(m.model, cfg.tuner, ctx)
    salt = m.salt.encode() if m.salt is not None else secrets.token_bytes(32)
    strategy = Strategy.from_config(m, salt)

    t0 = time.perf_counter()
    spark, owned = get_session(m.spark, m.batch_size)
    try:
        started = time.perf_counter() - t0
        df = read_input(spark, _spark_path(m.input), fmt)
        partitions = df.rdd.getNumPartitions()
        want = m.spark.partitions or spark.sparkContext.defaultParallelism
        repartition = want if want != partitions and (m.spark.partitions or partitions < want) else None
        partitions = repartition or partitions
        tally = spark.sparkContext.accumulator(Counter(), _counter_param())
        out = mask_dataframe(df, spark, spec, strategy, m, tally, repartition)
        console.print(f"masking {m.input} on Spark ({spark.sparkContext.master}, {partitions} partition{'s' if partitions != 1 else ''}, {m.strategy})")
        writer = out.write.mode("errorifexists")
        try:
            writer.parquet(output) if out_fmt == "parquet" else writer.json(output)
        except PiikitError:
            raise
        except Exception as e:
            _remove_if_empty(spark, output)
            if os.environ.get("PIIKIT_TRACEBACK", "") not in ("", "0"):
                raise
            raise _spark_error(e) from None
        counts = Counter(tally.value)
        master = spark.sparkContext.master
    finally:
        if owned:
            spark.stop()
    seconds = time.perf_counter() - t0
    skipped = {k.split(":", 1)[1]: v for k, v in sorted(counts.items()) if k.startswith("skipped:")}
    labels = {k.split(":", 1)[1]: v for k, v in sorted(counts.items()) if k.startswith("label:")}
    manifest = {
        "stage": "mask",
        "engine": "spark",
        "master": master,
        "inputs": [{"path": m.input, "format": fmt}],
        "outputs": [output],
        "output_format": out_fmt,
        "model": spec.describe(),
        "strategy": m.strategy,
        "salt": "provided" if m.salt is not None else "random per run (not stored)",
        "text_column": m.text_column,
        "rows_in": counts["rows_in"],
        "rows_out": counts["rows_out"],
        "rows_skipped": sum(skipped.values()),
        "skipped_by_reason": skipped,
        "spans_per_label": labels,
        "spans": sum(labels.values()),
        "seconds": round(seconds, 3),
        "rows_per_s": round(counts["rows_in"] / seconds, 1) if seconds > 0 else None,
        "spark_start_seconds": round(started, 3),
        "partitions": partitions,
        "batch_size": m.batch_size,
        "note": "counts come from Spark accumulators: a retried task can count its rows twice",
    }
    ctx.stage_dir("mask")
    write_json(ctx.paths.mask_manifest, manifest)
    n_skip = manifest["rows_skipped"]
    console.print(f"masked {counts['rows_out']:,} rows → [bold]{output}[/]" + (f" ({n_skip:,} bad rows skipped)" if n_skip else ""))
    return {"rows in": counts["rows_in"], "rows out": counts["rows_out"], "skipped": n_skip, "rows/s": manifest["rows_per_s"], "output": output}


def _spark_path(path: str) -> str:
    local = _local_path(path)
    return str(local.resolve()) if local is not None and not path.startswith("file://") else path


# --------------------------------------------------------------------------- SQL
def register_udf(spark, model: str | ModelSpec, name: str = "piikit_mask", tuner: Any = None, **mask_options: Any):
    """Register the masker as a Spark SQL function ``name(text) -> masked text``.

    ``model``: a run dir or model dir (as ``mask.model``), or a :class:`ModelSpec`; ``tuner``: the
    tuner config, only for a bare model dir without a tune manifest beside it. ``mask_options``:
    any ``mask.*`` strategy setting — ``strategy``, ``salt``, ``redact_char``, ``hash_length``,
    ``locale`` (no salt: a random one for this registration). Null text and rows the model
    fails on give null. Returns the pandas UDF, usable in the DataFrame API as well."""
    from pyspark.sql.functions import pandas_udf

    from piikit.config import MaskConfig

    allowed = {"strategy", "salt", "redact_char", "hash_length", "locale"}
    unknown = sorted(set(mask_options) - allowed)
    if unknown:
        raise PiikitError(f"register_udf got unknown option(s): {', '.join(unknown)}", f"use: {', '.join(sorted(allowed))}")
    m = MaskConfig(**mask_options)
    spec = model if isinstance(model, ModelSpec) else resolve_model(str(model), tuner, None)
    salt = m.salt.encode() if m.salt is not None else secrets.token_bytes(32)
    shipped = ship(spark, spec, Strategy.from_config(m, salt))

    @pandas_udf("string")
    def piikit_mask(texts):
        import pandas as pd

        masker, strategy = _from_broadcast(shipped)
        values = texts.tolist()
        good = [i for i, v in enumerate(values) if _problem(v, "text") is None]
        out: list[Any] = [None] * len(values)
        if good:
            result = masker.mask_batch([values[i] for i in good], strategy)
            for i, text in zip(good, result.masked):
                out[i] = text
        return pd.Series(out, dtype=object)

    spark.udf.register(name, piikit_mask)
    return piikit_mask
