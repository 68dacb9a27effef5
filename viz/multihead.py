"""Figures for multi-head attention: small multiples of heads, head bands, entropy bars."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.base import SMALL_SIZE, Table, color_range, figure, safe_labels, tick_labels, with_tables
from viz.heatmaps import Panel, heatmap_row_parts

MAX_TICK_TOKENS = 24  # beyond this many tokens per small multiple, labels only on hover
ROW_PX_PER_TOKEN = 18  # height of a query name beside the first row of blocks


HEAD_COLORS = tuple(c for c in palette.CATEGORICAL if c != "#F0E442")  # yellow is unreadable as text on white


def head_color(i: int) -> str:
    """One colour per head, the same in every figure of the page."""
    return HEAD_COLORS[i % len(HEAD_COLORS)]


def _hline(y: float, line: dict) -> dict:
    """A horizontal line across the plot at data height ``y`` (what ``fig.add_hline`` adds)."""
    return {"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": y, "y1": y, "yref": "y", "line": line}


def grid_shape(num_heads: int) -> tuple[int, int]:
    """(rows, cols) of the small-multiples grid: 4 across up to 16 heads, 8 across beyond."""
    cols = min(num_heads, 4 if num_heads <= 16 else 8)
    return -(-num_heads // cols), cols


def _tiled_heads(w: np.ndarray, blocked: np.ndarray | None, origins: list[tuple[int, int]], shape: tuple[int, int]):
    """The (h, n_q, n_k) weights tiled into one image of ``shape`` (NaN between blocks), head i's block
    starting at ``origins[i]``, and the image of blocked cells (1.0 there, NaN elsewhere)."""
    _, n_q, n_k = w.shape
    Z = np.full(shape, np.nan, dtype=np.float32)
    grey = np.full_like(Z, np.nan)
    for i, (y0, x0) in enumerate(origins):
        block = (slice(y0, y0 + n_q), slice(x0, x0 + n_k))
        Z[block] = w[i] if blocked is None else np.where(blocked, np.nan, w[i])
        if blocked is not None:
            grey[block] = np.where(blocked, 1.0, np.nan)
    return Z, grey


def _head_hover(
    shape: tuple[int, int],
    origins: list[tuple[int, int]],
    labels: list[str],
    heads: Sequence[str],
    titles: tuple[str, str],
) -> np.ndarray:
    """Per-cell hover text of the tiled image: head, query and key (labels already escaped)."""
    hover = np.full(shape, "", dtype=object)
    q_title, k_title = (html.escape(t) for t in titles)
    n = len(labels)
    for head, (y0, x0) in zip(heads, origins):
        name = html.escape(head)
        hover[y0 : y0 + n, x0 : x0 + n] = [
            [f"{name}<br>{q_title}: {q}<br>{k_title}: {k}" for k in labels] for q in labels
        ]
    return hover


def head_grid(
    weights: np.ndarray,
    labels: Sequence,
    head_titles: Sequence[str],
    title: str,
    *,
    q_title: str = "",
    k_title: str = "",
    masked: np.ndarray | None = None,
) -> go.Figure:
    """Small multiples: one (n_q, n_k) weight heatmap per head, one colour scale shared by all (0 … max).

    weights: (h, n_q, n_k). masked: (n_q, n_k) bool, True where blocked (drawn grey).
    The heads are tiled into ONE heatmap with blank rows and columns between them: a browser
    draws one image much faster than h subplots with h pairs of axes, and a slider move redraws it.
    Query names beside the first row of blocks; hover names head, query and key.
    """
    w = np.asarray(weights, dtype=np.float32)
    h, n_q, n_k = w.shape
    rows, cols = grid_shape(h)
    gap_x, gap_y = 1, 2  # blank cells between blocks; the row gap holds the head titles
    step_x, step_y = n_k + gap_x, n_q + gap_y
    shape = (rows * step_y - gap_y, cols * step_x - gap_x)
    origins = [(i // cols * step_y, i % cols * step_x) for i in range(h)]
    blocked = None if masked is None else np.asarray(masked, dtype=bool)
    Z, grey = _tiled_heads(w, blocked, origins, shape)
    lab = safe_labels(labels)
    small = h * n_q * n_k <= 8192  # per-cell hover text only while it stays a small payload
    annotations = [
        {"text": html.escape(head_titles[i]), "x": x0 + (n_k - 1) / 2, "y": y0 - 0.5, "yanchor": "bottom",
         "showarrow": False, "font": {"size": 12, "color": head_color(i)}}
        for i, (y0, x0) in enumerate(origins)
    ]  # fmt: skip
    data = []
    if blocked is not None and blocked.any():
        data.append(
            {"type": "heatmap", "z": grey, "colorscale": [[0, palette.MASKED_COLOR], [1, palette.MASKED_COLOR]],
             "showscale": False, "hoverinfo": "skip"}
        )  # fmt: skip
    data.append(
        {
            "type": "heatmap", "z": Z, "zmin": 0.0, "zmax": float(np.nanmax(Z)) if np.isfinite(Z).any() else 1.0,
            "colorscale": palette.WEIGHTS_SCALE, "colorbar": {"thickness": 12}, "hoverongaps": False,
            "text": _head_hover(shape, origins, lab, head_titles, (q_title, k_title)) if small else None,
            "hovertemplate": "%{text}<br>%{z:.4f}<extra></extra>" if small else "%{z:.4f}<extra></extra>",
        }
    )  # fmt: skip
    # token names on the first row of blocks only: the browser measures every tick label on each
    # redraw, and many rotated key labels are slow to lay out; keys run in the same order as the query rows
    show_ticks = n_q <= MAX_TICK_TOKENS
    layout = {
        "xaxis": {"showticklabels": False, "showgrid": False, "zeroline": False},
        "yaxis": {
            "tickmode": "array", "tickvals": list(range(n_q)) if show_ticks else [], "ticktext": tick_labels(labels),
            "autorange": "reversed", "showgrid": False, "zeroline": False, "showticklabels": show_ticks,
            "range": [Z.shape[0] - 0.5, -2.5],
        },
        "annotations": annotations,
    }  # fmt: skip
    # a block row tall enough for its query names one above the other (18 px each: 15 tokens in a 230-pixel
    # row ran together, worse at projector mode's larger type)
    row_px = max(230 if cols <= 4 else 130, ROW_PX_PER_TOKEN * n_q + 40 if show_ticks else 0)
    fig = figure(data, layout, title, row_px * rows + 70)
    full = np.asarray(weights, dtype=np.float64)  # each head's matrix for downloads, not the tiled picture
    return with_tables(fig, [Table(head_titles[i], full[i], tuple(labels), tuple(labels)) for i in range(h)])


def _light_parts(z: np.ndarray, row_labels: Sequence, *, row_title: str, col_title: str) -> tuple[dict, dict]:
    """The trace and layout of ``light_heatmap``."""
    z = np.asarray(z, dtype=np.float32)
    n_rows = z.shape[0]
    rows = safe_labels(row_labels)
    trace = {
        "type": "heatmap", "z": z, "y": rows if len(set(rows)) == n_rows else None, **color_range("signed", z),
        "hovertemplate": (
            f"{html.escape(row_title)}: %{{y}}<br>{html.escape(col_title)}: %{{x}}<br>%{{z:.4f}}<extra></extra>"
        ),
        "colorbar": {"thickness": 12, "len": 0.9},
    }  # fmt: skip
    layout = {
        "xaxis": {"title": {"text": col_title}, "showgrid": False, "nticks": 16},
        "yaxis": {
            "title": {"text": row_title}, "autorange": "reversed", "showgrid": False,
            "type": "category" if n_rows <= 64 else None,
            **({"tickmode": "array", "tickvals": rows, "ticktext": tick_labels(row_labels)} if trace["y"] else {}),
        },
    }  # fmt: skip
    return trace, layout


def light_heatmap(
    z: np.ndarray,
    row_labels: Sequence,
    title: str,
    *,
    row_title: str = "",
    col_title: str = "",
    height: int | None = None,
) -> go.Figure:
    """A signed heatmap of a wide matrix (n × d_model, d_model × d_model) without per-cell text or
    customdata: hover shows row, column and value; columns get automatic numeric ticks."""
    trace, layout = _light_parts(z, row_labels, row_title=row_title, col_title=col_title)
    return figure([trace], layout, title, height or max(260, 28 * np.shape(z)[0] + 120))


def head_bands(
    per_head: np.ndarray,
    labels: Sequence,
    title: str,
    *,
    head_name: str,
    row_title: str = "",
    col_title: str = "",
) -> go.Figure:
    """Per-head blocks (h, n, d_k) laid side by side as one (n, h·d_k) heatmap, each head's columns outlined."""
    H = np.asarray(per_head)
    num_heads, n, d_k = H.shape
    M = H.transpose(1, 0, 2).reshape(n, num_heads * d_k)  # (n, d_model): the layout of Concat
    trace, layout = _light_parts(M, labels, row_title=row_title, col_title=col_title)
    layout["shapes"] = [
        {"type": "rect", "x0": i * d_k - 0.5, "x1": (i + 1) * d_k - 0.5, "y0": -0.5, "y1": n - 0.5,
         "line": {"color": head_color(i), "width": 2}}
        for i in range(num_heads)
    ]  # fmt: skip
    layout["annotations"] = [
        {"x": (i + 0.5) * d_k - 0.5, "y": -0.5, "yshift": 4, "yanchor": "bottom", "showarrow": False,
         "text": f"{html.escape(head_name)} {i + 1}" if num_heads <= 8 else str(i + 1),
         "font": {"size": SMALL_SIZE, "color": head_color(i)}}
        for i in range(num_heads if num_heads <= 16 else 0)
    ]  # fmt: skip
    layout["margin"] = {"t": 70}  # room for the head names above the plot
    return figure([trace], layout, title, max(260, 28 * n + 120))


