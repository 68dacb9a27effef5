"""Model views: the right cells in the right blocks, user text escaped, lines only where weights are."""

from __future__ import annotations

import numpy as np
import pytest

from core.attention import softmax
from viz.model_views import LINE_BINS, head_view, layer_head_heatmap, model_grid

TOKENS = ["[CLS]", "<b>x</b>", "it", "[SEP]"]
LAYERS, HEADS = ["layer 1", "layer 2"], ["head 1", "head 2", "head 3"]


def weights(seed=0, layers=2, heads=3, n=4):
    return softmax(np.random.default_rng(seed).normal(size=(layers, heads, n, n)) * 2, axis=-1)


def test_model_grid_places_each_head_in_its_block_with_blank_gaps():
    A = weights()
    hover = "L%{customdata[0]} H%{customdata[1]} %{customdata[2]}→%{customdata[3]}"
    fig = model_grid(A, "grid", layer_labels=LAYERS, head_labels=HEADS, hover=hover, highlight=(1, 2))
    z = np.asarray(fig.data[0].z, dtype=np.float64)
    assert z.shape == (2 * 5 - 1, 3 * 5 - 1)
    np.testing.assert_allclose(z[5:9, 10:14], A[1, 2], atol=1e-6)
    assert np.isnan(z[4]).all() and np.isnan(z[:, 4]).all()
    custom = np.asarray(fig.data[0].customdata)
    assert custom.shape == (*z.shape, 4)
    assert custom[5, 11].tolist() == [2, 3, 0, 1]  # layer 2, head 3, query 0 → key 1
    assert fig.data[0].hovertemplate == hover
    assert list(fig.layout.xaxis.ticktext) == HEADS and list(fig.layout.yaxis.ticktext) == LAYERS
    rect = fig.layout.shapes[0]
    assert (rect.x0, rect.y0) == (9.5, 4.5)


def test_a_dozen_head_names_stand_upright_on_two_lines():
    """12 heads (MiniLM): slanted names ran into the title on a projector; "head 10" becomes "head<br>10"."""
    names = [f"head {i}" for i in range(1, 13)]
    fig = model_grid(weights(heads=12), "grid", layer_labels=LAYERS, head_labels=names, hover="")
    assert fig.layout.xaxis.tickangle == 0 and fig.layout.xaxis.ticktext[9] == "head<br>10"
    assert fig.layout.margin.t == 104 and fig.layout.title.yanchor == "middle"
    assert fig.layout.height * (1 - fig.layout.title.y) == pytest.approx(34)  # near the top, above the names
    few = model_grid(weights(), "grid", layer_labels=LAYERS, head_labels=HEADS, hover="")
    assert list(few.layout.xaxis.ticktext) == HEADS and few.layout.margin.t == 80


def test_head_view_draws_one_segment_per_visible_weight():
    W = np.array([[0.97, 0.01, 0.01, 0.01], [0.5, 0.5, 0, 0], [0.25] * 4, [0, 0, 0, 1.0]])
    fig = head_view({"L1·H1": W}, TOKENS, "lines", colors={"L1·H1": "#0072B2"})
    lines = [tr for tr in fig.data if tr.mode == "lines" and tr.x[0] is not None]
    segments = sum(list(tr.x).count(None) for tr in lines)
    assert segments == int((W >= 0.02).sum())
    assert len(lines) <= LINE_BINS
    widths = {tr.line.width for tr in lines}
    heaviest = max(lines, key=lambda tr: tr.line.width)
    assert max(widths) == heaviest.line.width and 0.97 in [
        round(float(s.split("= ")[-1]), 2) for s in heaviest.hovertext if s
    ]
    labels = [tr for tr in fig.data if tr.mode == "text"]
    assert list(labels[0].text)[1] == "&lt;b&gt;x&lt;/b&gt;"


def test_head_view_query_filter_and_overlay():
    A = weights(n=4)[0]
    fig = head_view(
        {"L1·H1": A[0], "L1·H2": A[1]}, TOKENS, "lines", colors={"L1·H1": "#0072B2", "L1·H2": "#E69F00"}, query=2
    )
    lines = [tr for tr in fig.data if tr.mode == "lines" and tr.x[0] is not None]
    assert {tr.line.color for tr in lines} == {"#0072B2", "#E69F00"}
    starts = {y for tr in lines for y in list(tr.y)[0::3]}
    assert starts == {2.0}  # every line leaves the chosen query token


def test_layer_head_heatmap_keeps_values_and_scale():
    values = np.arange(6, dtype=float).reshape(2, 3) / 2
    fig = layer_head_heatmap(values, "entropy", layer_labels=LAYERS, head_labels=HEADS, zmax=2.0, unit="bits")
    np.testing.assert_allclose(np.asarray(fig.data[0].z), values)
    assert fig.data[0].zmax == 2.0 and list(fig.data[0].y) == LAYERS
