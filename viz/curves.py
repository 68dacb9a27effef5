"""Line charts over a swept parameter (d_k, n, distance), paired bars and overlaid histograms."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.heatmaps import base_layout, safe_labels


@dataclass(frozen=True)
class Series:
    name: str  # legend entry, already translated
    y: np.ndarray  # same length as the chart's x
    color: str = palette.CATEGORICAL[0]
    dash: str = "solid"  # "solid", "dash", "dot"
    markers: bool = True


def line_chart(
    x,
    series,
    title: str,
    *,
    x_title: str = "",
    y_title: str = "",
    log_x: bool = False,
    log_y: bool = False,
    marker_x: float | None = None,
    x_ticks=None,
    guide: tuple[float, str] | None = None,
    height: int = 360,
) -> go.Figure:
    """One line per Series over x; ``marker_x`` draws a vertical line at the currently chosen x.

    x_ticks: the x values to label (a log axis otherwise labels 2, 5, 10, 2, 5, 100 …).
    guide: (x, label) for a grey dashed reference line, e.g. the crossover n = d.
    """
    xs = np.asarray(x, dtype=np.float32)
    fig = go.Figure()
    for s in series:
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=np.asarray(s.y, dtype=np.float32),
                mode="lines+markers" if s.markers else "lines",
                name=s.name,
                line={"color": s.color, "dash": s.dash, "width": 2.5},
                marker={"size": 6},
                hovertemplate=f"{s.name}<br>x = %{{x:.4g}}<br>y = %{{y:.4g}}<extra></extra>",
            )
        )
    if marker_x is not None:
        fig.add_vline(x=float(marker_x), line={"color": palette.ACCENT, "width": 2, "dash": "dot"})
    if guide is not None:
        x_guide, label = guide
        fig.add_vline(x=float(x_guide), line={"color": "#777777", "width": 1.5, "dash": "dash"})
        fig.add_annotation(
            # annotations on a log axis take log10(x), shapes take x
            x=math.log10(x_guide) if log_x else float(x_guide), y=1, yref="paper", yanchor="bottom",
            xanchor="left", text=html.escape(label), showarrow=False, font={"size": 11, "color": "#555555"},
        )  # fmt: skip
    fig.update_xaxes(title=x_title, type="log" if log_x else "linear", gridcolor="#eee")
    if x_ticks is not None:
        ticks = [float(v) for v in x_ticks]
        fig.update_xaxes(tickmode="array", tickvals=ticks, ticktext=[f"{v:g}" for v in ticks])
    fig.update_yaxes(title=y_title, type="log" if log_y else "linear", gridcolor="#eee", exponentformat="power")
    fig.update_layout(legend={"orientation": "h", "y": -0.25}, plot_bgcolor="white")
    return base_layout(fig, title, height)


def paired_bars(a, b, labels, title: str, *, names: tuple[str, str], height: int = 320) -> go.Figure:
    """Grouped bars: two distributions over the same keys (e.g. without / with scaling)."""
    x = safe_labels(labels)
    fig = go.Figure()
    for y, name, color in zip((a, b), names, (palette.ACCENT, palette.Q_COLOR)):
        fig.add_trace(
            go.Bar(
                x=x,
                y=np.asarray(y, dtype=np.float32),
                name=name,
                marker_color=color,
                hovertemplate=f"{name}<br>%{{x}}: %{{y:.4f}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.2}, plot_bgcolor="white")
    fig.update_yaxes(range=[0, 1.02], gridcolor="#eee")
    return base_layout(fig, title, height)


def overlaid_histograms(a, b, title: str, *, names: tuple[str, str], x_title: str = "", height: int = 320) -> go.Figure:
    """Two histograms on one axis (e.g. raw scores and scaled scores), normalised to densities."""
    fig = go.Figure()
    for y, name, color in zip((a, b), names, (palette.ACCENT, palette.Q_COLOR)):
        fig.add_trace(
            go.Histogram(
                x=np.asarray(y, dtype=np.float32),
                name=name,
                marker_color=color,
                opacity=0.6,
                histnorm="probability density",
                nbinsx=60,
            )
        )
    fig.update_layout(barmode="overlay", legend={"orientation": "h", "y": -0.25}, plot_bgcolor="white")
    fig.update_xaxes(title=x_title, gridcolor="#eee")
    return base_layout(fig, title, height)
