"""``mask.input=-``: standard input to standard output, one line in, one line out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mask_support import corpus, plugin_env, train_model
from run_dirs import only_run_dir


def pipe(args: list[str], stdin: bytes, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PIIKIT_PROGRESS": "1", "COLUMNS": "120", **(env or {})}  # a bar, if any, must go to stderr
    exe = Path(sys.executable).parent / "piikit"
    return subprocess.run([str(exe), "stages=[mask]", "mask.input=-", *args], input=stdin, cwd=cwd, env=full_env, capture_output=True, timeout=300)


def test_txt_lines_in_masked_lines_out_and_nothing_else_on_stdout(tmp_path):
    model_run = train_model(tmp_path / "model_run")
    texts = corpus(25, seed=7) + ["", "no personal data"]
    p = pipe([f"mask.model={model_run}", "mask.batch_size=4"], "\n".join(texts).encode() + b"\n", tmp_path, plugin_env(tmp_path))
    assert p.returncode == 0, p.stderr.decode()
    out = p.stdout.decode().split("\n")
    assert out[-1] == "" and len(out[:-1]) == len(texts)  # one line in, one line out, nothing else
    from piikit import Masker
    from mask_support import register_plugin

    register_plugin()
    assert out[:-1] == [r.text for r in Masker.load(model_run).mask_many(texts)]
    assert "mask done" in p.stderr.decode()  # the logs went to stderr
    # what the run dir keeps holds no input text
    run_dir = only_run_dir(tmp_path)
    manifest = json.loads((run_dir / "mask" / "manifest.json").read_text())
    assert manifest["rows_in"] == len(texts) and manifest["spans_per_label"]["EMAIL"] > 0
    kept = "".join(f.read_text(errors="replace") for f in run_dir.rglob("*") if f.is_file()) + p.stderr.decode()
    values = {w.strip(",.:") for t in texts for w in t.split() if "@" in w or w[:1].isupper() and len(w) > 5}
    assert values and not [v for v in values if v in kept]


def test_jsonl_keeps_other_fields_drops_the_text_and_answers_every_line(tmp_path):
    lines = [
        json.dumps({"id": 1, "text": "mail ada@example.org", "n": 5}),
        json.dumps({"id": 2}),
        "not json",
        json.dumps({"id": 3, "text": "card 4111 1111 1111 1111"}),
    ]
    p = pipe(["tuner=rules", "mask.format=jsonl", "mask.batch_size=3"], ("\n".join(lines) + "\n").encode(), tmp_path)
    assert p.returncode == 0, p.stderr.decode()
    out = [json.loads(x) for x in p.stdout.decode().splitlines()]
    assert out[0] == {"id": 1, "n": 5, "masked_text": "mail [EMAIL]", "spans": [{"start": 5, "end": 20, "label": "EMAIL"}]}
    assert out[1] == {"id": 2, "masked_text": None, "spans": None, "error": "missing"}
    assert out[2] == {"masked_text": None, "spans": None, "error": "malformed JSON"}
    assert out[3]["masked_text"] == "card [CREDITCARDNUMBER]" and "text" not in out[3]
    assert "line 2: missing" in p.stderr.decode()
    p = pipe(["tuner=rules", "mask.format=jsonl", "mask.keep_text=true"], (lines[0] + "\n").encode(), tmp_path)
    assert json.loads(p.stdout)["text"] == "mail ada@example.org"


def test_pipe_mistakes_are_one_line_errors(tmp_path):
    p = pipe(["tuner=rules", "mask.format=parquet"], b"x\n", tmp_path)
    assert p.returncode == 2 and b"cannot come through a pipe" in p.stderr and p.stdout == b""
    p = pipe(["tuner=rules", "mask.format=jsonl", "mask.on_error=fail"], b'{"text": "ok"}\n[1]\n', tmp_path)
    assert p.returncode == 2 and b"standard input: line 2: not a JSON object" in p.stderr
    assert b"Traceback" not in p.stderr


def test_a_bom_and_a_lone_surrogate_read_as_the_file_reader_reads_them(tmp_path):
    # the same reader layer as mask.input=FILE: a BOM is not text, half an emoji is a bad row
    lines = [b'\xef\xbb\xbf{"id": 1, "text": "mail ada@example.org"}', b'{"id": 2, "text": "hi \\ud83d"}', b'{"id": 3, "text": "ok"}']
    p = pipe(["tuner=rules", "mask.format=jsonl"], b"\r\n".join(lines) + b"\r\n", tmp_path)
    assert p.returncode == 0, p.stderr.decode()
    out = [json.loads(x) for x in p.stdout.decode("utf-8").splitlines()]
    assert out[0] == {"id": 1, "masked_text": "mail [EMAIL]", "spans": [{"start": 5, "end": 20, "label": "EMAIL"}]}
    assert out[1] == {"masked_text": None, "spans": None, "error": "lone surrogate"}
    assert out[2]["masked_text"] == "ok"
