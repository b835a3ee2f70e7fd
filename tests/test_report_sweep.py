"""The sweep's report.html: one row per job from the sweep summary, plots, links, failures."""

from __future__ import annotations

import re

import pytest
from report_helpers import external_references, make_sweep, metric_values

from piikit.errors import PiikitError
from piikit.io import read_json
from piikit.report import main, write_sweep_report
from piikit.report.sweep import sweep_page


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    return make_sweep(tmp_path_factory.mktemp("sweep") / "multirun")


def job_metrics(sweep_dir, num):
    return read_json(sweep_dir / str(num) / "evaluate" / "metrics.json")


def test_one_row_per_job_best_first(sweep_dir):
    page = sweep_page(sweep_dir)
    rows = page["jobs"]["rows"]
    real = job_metrics(sweep_dir, 1)["span_f2"]
    assert 0.6 < real  # the real run is the best job, then 2, then 0; the failed job last
    assert [r["name"] for r in rows] == ["1", "2", "0", "3"]
    assert page["sort_by"] == "span_f2" and page["swept"] == ["tuner.c2", "seed"]
    assert [c["key"] for c in page["jobs"]["columns"]] == ["status", "tuner.c2", "seed", "span_f2", "span_f1", "leak_rate", "seconds"]
    for r in rows[:3]:
        m = job_metrics(sweep_dir, r["name"])
        assert {c["key"]: c["value"] for c in r["cells"] if c["key"] in ("span_f2", "span_f1", "leak_rate")} == {k: m[k] for k in ("span_f2", "span_f1", "leak_rate")}
    assert rows[3]["cls"] == "failed" and page["failures"] == [{"name": "3", "reason": "tuner.c2=-1 must be >= 0", "overrides": ["tuner.c2=-1", "seed=2"]}]
    assert page["best"]["name"] == "1" and page["best"]["value"] == real
    assert [r["link"] for r in rows] == ["1/report.html", None, None, None]  # only job 1 has a report
    assert [p["param"] for p in page["plots"]] == ["tuner.c2", "seed"] and all(p["svg"].startswith("<svg") for p in page["plots"])


def test_sort_by_another_metric(sweep_dir):
    page = sweep_page(sweep_dir, sort_by="leak_rate")
    leak = [c["value"] for r in page["jobs"]["rows"] for c in r["cells"] if c["key"] == "leak_rate"]
    assert leak[:3] == sorted(leak[:3]) and leak[3] is None and page["lower_is_better"]


def test_rendered_sweep_page(sweep_dir, tmp_path):
    html = write_sweep_report(sweep_dir, out=tmp_path / "sweep.html").read_text()
    assert external_references(html) == []
    assert '<a href="1/report.html">1</a>' in html and "tuner.c2=-1 must be &gt;= 0" in html
    assert html.count("<svg") == 2
    cells = dict(re.findall(r'<tr data-name="(\d+)".*?data-key="span_f2" data-sort="[^"]*" data-value="([^"]+)"', html, re.S))
    assert {k: float(v) for k, v in cells.items()} == {n: job_metrics(sweep_dir, n)["span_f2"] for n in ("0", "1", "2")}
    assert [(k, float(v)) for k, v, _ in metric_values(html)] == [("span_f2", job_metrics(sweep_dir, 1)["span_f2"])]


def test_report_command_on_a_sweep_dir(sweep_dir):
    path = main([f"run={sweep_dir}", "sweep.sort_by=leak_rate"])
    assert path == sweep_dir / "report.html" and "sorted by leak_rate" in path.read_text()


def test_sweep_dir_without_jobs(tmp_path):
    (tmp_path / "multirun.yaml").write_text("sweep: {sort_by: span_f2}\n")
    with pytest.raises(PiikitError, match="has no job dirs"):
        main([f"run={tmp_path}"])
