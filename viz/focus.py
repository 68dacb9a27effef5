"""The 2-D focus picture: keys and a query in one plane, values and their weighted average in another."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.heatmaps import base_layout, safe_labels

LIMIT = 2.6  # both planes show [−LIMIT, LIMIT]²: the query length slider stops at 2.5


def _square(fig: go.Figure) -> go.Figure:
    fig.update_xaxes(range=[-LIMIT, LIMIT], zeroline=True, zerolinecolor="#bbb", showgrid=True, gridcolor="#eee")
    fig.update_yaxes(
        range=[-LIMIT, LIMIT],
        zeroline=True,
        zerolinecolor="#bbb",
        showgrid=True,
        gridcolor="#eee",
        scaleanchor="x",
        scaleratio=1,
    )
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.08}, plot_bgcolor="white")
    return fig


def key_plane(
    query, keys, scores, weights, labels, title: str, *, query_name: str, key_name: str, height: int = 430
) -> go.Figure:
    """Keys as points (size ∝ weight) labelled with their dot product q·k_j; the query as an arrow."""
    q = np.asarray(query, dtype=np.float32)
    K = np.asarray(keys, dtype=np.float32)
    w = np.asarray(weights, dtype=np.float32)
    names = safe_labels(labels)
    text = [f"{name}<br>q·k = {s:.2f}" for name, s in zip(names, np.asarray(scores, dtype=np.float32))]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=K[:, 0],
            y=K[:, 1],
            mode="markers+text",
            text=text,
            textposition="top center",
            marker={"size": 10 + 30 * w, "color": palette.K_COLOR, "line": {"color": "white", "width": 1}},
            name=key_name,
            hovertemplate="%{text}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[0.0, q[0]],
            y=[0.0, q[1]],
            mode="lines+markers",
            line={"color": palette.Q_COLOR, "width": 3},
            marker={"size": [0, 12], "symbol": "arrow", "angleref": "previous", "color": palette.Q_COLOR},
            name=query_name,
            hovertemplate=f"{query_name} = (%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
        )
    )
    return base_layout(_square(fig), title, height)


def value_plane(
    values, weights, output, labels, title: str, *, value_name: str, output_name: str, height: int = 430
) -> go.Figure:
    """Values as points (size ∝ weight), a line from each to the output whose width is its weight."""
    V = np.asarray(values, dtype=np.float32)
    w = np.asarray(weights, dtype=np.float32)
    out = np.asarray(output, dtype=np.float32)
    names = safe_labels(labels)
    fig = go.Figure()
    for j in range(len(V)):
        fig.add_trace(
            go.Scatter(
                x=[V[j, 0], out[0]],
                y=[V[j, 1], out[1]],
                mode="lines",
                line={"color": palette.V_COLOR, "width": 0.5 + 8 * float(w[j])},
                opacity=0.25 + 0.75 * float(w[j]),
                hoverinfo="skip",
                showlegend=False,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=V[:, 0],
            y=V[:, 1],
            mode="markers+text",
            text=[f"{name}<br>w = {x:.2f}" for name, x in zip(names, w)],
            textposition="top center",
            marker={"size": 10 + 30 * w, "color": palette.V_COLOR, "line": {"color": "white", "width": 1}},
            name=value_name,
            hovertemplate="%{text}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[out[0]],
            y=[out[1]],
            mode="markers",
            marker={
                "size": 18,
                "symbol": "star",
                "color": palette.OUTPUT_COLOR,
                "line": {"color": "black", "width": 1},
            },
            name=output_name,
            hovertemplate=f"{output_name} = (%{{x:.3f}}, %{{y:.3f}})<extra></extra>",
        )
    )
    return base_layout(_square(fig), title, height)
