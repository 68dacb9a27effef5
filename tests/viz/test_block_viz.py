"""viz.block: the flow diagram and the norm figures carry the data and labels they are given."""

import numpy as np

from viz.block import flow_diagram, norm_trajectories, stage_norm_lines


def test_flow_diagram_has_a_box_per_stage_and_labelled_arrows():
    boxes = [("A", "input", "a"), ("B<script>", "attention", "b"), ("C", "norm", "c"), ("D", "ffn", "d")]
    fig = flow_diagram(boxes, ["(3,)", "3 × 8", "3 × 8"], [(0, 2)], "flow", residual_label="res", residual_on=True)
    texts = [a.text for a in fig.layout.annotations] + [s for tr in fig.data if tr.text for s in tr.text]
    assert len(fig.layout.shapes) == 4
    assert "3 × 8" in texts and "(3,)" in texts and "res" in texts and "<b>B&lt;script&gt;</b>" in texts
    assert not any("<script>" in s for s in texts)  # box names are escaped
    assert sum(bool(a.showarrow) for a in fig.layout.annotations) == 3
    assert fig.data[0].line.dash == "solid"
    off = flow_diagram(boxes, ["x"] * 3, [(0, 2)], "flow", residual_label="off", residual_on=False)
    assert off.data[0].line.dash == "dot"


def test_stage_norm_lines_one_line_per_token_plus_mean():
    norms = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    fig = stage_norm_lines(norms, ["0 · a", "1 · <b>"], ["s1", "s2", "s3"], "t", mean_name="mean", y_title="‖x‖")
    assert len(fig.data) == 3
    assert fig.data[1].name == "1 · &lt;b&gt;"  # user text escaped for Plotly
    assert np.allclose(fig.data[-1].y, [2, 2, 2]) and fig.data[-1].name == "mean"
    assert fig.data[0].y.dtype == np.float32


def test_norm_trajectories_highlights_the_current_setting_on_a_log_axis():
    curves = {"both": np.ones(7), "none": np.arange(1, 8, dtype=float)}
    fig = norm_trajectories(curves, [f"s{k}" for k in range(7)], "stack", current="none", y_title="y")
    assert fig.layout.yaxis.type == "log"
    widths = {tr.name: tr.line.width for tr in fig.data}
    assert widths["none"] > widths["both"]
    assert list(fig.data[1].y) == list(range(1, 8))


def test_stage_grid_one_heatmap_per_panel():
    from viz.block import stage_grid

    rng = np.random.default_rng(0)
    panels = [(rng.standard_normal((3, 4)), "X (3 × 4)", "signed", "dim"), (np.full((3, 3), 1 / 3), "w", "prob", "key")]
    fig = stage_grid(panels, ["0 · a", "1 · b", "2 · <i>"], "all", row_title="token")
    assert [tr.type for tr in fig.data] == ["heatmap", "heatmap"]
    assert fig.data[1].zmax == 1.0 and fig.data[0].zmid == 0.0
    assert fig.data[0].zmax == np.float32(np.abs(panels[0][0]).max())
    assert [a.text for a in fig.layout.annotations] == ["X (3 × 4)", "w"]
    assert "2 · &lt;i&gt;" in fig.layout.yaxis.ticktext


def test_gradient_lines_one_line_per_setting_on_a_log_axis_with_a_line_at_one():
    from viz.block import gradient_lines

    curves = {"both": np.array([0.9, 1.0, 1.0]), "<none>": np.array([0.01, 0.1, 1.0])}
    fig = gradient_lines(curves, ["X", "1", "2"], "grad", current="both", y_title="y", x_title="x")
    assert fig.layout.yaxis.type == "log"
    assert [tr.name for tr in fig.data] == ["both", "&lt;none&gt;"]
    assert fig.data[0].line.width > fig.data[1].line.width
    assert list(fig.layout.xaxis.ticktext) == ["X", "1", "2"]
    assert fig.layout.shapes[0].y0 == 1 and fig.data[1].y.dtype == np.float32
