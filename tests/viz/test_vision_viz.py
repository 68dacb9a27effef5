"""viz.vision: the overlay sits on the image, every patch has a clickable marker, the query is outlined."""

import numpy as np

from viz.vision import patch_labels, patch_matrix, patch_overlay, patch_vectors


def test_overlay_layers_and_click_targets():
    image = np.zeros((64, 96, 3), dtype=np.uint8)
    weights = np.arange(6, dtype=float).reshape(2, 3) / 15
    fig = patch_overlay(image, weights, 32, (1, 2), "where", hover_name="patch")
    assert fig.data[0].source.startswith("data:image/png;base64,")  # a small PNG, not every pixel as JSON
    kinds = [tr.type for tr in fig.data]
    assert kinds == ["image", "heatmap", "scatter", "scatter"]
    heat, grid, marks = fig.data[1], fig.data[2], fig.data[3]
    # the grid: one line trace, a segment per inner border (2 vertical, 1 horizontal), never a click target
    assert grid.mode == "lines" and grid.hoverinfo == "skip" and len(grid.x) == 3 * 3
    assert list(grid.x[:2]) == [32, 32] and list(grid.y[-3:-1]) == [32, 32]
    assert np.allclose(heat.z, weights) and list(heat.x) == [16, 48, 80] and list(heat.y) == [16, 48]
    assert len(marks.x) == 6 and [list(c[:2]) for c in marks.customdata][5] == [1, 2]
    query = fig.layout.shapes[-1]
    assert (query.x0, query.x1, query.y0, query.y1) == (64, 96, 32, 64)
    assert fig.layout.clickmode == "event+select"


def test_matrix_outlines_the_query_row_and_thins_ticks():
    labels = patch_labels(10, 10)
    assert labels[:3] == ["0,0", "0,1", "0,2"] and len(labels) == 100
    w = np.full((100, 100), 0.01)
    fig = patch_matrix(w, labels, 42, "all", row_title="q", col_title="k")
    row = fig.layout.shapes[-1]
    assert (row.y0, row.y1) == (41.5, 42.5)
    assert len(fig.layout.yaxis.tickvals) <= 13 and fig.layout.yaxis.tickvals[1] == "0,8"
    # upright key labels, few enough to stand side by side in half a projector's column
    assert fig.layout.xaxis.tickangle == 0 and len(fig.layout.xaxis.tickvals) <= 7
    assert fig.data[0].z.dtype == np.float32 and fig.data[0].customdata is None
    assert fig.layout.xaxis.type == fig.layout.yaxis.type == "category"  # "1,4" is a label, not 14


def test_patch_vectors_shape():
    X = np.random.default_rng(0).standard_normal((12, 14))
    fig = patch_vectors(X, patch_labels(3, 4), [f"f{k}" for k in range(14)], "X", row_title="p", col_title="d")
    assert fig.data[-1].z.shape == (12, 14)
