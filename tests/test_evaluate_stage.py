"""The evaluate stage on hand-made runs: sanity tuners, outputs, errors, gates, plugins."""

from __future__ import annotations

import csv

import pytest
from evaluate_helpers import make_rows, single_run_dir, write_run

from piikit import plugins
from piikit.data.schema import Prediction
from piikit.errors import PiikitError
from piikit.hookspecs import hookimpl
from piikit.io import read_json, read_jsonl
from piikit.pipeline import RunContext
from piikit.stages import evaluate as stage
from piikit.tuners.simple import IdentityTuner, ReferenceTuner


def evaluate_run(tmp_path, compose, predictions, overrides=(), rows=None):
    rows = rows if rows is not None else make_rows()
    run_dir = write_run(tmp_path / "run", rows, predictions)
    cfg = compose(["stages=[evaluate]", *overrides])
    summary = stage.run(cfg, RunContext(run_dir=run_dir, cache_dir=tmp_path / "cache"))
    return summary, read_json(run_dir / "evaluate" / "metrics.json"), run_dir


PERFECT = {
    "span_f1": 1.0, "span_f2": 1.0, "span_precision": 1.0, "span_recall": 1.0, "span_macro_f1": 1.0,
    "overlap_f1": 1.0, "overlap_f2": 1.0, "token_f1": 1.0, "token_f2": 1.0, "leak_rate": 0.0,
    "fidelity": 1.0, "over_masking": 0.0, "exact_match": 1.0, "placeholder_validity": 1.0,
    "alignment_failures": 0, "prediction_errors": 0,
}


@pytest.mark.parametrize("with_spans", [True, False], ids=["tagger-spans", "text-only"])
def test_reference_scores_perfectly(tmp_path, compose, with_spans):
    rows = make_rows()
    preds = list(ReferenceTuner(None).predict(rows))
    if not with_spans:
        preds = [Prediction(p.id, p.prediction) for p in preds]
    _, m, _ = evaluate_run(tmp_path, compose, preds, rows=rows)
    assert {k: m[k] for k in PERFECT} == PERFECT
    assert all(v["span_f1"] == 1.0 and v["leak_rate"] == 0.0 for v in m["per_label"].values())
    assert set(m["per_language"]) == {"en", "de", "fr"}


def test_identity_has_zero_recall_and_leaks_everything(tmp_path, compose):
    rows = make_rows()
    _, m, _ = evaluate_run(tmp_path, compose, list(IdentityTuner(None).predict(rows)), rows=rows)
    assert m["span_recall"] == 0.0 and m["overlap_recall"] == 0.0 and m["token_recall"] == 0.0
    assert m["leak_rate"] == 1.0 and m["fidelity"] == 1.0 and m["over_masking"] == 0.0
    assert m["exact_match"] == pytest.approx(2 / 12)  # the two rows without PII


def test_outputs_written(tmp_path, compose):
    rows = make_rows()
    preds = [p.to_dict() for p in ReferenceTuner(None).predict(rows)]
    preds[0] = {"id": rows[0].id, "prediction": "Hi [FIRSTNAME] Quist, your IBAN is [IBAN]. Thanks."}
    preds[1] = {"id": rows[1].id, "prediction": None, "error": "blocked"}
    summary, m, run_dir = evaluate_run(tmp_path, compose, preds, rows=rows)
    out = run_dir / "evaluate"
    assert summary["rows"] == 12 and m["prediction_errors"] == 1 and m["leak_rate"] > 0
    with open(out / "per_label.csv") as fh:
        table = list(csv.DictReader(fh))
    assert {r["label"] for r in table} >= {"FIRSTNAME", "LASTNAME", "IBAN"}
    assert float(next(r for r in table if r["label"] == "LASTNAME")["leak_rate"]) > 0
    scored = list(read_jsonl(out / "scored_predictions.jsonl"))
    assert len(scored) == 12 and scored[0]["leaked"] == 1 and scored[1]["alignment"] == "error"
    assert scored[2]["spans"] and {"span_f1", "fidelity", "exact", "token_tp"} <= set(scored[2])
    assert (out / "per_label.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    manifest = read_json(out / "manifest.json")
    assert manifest["stage"] == "evaluate" and manifest["rows"] == 12 and manifest["evaluator_errors"] == {}


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda p: p + [{"id": "nope", "prediction": "x"}], "1 prediction id(s) are not in the test split: 'nope'"),
        (lambda p: p + [p[0]], "1 duplicate prediction id(s)"),
        (lambda p: p[:-2], "2 of 12 test rows have no prediction"),
        (lambda p: [], "is empty"),
        (lambda p: [{"prediction": "x"}], "has no 'id'"),
        (lambda p: [{**p[0], "prediction": 3}], "is a int, not text"),
    ],
    ids=["unknown", "duplicate", "missing", "empty", "no-id", "not-text"],
)
def test_bad_predictions_are_one_line_errors(tmp_path, compose, mutate, message):
    rows = make_rows()
    preds = mutate([p.to_dict() for p in ReferenceTuner(None).predict(rows)])
    with pytest.raises(PiikitError) as e:
        evaluate_run(tmp_path, compose, preds, rows=rows)
    assert message in e.value.one_line() and "\n" not in e.value.one_line()


