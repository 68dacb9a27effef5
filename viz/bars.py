"""Bar charts for one query's distribution and its weighted sum of values."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.base import SMALL_SIZE, figure, safe_labels, tick_labels


def weight_bars(
    weights: Sequence[float] | np.ndarray,
    labels: Sequence,
    title: str,
    *,
    highlight: int | None = None,
    masked: Sequence[bool] | np.ndarray | None = None,
    height: int = 300,
) -> go.Figure:
    """One bar per key: the attention weight a query gives it (masked keys drawn hatched).

    weights: (n_k,) one row of softmax weights; labels: n_k key names; masked: (n_k,) bool.
    """
    w = np.asarray(weights, dtype=np.float32)
    ticks = list(range(len(w)))
    bar = {
        "type": "bar", "x": ticks, "y": w, "customdata": safe_labels(labels),
        "marker": {
            "color": [palette.ACCENT if k == highlight else palette.K_COLOR for k in ticks],
            "pattern": {"shape": ["/" if masked is not None and masked[k] else "" for k in ticks]},
        },
        "hovertemplate": "%{customdata}: %{y:.6f}<extra></extra>",
        "text": [f"{v:.2f}" for v in w], "textposition": "outside",
    }  # fmt: skip
    layout = {
        "xaxis": {"tickmode": "array", "tickvals": ticks, "ticktext": tick_labels(labels), "tickangle": -45},
        "yaxis": {"range": [0, 1.12]},
    }
    return figure([bar], layout, title, height)


def weighted_sum_bars(
    contributions: np.ndarray,
    output: Sequence[float] | np.ndarray,
    key_labels: Sequence,
    title: str,
    *,
    output_name: str,
    height: int = 340,
) -> go.Figure:
    """Stacked bars: for each output dimension, the share w_k·v_k of every key; a diamond marks the sum.

    contributions: (n_k, d_v), row k = w_k · v_k; output: (d_v,) their sum; key_labels: n_k names.
    """
    c = np.asarray(contributions, dtype=np.float32)  # (n_k, d_v)
    n_k, d_v = c.shape
    dims = [f"d{m}" for m in range(d_v)]
    labels, names = safe_labels(key_labels), tick_labels(key_labels)  # full on hover, short in the legend
    data = [
        {
            "type": "bar", "x": dims, "y": c[k], "name": names[k],
            "marker": {"color": palette.CATEGORICAL[k % len(palette.CATEGORICAL)]},
            "hovertemplate": f"{labels[k]}: %{{y:.4f}}<extra></extra>",
        }
        for k in range(n_k)
    ]  # fmt: skip
    data.append(
        {
            "type": "scatter", "x": dims, "y": np.asarray(output, dtype=np.float32), "mode": "markers",
            "name": output_name, "hovertemplate": f"{output_name}: %{{y:.6f}}<extra></extra>",
            "marker": {"symbol": "diamond", "size": 11, "color": palette.INK, "line": {"color": "white", "width": 1}},
        }
    )  # fmt: skip
    layout = {"barmode": "relative", "legend": {"orientation": "h", "y": -0.15, "font": {"size": SMALL_SIZE}}}
    return figure(data, layout, title, height)
