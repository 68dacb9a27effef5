"""Figures for multi-head attention: small multiples of heads, head bands, entropy bars."""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.heatmaps import base_layout, safe_labels, token_heatmap

MAX_TICK_TOKENS = 24  # beyond this many tokens per small multiple, labels only on hover


HEAD_COLORS = tuple(c for c in palette.CATEGORICAL if c != "#F0E442")  # yellow is unreadable as text on white


def head_color(i: int) -> str:
    """One colour per head, the same in every figure of the page."""
    return HEAD_COLORS[i % len(HEAD_COLORS)]


def numeric_axis(fig: go.Figure, axis: str = "x", nticks: int = 16) -> go.Figure:
    """Replace one tick per column (unreadable beyond ~30) by about nticks automatic numeric ticks."""
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(tickmode="auto", tickvals=None, ticktext=None, nticks=nticks, tickangle=0)
    return fig


def grid_shape(num_heads: int) -> tuple[int, int]:
    """(rows, cols) of the small-multiples grid: 4 across up to 16 heads, 8 across beyond."""
    cols = min(num_heads, 4 if num_heads <= 16 else 8)
    return -(-num_heads // cols), cols


def head_grid(
    weights, labels, head_titles, title: str, *, q_title: str = "", k_title: str = "", masked=None
) -> go.Figure:
    """Small multiples: one (n_q, n_k) weight heatmap per head, one colour scale shared by all (0 … max).

    weights: (h, n_q, n_k). masked: (n_q, n_k) bool, True where blocked (drawn grey).
    The heads are tiled into ONE heatmap with blank rows and columns between them: a browser
    draws one image much faster than h subplots with h pairs of axes, and a slider move redraws it.
    Token labels on the outer axes (up to 24 tokens and 4 heads across); hover names head, query and key.
    """
    w = np.asarray(weights, dtype=np.float32)
    h, n_q, n_k = w.shape
    rows, cols = grid_shape(h)
    gap_x, gap_y = 1, 2  # blank cells between blocks; the row gap holds the head titles
    step_x, step_y = n_k + gap_x, n_q + gap_y
    Z = np.full((rows * step_y - gap_y, cols * step_x - gap_x), np.nan, dtype=np.float32)
    grey = np.full_like(Z, np.nan)
    blocked = None if masked is None else np.asarray(masked, dtype=bool)
    lab = safe_labels(labels)
    small = h * n_q * n_k <= 8192  # per-cell hover text only while it stays a small payload
    hover = np.full(Z.shape, "", dtype=object) if small else None
    annotations = []
    for i in range(h):
        r, c = divmod(i, cols)
        y0, x0 = r * step_y, c * step_x
        block = (slice(y0, y0 + n_q), slice(x0, x0 + n_k))
        Z[block] = w[i] if blocked is None else np.where(blocked, np.nan, w[i])
        if blocked is not None:
            grey[block] = np.where(blocked, 1.0, np.nan)
        if small:
            hover[block] = [
                [
                    f"{html.escape(head_titles[i])}<br>{html.escape(q_title)}: {q}<br>{html.escape(k_title)}: {k}"
                    for k in lab
                ]
                for q in lab
            ]
        annotations.append(
            {"text": html.escape(head_titles[i]), "x": x0 + (n_k - 1) / 2, "y": y0 - 0.5, "yanchor": "bottom",
             "showarrow": False, "font": {"size": 12, "color": head_color(i)}}
        )  # fmt: skip
    fig = go.Figure()
    if blocked is not None and blocked.any():
        fig.add_trace(
            go.Heatmap(
                z=grey,
                colorscale=[[0, palette.MASKED_COLOR], [1, palette.MASKED_COLOR]],
                showscale=False,
                hoverinfo="skip",
            )
        )
    top = float(np.nanmax(Z)) if np.isfinite(Z).any() else 1.0
    fig.add_trace(
        go.Heatmap(
            z=Z,
            zmin=0.0,
            zmax=top,
            colorscale=palette.WEIGHTS_SCALE,
            text=hover,
            hovertemplate="%{text}<br>%{z:.4f}<extra></extra>" if small else "%{z:.4f}<extra></extra>",
            colorbar={"thickness": 12},
            hoverongaps=False,
        )
    )
    show_ticks = max(n_q, n_k) <= MAX_TICK_TOKENS and cols <= 4
    x_ticks = [c * step_x + j for c in range(cols) for j in range(n_k)] if show_ticks else []
    y_ticks = [r * step_y + i for r in range(rows) for i in range(n_q)] if show_ticks else []
    fig.update_xaxes(tickmode="array", tickvals=x_ticks, ticktext=lab * cols, tickangle=-60, showgrid=False,
                     zeroline=False, showticklabels=show_ticks)  # fmt: skip
    fig.update_yaxes(tickmode="array", tickvals=y_ticks, ticktext=lab * rows, autorange="reversed", showgrid=False,
                     zeroline=False, showticklabels=show_ticks, range=[Z.shape[0] - 0.5, -2.5])  # fmt: skip
    fig.update_layout(annotations=annotations, plot_bgcolor="white")
    per_row = 230 if cols <= 4 else 130
    return base_layout(fig, title, per_row * rows + (140 if show_ticks else 70))


def light_heatmap(z, row_labels, title: str, *, row_title: str = "", col_title: str = "", height: int | None = None):
    """A signed heatmap of a wide matrix (n × d_model, d_model × d_model) without per-cell text or
    customdata: hover shows row, column and value; columns get automatic numeric ticks."""
    z = np.asarray(z, dtype=np.float32)
    n_rows = z.shape[0]
    bound = float(np.abs(z).max()) if z.size else 1.0
    rows = safe_labels(row_labels)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            y=rows if len(set(rows)) == n_rows else None,
            zmid=0.0,
            zmin=-(bound or 1.0),
            zmax=bound or 1.0,
            colorscale=palette.SIGNED_SCALE,
            hovertemplate=f"{html.escape(row_title)}: %{{y}}<br>{html.escape(col_title)}: %{{x}}<br>%{{z:.4f}}<extra></extra>",
            colorbar={"thickness": 12, "len": 0.9},
        )
    )
    fig.update_xaxes(title=col_title, showgrid=False, nticks=16)
    fig.update_yaxes(title=row_title, autorange="reversed", showgrid=False, type="category" if n_rows <= 64 else None)
    return base_layout(fig, title, height or max(260, 28 * n_rows + 120))


