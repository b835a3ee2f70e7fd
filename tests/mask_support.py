"""Helpers for the mask-stage tests: a tiny invented corpus, input files in every format, a
trained test-plugin model in a run dir, and the plugin made visible to subprocesses."""

from __future__ import annotations

import csv
import json
import random
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

PLUGIN_DIR = Path(__file__).parent / "plugins"

# invented values (not from any dev set)
FIRST = ["Arvid", "Berenike", "Cosmo", "Dagny", "Eulalia", "Fintan", "Gwendolin", "Horatio"]
LAST = ["Quillfeather", "Marrowby", "Tintagel", "Osgood", "Vexley", "Brannock"]
TEMPLATES = [
    "Please call {first} {last} on {phone} about the invoice.",
    "Ticket 17: {first} wrote from {email} asking for a refund.",
    "No personal data in this sentence at all.",
    "Forward the report to {email} and cc {first}.",
    "{last} family, phone {phone}, prefers e-mail: {email}",
]


def corpus(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first.lower()}.{last.lower()}@example.org"
        phone = f"+44 20 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
        out.append(rng.choice(TEMPLATES).format(first=first, last=last, email=email, phone=phone))
    return out


def write_input(path: Path, texts: list, fmt: str | None = None) -> Path:
    """Rows {id, text, n} in the format of ``path``'s suffix; ``texts`` may hold non-strings."""
    fmt = fmt or path.suffix.lstrip(".")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for i, t in enumerate(texts):
                fh.write(json.dumps({"id": f"r{i}", "text": t, "n": i}) + "\n")
    elif fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["id", "text", "n"])
            w.writerows([f"r{i}", t, i] for i, t in enumerate(texts))
    elif fmt == "txt":
        path.write_text("".join(t + "\n" for t in texts), encoding="utf-8")
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({"id": [f"r{i}" for i in range(len(texts))], "text": pa.array(texts, type=pa.string()), "n": list(range(len(texts)))})
        pq.write_table(table, path, row_group_size=37)
    return path


def train_model(run_dir: Path, **tuner_fields) -> Path:
    """A run dir with tune/model + tune/manifest.json, like the tune stage leaves behind."""
    from piikit.data.schema import Row, Span
    from piikit.io import write_json

    sys.path.insert(0, str(PLUGIN_DIR)) if str(PLUGIN_DIR) not in sys.path else None
    from piikit_regex_tuner import RegexTestConfig, RegexTuner

    config = RegexTestConfig(**tuner_fields)
    tuner = RegexTuner(config)
    train = []
    for first in FIRST:
        text = f"Hello {first}"
        train.append(Row(id=first, source_text=text, privacy_mask=[Span(6, len(text), "FIRSTNAME", first)]))
    for last in LAST:
        text = f"Mr {last}"
        train.append(Row(id=last, source_text=text, privacy_mask=[Span(3, len(text), "LASTNAME", last)]))
    tuner.fit(train)
    tuner.save(run_dir / "tune" / "model")
    write_json(run_dir / "tune" / "manifest.json", {"stage": "tune", "tuner": asdict(config)})
    return run_dir


def register_plugin() -> None:
    """Register the test plugin in this process (as an installed plugin would be)."""
    if str(PLUGIN_DIR) not in sys.path:
        sys.path.insert(0, str(PLUGIN_DIR))
    import piikit_regex_tuner

    from piikit import plugins

    pm = plugins.plugin_manager()
    if not pm.is_registered(piikit_regex_tuner):
        pm.register(piikit_regex_tuner, name="piikit_regex_tuner")
    plugins.registry.cache_clear()


def plugin_env(tmp: Path) -> dict[str, str]:
    """Environment that makes subprocesses find the test plugin through its entry point."""
    dist = tmp / "site" / "piikit_regex_tuner-0.0.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: piikit-regex-tuner\nVersion: 0.0\n")
    (dist / "entry_points.txt").write_text("[piikit]\nregex_tuner = piikit_regex_tuner\n")
    import os

    path = os.pathsep.join([str(tmp / "site"), str(PLUGIN_DIR), os.environ.get("PYTHONPATH", "")])
    return {"PYTHONPATH": path.rstrip(os.pathsep)}


def read_output(path: Path) -> list[dict]:
    """Output rows as dicts, whatever the format."""
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    spans = [json.loads(line) for line in path.with_name(path.stem + ".spans.jsonl").read_text().splitlines()]
    lines = path.read_text(encoding="utf-8").splitlines()
    return [{"masked_text": m, **s} for m, s in zip(lines, spans)]


# --------------------------------------------------------------------------- fixtures
# Import these into a test module to use them (an imported autouse fixture applies to that module).
@pytest.fixture(autouse=True)
def mask_plugin():
    """The test tuner plugin, registered for every test of a module that imports this."""
    register_plugin()


@pytest.fixture
def model_run(tmp_path):
    """A run dir with a trained test-plugin model."""
    return train_model(tmp_path / "model_run")


def make_run_mask(compose, tmp_path: Path, *defaults: str):
    """run_mask(overrides...) -> (summary, run_dir): the mask stage in-process on a fresh run dir,
    composed from ``defaults`` then ``overrides``."""
    from piikit.pipeline import make_context

    counter = iter(range(1000))

    def _run(*overrides: str):
        from piikit.stages import mask

        cfg = compose(["stages=[mask]", *defaults, *overrides])
        run_dir = tmp_path / f"run{next(counter)}"
        run_dir.mkdir()
        return mask.run(cfg, make_context(cfg, run_dir)), run_dir

    return _run