def test_compose_evaluator_options(compose):
    assert compose([]).evaluate.evaluators == ["span", "token", "leak", "fidelity", "exact", "validity"]
    assert compose(["evaluator=minimal"]).evaluate.evaluators == ["span", "leak"]
    assert compose(["evaluator=all"]).evaluate.evaluators == ["all"]
    assert compose(["evaluate.evaluators=[leak]"]).evaluate.evaluators == ["leak"]
    assert stage.resolve_evaluators(["all"])[:6] == ["span", "token", "leak", "fidelity", "exact", "validity"]
    with pytest.raises(PiikitError) as e:
        compose(["evaluate.evaluators=[leek]"])
    assert "did you mean 'leak'" in e.value.one_line()


def test_label_map_from_config(tmp_path, compose):
    rows = make_rows()
    preds = [Prediction(r.id, r.target_text.replace("[FIRSTNAME] [LASTNAME]", "[PERSON]")) for r in rows]
    overrides = ["+evaluate.label_map.FIRSTNAME=PERSON", "+evaluate.label_map.LASTNAME=PERSON"]
    _, m, _ = evaluate_run(tmp_path, compose, preds, overrides, rows=rows)
    assert m["span_f1"] == 1.0 and "PERSON" in m["per_label"] and m["placeholder_validity"] == 1.0


# --------------------------------------------------------------------------- failing plugin
class _Boom:
    name = "boom"

    def evaluate(self, rows, predictions, ctx):
        raise ZeroDivisionError("plugin bug")


class _BoomPlugin:
    @hookimpl
    def piikit_register_evaluators(self, register):
        register("boom", _Boom, help="always raises")


@pytest.fixture
def boom_plugin():
    pm = plugins.plugin_manager()
    plugin = _BoomPlugin()
    pm.register(plugin, name="test-boom")
    plugins.registry.cache_clear()
    yield
    pm.unregister(plugin)
    plugins.registry.cache_clear()


def test_raising_plugin_does_not_stop_others(tmp_path, compose, boom_plugin):
    rows = make_rows()
    run_dir = write_run(tmp_path / "run", rows, list(ReferenceTuner(None).predict(rows)))
    cfg = compose(["stages=[evaluate]", "evaluate.evaluators=[span,boom,leak]"])
    with pytest.raises(stage.EvaluatorFailed) as e:
        stage.run(cfg, RunContext(run_dir=run_dir, cache_dir=tmp_path))
    assert e.value.exit_code == 1 and "boom: ZeroDivisionError: plugin bug" in e.value.one_line()
    m = read_json(run_dir / "evaluate" / "metrics.json")
    assert m["span_f1"] == 1.0 and m["leak_rate"] == 0.0
    assert m["evaluator_errors"] == {"boom": "ZeroDivisionError: plugin bug"}


