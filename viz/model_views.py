"""Views of a trained model's attention: all heads at once, BertViz-style lines, layer × head grids."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.base import SMALL_SIZE, Table, figure, safe_labels, tick_labels, with_tables

LINE_BINS = 8  # lines are grouped into this many weight bins: one Plotly trace per bin, not per line


def _tile_layers(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A (L, h, n, n) as one image of L × h blocks with one blank (NaN) row/column between blocks, and
    per cell the int16 [layer, head, query, key] (1-based layer and head)."""
    L, h, n, _ = A.shape
    step = n + 1
    z = np.full((L * step - 1, h * step - 1), np.nan)
    custom = np.zeros((*z.shape, 4), dtype=np.int16)  # (rows, cols, [layer, head, query, key])
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    for layer in range(L):
        for head in range(h):
            block = (slice(layer * step, layer * step + n), slice(head * step, head * step + n))
            z[block] = A[layer, head]
            custom[block] = np.stack([np.full_like(i, layer + 1), np.full_like(i, head + 1), i, j], axis=-1)
    return z, custom


TITLE_CENTRE_PX = 34  # from the figure's top edge to the middle of its title (two lines at most)


def model_grid(
    weights: np.ndarray,
    title: str,
    *,
    layer_labels: Sequence[str],
    head_labels: Sequence[str],
    hover: str,
    highlight: tuple[int, int] | None = None,
    block_height: int = 80,
) -> go.Figure:
    """Every head's n × n attention matrix in one picture: layers down, heads across.

    weights (L, h, n, n), the attention weights of every head, is drawn as a single heatmap with a
    blank row/column between blocks (one trace instead of L·h subplots keeps the browser fast). highlight=(layer, head) frames one block;
    block_height: pixels per layer.
    hover: a Plotly hovertemplate over customdata [layer, head, query, key] (1-based layer/head,
    0-based token positions as in the other views); numbers, not strings, so the figure stays small
    enough to redraw quickly.
    """
    A = np.asarray(weights, dtype=np.float64)
    L, h, n, _ = A.shape
    step = n + 1  # one blank cell between blocks
    z, custom = _tile_layers(A)
    trace = {
        "type": "heatmap", "z": z.astype(np.float32), "zmin": 0.0, "zmax": 1.0, "colorscale": palette.WEIGHTS_SCALE,
        "customdata": custom, "hovertemplate": hover, "hoverongaps": False, "colorbar": {"thickness": 12, "len": 0.9},
    }  # fmt: skip
    centre = (n - 1) / 2
    # more than 8 heads: each name upright on two lines ("head" over "10"); Plotly would slant a dozen names
    # on a 1024-pixel projector, up into the figure's title
    two_lines = h > 8
    names = [s.replace(" ", "<br>", 1) if two_lines else s for s in safe_labels(head_labels)]
    layout = {
        "xaxis": {
            "tickmode": "array", "tickvals": [head * step + centre for head in range(h)], "ticktext": names,
            "tickangle": 0, "side": "top", "showgrid": False, "zeroline": False,
        },
        "yaxis": {
            "tickmode": "array", "tickvals": [layer * step + centre for layer in range(L)],
            "ticktext": safe_labels(layer_labels), "autorange": "reversed", "showgrid": False, "zeroline": False,
            "scaleanchor": "x",
        },
        "margin": {"t": 104 if two_lines else 80},  # room for the head names on top
    }  # fmt: skip
    if highlight is not None:
        layer, head = highlight
        layout["shapes"] = [
            {"type": "rect", "x0": head * step - 0.5, "x1": head * step + n - 0.5, "y0": layer * step - 0.5,
             "y1": layer * step + n - 0.5, "line": {"color": palette.ACCENT, "width": 3}}
        ]  # fmt: skip
    positions = tuple(range(n))  # each head's matrix for downloads, by token position
    tables = [
        Table(f"{layer_labels[layer]} · {head_labels[head]}", A[layer, head], positions, positions)
        for layer in range(L)
        for head in range(h)
    ]
    fig = figure([trace], layout, title, block_height * L + 110)
    if two_lines:  # the title near the top, the two-line names under it (by default it sits lower, on them)
        fig.layout.title.update(y=1 - TITLE_CENTRE_PX / fig.layout.height, yref="container", yanchor="middle")
    return with_tables(fig, tables)