def head_bands(per_head, labels, title: str, *, head_name: str, row_title: str = "", col_title: str = ""):
    """Per-head blocks (h, n, d_k) laid side by side as one (n, h·d_k) heatmap, each head's columns outlined."""
    H = np.asarray(per_head)
    num_heads, n, d_k = H.shape
    M = H.transpose(1, 0, 2).reshape(n, num_heads * d_k)  # (n, d_model): the layout of Concat
    fig = light_heatmap(M, labels, title, row_title=row_title, col_title=col_title)
    # one layout update for all outlines and names: fig.add_shape per head costs ~20 ms each
    shapes = [
        {"type": "rect", "x0": i * d_k - 0.5, "x1": (i + 1) * d_k - 0.5, "y0": -0.5, "y1": n - 0.5,
         "line": {"color": head_color(i), "width": 2}}
        for i in range(num_heads)
    ]  # fmt: skip
    names = [
        {"x": (i + 0.5) * d_k - 0.5, "y": -0.5, "yshift": 4, "yanchor": "bottom", "showarrow": False,
         "text": f"{html.escape(head_name)} {i + 1}" if num_heads <= 8 else str(i + 1),
         "font": {"size": 11, "color": head_color(i)}}
        for i in range(num_heads if num_heads <= 16 else 0)
    ]  # fmt: skip
    fig.update_layout(shapes=shapes, annotations=names)
    fig.update_layout(margin={"t": 70})
    return fig


def entropy_bars(
    per_head,
    single: float,
    max_bits: float,
    head_titles,
    title: str,
    *,
    single_name: str,
    uniform_name: str,
    y_title: str = "",
) -> go.Figure:
    """Mean attention entropy (bits) of each head, of the single wide head, and the uniform ceiling log₂ n."""
    names = [*head_titles, single_name]
    values = np.asarray([*per_head, single], dtype=np.float32)
    colors = [head_color(i) for i in range(len(head_titles))] + [palette.OUTPUT_COLOR]
    fig = go.Figure(
        go.Bar(
            x=[html.escape(s) for s in names],
            y=values,
            marker_color=colors,
            text=[f"{v:.2f}" for v in values],
            textposition="outside",
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
        )
    )
    fig.add_hline(
        y=float(max_bits),
        line={"dash": "dash", "color": "#555"},
        annotation_text=html.escape(uniform_name),
        annotation_position="top left",
    )
    fig.update_yaxes(range=[0, max(float(max_bits), float(values.max(initial=0))) * 1.2 + 1e-9], title=y_title)
    fig.update_xaxes(tickangle=-45)
    return base_layout(fig, title, 340)


def query_focus(single_row, head_rows, key_labels, row_names, title: str, *, k_title: str = "") -> go.Figure:
    """Where one query looks: first row the single wide head, then one row per head (h, n_k)."""
    z = np.vstack([np.asarray(single_row)[None], np.asarray(head_rows)])  # (1 + h, n_k)
    fig = token_heatmap(z, row_names, key_labels, title, kind="prob", col_title=k_title, show_text=z.size <= 200)
    fig.add_hline(y=0.5, line={"color": "white", "width": 4})
    return fig


def w_o_bands(W_O, num_heads: int, title: str, *, row_title: str = "", col_title: str = "") -> go.Figure:
    """W_O (d_model, d_model) with the d_k rows that each head's output multiplies outlined."""
    W_O = np.asarray(W_O)
    d_model = W_O.shape[0]
    d_k = d_model // num_heads
    fig = light_heatmap(W_O, list(range(d_model)), title, row_title=row_title, col_title=col_title, height=440)
    fig.update_traces(y=None)
    fig.update_yaxes(type="linear", nticks=16)
    shapes = [
        {"type": "rect", "x0": -0.5, "x1": d_model - 0.5, "y0": i * d_k - 0.5, "y1": (i + 1) * d_k - 0.5,
         "line": {"color": head_color(i), "width": 2}}
        for i in range(num_heads)
    ]  # fmt: skip
    fig.update_layout(shapes=shapes)
    return fig
