"""Bad things users do — and what piikit must do about each: nothing lost, nothing leaked, one
line and exit 2 instead of a traceback.

Each table below is one kind of check; a new case is one more line in the right table:

- ``MASK_REFUSALS``: mask-stage setups that must be refused before any work, leaving every file
  as it was (in-process);
- ``CONFIG_REFUSALS``: overrides the typed config must refuse while composing (in-process);
- ``CLI_REFUSALS``: command lines that must exit 2 with one line, no traceback, and leave no
  secret on disk (subprocess);
- the functions after them: inputs that must be handled (bad rows skipped and named, a BOM
  accepted, a full disk resumable, workers that never outlive the run, a server's retry delay).
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mask_support import corpus, make_run_mask, mask_plugin, model_run, plugin_env, read_output, train_model, write_input  # noqa: F401 (fixtures)
from piikit.errors import PiikitError

CHECKPOINT = ".piikit-mask.checkpoint.json"


@pytest.fixture
def run_mask(compose, tmp_path):
    return make_run_mask(compose, tmp_path, "mask.workers=1")


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (hidden ones too) and its bytes."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- mask: refused up front
def _output_already_there(tmp: Path, model: Path) -> list[str]:
    src = write_input(tmp / "data" / "in.jsonl", corpus(5))
    (tmp / "out").mkdir()
    (tmp / "out" / "in.jsonl").write_text("precious: masked last week\n")
    return [f"mask.input={src}", f"mask.output={tmp}/out"]


def _two_inputs_one_output(tmp: Path, model: Path) -> list[str]:
    write_input(tmp / "data" / "a.txt", corpus(3))  # writes a.txt and a.spans.jsonl
    write_input(tmp / "data" / "a.spans.jsonl", corpus(3))  # writes a.spans.jsonl
    return [f"mask.input={tmp}/data", f"mask.output={tmp}/out"]


def _output_is_a_file(tmp: Path, model: Path) -> list[str]:
    src = write_input(tmp / "data" / "in.jsonl", corpus(3))
    (tmp / "out.jsonl").write_text("a file, not a directory\n")
    return [f"mask.input={src}", f"mask.output={tmp}/out.jsonl"]


def _tune_manifest_without_model(tmp: Path, model: Path) -> list[str]:
    import shutil

    src = write_input(tmp / "data" / "in.jsonl", corpus(3))
    shutil.rmtree(model / "tune" / "model")  # the tune stage died before saving
    return [f"mask.input={src}", f"mask.output={tmp}/out", f"mask.model={model}"]


def _prepare_only_run_dir(tmp: Path, model: Path) -> list[str]:
    src = write_input(tmp / "data" / "in.jsonl", corpus(3))
    run = tmp / "prepared_run"
    (run / ".hydra").mkdir(parents=True)
    (run / "prepare").mkdir()
    return [f"mask.input={src}", f"mask.output={tmp}/out", f"mask.model={run}"]


def _output_not_creatable(tmp: Path, model: Path) -> list[str]:
    src = write_input(tmp / "data" / "in.jsonl", corpus(3))
    return [f"mask.input={src}", "mask.output=/proc/piikit-nowhere/out"]


MASK_REFUSALS = [
    # (case, setup(tmp, model run) -> overrides, in the one-line message)
    ("output file already there", _output_already_there, "already holds in.jsonl, the output for"),
    ("output file already there, resume=true", lambda t, m: [*_output_already_there(t, m), "mask.resume=true"], "set mask.overwrite=true"),
    ("two inputs write one output", _two_inputs_one_output, "would both write a.spans.jsonl"),
    ("mask.output is a file", _output_is_a_file, "is a file, not a directory"),
    ("tune/manifest.json but no tune/model", _tune_manifest_without_model, "no tune/model/"),
    ("a prepare-only run dir as mask.model", _prepare_only_run_dir, "point mask.model at a run whose tune stage completed"),
    ("mask.output cannot be created", _output_not_creatable, "cannot create mask.output=/proc/piikit-nowhere/out"),
]


@pytest.mark.parametrize("case, setup, message", MASK_REFUSALS, ids=[c[0] for c in MASK_REFUSALS])
def test_mask_refuses_before_any_work(case, setup, message, tmp_path, model_run, run_mask):
    overrides = setup(tmp_path, model_run)
    before = snapshot(tmp_path)
    with pytest.raises(PiikitError) as e:
        run_mask(f"mask.model={model_run}", *overrides)
    line = e.value.one_line()
    assert message in line and "\n" not in line
    assert "tuner.model" not in line  # the user set mask.model
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("run")} == before  # nothing written, nothing lost


def test_overwrite_true_replaces_an_existing_output(tmp_path, model_run, run_mask):
    overrides = _output_already_there(tmp_path, model_run)
    run_mask(f"mask.model={model_run}", *overrides, "mask.overwrite=true")
    rows = read_output(tmp_path / "out" / "in.jsonl")
    assert len(rows) == 5 and all("masked_text" in r for r in rows)


def test_a_glob_character_in_a_real_file_name_is_taken_literally(tmp_path, model_run, run_mask):
    write_input(tmp_path / "a[1].jsonl", ["Hello Dagny"])
    write_input(tmp_path / "a1.jsonl", ["Hello Fintan", "Mr Osgood"])  # what the glob a[1].jsonl matches
    summary, _ = run_mask(f"mask.model={model_run}", f"mask.input='{tmp_path}/a[1].jsonl'", f"mask.output={tmp_path}/out")
    assert summary["rows in"] == 1
    assert [r["masked_text"] for r in read_output(tmp_path / "out" / "a[1].jsonl")] == ["Hello [FIRSTNAME]"]
    assert not (tmp_path / "out" / "a1.jsonl").exists()
    # a path that does not exist is still a glob
    summary, _ = run_mask(f"mask.model={model_run}", f"mask.input='{tmp_path}/a?.jsonl'", f"mask.output={tmp_path}/out2")
    assert summary["rows in"] == 2


# --------------------------------------------------------------------------- mask: bad rows and odd files
def test_a_lone_surrogate_is_a_bad_row_skipped_counted_and_named(tmp_path, model_run, run_mask):
    src = tmp_path / "chat.jsonl"
    lines = [json.dumps({"id": "r0", "text": "Hello Dagny"}),
             '{"id": "r1", "text": "Hello Fintan \\ud83d"}',  # half an emoji: a truncated export
             '{"id": "r2", "text": "fine", "note": "\\udc00 elsewhere"}',  # in another field: cannot be written either
             json.dumps({"id": "r3", "text": "Mr Osgood \U0001F600"})]  # a whole emoji (a surrogate pair in JSON): fine
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary, run_dir = run_mask(f"mask.model={model_run}", f"mask.input={src}", f"mask.output={tmp_path}/out")
    assert summary["skipped"] == 2
    out = (tmp_path / "out" / "chat.jsonl").read_bytes().decode("utf-8")  # valid UTF-8
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["r0", "r3"]
    manifest = json.loads((run_dir / "mask" / "manifest.json").read_text())
    assert manifest["skipped_by_reason"] == {"lone surrogate": 2}
    assert [r["row"] for r in manifest["skipped_rows"]] == [2, 3]
    assert "lone surrogate \\ud83d" in manifest["skipped_rows"][0]["detail"]
    with pytest.raises(PiikitError, match=r"chat.jsonl: row 2: holds a lone surrogate"):  # on_error=fail names it
        run_mask(f"mask.model={model_run}", f"mask.input={src}", f"mask.output={tmp_path}/out_fail", "mask.on_error=fail")


def test_a_broken_json_row_says_which_column(tmp_path, model_run, run_mask):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "Hello Dagny"}\n{"text": "tab\tinside"}\n')
    _, run_dir = run_mask(f"mask.model={model_run}", f"mask.input={src}", f"mask.output={tmp_path}/out")
    detail = json.loads((run_dir / "mask" / "manifest.json").read_text())["skipped_rows"][0]["detail"]
    assert detail == "not valid JSON (Invalid control character at column 14)"


def test_an_empty_input_warns(tmp_path, model_run, run_mask, caplog):
    src = tmp_path / "empty.jsonl"
    src.write_bytes(b"")
    summary, _ = run_mask(f"mask.model={model_run}", f"mask.input={src}", f"mask.output={tmp_path}/out")
    assert summary["rows in"] == 0
    assert any("has no rows: nothing was masked" in r.getMessage() for r in caplog.records)


BOM = b"\xef\xbb\xbf"
# a BOM, CRLF line ends, and an astral character (one code point, two UTF-16 units) before the name
ODD_BYTES = {
    "jsonl": BOM + b'{"id": "r0", "text": "\xf0\x9f\x98\x80 Hello Dagny"}\r\n{"id": "r1", "text": "Mr Osgood"}\r\n',
    "csv": BOM + b'id,text\r\nr0,\xf0\x9f\x98\x80 Hello Dagny\r\nr1,Mr Osgood\r\n',
    "txt": BOM + b"\xf0\x9f\x98\x80 Hello Dagny\r\nMr Osgood\r\n",
}


@pytest.mark.parametrize("fmt", sorted(ODD_BYTES))
def test_a_byte_order_mark_crlf_and_emoji_keep_the_mask_stage_offsets_right(fmt, tmp_path, model_run, run_mask):
    src = tmp_path / f"windows.{fmt}"
    src.write_bytes(ODD_BYTES[fmt])
    summary, _ = run_mask(f"mask.model={model_run}", f"mask.input={src}", f"mask.output={tmp_path}/out")
    assert summary["rows in"] == 2 and summary["skipped"] == 0
    rows = read_output(tmp_path / "out" / src.name)
    texts = ["\U0001F600 Hello Dagny", "Mr Osgood"]
    assert [r["masked_text"] for r in rows] == ["\U0001F600 Hello [FIRSTNAME]", "Mr [LASTNAME]"]
    for text, row in zip(texts, rows):
        spans = json.loads(row["spans"]) if isinstance(row["spans"], str) else row["spans"]
        assert [text[s["start"]:s["end"]] for s in spans] == [text.split()[-1]]


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_a_byte_order_mark_and_crlf_are_accepted_by_dataset_local(fmt, tmp_path):
    from piikit.config import LocalDatasetConfig
    from piikit.data.loaders import load_local

    text = "\U0001F600 Hello Dagny"
    mask = [{"start": 8, "end": 13, "label": "FIRSTNAME", "value": "Dagny"}]
    rows = [{"source_text": text, "privacy_mask": mask}, {"source_text": "no names", "privacy_mask": []}]
    if fmt == "jsonl":
        body = "\r\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\r\n"
    elif fmt == "json":
        body = json.dumps(rows, ensure_ascii=False)
    else:
        body = 'source_text,privacy_mask\r\n' + "".join(f'{r["source_text"]},"{json.dumps(r["privacy_mask"]).replace(chr(34), chr(34) * 2)}"\r\n' for r in rows)
    path = tmp_path / f"windows.{fmt}"
    path.write_bytes(BOM + body.encode("utf-8"))
    loaded = load_local(LocalDatasetConfig(path=str(path)))
    assert [r.source_text for r in loaded] == [text, "no names"]
    span = loaded[0].privacy_mask[0]
    assert loaded[0].source_text[span.start:span.end] == "Dagny"


# --------------------------------------------------------------------------- mask: a full disk, the checkpoint
def _fill_the_disk_after(monkeypatch, calls: int) -> None:
    """The jsonl writer's ``calls``-th write fails like a full disk (ENOSPC)."""
    from piikit.mask import formats

    real, seen = formats.JsonlWriter.write, []

    def write(self, *args):
        seen.append(1)
        if len(seen) >= calls:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args)

    monkeypatch.setattr(formats.JsonlWriter, "write", write)


