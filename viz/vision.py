"""Figures of the image page: an image with one patch's attention laid over it, clickable patches."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.base import figure, thin_ticks
from viz.heatmaps import Panel, heatmap_row_parts


def patch_overlay(
    image: np.ndarray,
    weights: np.ndarray,
    patch: int,
    query: tuple[int, int],
    title: str,
    *,
    hover_name: str,
    opacity: float = 0.6,
    height: int = 520,
) -> go.Figure:
    """The image, the query patch's weights over it as a translucent heatmap, and the grid.

    image: (rows·P, cols·P, 3) uint8; weights: (rows, cols). An invisible marker sits on every
    patch centre so a click selects that patch (customdata = [row, col]); Plotly heatmaps themselves
    send no click selection to Streamlit.
    """
    img = np.asarray(image, dtype=np.uint8)
    w = np.asarray(weights, dtype=np.float32)
    rows, cols = w.shape
    centres = (np.arange(cols) * patch + patch / 2, np.arange(rows) * patch + patch / 2)
    rr, cc = np.mgrid[0:rows, 0:cols]
    data = [
        {"type": "image", "source": png_data_uri(img), "hoverinfo": "skip"},
        {
            "type": "heatmap", "z": w, "x": centres[0], "y": centres[1], "colorscale": palette.WEIGHTS_SCALE,
            "zmin": 0.0, "zmax": float(w.max()) or 1.0, "opacity": opacity, "hoverinfo": "skip",
            "colorbar": {"thickness": 12, "len": 0.9},
        },
        {
            "type": "scatter", "x": (cc.ravel() * patch + patch / 2).astype(np.float32),
            "y": (rr.ravel() * patch + patch / 2).astype(np.float32), "mode": "markers",
            "marker": {"size": 18, "opacity": 0.0, "symbol": "square"},
            "customdata": np.stack([rr.ravel(), cc.ravel(), w.ravel()], axis=1),
            "hovertemplate": (
                f"{hover_name} (%{{customdata[0]:.0f}}, %{{customdata[1]:.0f}})<br>%{{customdata[2]:.4f}}<extra></extra>"
            ),
            "showlegend": False,
        },
    ]  # fmt: skip
    H, W = img.shape[:2]
    # the grid as one line trace with gaps (NaN) between segments: one trace to validate, not a shape per line
    xs, ys = [], []
    for c in range(1, cols):
        xs += [c * patch, c * patch, np.nan]
        ys += [0, H, np.nan]
    for r in range(1, rows):
        xs += [0, W, np.nan]
        ys += [r * patch, r * patch, np.nan]
    data.insert(2, {"type": "scatter", "x": np.array(xs, dtype=np.float32), "y": np.array(ys, dtype=np.float32),
                    "mode": "lines", "line": {"color": "white", "width": 0.6}, "hoverinfo": "skip",
                    "showlegend": False})  # fmt: skip
    qr, qc = query
    query_box = {"type": "rect", "x0": qc * patch, "x1": (qc + 1) * patch, "y0": qr * patch, "y1": (qr + 1) * patch,
                 "line": {"color": palette.ACCENT, "width": 3}}  # fmt: skip
    layout = {
        "shapes": [query_box],
        "xaxis": {"visible": False, "range": [0, W], "constrain": "domain"},
        "yaxis": {"visible": False, "range": [H, 0], "scaleanchor": "x", "constrain": "domain"},
        "clickmode": "event+select",
        "hovermode": "closest",
        "hoverdistance": -1,
    }
    return figure(data, layout, title, height)


def png_data_uri(image: np.ndarray) -> str:
    """(H, W, 3) uint8 → "data:image/png;base64,…": a few kB, where go.Image(z=…) sends every pixel as JSON."""
    import base64
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(buf, format="PNG", compress_level=1)  # 3× faster
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def patch_labels(rows: int, cols: int) -> list[str]:
    """'r,c' for every patch in row-major order (the order of the weight matrix)."""
    return [f"{r},{c}" for r in range(rows) for c in range(cols)]


def patch_matrix(
    weights: np.ndarray, labels: Sequence[str], query: int, title: str, *, row_title: str, col_title: str
) -> go.Figure:
    """The N × N patch-to-patch weight matrix, the query patch's row outlined.

    Patch labels are the categories of both axes, so hover needs no per-cell customdata (N = 140
    patches would otherwise send ~20 000 label pairs).
    """
    w = np.asarray(weights, dtype=np.float32)
    n = len(labels)
    data = [
        {
            "type": "heatmap", "z": w, "x": list(labels), "y": list(labels), "colorscale": palette.WEIGHTS_SCALE,
            "zmin": 0.0, "zmax": float(w.max()) or 1.0,  # weights over N patches are small: use the range they span
            "hovertemplate": f"{row_title}: %{{y}}<br>{col_title}: %{{x}}<br>%{{z:.4f}}<extra></extra>",
            "colorbar": {"thickness": 12, "len": 0.9},
        }
    ]  # fmt: skip
    outline = {"type": "rect", "x0": -0.5, "x1": n - 0.5, "y0": query - 0.5, "y1": query + 0.5}
    layout = {
        "shapes": [{**outline, "line": {"color": palette.ACCENT, "width": 2}}],
        # type="category": Plotly would otherwise read "1,4" as the number 14 and leave gaps
        # few enough key labels to stand upright side by side in half a projector's column
        "xaxis": {"title": {"text": col_title}, "tickangle": 0, "showgrid": False, "type": "category",
                  **thin_ticks(labels, most=6)},
        "yaxis": {"title": {"text": row_title}, "autorange": "reversed", "showgrid": False, "type": "category",
                  **thin_ticks(labels, most=12)},
    }  # fmt: skip
    return figure(data, layout, title, 520)


def patch_vectors(
    X: np.ndarray, labels: Sequence[str], features: Sequence[str], title: str, *, row_title: str, col_title: str
) -> go.Figure:
    """The N × d patch vectors X (colour statistics then 2-D position), one row per patch, every k-th
    patch labelled."""
    panel = Panel(np.asarray(X), labels, features, "", "signed", None, row_title, col_title)
    data, layout, height = heatmap_row_parts([panel], height=520)
    layout["yaxis"].update(thin_ticks(labels, categorical=False))
    return figure(data, layout, title, height)
