"""Figures for positional encoding: large heatmaps kept light, sin/cos curves, the rotation circle."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from core.reduce import block_mean
from viz import palette
from viz.base import Table, color_range, figure, with_tables


def _pair_columns(z: np.ndarray, fc: int):
    """Block means of z keeping every fc-th (sin, cos) column pair whole: averaging across a pair would
    mix the two waves, and neighbouring pairs have nearly the same frequency. Returns small, row
    centres, the kept columns and the row block size."""
    keep = np.sort(np.concatenate([np.arange(0, z.shape[1], 2 * fc), np.arange(1, z.shape[1], 2 * fc)]))
    small, rc, _, (fr, _) = block_mean(z[:, keep], max_cols=len(keep))
    return small, rc, keep, fr


def big_heatmap(
    z: np.ndarray,
    title: str,
    *,
    x_title: str,
    y_title: str,
    value_name: str,
    signed: bool = True,
    height: int = 460,
    note: str = "",
    centres: Sequence[float] | np.ndarray | None = None,
    pairs: bool = False,
) -> go.Figure:
    """A heatmap of z (rows, cols), of any size, without per-cell text: block-averaged to ≤ MAX_SIDE per
    axis, float32.

    note: appended to the title when cells were averaged; may use {fr} and {fc} (the block size).
    centres: the original positions of the rows and columns of a matrix that was averaged already.
    pairs: z's columns are (sin, cos) pairs (the PE table): thin columns by whole pairs, never average them.
    """
    small, rc, cc, (fr, fc) = block_mean(z)
    if pairs and fc > 1:
        small, rc, cc, fr = _pair_columns(np.asarray(z, dtype=np.float32), fc)
    if centres is not None:
        rc = cc = np.asarray(centres)
    if note and (fr > 1 or fc > 1):
        title = f"{title} · {note.format(fr=fr, fc=fc)}"
    trace = {
        "type": "heatmap", "z": small, "x": cc.astype(np.float32), "y": rc.astype(np.float32),
        **(color_range("signed", small) if signed else {"colorscale": palette.WEIGHTS_SCALE}),
        "hovertemplate": (
            f"{html.escape(y_title)}: %{{y:.0f}}<br>{html.escape(x_title)}: %{{x:.0f}}"
            f"<br>{html.escape(value_name)}: %{{z:.3f}}<extra></extra>"
        ),
        "colorbar": {"thickness": 12, "len": 0.9},
    }  # fmt: skip
    layout = {
        "xaxis": {"title": {"text": x_title}, "showgrid": False},
        "yaxis": {"title": {"text": y_title}, "autorange": "reversed", "showgrid": False},
    }
    # the download holds the matrix as given (every position), not the averaged cells drawn
    full = np.asarray(z, dtype=np.float64)
    rows = tuple(rc) if centres is not None else tuple(range(full.shape[0]))
    cols = tuple(cc) if centres is not None else tuple(range(full.shape[1]))
    return with_tables(figure([trace], layout, title, height), [Table(title, full, rows, cols)])


def _line(x: np.ndarray, y: np.ndarray, line: dict, hovertemplate: str, **extra) -> dict:
    """A scatter trace drawn as a line."""
    return {"type": "scatter", "x": x, "y": y, "mode": "lines", "line": line, "hovertemplate": hovertemplate, **extra}


def pe_curves(
    PE: np.ndarray,
    dims: Sequence[int],
    wavelengths: Sequence[float] | np.ndarray,
    title: str,
    *,
    x_title: str,
    name_template: str,
) -> go.Figure:
    """One line per chosen column j of PE (n_positions, d_model) over the positions.

    dims: the columns j to draw; wavelengths: (d_model,) λ_j; name_template gets {dim}, {kind}, {wavelength}.
    """
    PE = np.asarray(PE, dtype=np.float32)
    pos = np.arange(PE.shape[0], dtype=np.float32)
    data = []
    for c, j in enumerate(dims):
        name = name_template.format(dim=j, kind="sin" if j % 2 == 0 else "cos", wavelength=float(wavelengths[j]))
        line = {"color": palette.CATEGORICAL[c % len(palette.CATEGORICAL)], "width": 1.6}
        hover = f"{html.escape(name)}<br>pos %{{x:.0f}}: %{{y:.4f}}<extra></extra>"
        data.append(_line(pos, PE[:, j], line, hover, name=html.escape(name)))
    layout = {
        "xaxis": {"title": {"text": x_title}},
        "yaxis": {"range": [-1.1, 1.1]},
        "legend": {"orientation": "h", "y": -0.25},
    }
    return figure(data, layout, title, 380)


def offset_profile(values: Sequence[float] | np.ndarray, title: str, *, x_title: str, y_title: str) -> go.Figure:
    """A line of PE(p)·PE(p + k) (values: one per offset k = 0, 1, …) against the offset k."""
    v = np.asarray(values, dtype=np.float32)
    trace = _line(
        np.arange(len(v), dtype=np.float32), v, {"color": palette.Q_COLOR}, "k = %{x:.0f}: %{y:.4f}<extra></extra>"
    )
    layout = {"xaxis": {"title": {"text": x_title}}, "yaxis": {"title": {"text": y_title}}}
    return figure([trace], layout, title, 340)


def rotation_circle(
    PE: np.ndarray, pair: int, pos: int, offset: int, title: str, *, pos_name: str, shifted_name: str
) -> go.Figure:
    """Columns (2i, 2i+1) of PE (n_positions, d_model) as points (sin, cos) on the unit circle; pos and
    pos + offset highlighted.

    Moving k positions turns every such point by the same angle k·ω_i, whatever pos is.
    """
    PE = np.asarray(PE, dtype=np.float32)
    s, c = PE[:, 2 * pair], PE[:, 2 * pair + 1]
    data = [
        {
            "type": "scatter", "x": s, "y": c, "mode": "markers", "showlegend": False,
            "marker": {"size": 4, "color": np.arange(len(s)), "colorscale": "Cividis"},
            "hovertemplate": "pos %{marker.color}: (%{x:.3f}, %{y:.3f})<extra></extra>",
        }
    ]  # fmt: skip
    for p, name, color in ((pos, pos_name, palette.Q_COLOR), (pos + offset, shifted_name, palette.ACCENT)):
        if p < len(s):
            data.append(
                {"type": "scatter", "x": [0, s[p]], "y": [0, c[p]], "mode": "lines+markers", "name": html.escape(name),
                 "line": {"color": color, "width": 3}, "marker": {"size": [0, 12], "color": color}}
            )  # fmt: skip
    layout = {
        "xaxis": {"range": [-1.2, 1.2], "title": {"text": f"PE[:, {2 * pair}] (sin)"}, "zeroline": True},
        "yaxis": {
            "range": [-1.2, 1.2], "title": {"text": f"PE[:, {2 * pair + 1}] (cos)"}, "scaleanchor": "x",
            "zeroline": True,
        },
        "legend": {"orientation": "h", "y": -0.2},
    }  # fmt: skip
    return figure(data, layout, title, 420)


def default_curve_dims(d_model: int) -> list[int]:
    """A few columns spread from the fastest (0, 1) to the slowest, for the sin/cos plot."""
    picks = [0, 1, d_model // 8 * 2, d_model // 4 * 2, d_model - 2 if d_model % 2 == 0 else d_model - 1]
    return sorted({j for j in picks if 0 <= j < d_model})


def wavelength_line(wavelengths: Sequence[float] | np.ndarray, title: str, *, x_title: str, y_title: str) -> go.Figure:
    """λ_j (wavelengths: (d_model,)) against the column j, on a log axis: a geometric progression is a
    straight line."""
    lam = np.asarray(wavelengths, dtype=np.float32)
    trace = _line(
        np.arange(len(lam), dtype=np.float32),
        lam,
        {"color": palette.V_COLOR},
        "j = %{x:.0f}: λ = %{y:.2f}<extra></extra>",
    )
    trace["mode"] = "lines+markers" if len(lam) <= 64 else "lines"
    layout = {"xaxis": {"title": {"text": x_title}}, "yaxis": {"title": {"text": y_title}, "type": "log"}}
    return figure([trace], layout, title, 320)
