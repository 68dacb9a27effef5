"""Figures for positional encoding: large heatmaps kept light, sin/cos curves, the rotation circle."""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from core.reduce import block_mean
from viz import palette
from viz.heatmaps import base_layout


def big_heatmap(
    z,
    title: str,
    *,
    x_title: str,
    y_title: str,
    value_name: str,
    signed: bool = True,
    height: int = 460,
    note: str = "",
    centres=None,
    pairs: bool = False,
) -> go.Figure:
    """A heatmap of any size without per-cell text: block-averaged to ≤ MAX_SIDE per axis, float32.

    note: appended to the title when cells were averaged; may use {fr} and {fc} (the block size).
    centres: the original positions of the rows and columns of a matrix that was averaged already.
    pairs: z's columns are (sin, cos) pairs (the PE table): thin columns by whole pairs, never average them.
    """
    small, rc, cc, (fr, fc) = block_mean(z)
    if pairs and fc > 1:
        # columns come in (sin, cos) pairs: averaging across a pair would mix the two waves, so keep
        # every fc-th pair whole (neighbouring pairs have nearly the same frequency) and average positions only
        z = np.asarray(z, dtype=np.float32)
        keep = np.sort(np.concatenate([np.arange(0, z.shape[1], 2 * fc), np.arange(1, z.shape[1], 2 * fc)]))
        small, rc, _, (fr, _) = block_mean(z[:, keep], max_cols=len(keep))
        cc, fc = keep, fc
    if centres is not None:
        rc = cc = np.asarray(centres)
    if note and (fr > 1 or fc > 1):
        title = f"{title} · {note.format(fr=fr, fc=fc)}"
    bound = float(np.nanmax(np.abs(small))) if small.size else 1.0
    fig = go.Figure(
        go.Heatmap(
            z=small,
            x=cc.astype(np.float32),
            y=rc.astype(np.float32),
            colorscale=palette.SIGNED_SCALE if signed else palette.WEIGHTS_SCALE,
            zmid=0.0 if signed else None,
            zmin=-bound if signed else None,
            zmax=bound if signed else None,
            hovertemplate=(
                f"{html.escape(y_title)}: %{{y:.0f}}<br>{html.escape(x_title)}: %{{x:.0f}}"
                f"<br>{html.escape(value_name)}: %{{z:.3f}}<extra></extra>"
            ),
            colorbar={"thickness": 12, "len": 0.9},
        )
    )
    fig.update_xaxes(title=x_title, showgrid=False)
    fig.update_yaxes(title=y_title, autorange="reversed", showgrid=False)
    return base_layout(fig, title, height)


def pe_curves(PE, dims, wavelengths, title: str, *, x_title: str, name_template: str) -> go.Figure:
    """One line per chosen column j of PE over the positions; name_template gets {dim}, {kind}, {wavelength}."""
    PE = np.asarray(PE, dtype=np.float32)
    pos = np.arange(PE.shape[0], dtype=np.float32)
    fig = go.Figure()
    for c, j in enumerate(dims):
        name = name_template.format(dim=j, kind="sin" if j % 2 == 0 else "cos", wavelength=float(wavelengths[j]))
        fig.add_trace(
            go.Scatter(
                x=pos,
                y=PE[:, j],
                mode="lines",
                name=html.escape(name),
                line={"color": palette.CATEGORICAL[c % len(palette.CATEGORICAL)], "width": 1.6},
                hovertemplate=f"{html.escape(name)}<br>pos %{{x:.0f}}: %{{y:.4f}}<extra></extra>",
            )
        )
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(range=[-1.1, 1.1])
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    return base_layout(fig, title, 380)


def offset_profile(values, title: str, *, x_title: str, y_title: str) -> go.Figure:
    """A line of PE(p)·PE(p + k) against the offset k."""
    v = np.asarray(values, dtype=np.float32)
    fig = go.Figure(
        go.Scatter(
            x=np.arange(len(v), dtype=np.float32),
            y=v,
            mode="lines",
            line={"color": palette.Q_COLOR},
            hovertemplate="k = %{x:.0f}: %{y:.4f}<extra></extra>",
        )
    )
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(title=y_title)
    return base_layout(fig, title, 340)


def rotation_circle(PE, pair: int, pos: int, offset: int, title: str, *, pos_name: str, shifted_name: str):
    """Columns (2i, 2i+1) of PE as points (sin, cos) on the unit circle; pos and pos + k highlighted.

    Moving k positions turns every such point by the same angle k·ω_i, whatever pos is.
    """
    PE = np.asarray(PE, dtype=np.float32)
    s, c = PE[:, 2 * pair], PE[:, 2 * pair + 1]
    fig = go.Figure(
        go.Scatter(
            x=s,
            y=c,
            mode="markers",
            marker={"size": 4, "color": np.arange(len(s)), "colorscale": "Cividis"},
            hovertemplate="pos %{marker.color}: (%{x:.3f}, %{y:.3f})<extra></extra>",
            showlegend=False,
        )
    )
    for p, name, color in ((pos, pos_name, palette.Q_COLOR), (pos + offset, shifted_name, palette.ACCENT)):
        if p < len(s):
            fig.add_trace(
                go.Scatter(
                    x=[0, s[p]],
                    y=[0, c[p]],
                    mode="lines+markers",
                    name=html.escape(name),
                    line={"color": color, "width": 3},
                    marker={"size": [0, 12], "color": color},
                )
            )
    fig.update_xaxes(range=[-1.2, 1.2], title=f"PE[:, {2 * pair}] (sin)", zeroline=True)
    fig.update_yaxes(range=[-1.2, 1.2], title=f"PE[:, {2 * pair + 1}] (cos)", scaleanchor="x", zeroline=True)
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    return base_layout(fig, title, 420)


def default_curve_dims(d_model: int) -> list[int]:
    """A few columns spread from the fastest (0, 1) to the slowest, for the sin/cos plot."""
    picks = [0, 1, d_model // 8 * 2, d_model // 4 * 2, d_model - 2 if d_model % 2 == 0 else d_model - 1]
    return sorted({j for j in picks if 0 <= j < d_model})


def wavelength_line(wavelengths, title: str, *, x_title: str, y_title: str) -> go.Figure:
    """λ_j against the column j, on a log axis: a geometric progression is a straight line."""
    lam = np.asarray(wavelengths, dtype=np.float32)
    fig = go.Figure(
        go.Scatter(
            x=np.arange(len(lam), dtype=np.float32),
            y=lam,
            mode="lines+markers" if len(lam) <= 64 else "lines",
            line={"color": palette.V_COLOR},
            hovertemplate="j = %{x:.0f}: λ = %{y:.2f}<extra></extra>",
        )
    )
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(title=y_title, type="log")
    return base_layout(fig, title, 320)