def _head_lines(name: str, W: np.ndarray, labels: list[str], rows, color: str, edges: np.ndarray) -> list[dict]:
    """One line trace per weight bin of head ``name`` (W: (n, n)): query i on the left to key j on the
    right; width and opacity grow with the bin's weight."""
    y = np.arange(len(labels), dtype=np.float64)
    traces = []
    for b in range(LINE_BINS):
        lo, hi = edges[b], edges[b + 1]
        xs, ys, hover = [], [], []
        for i in rows:
            for j in np.nonzero((W[i] >= lo) & ((W[i] < hi) | (b == LINE_BINS - 1)))[0]:
                xs += [0.0, 1.0, None]
                ys += [y[i], y[j], None]
                text = f"{html.escape(name)}: {labels[i]} → {labels[j]} = {W[i, j]:.3f}"
                hover += [text, text, None]
        if not xs:
            continue
        mid = (lo + hi) / 2
        traces.append(
            {"type": "scatter", "x": xs, "y": ys, "mode": "lines", "line": {"color": color, "width": 0.5 + 7 * mid},
             "opacity": 0.15 + 0.85 * mid, "hovertext": hover, "hoverinfo": "text", "name": name, "legendgroup": name,
             "showlegend": False}
        )  # fmt: skip
    return traces


def head_view(
    weights: dict[str, np.ndarray],
    tokens: Sequence[str],
    title: str,
    *,
    colors: dict[str, str],
    query: int | None = None,
    min_weight: float = 0.02,
) -> go.Figure:
    """BertViz's head view: queries on the left, keys on the right, one line per weight.

    weights: {head name: (n, n) softmax weights}; line width and opacity grow with the weight, each head
    in its own colour so several heads can be overlaid. query: draw only that token's lines.
    Weights below ``min_weight`` are not drawn (they would only add grey haze).
    """
    labels, shown = safe_labels(tokens), tick_labels(tokens)  # lines name the full token on hover
    n = len(labels)
    edges = np.linspace(min_weight, 1.0, LINE_BINS + 1)
    rows = range(n) if query is None else [query]
    data = []
    for name, W in weights.items():
        data += _head_lines(name, np.asarray(W, dtype=np.float64), labels, rows, colors[name], edges)
        # one legend entry per head, independent of which bins have lines
        data.append(
            {"type": "scatter", "x": [None], "y": [None], "mode": "lines", "line": {"color": colors[name], "width": 4},
             "name": name}
        )  # fmt: skip
    faded = [query is not None and i != query for i in range(n)]
    for x, side in ((-0.03, "left"), (1.03, "right")):  # text to the left of the left column, right of the right
        data.append(
            {"type": "scatter", "x": [x] * n, "y": np.arange(n, dtype=np.float64), "mode": "text", "text": shown,
             "textposition": f"middle {side}", "hoverinfo": "skip", "showlegend": False,
             "textfont": {"color": ["#999" if f and x < 0 else palette.INK for f in faded], "size": 13}}
        )  # fmt: skip
    layout = {
        "xaxis": {"visible": False, "range": [-0.75, 1.75]},
        "yaxis": {"visible": False, "autorange": "reversed"},
        "legend": {"orientation": "h", "y": -0.02, "x": 0.5, "xanchor": "center"},
    }
    return figure(data, layout, title, max(300, 24 * n + 110))


def layer_head_heatmap(
    values: np.ndarray,
    title: str,
    *,
    layer_labels: Sequence[str],
    head_labels: Sequence[str],
    zmax: float,
    unit: str = "",
    highlight: tuple[int, int] | None = None,
) -> go.Figure:
    """A (L, h) grid of one number per head, e.g. its attention entropy; values printed in the cells."""
    z = np.asarray(values, dtype=np.float64)
    L = z.shape[0]
    trace = {
        "type": "heatmap", "z": z.astype(np.float32), "x": [html.escape(s) for s in head_labels],
        "y": [html.escape(s) for s in layer_labels], "zmin": 0.0, "zmax": zmax, "colorscale": "Cividis",
        "text": np.char.mod("%.2f", z), "texttemplate": "%{text}", "textfont": {"size": SMALL_SIZE - 1},
        "hovertemplate": f"%{{y}} · %{{x}}: %{{z:.3f}} {html.escape(unit)}<extra></extra>",
        "colorbar": {"thickness": 12, "len": 0.9, "title": {"text": html.escape(unit)}},
    }  # fmt: skip
    layout = {"yaxis": {"autorange": "reversed", "showgrid": False}, "xaxis": {"showgrid": False}}
    if highlight is not None:
        i, j = highlight
        layout["shapes"] = [
            {"type": "rect", "x0": j - 0.5, "x1": j + 0.5, "y0": i - 0.5, "y1": i + 0.5,
             "line": {"color": palette.ACCENT, "width": 3}}
        ]  # fmt: skip
    return figure([trace], layout, title, 40 * L + 130)
