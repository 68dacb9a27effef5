"""The 2-D focus picture in one figure: keys and the query (left), values and their weighted average
(right), the softmax weights as bars (below). One figure, so moving the query redraws one chart."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from viz import palette
from viz.heatmaps import base_layout, safe_labels

LIMIT = 2.6  # both planes show [−LIMIT, LIMIT]²: keys lie at radius ≈ 1.6, the query stops at 2


def _text_positions(points: np.ndarray) -> list[str]:
    """Put each label on the outer side of its point, away from the origin where the query starts."""
    out = []
    for x, y in points:
        if abs(y) >= abs(x):
            out.append("top center" if y > 0 else "bottom center")
        else:
            out.append("middle right" if x > 0 else "middle left")
    return out


def _key_traces(query, keys, scores, weights, names, query_name: str, key_name: str) -> list[go.Scatter]:
    """Keys as points (size ∝ weight) labelled with q·k_j; the query as a line from the origin."""
    q, K, w = (np.asarray(a, dtype=np.float32) for a in (query, keys, weights))
    text = [f"{name}<br>q·k = {s:.2f}" for name, s in zip(names, np.asarray(scores, dtype=np.float32))]
    return [
        go.Scatter(
            x=K[:, 0],
            y=K[:, 1],
            mode="markers+text",
            text=text,
            textposition=_text_positions(K),
            marker={"size": 10 + 30 * w, "color": palette.K_COLOR, "line": {"color": "white", "width": 1}},
            name=key_name,
            hovertemplate="%{text}<extra></extra>",
        ),
        go.Scatter(
            x=[0.0, q[0]],
            y=[0.0, q[1]],
            mode="lines",
            line={"color": palette.Q_COLOR, "width": 3},
            name=query_name,
            hovertemplate=f"{query_name} = (%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
        ),
    ]


def _value_traces(values, weights, output, names, value_name: str, output_name: str) -> list[go.Scatter]:
    """One line per value to the output (width ∝ weight), the values (size ∝ weight), the output star."""
    V, w, out = (np.asarray(a, dtype=np.float32) for a in (values, weights, output))
    lines = [
        go.Scatter(
            x=[V[j, 0], out[0]],
            y=[V[j, 1], out[1]],
            mode="lines",
            line={"color": palette.V_COLOR, "width": 0.5 + 8 * float(w[j])},
            opacity=0.25 + 0.75 * float(w[j]),
            hoverinfo="skip",
            showlegend=False,
        )
        for j in range(len(V))
    ]
    return [
        *lines,
        go.Scatter(
            x=V[:, 0],
            y=V[:, 1],
            mode="markers+text",
            text=[f"{name}<br>w = {x:.2f}" for name, x in zip(names, w)],
            textposition=_text_positions(V),
            marker={"size": 10 + 30 * w, "color": palette.V_COLOR, "line": {"color": "white", "width": 1}},
            name=value_name,
            hovertemplate="%{text}<extra></extra>",
        ),
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
        ),
    ]


def focus_figure(
    focus, labels, titles: tuple[str, str, str], *, query_name: str, key_name: str, value_name: str, output_name: str
) -> go.Figure:
    """A core.intuition.Focus2D drawn as key plane | value plane over a row of weight bars.

    titles: (key plane, value plane, weight bars), already translated.
    """
    names = safe_labels(labels)
    w = np.asarray(focus.weights, dtype=np.float32)
    fig = make_subplots(
        rows=2,
        cols=2,
        specs=[[{}, {}], [{"colspan": 2}, None]],
        row_heights=[0.7, 0.3],
        vertical_spacing=0.14,
        horizontal_spacing=0.08,
        subplot_titles=titles,
    )
    for trace in _key_traces(focus.query, focus.keys, focus.scores, w, names, query_name, key_name):
        fig.add_trace(trace, row=1, col=1)
    for trace in _value_traces(focus.values, w, focus.output, names, value_name, output_name):
        fig.add_trace(trace, row=1, col=2)
    fig.add_trace(
        go.Bar(
            x=names,
            y=w,
            marker_color=palette.K_COLOR,
            text=[f"{v:.2f}" for v in w],
            textposition="outside",
            showlegend=False,
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    q = np.asarray(focus.query, dtype=np.float64)
    if np.hypot(q[0], q[1]) > 1e-6:  # the arrow head; a zero query has no direction
        fig.add_annotation(
            x=float(q[0]), y=float(q[1]), ax=0, ay=0, xref="x", yref="y", axref="x", ayref="y",
            showarrow=True, arrowhead=3, arrowsize=1.4, arrowwidth=3, arrowcolor=palette.Q_COLOR, text="",
        )  # fmt: skip
    plane = {"range": [-LIMIT, LIMIT], "zeroline": True, "zerolinecolor": "#bbb", "gridcolor": "#eee"}
    fig.update_xaxes(plane, row=1, col=1)
    fig.update_xaxes(plane, row=1, col=2)
    fig.update_yaxes(plane, scaleanchor="x", scaleratio=1, row=1, col=1)
    fig.update_yaxes(plane, scaleanchor="x2", scaleratio=1, row=1, col=2)
    fig.update_yaxes(range=[0, 1.15], gridcolor="#eee", row=2, col=1)
    fig.update_annotations(font_size=14)
    base_layout(fig, "", 740)
    # the legend sits above the subplot titles, so the top margin makes room for both
    legend = {"orientation": "h", "y": 1.04, "yanchor": "bottom", "x": 0.5, "xanchor": "center"}
    fig.update_layout(plot_bgcolor="white", legend=legend, margin={"t": 70})
    return fig
