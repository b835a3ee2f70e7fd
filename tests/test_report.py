"""report.html: the data behind the page, redaction, self-containment, the CLI."""

from __future__ import annotations

import re

import pytest
from evaluate_helpers import make_rows
from report_helpers import external_references, make_run, metric_values, section
from run_dirs import without_clock

from piikit.config import ReportConfig
from piikit.data.schema import Row
from piikit.errors import PiikitError
from piikit.evaluate import normalize_spans
from piikit.data.stored import read_restored
from piikit.io import read_json, read_jsonl
from piikit.report import render, write_run_report
from piikit.report.examples import Mark, diff_marks, find_leaks, segments, verbatim_ranges
from piikit.report.run import run_page


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return make_run(tmp_path_factory.mktemp("report") / "run")


def numbers(d):
    return {k: v for k, v in d.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


# --------------------------------------------------------------------------- template data
def test_page_values_equal_metrics_json(run_dir):
    metrics = read_json(run_dir / "evaluate" / "metrics.json")
    page = run_page(run_dir)
    shown = {m["key"]: m["value"] for g in page["headline"] for m in g["metrics"]}
    assert {"span_f1", "span_f2", "span_precision", "token_f1", "overlap_f1", "leak_rate", "fidelity", "over_masking", "exact_match"} <= set(shown)
    assert shown == {k: metrics[k] for k in shown}
    assert {m["key"]: m["value"] for m in page["all_metrics"]} == numbers(metrics)
    assert 0 < metrics["leak_rate"] < 1 and metrics["prediction_errors"] == 2  # the fixture is not trivial
    for table, key in ((page["per_label"], "per_label"), (page["per_language"], "per_language")):
        for row in table["rows"]:
            assert {c["key"]: c["value"] for c in row["cells"] if c["value"] is not None} == metrics[key][row["name"]]
        assert {r["name"] for r in table["rows"]} == set(metrics[key])


def test_rendered_values_equal_metrics_json(run_dir):
    metrics = read_json(run_dir / "evaluate" / "metrics.json")
    html = (run_dir / "report.html").read_text()
    found = metric_values(html)
    assert {k for k, _, _ in found} == set(numbers(metrics))
    for key, value, text in found:
        assert float(value) == metrics[key], key
        expected = f"{metrics[key]:.4f}" if isinstance(metrics[key], float) else str(metrics[key])
        assert text.strip() == expected, key


def test_page_sections(run_dir):
    page = run_page(run_dir)
    assert page["overrides"] == ["tuner=toy", "seed=42"] and "name: toy" in page["config_text"]
    assert page["tune"]["loss_svg"].startswith("<svg") and page["tune"]["snapshots"] == 6
    assert page["prepare"] is None  # no prepare/manifest.json in this hand-made run: "not recorded"
    assert page["per_label_svg"].startswith("<svg") and "FIRSTNAME" in page["per_label_svg"]
    html = (run_dir / "report.html").read_text()
    assert "Not recorded: no <code>prepare/manifest.json</code>" in html
    assert html.count("<svg") == 2 and 'class="sortable" id="per-label-table"' in html


def test_worst_examples_show_failures_and_leaks(run_dir):
    default = run_page(run_dir, ReportConfig(worst_examples=5))["examples"]["items"]
    assert default and all(e["source"] is None for e in default)  # redacted unless asked
    examples = run_page(run_dir, ReportConfig(worst_examples=5, redact_examples=False))["examples"]["items"]
    assert len(examples) == 5
    assert [e["id"] for e in examples[:2]] == ["r1", "r7"] and examples[0]["error"].startswith("blocked")  # failures first
    by_id = {e["id"]: e for e in examples}
    assert by_id["r7"]["error"] == "timeout" and by_id["r7"]["leaked_labels"] == []  # not counted: the row failed
    assert {s.text for s in by_id["r7"]["predicted"] if "leak" in s.cls} == {s.value for s in make_rows()[7].privacy_mask}
    unmasked = by_id["r3"]  # the whole row came back unmasked
    assert {s.cls for s in unmasked["predicted"]} >= {"diff leak"} and unmasked["leaked_labels"] == ["CREDITCARDNUMBER", "FIRSTNAME"]
    assert [s.text for s in unmasked["source"] if "leaked" in s.cls] == [s.value for s in make_rows()[3].privacy_mask]


def test_leak_marks_agree_with_the_leak_evaluator(run_dir):
    rows = {r["id"]: Row.from_dict(r) for r in read_jsonl(run_dir / "prepare" / "test.jsonl")}
    scored = list(read_restored(run_dir / "evaluate" / "scored_predictions.jsonl", {i: r.source_text for i, r in rows.items()}))
    assert sum(s["leaked"] for s in scored) == 3  # r0: LASTNAME; r3: CREDITCARDNUMBER and FIRSTNAME
    for s in scored:
        row = rows[s["id"]]
        target = row.target_text
        hits = find_leaks(s["prediction"] or "", target, normalize_spans(row.source_text, row.privacy_mask, {}))
        if s["alignment"] == "error":
            continue
        assert len(hits.leaked_spans) == s["leaked"], s["id"]
        assert sorted(sp.label for sp in hits.leaked_spans) == sorted(s["leaked_labels"]), s["id"]


def test_partial_leak_is_marked(run_dir):
    row = make_rows()[5]
    phone = row.privacy_mask[0]
    assert phone.value == "+1 212 555 0100"
    pred = row.target_text.replace("[PHONENUMBER]", "+1 212 [PHONENUMBER]")
    hits = find_leaks(pred, row.target_text, [phone])
    assert hits.leaked_spans == []  # not a verbatim copy: the leak rate does not count it
    assert [(pred[m.start : m.end], m.cls) for m in hits.marks] == [("1", "leak-part"), ("212", "leak-part")]


# --------------------------------------------------------------------------- redaction
def pii_values(run_dir):
    rows = [Row.from_dict(r) for r in read_jsonl(run_dir / "prepare" / "test.jsonl")]
    return [(s.value, r.id) for r in rows for s in r.privacy_mask if s.value not in (r.target_text or "")]


def test_redacted_report_has_no_source_pii(run_dir, tmp_path):
    plain = write_run_report(run_dir, ReportConfig(redact_examples=False, worst_examples=12), out=tmp_path / "raw.html").read_text()
    out = write_run_report(run_dir, ReportConfig(redact_examples=True, worst_examples=12), out=tmp_path / "redacted.html")
    html = without_clock(out.read_text())
    examples = section(html, "examples")
    values = pii_values(run_dir)
    assert any(v in section(plain, "examples") for v, _ in values)  # the unredacted page shows raw PII
    assert [v for v, _ in values if v in html] == []
    assert [v for v, _ in values if v in without_clock((run_dir / "report.html").read_text())] == []  # the default page too
    assert "[LEAKED:LASTNAME]" in examples and "[LEAKED:FIRSTNAME]" in examples
    assert "+1 212" not in examples and "blocked: the input mentions [EMAIL]" in examples
    assert "<dt>source</dt>" not in examples and "<dt>source</dt>" in section(plain, "examples")
    assert "report.redact_examples=true" in section(html, "examples") or "redacted" in html[: html.index("<main>")]


def test_header_states_the_redaction_default(run_dir, tmp_path):
    default = (run_dir / "report.html").read_text()
    header = default[default.index("<header") : default.index("</header>")]
    assert "<strong>redacted</strong>" in header and "This is the default" in header
    raw = write_run_report(run_dir, ReportConfig(redact_examples=False), out=tmp_path / "r.html").read_text()
    header = raw[raw.index("<header") : raw.index("</header>")]
    assert "raw source text with real PII" in header and "report.redact_examples=false</code>, an opt-in" in header


# --------------------------------------------------------------------------- self-contained
def test_no_external_resources(run_dir, tmp_path):
    red = write_run_report(run_dir, ReportConfig(redact_examples=True), out=tmp_path / "r.html").read_text()
    for html in ((run_dir / "report.html").read_text(), red):
        assert external_references(html) == []
        assert "Content-Security-Policy" in html and "default-src 'none'" in html
        # the only URLs outside example text are SVG namespace names, which are never fetched
        outside = html.replace(section(html, "examples"), "")
        assert set(re.findall(r"https?://[^\s\"'<>]+", outside)) <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert external_references('<img src="https://x.org/a.png">') and external_references("a { background: url(//x.org/a) }")


def test_template_escapes_text():
    page = {"title": "<script>alert(1)</script>", "version": "0", "generated": "now"}
    html = render("base.html", page)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


# --------------------------------------------------------------------------- text marks
def test_verbatim_ranges_respect_word_boundaries():
    assert verbatim_ranges("Ann reads the Annual report, Ann.", "Ann") == [(0, 3), (29, 32)]
    assert verbatim_ranges("call +44 20", "+44 20") == [(5, 11)]
    assert verbatim_ranges("abc", "") == []


def test_segments_and_diffs():
    segs = segments("Hi Orla Quist!", [Mark(3, 7, "pii", "FIRSTNAME"), Mark(3, 13, "diff")])
    assert [(s.text, s.cls) for s in segs] == [("Hi ", ""), ("Orla", "pii diff"), (" Quist", "diff"), ("!", "")]
    assert "".join(s.text for s in segs) == "Hi Orla Quist!"
    exp, pred = diff_marks("Hi [FIRSTNAME] [LASTNAME].", "Hi [FIRSTNAME] Quist.")
    assert [(m.start, m.end) for m in exp] == [(15, 25)] and [(m.start, m.end) for m in pred] == [(15, 20)]


# --------------------------------------------------------------------------- config and CLI
def test_report_config(compose):
    cfg = compose(["report.redact_examples=false", "report.worst_examples=2"])
    assert cfg.report == ReportConfig(redact_examples=False, worst_examples=2)
    assert compose([]).report == ReportConfig(redact_examples=True, worst_examples=5)
    with pytest.raises(PiikitError, match="report.worst_examples=-1"):
        ReportConfig(worst_examples=-1)


def test_run_page_needs_metrics(tmp_path):
    with pytest.raises(PiikitError, match="no evaluate/metrics.json"):
        run_page(tmp_path)


def test_cli_report(run_dir, tmp_path, cli):
    (run_dir / "report.html").unlink()
    r = cli("report", f"run={run_dir}")
    assert r.returncode == 0, r.stderr
    assert (run_dir / "report.html").is_file() and "report →" in r.stdout
    out = tmp_path / "shared.html"
    r = cli("report", f"run={run_dir}", "report.redact_examples=true", "report.worst_examples=12", f"out={out}")
    assert r.returncode == 0, r.stderr
    assert [v for v, _ in pii_values(run_dir) if v in out.read_text()] == [] and "warning" not in r.stderr
    r = cli("report", f"run={run_dir}", "report.redact_examples=false", f"out={tmp_path / 'raw.html'}")
    assert r.returncode == 0 and "warning: report.redact_examples=false" in r.stderr
    assert any(v in (tmp_path / "raw.html").read_text() for v, _ in pii_values(run_dir))
    for args, message in (([f"run={tmp_path}"], "is not a piikit run dir"), ([f"run={run_dir}", "report.redact_examples=maybe"], "use true or false")):
        r = cli("report", *args)
        assert r.returncode == 2 and message in r.stderr and r.stderr.count("\n") == 1, (args, r.stderr)
        assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["run=/nonexistent/run"], "run=/nonexistent/run is not a directory"),
        (["rnu=x"], "unexpected argument 'rnu=x'"),
        ([], "needs run=<dir>"),
        (["run=.", "report.worst_examples=many"], "is not a number"),
    ],
)
def test_report_arguments_are_checked(args, message):
    from piikit.report import main

    with pytest.raises(PiikitError, match=re.escape(message)):
        main(args)


def test_evaluate_from_an_earlier_run(run_dir, tmp_path):
    """stages=[evaluate] from_run=...: test rows, loss and tuner come from the earlier run."""
    from piikit.config import Config
    from piikit.pipeline import RunContext
    from piikit.stages import evaluate as stage

    again = tmp_path / "again"
    stage.run(Config(stages=["evaluate"]), RunContext(run_dir=again, cache_dir=tmp_path / "cache", from_run=run_dir))
    html = (again / "report.html").read_text()
    page = run_page(again, from_run=run_dir)
    assert page["from_run"] == str(run_dir) and page["tune"]["loss_svg"] and len(page["examples"]["items"]) == 5
    assert "Row r1" in html and str(run_dir) in html and html.count("<svg") == 2
