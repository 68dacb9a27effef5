"""viz.base: one constructor for every figure, with the app's template, merged margins and escaped text."""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import plotly.io as pio
import pytest

from viz import bars, block, curves, focus, heatmaps, model_views, multihead, positional, schedule, text_shading, vision
from viz.base import (
    MARGIN,
    TEMPLATE,
    base_layout,
    color_axis,
    color_range,
    escape,
    escape_lines,
    figure,
    safe_labels,
    signed_bound,
    split_domain,
    thin_ticks,
)

ROOT = Path(__file__).resolve().parents[2]
LABELS = ["a", "<b>b</b>", "猫"]
W = np.full((3, 3), 1 / 3)
R = np.arange(9.0).reshape(3, 3) - 4


def test_signed_bound_is_the_largest_finite_magnitude_over_all_arrays():
    assert signed_bound(np.array([[1.0, -3.0], [2.0, 0.5]])) == 3.0
    assert signed_bound([1.0, -2.0], [[np.nan, 5.0, -np.inf]]) == 5.0  # NaN and ±∞ ignored
    assert signed_bound(np.zeros(3)) == 1.0 and signed_bound(np.array([])) == 1.0  # never a 0-wide scale
    assert signed_bound(np.full(2, np.nan)) == 1.0
    assert isinstance(signed_bound(np.ones(2, np.float32)), float)


def test_color_range_is_symmetric_for_signed_and_unit_for_weights():
    z = np.array([[0.5, -2.0]])
    assert color_range("signed", z) == {"colorscale": "RdBu_r", "zmin": -2.0, "zmax": 2.0, "zmid": 0.0}
    assert color_range("prob", z) == {"colorscale": "Viridis", "zmin": 0.0, "zmax": 1.0}
    axis = color_axis("signed", z, -3 * z, colorbar_x=0.5)
    assert (axis["cmin"], axis["cmax"], axis["cmid"]) == (-6.0, 6.0, 0.0)
    assert axis["colorbar"] == {"thickness": 10, "len": 0.85, "x": 0.5}
    assert "x" not in color_axis("prob")["colorbar"]


def test_every_signed_heatmap_uses_the_one_symmetric_range():
    signed = np.array([[1.0, -7.0], [2.0, 3.0]])
    ranges = [
        (heatmaps.token_heatmap(signed, LABELS[:2], LABELS[:2], "").layout.coloraxis, "c"),
        (block.stage_grid([(signed, "s", "signed", "d")], LABELS[:2], "", row_title="").data[0], "z"),
        (multihead.light_heatmap(signed, LABELS[:2], "").data[0], "z"),
        (positional.big_heatmap(signed, "", x_title="", y_title="", value_name="").data[0], "z"),
    ]
    for obj, p in ranges:
        assert (obj[f"{p}min"], obj[f"{p}max"], obj[f"{p}mid"]) == (-7.0, 7.0, 0.0)


def test_base_layout_merges_margins_side_by_side():
    assert base_layout("t", 100)["margin"] == MARGIN
    assert base_layout("t", 100, {"t": 70})["margin"] == {**MARGIN, "t": 70}
    fig = figure([], {"margin": {"t": 80, "l": 3}}, "T", 200)
    assert fig.layout.margin.to_plotly_json() == {"l": 3, "r": 10, "t": 80, "b": 10}
    assert fig.layout.title.text == "T" and fig.layout.height == 200
    assert multihead.head_bands(np.ones((2, 3, 2)), LABELS, "", head_name="h").layout.margin.t == 70
    assert model_views.model_grid(np.ones((1, 2, 3, 3)), "", layer_labels=["L"], head_labels=["a", "b"], hover="")\
        .layout.margin.to_plotly_json() == {**MARGIN, "t": 80}  # fmt: skip