@pytest.mark.parametrize("salt_from", ["PIIKIT_MASK_SALT", "mask.salt"])
def test_a_full_disk_stops_with_one_line_and_resumes_to_the_same_output(salt_from, tmp_path, model_run, run_mask, monkeypatch):
    secret = "pepper-4f1c9a"
    src = write_input(tmp_path / "in.jsonl", corpus(60))
    args = [f"mask.model={model_run}", f"mask.input={src}", "mask.batch_size=10", "mask.checkpoint_seconds=0", "mask.strategy=hash"]
    if salt_from == "PIIKIT_MASK_SALT":
        monkeypatch.setenv("PIIKIT_MASK_SALT", secret)
    else:
        args.append(f"mask.salt={secret}")
    run_mask(*args, f"mask.output={tmp_path}/reference")

    with monkeypatch.context() as m:
        _fill_the_disk_after(m, calls=3)
        with pytest.raises(PiikitError) as e:
            run_mask(*args, f"mask.output={tmp_path}/out")
    assert "the disk is full" in e.value.one_line() and "mask.resume=true" in e.value.one_line()
    ckpt = tmp_path / "out" / CHECKPOINT
    assert stat.S_IMODE(ckpt.stat().st_mode) == 0o600
    assert secret not in ckpt.read_text() and json.loads(ckpt.read_text())["files"][0]["records"] == 20

    run_mask(*args, f"mask.output={tmp_path}/out", "mask.resume=true")
    assert (tmp_path / "out" / "in.jsonl").read_bytes() == (tmp_path / "reference" / "in.jsonl").read_bytes()


