"""One chart implementation: the PNGs and the HTML report draw the same figures, and a
categorical sweep axis is drawn as points, never as a line."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from report_helpers import make_job, make_run

from piikit import charts, sweep
from piikit.report.sweep import sweep_page

OK = {"status": "completed", "seconds": 1.0, "reason": None, "exit_code": 0}
SVG = "{http://www.w3.org/2000/svg}"


def drawn(fig) -> list[dict]:
    """What each panel of a figure shows: lines, dots, bars and tick labels (no pixels)."""
    return [
        {
            "lines": [(line.get_label(), line.get_xydata().tolist(), line.get_linestyle()) for line in ax.lines],
            "dots": [c.get_offsets().tolist() for c in ax.collections],
            "bars": [(p.get_y(), p.get_width()) for p in ax.patches],
            "ticks": [t.get_text() for t in ax.get_xticklabels()] + [t.get_text() for t in ax.get_yticklabels()],
            "labels": (ax.get_xlabel(), ax.get_ylabel()),
        }
        for ax in fig.axes
    ]


@pytest.fixture
def recorded(monkeypatch):
    """Every figure written as PNG or turned into SVG, as ``drawn`` sees it."""
    seen: dict[str, list] = {"png": [], "svg": []}
    write_png, to_svg = charts.write_png, charts.to_svg

    def png(fig, path, dpi=100):
        seen["png"].append((path.name, drawn(fig)))
        return write_png(fig, path, dpi)

    def svg(fig):
        seen["svg"].append(drawn(fig))
        return to_svg(fig)

    monkeypatch.setattr(charts, "write_png", png)
    monkeypatch.setattr(charts, "to_svg", svg)
    return seen


def mean_line_paths(svg_text: str, param: str) -> int:
    """How many stroked paths the mean of ``param`` draws in the SVG (markers are ``<use>``)."""
    root = ET.fromstring(svg_text)
    group = next(g for g in root.iter(f"{SVG}g") if g.get("id") == f"mean-{param}")
    assert list(group.iter(f"{SVG}use")), "the means are drawn as markers"
    return sum(1 for p in group.iter(f"{SVG}path") if p.get("id") is None)


def test_categorical_sweep_axis_draws_points_numeric_axis_a_line():
    panels = [("tuner", [("rules", 0.3), ("crf", 0.5), ("crf", 0.7)]), ("tuner.c2", [("0.1", 0.5), ("1", 0.6), ("0.01", 0.2)])]
    fig = charts.sweep_figure(panels, "span_f2")
    categorical, numeric = drawn(fig)
    assert categorical["lines"] == [("mean", [[0.0, 0.6], [1.0, 0.3]], "None")]  # points only
    assert categorical["dots"] == [[[1.0, 0.3], [0.0, 0.5], [0.0, 0.7]]] and categorical["ticks"][:2] == ["crf", "rules"]
    assert numeric["lines"] == [("mean", [[0.0, 0.2], [1.0, 0.5], [2.0, 0.6]], "-")]
    svg = charts.to_svg(fig)
    assert mean_line_paths(svg, "tuner") == 0 and mean_line_paths(svg, "tuner.c2") == 1


def test_summary_png_and_sweep_report_draw_the_same_panels(tmp_path, recorded):
    for num, (tuner, c2, f2) in enumerate([("crf", "0.1", 0.5), ("rules", "0.1", 0.3), ("crf", "1", 0.7)]):
        make_job(tmp_path, num, [f"tuner={tuner}", f"tuner.c2={c2}"], OK, {"span_f2": f2})
    sweep.summarize(tmp_path, sort_by="span_f2", draw=True, show=False)
    page = sweep_page(tmp_path)
    [(name, png)] = recorded["png"]
    assert name == "summary.png" and (tmp_path / name).read_bytes()[:4] == b"\x89PNG"
    assert [p["param"] for p in page["plots"]] == ["tuner", "tuner.c2"]
    assert [panel for fig in recorded["svg"] for panel in fig] == png  # one SVG per panel, same content
    assert [panel["lines"][0][2] for panel in png] == ["None", "-"]  # tuner: points; tuner.c2: a line
    assert mean_line_paths(page["plots"][0]["svg"], "tuner") == 0


def test_run_pngs_and_run_report_draw_the_same_charts(tmp_path, recorded):
    make_run(tmp_path / "run")  # the evaluate stage writes per_label.png and report.html
    [(name, png)] = recorded["png"]
    assert name == "per_label.png"
    loss, per_label = recorded["svg"]
    assert per_label == png and per_label[0]["bars"]
    assert loss[0]["labels"] == ("Epoch", "Mean loss") and len(loss[0]["lines"][0][1]) == 3  # epochs 0, 1, 2


def test_loss_png_is_the_report_chart_with_the_tuner_titles(tmp_path):
    snapshots = [{"step": s, "epoch": float(s), "loss": 1000.0 / (s + 1) ** 2} for s in range(40)]
    fig = charts.loss_figure(snapshots, "crf training loss", "Iteration", "Loss per row")
    assert fig.axes[0].get_yscale() == "log" and fig.axes[0].get_title() == "crf training loss"
    assert drawn(fig)[0]["labels"] == ("Iteration", "Loss per row")
    assert charts.write_png(fig, tmp_path / "loss.png").read_bytes()[:4] == b"\x89PNG"
    assert charts.loss_figure([{"step": 1, "epoch": 0, "loss": None}]) is None
