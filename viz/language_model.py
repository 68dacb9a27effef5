"""Figures of the causal language model page: the next-token distribution, RoPE, grouped-query heads, logit lens."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.base import LEGEND_BELOW, SMALL_SIZE, escape, figure, safe_labels


def next_token_bars(
    plain: np.ndarray,
    final: np.ndarray,
    labels: Sequence[str],
    title: str,
    *,
    names: tuple[str, str],
    height: int = 480,
) -> go.Figure:
    """Horizontal bars for the top tokens: the model's own probability (plain) beside what the sampler draws
    from after temperature, top-k and top-p (final). plain, final (m,); labels: m token texts, most probable first."""
    y = safe_labels(labels)
    data = [
        {
            "type": "bar", "orientation": "h", "y": y, "x": np.asarray(v, dtype=np.float32), "name": name,
            "marker": {"color": color}, "text": [f"{p:.3f}" for p in v], "textposition": "outside",
            "hovertemplate": f"{escape(name)}<br>%{{y}}: %{{x:.5f}}<extra></extra>",
        }
        for v, name, color in ((plain, names[0], palette.K_COLOR), (final, names[1], palette.Q_COLOR))
    ]  # fmt: skip
    layout = {
        "barmode": "group", "legend": LEGEND_BELOW,
        "yaxis": {"autorange": "reversed", "type": "category"}, "xaxis": {"range": [0, 1.15]},
    }  # fmt: skip
    return figure(data, layout, title, height)


def rotation_path(
    points: np.ndarray, positions: Sequence[int], title: str, *, axis_names: tuple[str, str]
) -> go.Figure:
    """One 2-D slice (x_2i, x_2i+1) of a vector at successive positions: points (m, 2) on a circle, numbered."""
    pts = np.asarray(points, dtype=np.float64)
    r = float(np.hypot(pts[:, 0], pts[:, 1]).max()) * 1.25 or 1.0
    circle = np.linspace(0, 2 * np.pi, 121)
    data = [
        {"type": "scatter", "x": r / 1.25 * np.cos(circle), "y": r / 1.25 * np.sin(circle), "mode": "lines",
         "line": {"color": "#cccccc", "dash": "dot"}, "hoverinfo": "skip", "showlegend": False},
        {"type": "scatter", "x": pts[:, 0], "y": pts[:, 1], "mode": "markers+text+lines",
         "text": [str(p) for p in positions], "textposition": "top center",
         "marker": {"size": 9, "color": np.arange(len(pts)), "colorscale": palette.WEIGHTS_SCALE},
         "line": {"color": "#bbbbbb", "width": 1}, "showlegend": False,
         "hovertemplate": "pos %{text}: (%{x:.3f}, %{y:.3f})<extra></extra>"},
        {"type": "scatter", "x": [0, pts[0, 0]], "y": [0, pts[0, 1]], "mode": "lines",
         "line": {"color": palette.Q_COLOR, "width": 3}, "hoverinfo": "skip", "showlegend": False},
        {"type": "scatter", "x": [0, pts[-1, 0]], "y": [0, pts[-1, 1]], "mode": "lines",
         "line": {"color": palette.ACCENT, "width": 3}, "hoverinfo": "skip", "showlegend": False},
    ]  # fmt: skip
    layout = {
        "xaxis": {"range": [-r, r], "title": {"text": axis_names[0]}, "zeroline": True},
        "yaxis": {"range": [-r, r], "title": {"text": axis_names[1]}, "scaleanchor": "x"},
    }  # fmt: skip
    return figure(data, layout, title, 420)


def gqa_diagram(
    groups: Sequence[Sequence[int]], title: str, *, q_names: Sequence[str], kv_names: Sequence[str]
) -> go.Figure:
    """Which key/value head serves which query heads: query heads on top, their shared K/V head below, one
    colour per group. groups[i] = the query heads (0-based) reading key/value head i."""
    h_q = sum(len(g) for g in groups)
    data = []
    for i, group in enumerate(groups):
        color = palette.CATEGORICAL[i % len(palette.CATEGORICAL)]
        kv_x = float(np.mean(group))
        for j in group:
            data.append({"type": "scatter", "x": [j, kv_x], "y": [1, 0], "mode": "lines",
                         "line": {"color": color, "width": 2}, "hoverinfo": "skip", "showlegend": False})  # fmt: skip
        data.append(
            {"type": "scatter", "x": list(group), "y": [1] * len(group), "mode": "markers+text",
             "text": [escape(q_names[j]) for j in group], "textposition": "top center", "showlegend": False,
             "marker": {"size": 22, "color": color, "symbol": "circle"}, "hoverinfo": "skip"}
        )  # fmt: skip
        data.append(
            {"type": "scatter", "x": [kv_x], "y": [0], "mode": "markers+text", "text": [escape(kv_names[i])],
             "textposition": "bottom center", "showlegend": False, "hoverinfo": "skip",
             "marker": {"size": 30, "color": color, "symbol": "square"}}
        )  # fmt: skip
    layout = {
        "xaxis": {"visible": False, "range": [-0.8, h_q - 0.2]},
        "yaxis": {"visible": False, "range": [-0.7, 1.6]},
    }
    return figure(data, layout, title, 300)


def logit_lens_grid(
    probs: np.ndarray,
    tokens: np.ndarray,
    layer_labels: Sequence[str],
    position_labels: Sequence[str],
    title: str,
    *,
    hover: str,
) -> go.Figure:
    """Layers down, positions across: each cell's colour is the top next token's probability read from that
    layer's hidden state, its text the token. probs (L + 1, m) floats, tokens (L + 1, m) texts."""
    p = np.asarray(probs, dtype=np.float32)
    text = np.array([[escape(t) for t in row] for row in tokens], dtype=object)
    trace = {
        "type": "heatmap", "z": p, "zmin": 0.0, "zmax": 1.0, "colorscale": palette.WEIGHTS_SCALE,
        "x": list(range(p.shape[1])), "y": list(range(p.shape[0])), "text": text, "texttemplate": "%{text}",
        "textfont": {"size": SMALL_SIZE - 1}, "hovertemplate": hover, "colorbar": {"thickness": 12, "len": 0.9},
    }  # fmt: skip
    layout = {
        "xaxis": {"tickmode": "array", "tickvals": list(range(p.shape[1])), "ticktext": safe_labels(position_labels),
                  "tickangle": -45, "side": "top", "showgrid": False},
        "yaxis": {"tickmode": "array", "tickvals": list(range(p.shape[0])), "ticktext": safe_labels(layer_labels),
                  "autorange": "reversed", "showgrid": False},
    }  # fmt: skip
    return figure([trace], layout, title, 22 * p.shape[0] + 160)
