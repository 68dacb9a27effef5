"""The 2-D focus picture in one figure: keys and the query (left), values and their weighted average
(right), the softmax weights as bars (below). One figure, so moving the query redraws one chart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.base import figure, safe_labels, split_domain

if TYPE_CHECKING:
    from core.demos.selective_focus import Focus2D

LIMIT = 2.6  # both planes show [−LIMIT, LIMIT]²: keys lie at radius ≈ 1.6, the query stops at 2


def _text_positions(points: np.ndarray) -> list[str]:
    """Put each label above or below its point, on the side away from the horizontal axis: a label to
    the left or right of a point near the edge ran into the axis's tick labels on a narrow page."""
    return ["top center" if y >= 0 else "bottom center" for _, y in points]


def _weighted_points(points: np.ndarray, weights: np.ndarray, text: list[str], color: str, name: str) -> dict:
    """Labelled points in the plane whose marker size grows with their attention weight."""
    return {
        "type": "scatter", "x": points[:, 0], "y": points[:, 1], "mode": "markers+text", "text": text,
        "textposition": _text_positions(points), "name": name, "hovertemplate": "%{text}<extra></extra>",
        "cliponaxis": False,  # a label near the edge of the plane stays readable on a narrow page
        "marker": {"size": 10 + 30 * weights, "color": color, "line": {"color": "white", "width": 1}},
    }  # fmt: skip


def _key_traces(query, keys, scores, weights, names, query_name: str, key_name: str) -> list[dict]:
    """Keys as points (size ∝ weight) labelled with q·k_j; the query as a line from the origin."""
    q, K, w = (np.asarray(a, dtype=np.float32) for a in (query, keys, weights))
    text = [f"{name}<br>q·k = {s:.2f}" for name, s in zip(names, np.asarray(scores, dtype=np.float32))]
    return [
        _weighted_points(K, w, text, palette.K_COLOR, key_name),
        dict(
            type="scatter",
            x=[0.0, q[0]],
            y=[0.0, q[1]],
            mode="lines",
            line={"color": palette.Q_COLOR, "width": 3},
            name=query_name,
            hovertemplate=f"{query_name} = (%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
        ),
    ]


def _value_traces(values, weights, output, names, value_name: str, output_name: str) -> list[dict]:
    """One line per value to the output (width ∝ weight), the values (size ∝ weight), the output star."""
    V, w, out = (np.asarray(a, dtype=np.float32) for a in (values, weights, output))
    lines = [
        dict(
            type="scatter",
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
        _weighted_points(V, w, [f"{name}<br>w = {x:.2f}" for name, x in zip(names, w)], palette.V_COLOR, value_name),
        dict(
            type="scatter",
            x=[out[0]],
            y=[out[1]],
            mode="markers",
            marker={
                "size": 18,
                "symbol": "star",
                "color": palette.OUTPUT_COLOR,
                "line": {"color": palette.INK, "width": 1},
            },
            name=output_name,
            hovertemplate=f"{output_name} = (%{{x:.3f}}, %{{y:.3f}})<extra></extra>",
        ),
    ]


def _query_arrow_head(query: np.ndarray) -> dict | None:
    """The arrow head at the tip of the query (2,), or None for a zero query, which has no direction."""
    q = np.asarray(query, dtype=np.float64)
    if np.hypot(q[0], q[1]) <= 1e-6:
        return None
    return {
        "x": float(q[0]), "y": float(q[1]), "ax": 0, "ay": 0, "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
        "showarrow": True, "arrowhead": 3, "arrowsize": 1.4, "arrowwidth": 3, "arrowcolor": palette.Q_COLOR, "text": "",
    }  # fmt: skip


def focus_figure(
    focus: Focus2D,
    labels: Sequence[str],
    titles: tuple[str, str, str],
    *,
    query_name: str,
    key_name: str,
    value_name: str,
    output_name: str,
) -> go.Figure:
    """A core.demos.selective_focus.Focus2D drawn as key plane | value plane over a row of weight bars.

    titles: (key plane, value plane, weight bars), already translated.
    """
    names = safe_labels(labels)
    w = np.asarray(focus.weights, dtype=np.float32)
    # laid out as make_subplots(rows=2, cols=2, specs=[[{}, {}], [{"colspan": 2}, None]]) would, as dicts
    left, right = split_domain([1.0, 1.0], 0.08)
    bottom, top = split_domain([0.3, 0.7], 0.14)
    on = lambda k: {"xaxis": f"x{k}", "yaxis": f"y{k}"}  # noqa: E731
    data = [
        {**tr, **on("")} for tr in _key_traces(focus.query, focus.keys, focus.scores, w, names, query_name, key_name)
    ]
    data += [{**tr, **on(2)} for tr in _value_traces(focus.values, w, focus.output, names, value_name, output_name)]
    data.append(
        {
            "type": "bar", "x": names, "y": w, "marker": {"color": palette.K_COLOR}, "text": [f"{v:.2f}" for v in w],
            "textposition": "outside", "showlegend": False, "hovertemplate": "%{x}: %{y:.4f}<extra></extra>", **on(3),
        }
    )  # fmt: skip
    titles_at = ((left, top), (right, top), ((0.0, 1.0), bottom))
    annotations = [
        {
            "text": text, "x": sum(x) / 2, "y": y[1], "xref": "paper", "yref": "paper", "xanchor": "center",
            "yanchor": "bottom", "showarrow": False, "font": {"size": 14},
        }
        for text, (x, y) in zip(titles, titles_at)
    ]  # fmt: skip
    arrow = _query_arrow_head(focus.query)
    annotations += [arrow] if arrow else []
    plane = {"range": [-LIMIT, LIMIT], "zeroline": True, "zerolinecolor": "#bbb"}
    layout = {
        "xaxis": {**plane, "domain": list(left), "anchor": "y"},
        "yaxis": {**plane, "domain": list(top), "anchor": "x", "scaleanchor": "x", "scaleratio": 1},
        "xaxis2": {**plane, "domain": list(right), "anchor": "y2"},
        "yaxis2": {**plane, "domain": list(top), "anchor": "x2", "scaleanchor": "x2", "scaleratio": 1},
        "xaxis3": {"domain": [0.0, 1.0], "anchor": "y3"},
        "yaxis3": {"domain": list(bottom), "anchor": "x3", "range": [0, 1.15]},
        "annotations": annotations,
        # the legend sits above the subplot titles, so the top margin makes room for both
        "legend": {"orientation": "h", "y": 1.04, "yanchor": "bottom", "x": 0.5, "xanchor": "center"},
        "margin": {"t": 70},
    }
    return figure(data, layout, "", 740)