def _every_figure():
    fk = SimpleNamespace(
        query=np.ones(2), keys=np.eye(3, 2), values=np.eye(3, 2), scores=np.ones(3), weights=W[0], output=np.zeros(2)
    )
    P = heatmaps.Panel
    return {
        "weight_bars": lambda: bars.weight_bars(W[0], LABELS, ""),
        "weighted_sum_bars": lambda: bars.weighted_sum_bars(W, W[0], LABELS, "", output_name="o"),
        "flow_diagram": lambda: block.flow_diagram(
            [("a", "input", "")] * 2, ["x"], [], "", residual_label="r", residual_on=True
        ),
        "stage_norm_lines": lambda: block.stage_norm_lines(W, LABELS, LABELS, "", mean_name="m", y_title=""),
        "norm_trajectories": lambda: block.norm_trajectories({"a": W[0]}, LABELS, "", current="a", y_title=""),
        "stage_grid": lambda: block.stage_grid([(R, "r", "signed", "d")], LABELS, "", row_title=""),
        "line_chart": lambda: curves.line_chart([1, 2, 3], [curves.Series("s", W[0])], ""),
        "paired_bars": lambda: curves.paired_bars(W[0], W[1], LABELS, "", names=("a", "b")),
        "overlaid_histograms": lambda: curves.overlaid_histograms(R.ravel(), R.ravel(), "", names=("a", "b")),
        "focus_figure": lambda: focus.focus_figure(
            fk, LABELS, ("a", "b", "c"), query_name="q", key_name="k", value_name="v", output_name="o"
        ),
        "heatmap_row": lambda: heatmaps.heatmap_row([P(R, LABELS, LABELS), P(W, LABELS, LABELS, kind="prob")]),
        "token_heatmap": lambda: heatmaps.token_heatmap(R, LABELS, LABELS, ""),
        "heatmap_blocks": lambda: heatmaps.heatmap_blocks([P(R, LABELS, LABELS)]),
        "model_grid": lambda: model_views.model_grid(
            np.ones((1, 1, 3, 3)), "", layer_labels=["L"], head_labels=["H"], hover=""
        ),
        "head_view": lambda: model_views.head_view({"h": W}, LABELS, "", colors={"h": "#000"}),
        "layer_head_heatmap": lambda: model_views.layer_head_heatmap(
            W, "", layer_labels=LABELS, head_labels=LABELS, zmax=1.0
        ),
        "head_grid": lambda: multihead.head_grid(np.stack([W, W]), LABELS, ["1", "2"], ""),
        "light_heatmap": lambda: multihead.light_heatmap(R, LABELS, ""),
        "head_bands": lambda: multihead.head_bands(np.ones((2, 3, 2)), LABELS, "", head_name="h"),
        "entropy_bars": lambda: multihead.entropy_bars(
            [1.0, 2.0], 1.5, 2.0, ["a", "b"], "", single_name="s", uniform_name="u"
        ),
        "query_focus": lambda: multihead.query_focus(W[0], W, LABELS, ["s", *LABELS], ""),
        "w_o_bands": lambda: multihead.w_o_bands(np.eye(4), 2, ""),
        "big_heatmap": lambda: positional.big_heatmap(R, "", x_title="", y_title="", value_name=""),
        "pe_curves": lambda: positional.pe_curves(R, [0, 1], [1.0, 2.0, 3.0], "", x_title="", name_template="{dim}"),
        "offset_profile": lambda: positional.offset_profile(W[0], "", x_title="", y_title=""),
        "rotation_circle": lambda: positional.rotation_circle(np.eye(4), 0, 0, 1, "", pos_name="p", shifted_name="s"),
        "wavelength_line": lambda: positional.wavelength_line([1.0, 2.0], "", x_title="", y_title=""),
        "schedule_grid": lambda: schedule.schedule_grid(np.zeros((3, 2), int), ["a", "b", "c"], ("w", "d", "r"), ""),
        "shaded_sentence": lambda: text_shading.shaded_sentence(LABELS, W[0], ""),
        "patch_overlay": lambda: vision.patch_overlay(
            np.zeros((4, 4, 3), np.uint8), np.ones((2, 2)), 2, (0, 0), "", hover_name="p"
        ),
        "patch_matrix": lambda: vision.patch_matrix(
            np.eye(4), vision.patch_labels(2, 2), 0, "", row_title="", col_title=""
        ),
        "patch_vectors": lambda: vision.patch_vectors(
            np.eye(4), vision.patch_labels(2, 2), list("abcd"), "", row_title="", col_title=""
        ),
    }


@pytest.mark.parametrize("name", sorted(_every_figure()))
def test_every_figure_carries_the_app_template_whatever_the_global_default(name, monkeypatch):
    monkeypatch.setattr(pio.templates, "default", "ggplot2")
    fig = _every_figure()[name]()
    assert (
        fig.layout.template.to_plotly_json()
        == TEMPLATE.to_plotly_json()
        == pio.templates["plotly_white"].to_plotly_json()
    )
    assert fig.layout.font.family and fig.layout.margin.l is not None  # the app's base layout


def test_importing_viz_leaves_plotlys_default_template_alone():
    # a fresh interpreter: Streamlit sets the default to its own template when it is imported
    code = "import plotly.io as pio; import viz.heatmaps; print(pio.templates.default)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "plotly"


