"""Language packs: the generator's content is data (piikit/synth/packs), loaded and validated."""

from __future__ import annotations

import hashlib
import json

from piikit.synth import generator as synthetic

# sha256 of 3,000 rows of the default synthetic config (seed 42, long documents included),
# recorded from the Python tables before they moved to YAML packs: the move changed no byte
DIGEST_3000 = "34d7d861b10b1242e56a650cc8d8af46e69e624cadd083d0840927356a849590"


def _digest(rows) -> str:
    return hashlib.sha256("\n".join(json.dumps(r.to_dict(), ensure_ascii=False) for r in rows).encode()).hexdigest()


def test_default_config_rows_are_byte_identical_to_the_python_tables(compose):
    ds = compose(["dataset=synthetic"]).dataset
    assert ds.long_fraction > 0  # long documents are part of the digest
    rows = synthetic.generate(3000, ds.seed, ds.languages, long_fraction=ds.long_fraction,
                              long_chars=tuple(ds.long_chars), long_pii_share=tuple(ds.long_pii_share))
    assert sum(len(r.source_text) >= ds.long_chars[0] for r in rows) > 200
    assert _digest(rows) == DIGEST_3000
