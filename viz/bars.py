"""Bar charts for one query's distribution and its weighted sum of values."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.heatmaps import base_layout, safe_labels


def weight_bars(
    weights, labels, title: str, *, highlight: int | None = None, masked=None, height: int = 300
) -> go.Figure:
    """One bar per key: the attention weight a query gives it (masked keys drawn hatched)."""
    w = np.asarray(weights, dtype=np.float32)
    colors = [palette.ACCENT if k == highlight else palette.K_COLOR for k in range(len(w))]
    pattern = ["/" if masked is not None and masked[k] else "" for k in range(len(w))]
    fig = go.Figure(
        go.Bar(
            x=list(range(len(w))),
            y=w,
            marker={"color": colors, "pattern": {"shape": pattern}},
            customdata=safe_labels(labels),
            hovertemplate="%{customdata}: %{y:.6f}<extra></extra>",
            text=[f"{v:.2f}" for v in w],
            textposition="outside",
        )
    )
    fig.update_xaxes(tickmode="array", tickvals=list(range(len(w))), ticktext=safe_labels(labels), tickangle=-45)
    fig.update_yaxes(range=[0, 1.12])
    return base_layout(fig, title, height)


def weighted_sum_bars(
    contributions, output, key_labels, title: str, *, output_name: str, height: int = 340
) -> go.Figure:
    """Stacked bars: for each output dimension, the share w_k·v_k of every key; a diamond marks the sum."""
    c = np.asarray(contributions, dtype=np.float32)  # (n_k, d_v)
    n_k, d_v = c.shape
    dims = [f"d{m}" for m in range(d_v)]
    labels = safe_labels(key_labels)
    fig = go.Figure()
    for k in range(n_k):
        fig.add_trace(
            go.Bar(
                x=dims,
                y=c[k],
                name=labels[k],
                marker_color=palette.CATEGORICAL[k % len(palette.CATEGORICAL)],
                hovertemplate=f"{labels[k]}: %{{y:.4f}}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=dims,
            y=np.asarray(output, dtype=np.float32),
            mode="markers",
            name=output_name,
            marker={"symbol": "diamond", "size": 11, "color": "black", "line": {"color": "white", "width": 1}},
            hovertemplate=f"{output_name}: %{{y:.6f}}<extra></extra>",
        )
    )
    fig.update_layout(barmode="relative", legend={"orientation": "h", "y": -0.15, "font": {"size": 10}})
    return base_layout(fig, title, height)