def test_a_random_salt_is_never_stored_so_its_run_is_not_resumed(tmp_path, model_run, run_mask, monkeypatch):
    monkeypatch.delenv("PIIKIT_MASK_SALT", raising=False)
    src = write_input(tmp_path / "in.jsonl", corpus(40))
    args = [f"mask.model={model_run}", f"mask.input={src}", f"mask.output={tmp_path}/out", "mask.batch_size=10",
            "mask.checkpoint_seconds=0", "mask.strategy=pseudonymize"]
    with monkeypatch.context() as m:
        _fill_the_disk_after(m, calls=3)
        with pytest.raises(PiikitError) as e:
            run_mask(*args)
    assert "random salt, so it starts over" in e.value.one_line()
    state = json.loads((tmp_path / "out" / CHECKPOINT).read_text())
    assert "salt" not in state and state["fingerprint"]["salt"] == "random"
    with pytest.raises(PiikitError, match="used a random salt .* which is never stored: it cannot be continued"):
        run_mask(*args, "mask.resume=true")  # with a new random salt, its pseudonyms would not match the first part's
    run_mask(*args)  # starting over works
    assert len(read_output(tmp_path / "out" / "in.jsonl")) == 40


# --------------------------------------------------------------------------- config: refused while composing
CONFIG_REFUSALS = [
    (["tuner.c2=nan"], "tuner.c2=nan is not a finite number"),
    (["tuner.c2=inf"], "tuner.c2=inf is not a finite number"),
    (["tuner.c1=inf"], "tuner.c1=inf is not a finite number"),
    (["++evaluate.fail_under.span_f1=nan"], "evaluate.fail_under.span_f1=nan is not a finite number"),
    (["stages=[mask]", "mask.checkpoint_seconds=inf"], "mask.checkpoint_seconds=inf is not a finite number"),
    (["dataset.size=100000000"], "above the maximum of 1,000,000 synthetic rows"),
]


