"""Heatmaps with tokens on the axes and exact values on hover."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from viz import palette

MASKED_TEXT = "−∞"


def safe_labels(labels) -> list[str]:
    """Escape user text for Plotly, which reads a small HTML subset (<b>, <a href>) in labels."""
    return [html.escape(str(s), quote=False) for s in labels]


def _text_grid(z: np.ndarray, masked: np.ndarray | None, decimals: int) -> np.ndarray:
    text = np.char.mod(f"%.{decimals}f", z.astype(np.float64))
    if masked is not None:
        text = np.where(masked, MASKED_TEXT, text)
    return text


def base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        height=height,
        margin={"l": 10, "r": 10, "t": 48, "b": 10},
        font={"family": palette.FONT},
    )
    return fig


@dataclass(frozen=True)
class Panel:
    """One heatmap of a row of panels: ``z`` (rows × cols) with its labels."""

    z: np.ndarray
    row_labels: Sequence
    col_labels: Sequence
    title: str = ""
    kind: str = "signed"  # "signed": diverging scale centred on 0; "prob": 0…1 (weights)
    masked: np.ndarray | None = None  # True where a cell is masked: grey, with the text "−∞"
    row_title: str = ""
    col_title: str = ""


def _tick_angle(labels) -> int | None:
    """Slanted ticks only for words: short labels (dimension numbers) stay level, cheaper to lay out."""
    return -45 if any(len(str(x)) > 3 for x in labels) else None


def _panel_traces(p: Panel, coloraxis: str, show_text: bool) -> list:
    z = np.asarray(p.z, dtype=np.float64)
    masked = None if p.masked is None else np.broadcast_to(np.asarray(p.masked, dtype=bool), z.shape)
    shown = np.where(masked, np.nan, z) if masked is not None else z
    rows, cols = safe_labels(p.row_labels), safe_labels(p.col_labels)
    custom = np.dstack(
        np.broadcast_arrays(np.array(rows, dtype=object)[:, None], np.array(cols, dtype=object)[None, :])
    )
    text = _text_grid(z, masked, 2) if show_text else None
    traces = []
    if masked is not None and masked.any():
        # grey underlay so a masked cell is a visible "hole" with its own text, not a colour of the scale
        traces.append(
            go.Heatmap(
                z=np.where(masked, 1.0, np.nan).astype(np.float32),
                colorscale=[[0, palette.MASKED_COLOR], [1, palette.MASKED_COLOR]],
                showscale=False,
                hoverinfo="skip",
            )
        )
    traces.append(
        go.Heatmap(
            z=shown.astype(np.float32),
            coloraxis=coloraxis,
            customdata=custom,
            # the per-cell text array only when it is drawn: it is most of what a redraw sends
            text=text if show_text else None,
            texttemplate="%{text}" if show_text else None,
            textfont={"size": 10},
            hovertemplate=(
                f"{html.escape(p.row_title)}: %{{customdata[0]}}<br>{html.escape(p.col_title)}: %{{customdata[1]}}"
                "<br>%{z:.6g}<extra></extra>"
            ),
        )
    )
    if masked is not None and masked.any():
        mi, mj = np.nonzero(masked)
        traces.append(
            go.Scatter(
                x=mj,
                y=mi,
                mode="text",
                # "−∞" even without numbers: a masked cell must read as masked, not as a shade of grey
                text=[MASKED_TEXT] * len(mi) if show_text or max(z.shape) <= 32 else None,
                textfont={"color": "#444", "size": 10},
                hovertemplate=f"{MASKED_TEXT}<extra></extra>",
                showlegend=False,
            )
        )
    return traces


def heatmap_row(
    panels: Sequence[Panel],
    title: str = "",
    *,
    show_text: bool | None = None,
    height: int | None = None,
    highlight: tuple[int, int] | None = None,
    widths: Sequence[float] | None = None,
) -> go.Figure:
    """Heatmaps side by side in ONE figure (one chart to draw, not several).

    Panels of the same kind share one colour scale, so magnitudes compare across panels
    (Q·Kᵀ next to Q·Kᵀ/√d_k shows the shrinking). Rows and columns are indexed by position, so a
    repeated token keeps its own row. ``highlight`` outlines cell (i, j) of every panel;
    ``widths`` gives the panels' relative widths (e.g. their column counts).
    """
    k = len(panels)
    fig = make_subplots(
        rows=1,
        cols=k,
        subplot_titles=[p.title for p in panels],
        horizontal_spacing=0.1 if k > 1 else 0,
        column_widths=list(widths) if widths is not None else None,
    )
    kinds = list(dict.fromkeys(p.kind for p in panels))
    axis_of = {kind: "coloraxis" if n == 0 else f"coloraxis{n + 1}" for n, kind in enumerate(kinds)}
    biggest = max(np.asarray(p.z).size for p in panels)
    widest = max(max(np.asarray(p.z).shape) for p in panels)
    if show_text is None:
        show_text = biggest <= 160 and widest <= 16
    for n, p in enumerate(panels, start=1):
        for trace in _panel_traces(p, axis_of[p.kind], show_text):
            fig.add_trace(trace, row=1, col=n)
        n_rows, n_cols = np.asarray(p.z).shape
        fig.update_xaxes(
            tickmode="array", tickvals=list(range(n_cols)), ticktext=safe_labels(p.col_labels), title=p.col_title,
            tickangle=_tick_angle(p.col_labels), showgrid=False, zeroline=False, row=1, col=n,
        )  # fmt: skip
        fig.update_yaxes(
            tickmode="array", tickvals=list(range(n_rows)), ticktext=safe_labels(p.row_labels), title=p.row_title,
            autorange="reversed", showgrid=False, zeroline=False, showticklabels=n == 1 or p.row_labels is not panels[0].row_labels,
            row=1, col=n,
        )  # fmt: skip
        if highlight is not None:
            i, j = highlight
            fig.add_shape(
                type="rect", x0=j - 0.5, x1=j + 0.5, y0=i - 0.5, y1=i + 0.5,
                line={"color": palette.ACCENT, "width": 3}, row=1, col=n,
            )  # fmt: skip
    for kind, axis in axis_of.items():
        last = max(n for n, p in enumerate(panels) if p.kind == kind)
        domain_end = fig.layout[f"xaxis{'' if last == 0 else last + 1}"].domain[1]
        values = np.concatenate([np.asarray(p.z, dtype=np.float64).ravel() for p in panels if p.kind == kind])
        values = values[np.isfinite(values)]
        if kind == "prob":
            spec = {"colorscale": palette.WEIGHTS_SCALE, "cmin": 0.0, "cmax": 1.0}
        else:
            bound = float(np.abs(values).max()) if values.size and np.abs(values).max() > 0 else 1.0
            spec = {"colorscale": palette.SIGNED_SCALE, "cmin": -bound, "cmax": bound, "cmid": 0.0}
        fig.update_layout({axis: {**spec, "colorbar": {"thickness": 10, "len": 0.85, "x": domain_end + 0.005}}})
    n_rows = max(np.asarray(p.z).shape[0] for p in panels)
    fig = base_layout(fig, title, height or max(260, 26 * n_rows + 130))
    fig.update_annotations(font_size=13)
    return fig


def token_heatmap(
    z,
    row_labels,
    col_labels,
    title: str,
    *,
    kind: str = "signed",
    masked=None,
    row_title: str = "",
    col_title: str = "",
    show_text: bool | None = None,
    height: int | None = None,
    highlight: tuple[int, int] | None = None,
) -> go.Figure:
    """A single labelled heatmap of ``z`` (rows × cols); see ``heatmap_row`` and ``Panel``."""
    panel = Panel(np.asarray(z), row_labels, col_labels, "", kind, masked, row_title, col_title)
    return heatmap_row([panel], title, show_text=show_text, height=height, highlight=highlight)
