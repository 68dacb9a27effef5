"""Figures for multi-head attention: small multiples of heads, head bands, entropy bars."""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

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

    weights: (h, n_q, n_k). Token labels on the outer axes; hover names head, query, key and value.
    masked: (n_q, n_k) bool, True where blocked (drawn grey).
    """
    w = np.asarray(weights, dtype=np.float32)
    h, n_q, n_k = w.shape
    rows, cols = grid_shape(h)
    lab = safe_labels(labels)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[html.escape(s) for s in head_titles],
        horizontal_spacing=0.02 if cols > 4 else 0.04,
        vertical_spacing=min(0.08, 0.3 / rows),
        shared_xaxes=True,
        shared_yaxes=True,
    )
    custom = np.dstack(np.broadcast_arrays(np.array(lab, dtype=object)[:, None], np.array(lab, dtype=object)[None, :]))
    blocked = None if masked is None else np.asarray(masked, dtype=bool)
    z_all = w if blocked is None else np.where(blocked[None], np.nan, w)
    for i in range(h):
        if blocked is not None and blocked.any():
            fig.add_trace(
                go.Heatmap(
                    z=np.where(blocked, 1.0, np.nan).astype(np.float32),
                    colorscale=[[0, palette.MASKED_COLOR], [1, palette.MASKED_COLOR]],
                    showscale=False,
                    hoverinfo="skip",
                ),
                row=i // cols + 1,
                col=i % cols + 1,
            )
        fig.add_trace(
            go.Heatmap(
                z=z_all[i],
                coloraxis="coloraxis",
                customdata=custom,
                hovertemplate=(
                    f"{html.escape(head_titles[i])}<br>{html.escape(q_title)}: %{{customdata[0]}}"
                    f"<br>{html.escape(k_title)}: %{{customdata[1]}}<br>%{{z:.4f}}<extra></extra>"
                ),
            ),
            row=i // cols + 1,
            col=i % cols + 1,
        )
    show_ticks = max(n_q, n_k) <= MAX_TICK_TOKENS and cols <= 4
    fig.update_xaxes(
        tickmode="array", tickvals=list(range(n_k)), ticktext=lab, tickangle=-60, showgrid=False, showticklabels=False
    )
    fig.update_yaxes(tickmode="array", tickvals=list(range(n_q)), ticktext=lab, autorange="reversed", showgrid=False)
    fig.update_yaxes(showticklabels=False)
    if show_ticks:
        for c in range(1, cols + 1):
            fig.update_xaxes(showticklabels=True, row=rows, col=c)
        for r in range(1, rows + 1):
            fig.update_yaxes(showticklabels=True, row=r, col=1)
    top = float(np.nanmax(z_all)) if np.isfinite(z_all).any() else 1.0
    fig.update_layout(
        coloraxis={"colorscale": palette.WEIGHTS_SCALE, "cmin": 0.0, "cmax": top, "colorbar": {"thickness": 12}}
    )
    for i, a in enumerate(fig.layout.annotations):
        a.font = {"size": 12, "color": head_color(i)}
    per_row = 230 if cols <= 4 else 130
    return base_layout(fig, title, per_row * rows + (140 if show_ticks else 70))


def head_bands(per_head, labels, title: str, *, head_name: str, row_title: str = "", col_title: str = ""):
    """Per-head blocks (h, n, d_k) laid side by side as one (n, h·d_k) heatmap, each head's columns outlined."""
    H = np.asarray(per_head)
    num_heads, n, d_k = H.shape
    M = H.transpose(1, 0, 2).reshape(n, num_heads * d_k)  # (n, d_model): the layout of Concat
    d_model = num_heads * d_k
    fig = token_heatmap(M, labels, list(range(d_model)), title, row_title=row_title, col_title=col_title)
    numeric_axis(fig, "x")
    for i in range(num_heads):
        x0, x1 = i * d_k - 0.5, (i + 1) * d_k - 0.5
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=-0.5, y1=n - 0.5, line={"color": head_color(i), "width": 2})
        if num_heads <= 16:
            fig.add_annotation(
                x=(x0 + x1) / 2,
                y=-0.5,
                yshift=4,
                yanchor="bottom",
                text=f"{html.escape(head_name)} {i + 1}" if num_heads <= 8 else str(i + 1),
                showarrow=False,
                font={"size": 11, "color": head_color(i)},
            )
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
    fig = token_heatmap(
        W_O, range(d_model), range(d_model), title, row_title=row_title, col_title=col_title, height=440
    )
    numeric_axis(fig, "x")
    numeric_axis(fig, "y")
    for i in range(num_heads):
        y0, y1 = i * d_k - 0.5, (i + 1) * d_k - 0.5
        fig.add_shape(type="rect", x0=-0.5, x1=d_model - 0.5, y0=y0, y1=y1, line={"color": head_color(i), "width": 2})
    return fig
