"""The Vertex AI tuner, driven through the real google-genai and google-cloud-storage clients
against the local fake of Vertex AI (tests/fakes/vertex_server.py) and the real
gcp-storage-emulator. Nothing of piikit or the SDKs is mocked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from piikit.data.schema import Row, Span, mask_text
from piikit.errors import PiikitError
from piikit.io import read_json, read_jsonl, write_jsonl
from piikit.pipeline import RunContext
from piikit.tuners.vertex import VertexConfig, VertexTuner, export_example, export_examples, metrics_to_snapshots

TEMPLATE = "Mask the personal data in this text with [LABEL] placeholders.\nText: {input}\nMasked text:"
NAMES = ["Alice", "Bruno", "Chiara", "Dmitri", "Esther", "Farid", "Greta", "Hiro"]
BUCKET = "gs://piikit-test/datasets"


def make_rows(n: int, start: int = 0, prefix: str = "r") -> list[Row]:
    rows = []
    for i in range(start, start + n):
        name = NAMES[i % len(NAMES)] if i < 100 else f"Zed{i}"  # ids ≥ 100: names never seen in training
        email = f"{name.lower()}.{i}@example.org"
        head = f"Hello {name}, please write to "
        text = f"{head}{email} about order {i}."
        spans = [Span(6, 6 + len(name), "FIRSTNAME", name), Span(len(head), len(head) + len(email), "EMAIL", email)]
        rows.append(Row(id=f"{prefix}{i}", source_text=text, target_text=mask_text(text, spans), privacy_mask=spans,
                        prompt=TEMPLATE.format(input=text)))
    return rows


def write_prepared(run_dir: Path, train: list[Row], test: list[Row]) -> Path:
    write_jsonl(run_dir / "prepare" / "train.jsonl", [r.to_dict() for r in train])
    write_jsonl(run_dir / "prepare" / "test.jsonl", [r.to_dict() for r in test])
    return run_dir


def opts(fake, **extra) -> dict:
    return {"project": fake.project, "location": fake.location, "base_url": fake.endpoint, "gcs_uri": BUCKET,
            "poll_interval": 0, "initial_backoff": 0.01, "max_backoff": 0.05, "request_timeout": 5, **extra}


def fast(fake, **extra) -> list[str]:
    """Overrides that point the tuner at the fakes and keep waits tiny."""
    return ["tuner=vertex", *(f"tuner.{k}={v}" for k, v in opts(fake, **extra).items())]


def tuner_for(fake, tmp_path: Path, run: str = "run", **extra) -> VertexTuner:
    ctx = RunContext(run_dir=tmp_path / run, cache_dir=tmp_path / "cache")
    return VertexTuner(VertexConfig(**opts(fake, **extra)), ctx)


def run_tune_stage(compose, overrides: list[str], run_dir: Path):
    from piikit.pipeline import make_context
    from piikit.stages import tune

    cfg = compose(["stages=[tune]", *overrides])
    return tune.run(cfg, make_context(cfg, run_dir))


def gcs_objects(prefix: str = "datasets/") -> dict[str, bytes]:
    from google.cloud import storage

    client = storage.Client(project="fake-project")
    return {b.name: b.download_as_bytes() for b in client.list_blobs("piikit-test", prefix=prefix)}


# --------------------------------------------------------------------------- tune → generate
def test_upload_tune_generate_through_the_stage(compose, tmp_path, vertex_server):
    fake = vertex_server
    train, test = make_rows(20), make_rows(6, start=100) + make_rows(2, start=3, prefix="t")
    run_dir = write_prepared(tmp_path / "run", train, test)
    summary = run_tune_stage(compose, fast(fake, epoch_count=4, learning_rate_multiplier=0.5, adapter_size=4,
                                           validation_fraction=0.1, tuned_model_display_name="my-masker"), run_dir)
    (create,) = fake.calls("create")
    assert create.path == f"/v1beta1/{fake.parent}/tuningJobs"
    assert create.body["baseModel"] == "gemini-2.5-flash" and create.body["tunedModelDisplayName"] == "my-masker"
    spec = create.body["supervisedTuningSpec"]
    assert spec["hyperParameters"] == {"epochCount": 4, "learningRateMultiplier": 0.5, "adapterSize": "ADAPTER_SIZE_FOUR"}
    objects = gcs_objects()
    assert sorted(objects) == sorted(u.removeprefix("gs://piikit-test/") for u in (spec["trainingDatasetUri"], spec["validationDatasetUri"]))
    lines = [json.loads(x) for x in objects[spec["trainingDatasetUri"].removeprefix("gs://piikit-test/")].splitlines()]
    assert [ln["contents"][0]["parts"][0]["text"] for ln in lines] == [r.prompt for r in train[:18]]
    assert [ln["contents"][1]["parts"][0]["text"] for ln in lines] == [r.target_text for r in train[:18]]
    print(summary)
