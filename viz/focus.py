"""The 2-D focus picture: keys and a query in one plane, values and their weighted average in another."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.heatmaps import base_layout, safe_labels

LIMIT = 2.6  # both planes show [−LIMIT, LIMIT]²: keys lie at radius ≈ 1.6, the query stops at 2


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


def _text_positions(points: np.ndarray) -> list[str]:
    """Put each label on the outer side of its point, away from the origin where the query starts."""
    out = []
    for x, y in points:
        if abs(y) >= abs(x):
            out.append("top center" if y > 0 else "bottom center")
        else:
            out.append("middle right" if x > 0 else "middle left")
    return out


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
            textposition=_text_positions(K),
            marker={"size": 10 + 30 * w, "color": palette.K_COLOR, "line": {"color": "white", "width": 1}},
            name=key_name,
            hovertemplate="%{text}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[0.0, q[0]],
            y=[0.0, q[1]],
            mode="lines",
            line={"color": palette.Q_COLOR, "width": 3},
            name=query_name,
            hovertemplate=f"{query_name} = (%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
        )
    )
    if np.hypot(q[0], q[1]) > 1e-6:  # the arrow head; a zero query has no direction
        fig.add_annotation(
            x=float(q[0]), y=float(q[1]), ax=0, ay=0, xref="x", yref="y", axref="x", ayref="y",
            showarrow=True, arrowhead=3, arrowsize=1.4, arrowwidth=3, arrowcolor=palette.Q_COLOR, text="",
        )  # fmt: skip
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
            textposition=_text_positions(V),
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
