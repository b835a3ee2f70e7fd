"""tuner.max_request_chars: long rows are split into several requests and the answers re-joined;
long training rows become aligned examples cut outside their spans. Driven through the real
SDKs against the local fakes (tests/fakes/); nothing of piikit or the SDKs is mocked."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:The argument `including_default_value_fields`:DeprecationWarning")

from piikit.data.schema import Row, Span, mask_text
from piikit.errors import PiikitError
from piikit.pipeline import RunContext
from piikit.tuners.cloud.common import request_pieces, training_pairs

from cloud_support import NAMES, TEMPLATE

LIMIT = 220  # the template is 84 characters: ~136 characters of text per request


def sentence(i: int) -> tuple[str, list[Span]]:
    name = NAMES[i % len(NAMES)]
    email = f"{name.lower()}.{i}@example.org"
    head = f"Hello {name}, please write to "
    text = f"{head}{email} about order {i}."
    return text, [Span(6, 6 + len(name), "FIRSTNAME", name), Span(len(head), len(head) + len(email), "EMAIL", email)]


def row(i: int, parts: int = 1, prefix: str = "r", sep: str = "\n\n") -> Row:
    """One row of ``parts`` sentences (a long row when parts > 1)."""
    text, spans = "", []
    for k in range(parts):
        if k:
            text += sep if k % 3 else " "
        s, sp = sentence(i + k)
        spans += [Span(x.start + len(text), x.end + len(text), x.label, x.value) for x in sp]
        text += s
    return Row(id=f"{prefix}{i}", source_text=text, target_text=mask_text(text, spans), privacy_mask=spans,
               prompt=TEMPLATE.replace("{input}", text))


def prompt_text(prompt: str) -> str:
    """The text inside a rendered prompt."""
    return prompt.removeprefix(TEMPLATE.split("{input}")[0]).removesuffix(TEMPLATE.split("{input}")[1])


# --------------------------------------------------------------------------- pure helpers
def test_training_pairs_cut_long_rows_outside_their_spans():
    long = row(0, parts=9)
    assert len(long.prompt) > 3 * LIMIT
    pairs = training_pairs([row(20), long], max_chars=LIMIT)
    assert pairs[0] == ("r20", row(20).prompt, row(20).target_text)  # short rows as they were
    pieces = pairs[1:]
    assert len(pieces) >= 4 and [p[0] for p in pieces] == [f"r0[{k}/{len(pieces)}]" for k in range(1, len(pieces) + 1)]
    pos = 0
    for _id, prompt, output in pieces:
        assert len(prompt) <= LIMIT and prompt.startswith("Mask the personal data") and prompt.endswith("\nMasked text:")
        text = prompt_text(prompt)
        assert text == text.strip() and output == output.strip()
        start = long.source_text.index(text, pos)
        assert not long.source_text[pos:start].strip()  # pieces follow each other, only whitespace between
        pos = start + len(text)
        assert not any(s.start < start < s.end or s.start < pos < s.end for s in long.privacy_mask)  # no span cut
        # the output is exactly this piece masked by the spans inside it
        inside = [Span(s.start - start, s.end - start, s.label, s.value) for s in long.privacy_mask if start <= s.start < pos]
        assert output == mask_text(text, inside)
    assert pos == len(long.source_text)
    joined = lambda parts: re.sub(r"\s+", "", "".join(parts))  # noqa: E731
    assert joined(prompt_text(p[1]) for p in pieces) == joined(long.source_text)
    assert joined(p[2] for p in pieces) == joined(long.target_text)
    assert training_pairs([long], max_chars=0) == [("r0", long.prompt, long.target_text)]  # 0: never split


def test_a_cut_never_falls_inside_a_span():
    text = "Name: " + "Q" * 150 + " end of the record here."
    spans = [Span(6, 156, "PASSWORD", "Q" * 150)]
    r = Row(id="x", source_text=text, target_text=mask_text(text, spans), privacy_mask=spans, prompt=TEMPLATE.replace("{input}", text))
    pairs = training_pairs([r], max_chars=84 + 60)
    assert [prompt_text(p) for _i, p, _o in pairs] == ["Name:", "Q" * 150, "end of the record here."]
    assert [o for _i, _p, o in pairs] == ["Name:", "[PASSWORD]", "end of the record here."]


def test_rows_that_cannot_be_cut_stay_whole_and_the_template_must_fit():
    r = row(0, parts=6)
    r.prompt = "x" * 1000  # the prompt does not contain the text: nothing to cut
    assert training_pairs([r], max_chars=LIMIT) == [("r0", "x" * 1000, r.target_text)]
    assert request_pieces(r.prompt, r.source_text, LIMIT) == [request_pieces(r.prompt, r.source_text, 0)[0]]
    with pytest.raises(PiikitError, match="prompt template alone is longer than tuner.max_request_chars=50"):
        request_pieces(row(0, parts=6).prompt, row(0, parts=6).source_text, 50)


def test_bad_max_request_chars_is_one_line(compose):
    for tuner in ("gemini", "vertex"):
        with pytest.raises(Exception, match="max_request_chars=-1 must be ≥ 0"):
            compose([f"tuner={tuner}", "tuner.max_request_chars=-1"])
        assert compose([f"tuner={tuner}"]).tuner.max_request_chars == 4000


# --------------------------------------------------------------------------- Gemini, through the fake
def gemini_tuner(fake, tmp_path, run="run", **extra):
    from piikit.tuners.cloud.gemini import GeminiConfig, GeminiTuner

    opts = {"api_endpoint": fake.endpoint, "poll_interval": 0, "initial_backoff": 0.01, "max_backoff": 0.05,
            "request_timeout": 5, "max_request_chars": LIMIT, **extra}
    return GeminiTuner(GeminiConfig(**opts), RunContext(run_dir=tmp_path / run, cache_dir=tmp_path / "cache"))


def test_gemini_splits_long_rows_and_joins_the_answers(tmp_path, genai_server):
    fake = genai_server
    tuner = gemini_tuner(fake, tmp_path)
    tuner.fit([row(i) for i in range(8)] + [row(0, parts=7, prefix="long")])
    examples = fake.calls("create")[0].body["tuningTask"]["trainingData"]["examples"]["examples"]
    assert len(examples) > 9 and all(len(e["textInput"]) <= LIMIT for e in examples)  # the long row: aligned pieces

    test = [row(100 - 100), row(10, parts=9, prefix="long"), row(3)]
    plan = tuner.plan([row(i) for i in range(8)], test)
    n_requests = 1 + len(request_pieces(test[1].prompt, test[1].source_text, LIMIT)) + 1
    assert any(f"{n_requests} × POST" in r for r in plan["requests"])  # the dry run counts requests

    before = len(fake.calls("generate"))
    preds = {p.id: p for p in tuner.predict(test)}
    sent = [r.body["contents"][0]["parts"][0]["text"] for r in fake.calls("generate")[before:]]
    assert len(sent) == n_requests >= 5 and all(len(s) <= LIMIT for s in sent)
    assert all(p.error is None for p in preds.values())
    # every request masked its own piece; joined, they are the whole row masked, separators kept
    assert preds["long10"].prediction == test[1].target_text
    assert preds["r0"].prediction == test[0].target_text and preds["r3"].prediction == test[2].target_text

    # the cache works per request: a new run asks nothing again
    again = gemini_tuner(fake, tmp_path, run="run2")
    again.model_name = tuner.model_name
    assert [p.to_dict() for p in again.predict(test)] == [p.to_dict() for p in preds.values()]
    assert len(fake.calls("generate")) == before + n_requests and again.stats.cached == n_requests

    # whole (max_request_chars=0): one request for the long row, the same answer
    whole = gemini_tuner(fake, tmp_path, run="run3", max_request_chars=0, cache=False)
    whole.model_name = tuner.model_name
    assert next(iter(whole.predict([test[1]]))).prediction == test[1].target_text
    assert len(fake.calls("generate")) == before + n_requests + 1


def test_gemini_a_failed_piece_fails_the_row(tmp_path, genai_server):
    fake = genai_server
    tuner = gemini_tuner(fake, tmp_path, cache=False, max_attempts=2)
    tuner.fit([row(i) for i in range(8)])
    test = [row(20, parts=9, prefix="long"), row(1)]
    fake.add_fault("status", status=400, match="order 24.")  # a client error in one piece: not retried
    preds = list(tuner.predict(test))
    pieces = [p for p in request_pieces(test[0].prompt, test[0].source_text, LIMIT) if p.prompt]
    k = next(i for i, p in enumerate(pieces, 1) if "order 24." in p.prompt)
    assert preds[0].prediction is None and preds[0].error == f"http_400: injected fault (request {k} of {len(pieces)})"
    assert preds[1].error is None and preds[1].prediction == row(1).target_text  # other rows unaffected


# --------------------------------------------------------------------------- Vertex, through the fake
def test_vertex_splits_long_rows_and_joins_the_answers(tmp_path, vertex_server):
    from google.cloud import storage

    from piikit.tuners.cloud.vertex import VertexConfig, VertexTuner

    fake = vertex_server
    opts = {"project": fake.project, "location": fake.location, "base_url": fake.endpoint, "gcs_uri": "gs://piikit-test/datasets",
            "poll_interval": 0, "initial_backoff": 0.01, "max_backoff": 0.05, "request_timeout": 5, "max_request_chars": LIMIT}
    tuner = VertexTuner(VertexConfig(**opts), RunContext(run_dir=tmp_path / "run", cache_dir=tmp_path / "cache"))
    tuner.fit([row(i) for i in range(8)] + [row(0, parts=7, prefix="long")])
    client = storage.Client(project="fake-project")
    (blob,) = list(client.list_blobs("piikit-test", prefix="datasets/"))
    lines = [json.loads(line) for line in blob.download_as_bytes().decode().splitlines()]
    prompts = [ln["contents"][0]["parts"][0]["text"] for ln in lines]
    assert len(lines) > 9 and all(len(p) <= LIMIT for p in prompts)

    test = [row(30, parts=8, prefix="long"), row(5)]
    preds = list(tuner.predict(test))
    sent = [r.body["contents"][0]["parts"][0]["text"] for r in fake.calls("generate")]
    assert len(sent) == len(request_pieces(test[0].prompt, test[0].source_text, LIMIT)) + 1 >= 5
    assert all(len(s) <= LIMIT for s in sent)
    assert [p.prediction for p in preds] == [test[0].target_text, test[1].target_text]
