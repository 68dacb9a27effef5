"""Line charts over a swept parameter (d_k, n, distance), paired bars and overlaid histograms."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.base import LEGEND_BELOW, SMALL_SIZE, figure, safe_labels


@dataclass(frozen=True)
class Series:
    name: str  # legend entry, already translated
    y: np.ndarray  # same length as the chart's x
    color: str = palette.CATEGORICAL[0]
    dash: str = "solid"  # "solid", "dash", "dot"
    markers: bool = True


def _vline(x: float, line: dict) -> dict:
    """A vertical line at ``x`` spanning the plot's height (yref "paper"); on a log axis a shape takes x itself."""
    return {"type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, "yref": "paper", "line": line}


def _guide_label(x: float, label: str, log_x: bool) -> dict:
    """The label of a guide line at ``x``, above the plot; annotations on a log axis take log10(x)."""
    return {
        "x": math.log10(x) if log_x else float(x), "y": 1, "yref": "paper", "yanchor": "bottom", "xanchor": "left",
        "text": html.escape(label), "showarrow": False, "font": {"size": SMALL_SIZE, "color": palette.INK_SOFT},
    }  # fmt: skip


def line_chart(
    x: Sequence[float] | np.ndarray,
    series: Sequence[Series],
    title: str,
    *,
    x_title: str = "",
    y_title: str = "",
    log_x: bool = False,
    log_y: bool = False,
    marker_x: float | None = None,
    x_ticks: Sequence[float] | None = None,
    guide: tuple[float, str] | None = None,
    height: int = 360,
) -> go.Figure:
    """One line per Series over x (n,), each Series.y (n,); ``marker_x`` draws a vertical line at the
    currently chosen x.

    x_ticks: the x values to label (a log axis otherwise labels 2, 5, 10, 2, 5, 100 …).
    guide: (x, label) for a grey dashed reference line, e.g. the crossover n = d.
    """
    xs = np.asarray(x, dtype=np.float32)
    data = [
        {
            "type": "scatter", "x": xs, "y": np.asarray(s.y, dtype=np.float32),
            "mode": "lines+markers" if s.markers else "lines", "name": s.name,
            "line": {"color": s.color, "dash": s.dash, "width": 2.5}, "marker": {"size": 6},
            "hovertemplate": f"{s.name}<br>x = %{{x:.4g}}<br>y = %{{y:.4g}}<extra></extra>",
        }
        for s in series
    ]  # fmt: skip
    shapes, annotations = [], []
    if marker_x is not None:
        shapes.append(_vline(float(marker_x), {"color": palette.ACCENT, "width": 2, "dash": "dot"}))
    if guide is not None:
        shapes.append(_vline(float(guide[0]), {"color": "#777777", "width": 1.5, "dash": "dash"}))
        annotations.append(_guide_label(guide[0], guide[1], log_x))
    x_axis = {"title": {"text": x_title}, "type": "log" if log_x else "linear"}
    if x_ticks is not None:
        ticks = [float(v) for v in x_ticks]
        x_axis.update(tickmode="array", tickvals=ticks, ticktext=[f"{v:g}" for v in ticks])
    layout = {
        "xaxis": x_axis,
        "yaxis": {
            "title": {"text": y_title}, "type": "log" if log_y else "linear",
            "exponentformat": "power",
        },
        "shapes": shapes, "annotations": annotations,
        "legend": LEGEND_BELOW,
    }  # fmt: skip
    return figure(data, layout, title, height)


def paired_bars(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    labels: Sequence,
    title: str,
    *,
    names: tuple[str, str],
    height: int = 320,
) -> go.Figure:
    """Grouped bars: two distributions a and b, each (n,), over the same n keys (e.g. without / with scaling)."""
    x = safe_labels(labels)
    data = [
        {
            "type": "bar", "x": x, "y": np.asarray(y, dtype=np.float32), "name": name, "marker": {"color": color},
            "hovertemplate": f"{name}<br>%{{x}}: %{{y:.4f}}<extra></extra>",
        }
        for y, name, color in zip((a, b), names, (palette.ACCENT, palette.Q_COLOR))
    ]  # fmt: skip
    layout = {
        "barmode": "group", "legend": LEGEND_BELOW,
        "yaxis": {"range": [0, 1.02]},
    }  # fmt: skip
    return figure(data, layout, title, height)


def overlaid_histograms(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    title: str,
    *,
    names: tuple[str, str],
    x_title: str = "",
    bins: int = 60,
    height: int = 320,
) -> go.Figure:
    """Two density histograms on one axis of samples a and b, each of any length (e.g. raw and scaled scores).

    Binned here with NumPy, each on its own range, and drawn as bars: the browser receives 2 × ``bins``
    numbers instead of every sample, so a redraw stays fast with thousands of samples.
    """
    data = []
    for y, name, color in zip((a, b), names, (palette.ACCENT, palette.Q_COLOR)):
        density, edges = np.histogram(np.asarray(y, dtype=np.float64), bins=bins, density=True)
        data.append(
            {
                "type": "bar", "x": ((edges[:-1] + edges[1:]) / 2).astype(np.float32),
                "y": density.astype(np.float32), "width": float(edges[1] - edges[0]), "name": name,
                "marker": {"color": color, "line": {"width": 0}}, "opacity": 0.6,
                "hovertemplate": f"{name}<br>%{{x:.3g}}: %{{y:.4f}}<extra></extra>",
            }
        )  # fmt: skip
    layout = {
        "barmode": "overlay", "bargap": 0, "legend": LEGEND_BELOW,
        "xaxis": {"title": {"text": x_title}},
    }  # fmt: skip
    return figure(data, layout, title, height)
