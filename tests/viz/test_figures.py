"""Figure builders: the right traces, labels kept apart, user text escaped, masked cells marked."""

import numpy as np
import pytest

from core.demos.scaled_dot_product import ToyConfig, toy_attention, trace_cell
from ui import latex
from viz.bars import weight_bars, weighted_sum_bars
from viz.base import safe_labels
from viz.heatmaps import MASKED_TEXT, TEXT_MARKS_MAX, Panel, heatmap_blocks, heatmap_row, token_heatmap

LABELS = ["0 · the", "1 · cat", "2 · the"]


def test_token_heatmap_keeps_repeated_tokens_apart_and_escapes_html():
    fig = token_heatmap(np.eye(3), ["the", "<b>x</b>", "the"], ["a", "b", "c"], "T")
    hm = fig.data[0]
    assert list(fig.layout.yaxis.ticktext) == ["the", "&lt;b&gt;x&lt;/b&gt;", "the"]
    assert list(fig.layout.yaxis.tickvals) == [0, 1, 2]  # positions, so the two "the" stay two rows
    assert hm.z.dtype == np.float32
    assert fig.layout.coloraxis.cmid == 0


def test_masked_cells_are_grey_holes_with_minus_infinity():
    z = np.arange(9.0).reshape(3, 3)
    masked = ~np.tril(np.ones((3, 3), bool))
    fig = token_heatmap(z, LABELS, LABELS, "M", masked=masked, show_text=True)
    underlay, values, marks = fig.data
    assert np.isnan(values.z[0, 1]) and values.z[1, 0] == 3
    assert not np.isnan(underlay.z[0, 1]) and np.isnan(underlay.z[1, 0])
    assert list(marks.text) == [MASKED_TEXT] * 3


def test_heatmap_row_shares_a_scale_per_kind():
    a, b = np.full((3, 3), 4.0), np.full((3, 3), -1.0)
    w = np.full((3, 3), 1 / 3)
    fig = heatmap_row(
        [Panel(a, LABELS, LABELS, "S"), Panel(b, LABELS, LABELS, "S'"), Panel(w, LABELS, LABELS, "W", "prob")]
    )
    assert [d.coloraxis for d in fig.data] == ["coloraxis", "coloraxis", "coloraxis2"]
    assert fig.layout.coloraxis.cmax == 4.0 and fig.layout.coloraxis.cmin == -4.0
    assert (fig.layout.coloraxis2.cmin, fig.layout.coloraxis2.cmax) == (0.0, 1.0)
    assert [a.text for a in fig.layout.annotations] == ["S", "S'", "W"]


def test_heatmap_row_panels_get_their_own_axes_and_domains():
    fig = heatmap_row(
        [Panel(np.ones((3, 4)), LABELS, range(4), "A"), Panel(np.ones((3, 2)), LABELS, range(2), "B")],
        widths=[4, 2],
        highlight=(1, 0),
    )
    assert [(d.xaxis, d.yaxis) for d in fig.data] == [("x", "y"), ("x2", "y2")]
    (a0, a1), (b0, b1) = fig.layout.xaxis.domain, fig.layout.xaxis2.domain
    assert a0 == 0 and b1 == pytest.approx(1) and b0 - a1 == pytest.approx(0.1)
    assert (a1 - a0) == pytest.approx(2 * (b1 - b0))  # widths 4 : 2
    assert fig.layout.yaxis.showticklabels and not fig.layout.yaxis2.showticklabels  # shared rows: once
    assert [s.xref for s in fig.layout.shapes] == ["x", "x2"] and fig.layout.shapes[0].x0 == -0.5