def entropy_bars(
    per_head: Sequence[float],
    single: float,
    max_bits: float,
    head_titles: Sequence[str],
    title: str,
    *,
    single_name: str,
    uniform_name: str,
    y_title: str = "",
) -> go.Figure:
    """Mean attention entropy (bits) of each head (per_head: h values), of the single wide head, and the
    uniform ceiling log₂ n (``max_bits``) as a dashed line."""
    names = [*head_titles, single_name]
    values = np.asarray([*per_head, single], dtype=np.float32)
    bar = {
        "type": "bar", "x": [html.escape(s) for s in names], "y": values,
        "marker": {"color": [head_color(i) for i in range(len(head_titles))] + [palette.OUTPUT_COLOR]},
        "text": [f"{v:.2f}" for v in values], "textposition": "outside",
        "hovertemplate": "%{x}: %{y:.4f}<extra></extra>",
    }  # fmt: skip
    ceiling = float(max_bits)
    layout = {
        "shapes": [_hline(ceiling, {"dash": "dash", "color": palette.INK_SOFT})],
        "annotations": [
            {"showarrow": False, "text": html.escape(uniform_name), "x": 0, "xanchor": "left", "xref": "x domain",
             "y": ceiling, "yanchor": "bottom", "yref": "y"}
        ],
        "yaxis": {"range": [0, max(ceiling, float(values.max(initial=0))) * 1.2 + 1e-9], "title": {"text": y_title}},
        "xaxis": {"tickangle": -45},
    }  # fmt: skip
    return figure([bar], layout, title, 340)