@pytest.mark.parametrize("overrides, message", CONFIG_REFUSALS, ids=[" ".join(c[0]) for c in CONFIG_REFUSALS])
def test_config_refuses(overrides, message, compose):
    with pytest.raises(PiikitError) as e:
        compose(overrides)
    assert message in e.value.one_line()


# --------------------------------------------------------------------------- the command line
SECRET = "AIzaFAKE-do-not-store-9d2e"
CLI_REFUSALS = [
    # (arguments, in the one-line message)
    ([f"+tuner.api_key={SECRET}"], "unknown key 'tuner.api_key'"),
    ([f"++tuner.api_key={SECRET}"], "unknown key 'tuner.api_key'"),
    (["+tuner.max_iteration=1"], "did you mean 'max_iterations'?"),
    ([f"+sweep.token={SECRET}", "stages=[prepare]"], "unknown key 'sweep.token'"),
    (["-m", f"+tuner.secret={SECRET}", "tuner.c1=0.1,0.2"], "unknown key 'tuner.secret'"),
    (["hydra.run.dir=/proc/piikit-nowhere/run"], "cannot write /proc/piikit-nowhere"),
    (["stages=[prepare]", "hydra.run.dir=/sys/piikit-nowhere"], "cannot write /sys/piikit-nowhere"),
    (["stages=[prepare]", "hydra.run.dir=/dev/null/run"], "cannot write /dev/null/run: Not a directory"),
    (["mask.input=~/corpus.jsonl"], "Hydra's parser stops at '~' — quote the value for Hydra"),
    (["dataset=local", "dataset.path=données.jsonl"], "Hydra's parser stops at 'é' — quote the value for Hydra"),
    (["tuner.c2=nan"], "tuner.c2=nan is not a finite number"),
]