def test_escaping_keeps_user_text_as_text():
    assert escape("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert escape(3) == "3" and escape('it\'s "q"') == 'it\'s "q"'  # quotes stay: Plotly shows them as typed
    assert safe_labels(["<i>", "猫"]) == ["&lt;i&gt;", "猫"]
    assert escape_lines("Multi-head<br>attention <script>") == "Multi-head<br>attention &lt;script&gt;"


def test_flow_diagram_escapes_every_word_but_keeps_line_breaks():
    boxes = [("Add & Norm", "norm", "<i>c</i>"), ("Multi-head<br>B<script>", "attention", "h = 2")]
    fig = block.flow_diagram(boxes, ["<b>3</b>"], [(0, 1)], "", residual_label="r<b>", residual_on=False)
    names, captions, arrows = (list(tr.text) for tr in fig.data[1:])
    assert names == ["<b>Add &amp; Norm</b>", "<b>Multi-head<br>B&lt;script&gt;</b>"]
    assert captions == ["&lt;i&gt;c&lt;/i&gt;", "h = 2"] and arrows == ["&lt;b&gt;3&lt;/b&gt;"]
    assert fig.layout.annotations[0].text == "r&lt;b&gt;"


def test_split_domain_and_thin_ticks():
    (a0, a1), (b0, b1) = split_domain([2, 1], 0.1)
    assert (
        a0 == 0 and b1 == pytest.approx(1) and b0 - a1 == pytest.approx(0.1) and a1 - a0 == pytest.approx(2 * (b1 - b0))
    )
    assert thin_ticks([str(i) for i in range(40)], 10) == {
        "tickmode": "array", "tickvals": [str(i) for i in range(0, 40, 4)], "ticktext": [str(i) for i in range(0, 40, 4)]
    }  # fmt: skip
    assert thin_ticks(["a", "b", "c"], 3, categorical=False)["tickvals"] == [0, 1, 2]


def test_the_matrices_behind_a_figure_are_the_arrays_given():
    """What a "Download data" menu offers: the panels' matrices (masked cells NaN), each head of a grid,
    the full table behind an averaged big heatmap, else each heatmap trace."""
    import plotly.graph_objects as go

    from viz.base import tables
    from viz.heatmaps import Panel, heatmap_blocks, heatmap_row
    from viz.multihead import head_grid
    from viz.positional import big_heatmap

    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, 3)), rng.normal(size=(3, 2))
    masked = np.triu(np.ones((3, 3), dtype=bool), 1)
    found = tables(heatmap_row([Panel(a, "xyz", "xyz", "A", masked=masked), Panel(b, "xyz", "pq", "B")]))
    assert [t.name for t in found] == ["A", "B"] and found[1].cols == ("p", "q")
    np.testing.assert_array_equal(found[0].z, np.where(masked, np.nan, a))
    blocks = tables(heatmap_blocks([Panel(a, "xyz", "uvw", "X"), Panel(b, "xyz", "pq", "Q")]))
    np.testing.assert_array_equal(blocks[1].z, b)
    w = rng.random(size=(4, 3, 3))
    heads = tables(head_grid(w, ["a", "b", "c"], ["h1", "h2", "h3", "h4"], "grid"))
    assert [t.name for t in heads] == ["h1", "h2", "h3", "h4"]
    np.testing.assert_array_equal(heads[2].z, w[2])
    big = rng.normal(size=(300, 40))
    (table,) = tables(big_heatmap(big, "PE", x_title="d", y_title="pos", value_name="PE"))
    assert table.z.shape == (300, 40) and table.rows == tuple(range(300))
    plain = go.Figure(go.Heatmap(z=[[1, 2]], x=["&lt;b&gt;", "q"], y=["r"]), layout={"title": {"text": "T"}})
    (table,) = tables(plain)
    assert table.name == "T" and table.cols == ("<b>", "q")


def test_projector_fonts_keep_the_matrices_behind_a_figure():
    from viz.base import enlarged_fonts, tables

    fig = figure([{"type": "heatmap", "z": np.arange(6.0).reshape(2, 3), "y": ["a", "b"]}], {}, "t", 300)
    big = enlarged_fonts(fig, 1.4)
    (table,) = tables(big)  # the copy's z is a typed-array dict: read from the original
    np.testing.assert_array_equal(table.z, np.arange(6.0).reshape(2, 3))
    assert table.rows == ("a", "b")


def test_a_dark_figure_on_a_projector_keeps_its_matrices():
    """A dark page in projector mode: the dark copy, then the larger fonts (``ui.widgets.styled``)."""
    from viz.base import enlarged_fonts, tables, themed

    fig = figure([{"type": "heatmap", "z": np.arange(6.0).reshape(2, 3), "y": ["a", "b"]}], {}, "t", 300)
    (table,) = tables(enlarged_fonts(themed(fig, "dark"), 1.4))
    np.testing.assert_array_equal(table.z, np.arange(6.0).reshape(2, 3))
    assert table.rows == ("a", "b")
