"""Figure builders of the intuition, why-scaling and attention-vs-RNN-vs-CNN pages."""

import numpy as np
import plotly.graph_objects as go
import pytest

from core.complexity import processing_schedule
from core.demos.selective_focus import NUM_WORDS, focus_2d, query_vector
from viz.curves import Series, line_chart, overlaid_histograms, paired_bars
from viz.focus import focus_figure
from viz.schedule import DONE, PENDING, REACHED, schedule_grid, schedule_states
from viz.tables import costs_table
from viz.text_shading import LINE_UNITS, layout_tokens, shaded_sentence, text_units

WORDS = ["cat", "dog", "car", "road", "<b>sleep</b>"]


def _focus_fig(angle, length):
    f = focus_2d(query_vector(angle, length))
    titles = ("keys", "values", "weights")
    fig = focus_figure(f, WORDS, titles, query_name="q", key_name="k", value_name="v", output_name="o")
    return f, fig


def test_focus_figure_has_both_planes_and_the_bars():
    f, fig = _focus_fig(30, 1.5)
    assert isinstance(fig, go.Figure)
    assert [a.text for a in fig.layout.annotations][:3] == ["keys", "values", "weights"]
    assert len(fig.layout.annotations) == 4  # three subplot titles and the query's arrow head
    # keys, query, one line per value, values, output, bars
    assert len(fig.data) == 2 + NUM_WORDS + 2 + 1
    assert "&lt;b&gt;sleep" in fig.data[0].text[4]  # user-like text is escaped
    assert fig.data[0].x.dtype == np.float32
    out = fig.data[-2]
    np.testing.assert_allclose([out.x[0], out.y[0]], f.output, atol=1e-6)
    np.testing.assert_allclose(fig.data[-1].y, f.weights, atol=1e-6)
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis2.scaleanchor == "x2"  # planes are square


def test_zero_query_draws_no_arrow_head():
    _, fig = _focus_fig(0, 0.0)
    assert len(fig.layout.annotations) == 3


def test_shaded_sentence_colours_by_weight_and_escapes_text():
    tokens = ["<script>", "猫", "sat", "$x$"]
    w = np.array([0.1, 0.6, 0.3, 0.0])
    fig = shaded_sentence(tokens, w, "title", focus=1)
    assert list(fig.data[0].text) == ["&lt;script&gt;", "猫", "sat", "$x$"]
    fills = [s.fillcolor for s in fig.layout.shapes]
    assert len(fills) == 4 and fills[1] != fills[3]
    assert fig.layout.shapes[1].line.width == 3  # the reading word is outlined
    np.testing.assert_allclose(fig.data[0].customdata, w, atol=1e-7)


def test_layout_wraps_long_sentences_and_counts_wide_characters():
    assert text_units("猫") == 2 and text_units("cat") == 3
    boxes = layout_tokens(["word"] * 40)
    assert boxes[-1][0] > 0  # several lines
    assert all(x1 <= LINE_UNITS for _, _, x1 in boxes)
    assert shaded_sentence([], np.array([]), "empty").layout.height > 0
    fig = shaded_sentence(["a" * 2000, "猫" * 50, "ok"], np.array([0.5, 0.3, 0.2]), "long")
    assert fig.data[0].text[0] == "a" * 19 + "…" and fig.data[0].text[1] == "猫" * 9 + "…"
    assert all(s.x1 <= LINE_UNITS for s in fig.layout.shapes)


def test_line_chart_log_axes_and_ticks():
    x = [1, 2, 4, 8]
    fig = line_chart(x, [Series("a", [1, 2, 3, 4]), Series("b", [4, 3, 2, 1], dash="dash")], "t",
                     log_x=True, log_y=True, marker_x=4, x_ticks=x)  # fmt: skip
    assert len(fig.data) == 2 and fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    assert list(fig.layout.xaxis.ticktext) == ["1", "2", "4", "8"]
    assert len(fig.layout.shapes) == 1  # the marker line
    assert fig.data[1].line.dash == "dash"
    fig = line_chart(x, [Series("a", [1, 2, 3, 4])], "t", guide=(2, "n = d <2>"))
    assert len(fig.layout.shapes) == 1 and fig.layout.annotations[0].text == "n = d &lt;2&gt;"


def test_paired_bars_and_histograms():
    fig = paired_bars([0.9, 0.1], [0.6, 0.4], ["k1", "k2"], "t", names=("raw", "scaled"))
    assert [d.name for d in fig.data] == ["raw", "scaled"] and fig.layout.barmode == "group"
    samples = np.random.default_rng(0).normal(size=1000)
    fig = overlaid_histograms(samples * 8, samples, "h", names=("a", "b"), bins=40)
    assert len(fig.data) == 2 and fig.layout.barmode == "overlay"
    for trace, scale in zip(fig.data, (8, 1)):
        assert len(trace.x) == 40
        np.testing.assert_allclose((trace.y * trace.width).sum(), 1.0, rtol=1e-5)  # a density integrates to 1
        assert trace.width == pytest.approx(np.ptp(samples * scale) / 40, rel=1e-6)


def test_schedule_states_and_grid():
    s = processing_schedule(9, 1, k=3)
    states = schedule_states(s)
    assert states.shape == (3, 9)
    assert (states[0] == REACHED).all()  # attention: everything after one step
    assert states[1, 0] == DONE and (states[1, 1:] == PENDING).all()
    assert (states[2, -3:] == REACHED).all() and (states[2, :-3] == DONE).all()
    assert (schedule_states(processing_schedule(9, 9))[1] == REACHED).all()
    fig = schedule_grid(states, ["A", "R", "C"], ("p", "d", "r"), "after 1")
    assert fig.data[0].z.shape == (3, 9) and len(fig.data) == 4  # grid + three legend entries


def test_costs_table():
    from core.complexity import layer_costs

    df = costs_table(layer_costs(100, 512, 3), ["att", "rnn", "cnn"], ("ops", "seq", "path"))
    assert list(df.index) == ["att", "rnn", "cnn"]
    assert df.loc["rnn", "seq"] == "100" and df.loc["cnn", "path"] == "5"
    assert df.loc["att", "ops"] == "5,120,000"