@pytest.mark.parametrize("args, message", CLI_REFUSALS, ids=[" ".join(c[0]) for c in CLI_REFUSALS])
def test_cli_refuses_with_one_line(args, message, cli, tmp_path):
    r = cli(*args)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert SECRET not in r.stdout + r.stderr
    leaked = [p for p in tmp_path.rglob("*") if p.is_file() and SECRET in p.read_text(errors="replace")]
    assert leaked == []  # never in .hydra/config.yaml, hydra.yaml or overrides.yaml


OS_ERRORS = [
    # (the error a stage or Hydra hits, while creating the run dir?, in the one-line message; None: a bug, not mapped)
    (PermissionError(errno.EACCES, "Permission denied", "/data/out/.in.jsonl.partial"), False, "cannot write /data/out/.in.jsonl.partial: Permission denied"),
    (OSError(errno.EROFS, "Read-only file system", "/mnt/ro/run/.hydra"), True, "cannot write /mnt/ro/run/.hydra: Read-only file system"),
    (OSError(errno.ENOSPC, "No space left on device"), False, "the disk is full"),
    (NotADirectoryError(errno.ENOTDIR, "Not a directory", "/tmp/f/run"), False, "cannot write /tmp/f/run: Not a directory"),
    (FileNotFoundError(errno.ENOENT, "No such file or directory", "/proc/x"), True, "cannot write /proc/x"),
    (FileNotFoundError(errno.ENOENT, "No such file or directory", "piikit/conf/x.yaml"), False, None),  # inside a stage: a bug
    (OSError(errno.EIO, "Input/output error", "/data/x"), False, None),
]


@pytest.mark.parametrize("error, creating, message", OS_ERRORS, ids=[f"{e.strerror}-{c}" for e, c, _ in OS_ERRORS])
def test_os_errors_the_user_can_fix_are_one_line(error, creating, message):
    from piikit.cli import _os_user_error

    got = _os_user_error(error, creating=creating)
    if message is None:
        assert got is None
    else:
        assert got is not None and message in got.one_line() and "\n" not in got.one_line()


def test_a_quoted_value_passes_hydras_parser(cli, tmp_path):
    src = write_input(tmp_path / "données.jsonl", corpus(3))
    r = cli("stages=[mask]", "tuner=rules", f"mask.input='{src}'", "mask.workers=1", f"mask.output={tmp_path}/out")
    assert r.returncode == 0, r.stderr
    assert len(read_output(tmp_path / "out" / "données.jsonl")) == 3


