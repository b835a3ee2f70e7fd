"""tuner=crf on long texts: windowed tagging (tuner.max_chars / tuner.window_overlap) finds what
whole-text tagging finds, memory stays bounded, a 1 MB text works, bad settings are one line."""

from __future__ import annotations

import tracemalloc
from dataclasses import replace

import pytest

from piikit.errors import PiikitError
from piikit.tuners.crf.tuner import CRFConfig, CRFTuner
from piikit.tuners.windows import windows
from pii_rows import make_rows


@pytest.fixture(scope="module")
def tuner():
    t = CRFTuner(CRFConfig(max_iterations=30))
    t.fit(make_rows(200, seed=1))
    return t


@pytest.fixture(scope="module")
def long_rows():
    """Rows never seen in training, joined into one ~10 kB document (blank line between rows)."""
    rows = [r for r in make_rows(400, seed=7) if r.language == "en"]
    offsets, pos = [], 0
    for r in rows:
        offsets.append(pos)
        pos += len(r.source_text) + 2
    return rows, offsets, "\n\n".join(r.source_text for r in rows)


def tag(tuner, text, max_chars, overlap=0):
    tuner.config = replace(tuner.config, max_chars=max_chars, window_overlap=overlap)
    try:
        return [(s.start, s.end, s.label) for s in tuner.tag_spans(text, "en")]
    finally:
        tuner.config = replace(tuner.config, max_chars=4000, window_overlap=200)


def test_windowed_tagging_equals_whole_text_tagging(tuner, long_rows):
    _rows, _offsets, text = long_rows
    whole = tag(tuner, text, 0)
    assert len(text) > 9000 and len(whole) > 200
    for size, overlap in [(300, 60), (1000, 200)]:
        got = tag(tuner, text, size, overlap)
        boundaries = [w.own_end for w in windows(text, size, overlap)[:-1]]
        assert len(boundaries) >= 9
        near = lambda s: any(s[0] - overlap <= b <= s[1] + overlap for b in boundaries)  # noqa: E731
        # away from window boundaries exactly the same spans; near them, practically the same
        assert [s for s in got if not near(s)] == [s for s in whole if not near(s)]
        assert len(set(got) ^ set(whole)) <= len(whole) // 50
        assert got == sorted(set(got)) and all(a[1] <= b[0] for a, b in zip(got, got[1:]))  # no duplicates/overlaps


def test_windowed_long_text_finds_what_each_row_alone_finds(tuner, long_rows):
    """Tagging each row alone differs from tagging the document only by the context the rows
    give each other (the first words of a row are no longer at the start of a text)."""
    rows, offsets, text = long_rows
    alone = {(s.start + off, s.end + off, s.label) for r, off in zip(rows, offsets) for s in tuner.tag_spans(r.source_text, "en")}
    got = set(tag(tuner, text, 300, 60))
    tp = len(alone & got)
    assert 2 * tp / (len(alone) + len(got)) >= 0.8
    gold = {(s.start + off, s.end + off, s.label) for r, off in zip(rows, offsets) for s in r.privacy_mask}
    assert len(gold & got) / len(gold) >= 0.8  # the windowed document is still well tagged


def test_a_one_megabyte_text_is_tagged_window_by_window(tuner, long_rows):
    _rows, _offsets, text = long_rows
    copies = 1_000_000 // (len(text) + 2) + 1
    big = ("\n\n".join([text] * copies))[:1_000_000]
    tuner.config = replace(tuner.config, max_chars=4000, window_overlap=200)
    spans = tuner.tag_spans(big, "en")
    per_copy = len(tag(tuner, text, 0))
    assert abs(len(spans) - per_copy * len(big) / (len(text) + 2)) <= 0.02 * len(spans)
    assert all(big[s.start : s.end] == s.value for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert spans[-1].end > 990_000  # the end of the text was tagged too


def test_memory_stays_bounded_by_the_window(tuner, long_rows):
    _rows, _offsets, text = long_rows
    big = ("\n\n".join([text] * 40))[:300_000]
    tuner.tag_spans(text[:5000], "en")  # warm the word-feature cache outside the measurement
    tracemalloc.start()
    try:
        spans = tag(tuner, big, 4000, 200)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # whole-text tagging of these 300 kB peaks above 30 MB (features of every token at once);
    # windows keep the features of one window, plus the spans found
    assert len(spans) > 5000 and peak < 15_000_000


@pytest.mark.parametrize("fields, message", [
    ({"max_chars": -1}, "tuner.max_chars=-1 must be ≥ 0"),
    ({"max_chars": 200, "window_overlap": 200}, "tuner.window_overlap=200 must be ≥ 0 and below tuner.max_chars=200"),
    ({"window_overlap": -5}, "tuner.window_overlap=-5"),
])
def test_bad_window_settings_are_one_line_errors(fields, message):
    with pytest.raises(PiikitError, match=message.replace("(", r"\(")):
        CRFConfig(**fields)


def test_window_settings_through_the_config(compose):
    cfg = compose(["tuner=crf", "tuner.max_chars=0"])
    assert cfg.tuner.max_chars == 0 and cfg.tuner.window_overlap == 200
    with pytest.raises(Exception, match="window_overlap"):
        compose(["tuner=crf", "tuner.max_chars=100", "tuner.window_overlap=150"])


def test_mask_stage_masks_a_long_document_with_the_crf(tuner, long_rows, compose, tmp_path):
    """A 50 kB document through the mask stage (stages=[mask], mask.model=<a CRF run dir>)."""
    import json
    from dataclasses import asdict

    from piikit.io import write_json
    from piikit.pipeline import make_context
    from piikit.stages import mask

    rows, offsets, text = long_rows
    copies = 50_000 // len(text) + 1
    doc = "\n\n".join([text] * copies)
    model_run = tmp_path / "crf_run"
    tuner.save(model_run / "tune" / "model")
    write_json(model_run / "tune" / "manifest.json", {"stage": "tune", "tuner": asdict(tuner.config)})
    src = tmp_path / "in" / "docs.jsonl"
    src.parent.mkdir()
    src.write_text(json.dumps({"id": "long", "text": doc}) + "\n" + json.dumps({"id": "short", "text": rows[0].source_text}) + "\n")
    cfg = compose(["stages=[mask]", f"mask.input={src}", f"mask.model={model_run}", f"mask.output={tmp_path / 'out'}", "mask.workers=1", "mask.keep_text=true"])
    (tmp_path / "run").mkdir()
    summary = mask.run(cfg, make_context(cfg, tmp_path / "run"))
    assert summary["rows out"] == 2
    out = [json.loads(line) for line in (tmp_path / "out" / "docs.jsonl").read_text().splitlines()]
    long_out = out[0]
    assert len(doc) > 50_000 and long_out["text"] == doc
    spans = long_out["spans"]
    assert len(spans) > 1000
    assert all(a["end"] <= b["start"] for a, b in zip(spans, spans[1:]))
    expected = [(s.start, s.end, s.label) for s in tuner.tag_spans(doc, "en")]  # the windowed tagger, directly
    assert [(s["start"], s["end"], s["label"]) for s in spans] == expected
    pieces, pos = [], 0
    for s in spans:  # the masked text is the document with exactly these spans replaced
        pieces += [doc[pos : s["start"]], f"[{s['label']}]"]
        pos = s["end"]
    assert long_out["masked_text"] == "".join(pieces) + doc[pos:]
    emails = [s.value for r in rows for s in r.privacy_mask if s.label == "EMAIL"]
    assert emails and not any(e in long_out["masked_text"] for e in emails)  # no e-mail leaks anywhere in 50 kB