# --------------------------------------------------------------------------- CLI: exit codes
def _cli_run(tmp_path, cli, predictions, *args):
    rows = make_rows()
    run_dir = write_run(tmp_path / "prev", rows, predictions(rows))
    return cli("stages=[evaluate]", f"from_run={run_dir}", *args)


def _ref(rows):
    return list(ReferenceTuner(None).predict(rows))


def _ident(rows):
    return list(IdentityTuner(None).predict(rows))


def test_cli_gate_pass_and_fail(tmp_path, cli):
    ok = _cli_run(tmp_path, cli, _ref, "evaluate.fail_under.span_f1=0.99", "evaluate.fail_over.leak_rate=0")
    assert ok.returncode == 0, ok.stderr
    assert "span_f1" in ok.stdout and "expected" not in ok.stdout  # perfect: no worst examples
    bad = _cli_run(tmp_path, cli, _ident, "evaluate.fail_under.span_f1=0.9", "evaluate.fail_over.leak_rate=0.01")
    assert bad.returncode == 3, bad.stderr
    assert "quality gate failed: span_f1=0 < 0.9; leak_rate=1 > 0.01" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    assert "expected" in bad.stdout and "predicted" in bad.stdout  # worst examples shown


def test_cli_unknown_gate_metric_and_unknown_evaluator(tmp_path, cli):
    r = _cli_run(tmp_path, cli, _ref, "evaluate.fail_over.leak_rat=0.1")
    assert r.returncode == 2 and "did you mean 'leak_rate'" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli("stages=[evaluate]", "evaluate.evaluators=[spann]")
    assert r.returncode == 2 and "unknown evaluator 'spann'" in r.stderr and "did you mean 'span'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_cli_empty_predictions_is_exit_2(tmp_path, cli):
    r = _cli_run(tmp_path, cli, lambda rows: [])
    assert r.returncode == 2 and "predictions.jsonl is empty" in r.stderr and "Traceback" not in r.stderr


def test_cli_raising_plugin_from_entry_point_exits_1(tmp_path, cli):
    """A third-party plugin found through a real entry point (a dist-info on PYTHONPATH)."""
    site = tmp_path / "site"
    (site / "badplug-0.1.dist-info").mkdir(parents=True)
    (site / "badplug-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: badplug\nVersion: 0.1\n")
    (site / "badplug-0.1.dist-info" / "entry_points.txt").write_text("[piikit]\nbadplug = badplug\n")
    (site / "badplug.py").write_text(
        "from piikit.hookspecs import hookimpl\n"
        "class Bad:\n    name = 'bad'\n    def evaluate(self, rows, predictions, ctx):\n        raise RuntimeError('oops')\n"
        "@hookimpl\ndef piikit_register_evaluators(register):\n    register('bad', Bad, help='raises')\n"
    )
    env = {"PYTHONPATH": str(site)}
    listed = cli("plugins", env=env)
    assert "bad" in listed.stdout and "badplug" in listed.stdout
    rows = make_rows()
    run_dir = write_run(tmp_path / "prev", rows, _ref(rows))
    r = cli("stages=[evaluate]", f"from_run={run_dir}", "evaluate.evaluators=[span,bad,leak]", env=env)
    assert r.returncode == 1, r.stderr
    assert "evaluator(s) failed: bad: RuntimeError: oops" in r.stderr and "Traceback" not in r.stderr
    assert "span_f1" in r.stdout  # the others still ran and printed


def test_cli_rules_tuner_end_to_end(tmp_path, cli):
    rows = make_rows()
    run_dir = write_run(tmp_path / "prev", rows, None)
    r = cli("stages=[tune,evaluate]", f"from_run={run_dir}", "tuner=rules")
    assert r.returncode == 0, r.stderr
    m = read_json(single_run_dir(tmp_path) / "evaluate" / "metrics.json")
    # shaped PII is found, names are not: a real baseline, neither perfect nor empty
    assert m["per_label"]["EMAIL"]["span_f1"] == 1.0 and m["per_label"]["IBAN"]["span_f1"] == 1.0
    assert m["per_label"]["FIRSTNAME"]["span_recall"] == 0.0
    assert 0.3 < m["span_recall"] < 1.0 and m["span_precision"] > 0.9