def test_home_in_the_run_dir_is_expanded(cli, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    src = write_input(tmp_path / "in.jsonl", corpus(3))
    for run_dir in ("~/runs/a", "'~/runs/b'"):  # bare (Hydra could not read it) and quoted
        r = cli("stages=[mask]", "tuner=rules", f"mask.input={src}", "mask.workers=1", f"hydra.run.dir={run_dir}",
                env={"HOME": str(home)})
        assert r.returncode == 0, r.stderr
    assert (home / "runs" / "a" / "mask" / "manifest.json").is_file() and (home / "runs" / "b" / ".hydra").is_dir()
    assert not (tmp_path / "~").exists()


# --------------------------------------------------------------------------- processes: kill -9, SIGTERM
def _piikit(args: list[str], cwd: Path, env: dict) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "piikit"
    full_env = {**os.environ, "PIIKIT_PROGRESS": "0", "COLUMNS": "200", **env}
    return subprocess.Popen([str(exe), *args], cwd=cwd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def _workers_of(pid: int) -> list[int]:
    """The mask workers (spawned ``multiprocessing`` children) of process ``pid``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def slow_masking_run(tmp_path):
    """``start()`` → a run with 2 workers that has checkpointed some rows: (process, its
    workers, output dir). Whatever the test does, nothing of it outlives the test."""
    started: list[subprocess.Popen] = []
    yield lambda: _start_a_slow_masking_run(tmp_path, started)
    for proc in started:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # its session: the main process and its workers
        except ProcessLookupError:
            pass
        proc.wait()


def _start_a_slow_masking_run(tmp_path: Path, started: list) -> tuple[subprocess.Popen, list[int], Path]:
    model = train_model(tmp_path / "model_run", delay=0.05)
    src = write_input(tmp_path / "in.jsonl", corpus(2000))
    out = tmp_path / "out"
    args = ["stages=[mask]", f"mask.input={src}", f"mask.model={model}", f"mask.output={out}", "mask.batch_size=8",
            "mask.workers=2", "mask.checkpoint_seconds=0", "mask.strategy=hash", "mask.salt=k"]
    proc = _piikit(args, tmp_path, plugin_env(tmp_path))
    started.append(proc)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if json.loads((out / CHECKPOINT).read_text())["counters"]["rows_in"] >= 50:
                break
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            pass
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    workers = _workers_of(proc.pid)
    assert len(workers) == 2, workers
    return proc, workers, out


def _wait_gone(pids: list[int], seconds: float = 60) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_exit_when_the_main_process_is_killed(slow_masking_run):
    proc, workers, _ = slow_masking_run()
    os.kill(proc.pid, signal.SIGKILL)  # the main process only, as the OOM killer would
    proc.communicate(timeout=30)
    assert _wait_gone(workers) == []  # no orphan holding a model in memory


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_sigterm_stops_like_ctrl_c_with_the_resume_hint(slow_masking_run):
    proc, workers, out = slow_masking_run()
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr
    assert "rerun with mask.resume=true" in stdout + stderr and "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1] == "piikit: error: interrupted (SIGTERM)"
    assert _wait_gone(workers) == []
    assert (out / CHECKPOINT).is_file() and not (out / "in.jsonl").exists()


# --------------------------------------------------------------------------- cloud: the server's retry delay
def test_server_delay_reads_retry_after_and_retry_info():
    from email.utils import format_datetime
    from datetime import datetime, timedelta, timezone

    from piikit.tuners.cloud.generation import RetryPolicy, server_delay

    info = [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2.5s"}]
    assert server_delay({"Retry-After": "7"}) == 7.0
    assert server_delay(None, info) == 2.5
    assert server_delay({"Retry-After": "1"}, info) == 2.5  # the longer of the two
    in_a_minute = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=60), usegmt=True)
    assert 50 < server_delay({"Retry-After": in_a_minute}) <= 60
    assert server_delay({}, [{"@type": "other"}]) is None
    policy = RetryPolicy(initial_backoff=0.01, max_backoff=30.0)
    rng = __import__("random").Random(0)
    assert policy.delay(1, rng, server=7.0) == 7.0  # at least what the server asked
    assert policy.delay(1, rng, server=90.0) == 30.0  # capped by max_backoff
    assert policy.delay(1, rng) <= 0.01


def _recorded_delays(monkeypatch) -> list[tuple[float | None, float]]:
    from piikit.tuners.cloud.generation import RetryPolicy

    seen, real = [], RetryPolicy.delay

    def delay(self, attempt, rng, server=None):
        seen.append((server, real(self, attempt, rng, server)))
        return seen[-1][1]

    monkeypatch.setattr(RetryPolicy, "delay", delay)
    return seen


def test_gemini_retries_wait_at_least_the_servers_delay(tmp_path, genai_server, monkeypatch):
    from cloud_support import make_rows
    from test_gemini import tuner_for

    tuner = tuner_for(genai_server, tmp_path, max_attempts=3, cache=False, initial_backoff=0.001, max_backoff=1.5)
    tuner.fit(make_rows(8))
    genai_server.add_fault("status", status=429, match="order 100.", retry_after=1)
    genai_server.add_fault("status", status=503, match="order 101.", retry_after=5)  # more than max_backoff
    seen = _recorded_delays(monkeypatch)
    preds = list(tuner.predict(make_rows(2, start=100)))
    assert [p.error for p in preds] == [None, None]
    assert sorted(seen) == [(1.0, 1.0), (5.0, 1.5)]  # (what the server asked, what was waited): at least it, capped


def test_vertex_retries_wait_at_least_the_servers_delay(tmp_path, vertex_server, monkeypatch):
    from cloud_support import make_rows
    from test_vertex import tuner_for

    tuner = tuner_for(vertex_server, tmp_path, max_attempts=3, cache=False, initial_backoff=0.001, max_backoff=1.5)
    tuner.fit(make_rows(8))
    vertex_server.add_fault("status", status=429, match="order 100.", retry_after=1)
    seen = _recorded_delays(monkeypatch)
    preds = list(tuner.predict(make_rows(1, start=100)))
    assert preds[0].error is None
    assert seen == [(1.0, 1.0)]
