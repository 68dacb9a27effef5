"""Heatmaps with tokens on the axes and exact values on hover."""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

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
    """A labelled heatmap of ``z`` (rows × cols).

    kind="signed": diverging scale centred on 0 (vectors, scores); kind="prob": 0…1 (weights).
    masked: bool array, True where the cell is masked: drawn grey with the text "−∞".
    Rows and columns are indexed by position, so a repeated token keeps its own row.
    """
    z = np.asarray(z, dtype=np.float64)
    n_rows, n_cols = z.shape
    masked = None if masked is None else np.broadcast_to(np.asarray(masked, dtype=bool), z.shape)
    shown = np.where(masked, np.nan, z) if masked is not None else z
    finite = shown[np.isfinite(shown)]
    if kind == "prob":
        scale, zmin, zmax, zmid = palette.WEIGHTS_SCALE, 0.0, 1.0, None
    else:
        bound = float(np.abs(finite).max()) if finite.size else 1.0
        scale, zmin, zmax, zmid = palette.SIGNED_SCALE, -bound or -1.0, bound or 1.0, 0.0
    if show_text is None:
        show_text = n_rows * n_cols <= 400 and max(n_rows, n_cols) <= 24
    rows, cols = safe_labels(row_labels), safe_labels(col_labels)
    custom = np.dstack(
        np.broadcast_arrays(np.array(rows, dtype=object)[:, None], np.array(cols, dtype=object)[None, :])
    )
    text = _text_grid(z, masked, 2)
    fig = go.Figure()
    if masked is not None and masked.any():
        # grey underlay so a masked cell is a visible "hole" with its own text, not a colour of the scale
        fig.add_trace(
            go.Heatmap(
                z=np.where(masked, 1.0, np.nan).astype(np.float32),
                colorscale=[[0, palette.MASKED_COLOR], [1, palette.MASKED_COLOR]],
                showscale=False,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Heatmap(
            z=shown.astype(np.float32),
            zmin=zmin,
            zmax=zmax,
            zmid=zmid,
            colorscale=scale,
            customdata=custom,
            text=text,
            texttemplate="%{text}" if show_text else None,
            textfont={"size": 10},
            hovertemplate=(
                f"{html.escape(row_title)}: %{{customdata[0]}}<br>{html.escape(col_title)}: %{{customdata[1]}}"
                "<br>%{text} (%{z:.6g})<extra></extra>"
            ),
            colorbar={"thickness": 12, "len": 0.9},
        )
    )
    if masked is not None and masked.any():
        mi, mj = np.nonzero(masked)
        fig.add_trace(
            go.Scatter(
                x=mj,
                y=mi,
                mode="text",
                text=[MASKED_TEXT] * len(mi) if show_text else None,
                textfont={"color": "#444", "size": 10},
                hovertemplate=f"{MASKED_TEXT}<extra></extra>",
                showlegend=False,
            )
        )
    if highlight is not None:
        i, j = highlight
        fig.add_shape(
            type="rect", x0=j - 0.5, x1=j + 0.5, y0=i - 0.5, y1=i + 0.5, line={"color": palette.ACCENT, "width": 3}
        )
    fig.update_xaxes(
        tickmode="array", tickvals=list(range(n_cols)), ticktext=cols, title=col_title, tickangle=-45, showgrid=False
    )
    fig.update_yaxes(
        tickmode="array",
        tickvals=list(range(n_rows)),
        ticktext=rows,
        title=row_title,
        autorange="reversed",
        showgrid=False,
    )
    return base_layout(fig, title, height or max(260, 28 * n_rows + 120))