def query_focus(
    single_row: np.ndarray,
    head_rows: np.ndarray,
    key_labels: Sequence,
    row_names: Sequence[str],
    title: str,
    *,
    k_title: str = "",
) -> go.Figure:
    """Where one query looks: first row the single wide head (n_k,), then one row per head (h, n_k)."""
    z = np.vstack([np.asarray(single_row)[None], np.asarray(head_rows)])  # (1 + h, n_k)
    panel = Panel(z, row_names, key_labels, "", "prob", None, "", k_title)
    data, layout, height = heatmap_row_parts([panel], show_text=z.size <= 200)
    layout["shapes"] = [*layout["shapes"], _hline(0.5, {"color": "white", "width": 4})]
    return figure(data, layout, title, height)


def w_o_bands(W_O: np.ndarray, num_heads: int, title: str, *, row_title: str = "", col_title: str = "") -> go.Figure:
    """W_O (d_model, d_model) with the d_k rows that each head's output multiplies outlined."""
    W_O = np.asarray(W_O)
    d_model = W_O.shape[0]
    d_k = d_model // num_heads
    trace, layout = _light_parts(W_O, list(range(d_model)), row_title=row_title, col_title=col_title)
    trace["y"] = None  # rows are numbered by position, on a numeric axis
    layout["yaxis"].update(type="linear", nticks=16)
    layout["shapes"] = [
        {"type": "rect", "x0": -0.5, "x1": d_model - 0.5, "y0": i * d_k - 0.5, "y1": (i + 1) * d_k - 0.5,
         "line": {"color": head_color(i), "width": 2}}
        for i in range(num_heads)
    ]  # fmt: skip
    return figure([trace], layout, title, 440)