def test_heatmap_blocks_is_one_trace_with_blank_columns_between_blocks():
    X, Q = np.arange(6.0).reshape(3, 2) - 5, np.ones((3, 3))
    fig = heatmap_blocks(
        [
            Panel(X, ["a", "<b>", "a"], range(2), "X", row_title="token", col_title="dim"),
            Panel(Q, LABELS, range(3), "Q"),
        ]
    )
    (hm,) = fig.data
    assert hm.z.dtype == np.float32 and hm.z.shape == (3, 2 + 1 + 3)
    assert np.isnan(hm.z[:, 2]).all() and hm.z[1, 1] == -2 and hm.z[0, 3] == 1
    assert list(fig.layout.xaxis.tickvals) == [0.5, 4.0] and list(fig.layout.xaxis.ticktext) == ["X", "Q"]
    assert list(fig.layout.yaxis.ticktext) == ["a", "&lt;b&gt;", "a"]  # positions, escaped
    assert list(hm.customdata[1, 4]) == ["&lt;b&gt;", "Q", "1"]  # row, block, column of the cell
    assert fig.layout.coloraxis.cmin == -5 and fig.layout.coloraxis.cmax == 5  # symmetric around 0
    assert hm.hoverongaps is False
    with_text = heatmap_blocks([Panel(X, LABELS, range(2), "X")], show_text=True).data[0]
    assert with_text.texttemplate == "%{text}" and with_text.text[0][0] == "-5.00"
    with pytest.raises(ValueError, match="one colour scale"):
        heatmap_blocks([Panel(X, LABELS, range(2)), Panel(np.ones((3, 3)) / 3, LABELS, range(3), kind="prob")])
    with pytest.raises(ValueError, match="same number of rows"):
        heatmap_blocks([Panel(X, LABELS, range(2)), Panel(np.ones((2, 2)), LABELS[:2], range(2))])


def test_text_only_when_asked_or_small():
    small = token_heatmap(np.ones((3, 3)), LABELS, LABELS, "")
    big = token_heatmap(np.ones((40, 40)), range(40), range(40), "")
    assert small.data[0].texttemplate == "%{text}" and big.data[0].texttemplate is None
    assert token_heatmap(np.ones((3, 3)), LABELS, LABELS, "", show_text=False).data[0].texttemplate is None


def test_bars():
    fig = weight_bars([0.2, 0.8, 0.0], LABELS, "w", highlight=1, masked=[False, False, True])
    assert list(fig.data[0].y) == [np.float32(0.2), np.float32(0.8), 0.0]
    assert fig.data[0].marker.pattern.shape[2] == "/"
    contributions = np.array([[1.0, -2.0], [0.5, 1.0], [2.0, 0.0]])  # (n keys, d) rows w_j · v_j
    fig = weighted_sum_bars(contributions, contributions.sum(axis=0), LABELS, "sum", output_name="output")
    assert len(fig.data) == 4 and fig.layout.barmode == "relative"
    stacked = np.sum([bar.y for bar in fig.data[:3]], axis=0)  # the stacked bars end where the marker sits
    assert np.allclose(stacked, fig.data[3].y) and np.allclose(fig.data[3].y, [3.5, -1.0])


def test_trace_latex_uses_the_numbers():
    run = toy_attention(["a", "b", "c"], ToyConfig(d_k=8))
    cell = trace_cell(run, 1, 2)
    dot = latex.dot_product(cell, run.Q[1], run.K[2])
    assert r"\cdots" in dot and f"{cell.score:.4f}".lstrip("-") in dot
    assert r"\sqrt{8}" in latex.scaling(cell, run.result.scale, 1.0, 8)
    assert f"{cell.weight:.4f}" in latex.softmax_step(cell)
    assert latex.num(-1.5) == "(-1.500)"


def test_safe_labels():
    assert safe_labels(["<a href='x'>", "&"]) == ["&lt;a href='x'&gt;", "&amp;"]


def test_masked_cells_too_narrow_for_the_text_get_a_cross():
    """The default sentence's 12 masked scores beside its 12 weights: "−∞" would run from cell to cell (it
    did at 1024 and 1440 pixels), so a cross marks them; one panel keeps the text up to TEXT_MARKS_MAX cells a
    side (12 ran together at projector mode's larger type)."""
    n = 12
    labels = [str(i) for i in range(n)]
    masked = np.triu(np.ones((n, n), dtype=bool), k=1)
    z = np.where(masked, 0.0, 1.0)
    panels = [Panel(z, labels, labels, "S", masked=masked), Panel(z, labels, labels, "W", "prob")]
    pair = heatmap_row(panels, show_text=False)  # as the page draws it: numbers in the cells are a choice
    marks = [d for d in pair.data if d.type == "scatter"]
    assert len(marks) == 1 and marks[0].mode == "markers" and marks[0].marker.symbol == "x-thin"
    alone = token_heatmap(z, labels, labels, "S", masked=masked, show_text=False)
    assert alone.data[-1].mode == "markers"
    m = TEXT_MARKS_MAX
    small = token_heatmap(z[:m, :m], labels[:m], labels[:m], "S", masked=masked[:m, :m], show_text=False)
    assert small.data[-1].mode == "text" and set(small.data[-1].text) == {MASKED_TEXT}
