"""Heatmaps with tokens on the axes and exact values on hover."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

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


def _base_layout(title: str, height: int) -> dict:
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 48, "b": 10},
        "font": {"family": palette.FONT},
    }


def base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    """The app's title, margins and font on ``fig``."""
    fig.update_layout(_base_layout(title, height))
    return fig


def figure(data: list[dict], layout: dict, title: str, height: int) -> go.Figure:
    """A figure from plain trace and layout dicts, with the app's title, margins and font.

    Validated once by ``go.Figure``: adding traces and calling ``update_*`` one by one costs a path
    lookup and a validation per call, tens of milliseconds per figure on every slider move.
    ``layout["margin"]`` entries override the default margins one by one.
    """
    base = _base_layout(title, height)
    base["margin"] = {**base["margin"], **layout.get("margin", {})}
    return go.Figure(data=data, layout={**layout, **base})


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


def _panel_traces(p: Panel, coloraxis: str, show_text: bool, axes: dict) -> list[dict]:
    """The traces of one panel as plain dicts (see ``heatmap_row`` for why not ``go.Heatmap``)."""
    z = np.asarray(p.z, dtype=np.float64)
    masked = None if p.masked is None else np.broadcast_to(np.asarray(p.masked, dtype=bool), z.shape)
    any_masked = masked is not None and bool(masked.any())
    shown = np.where(masked, np.nan, z) if masked is not None else z
    rows, cols = safe_labels(p.row_labels), safe_labels(p.col_labels)
    custom = np.dstack(
        np.broadcast_arrays(np.array(rows, dtype=object)[:, None], np.array(cols, dtype=object)[None, :])
    )
    traces = []
    if any_masked:
        # grey underlay so a masked cell is a visible "hole" with its own text, not a colour of the scale
        traces.append(
            {
                "type": "heatmap",
                "z": np.where(masked, 1.0, np.nan).astype(np.float32),
                "colorscale": [[0, palette.MASKED_COLOR], [1, palette.MASKED_COLOR]],
                "showscale": False,
                "hoverinfo": "skip",
                **axes,
            }
        )
    values = {
        "type": "heatmap",
        "z": shown.astype(np.float32),
        "coloraxis": coloraxis,
        "customdata": custom,
        "hovertemplate": (
            f"{html.escape(p.row_title)}: %{{customdata[0]}}<br>{html.escape(p.col_title)}: %{{customdata[1]}}"
            "<br>%{z:.6g}<extra></extra>"
        ),
        **axes,
    }
    if show_text:
        # the per-cell text array only when it is drawn: it is most of what a redraw sends
        values.update(text=_text_grid(z, masked, 2), texttemplate="%{text}", textfont={"size": 10})
    traces.append(values)
    if any_masked:
        mi, mj = np.nonzero(masked)
        marks = {
            "type": "scatter",
            "x": mj,
            "y": mi,
            "mode": "text",
            "textfont": {"color": "#444", "size": 10},
            "hovertemplate": f"{MASKED_TEXT}<extra></extra>",
            "showlegend": False,
            **axes,
        }
        # "−∞" even without numbers: a masked cell must read as masked, not as a shade of grey
        if show_text or max(z.shape) <= 32:
            marks["text"] = [MASKED_TEXT] * len(mi)
        traces.append(marks)
    return traces


def split_domain(widths: Sequence[float], spacing: float) -> list[tuple[float, float]]:
    """Split [0, 1] (paper coordinates) into parts of relative ``widths`` with ``spacing`` between them,
    as ``make_subplots`` lays out its columns (or rows), without its cost."""
    room = 1.0 - spacing * (len(widths) - 1)
    total = float(sum(widths))
    domains, x0 = [], 0.0
    for w in widths:
        x1 = x0 + room * w / total
        domains.append((x0, min(x1, 1.0)))
        x0 = x1 + spacing
    return domains


def _color_axis(kind: str, panels: Sequence[Panel], colorbar_x: float | None = None) -> dict:
    """One shared colour scale for the panels of ``kind``: 0…1 for weights, symmetric about 0 else."""
    if kind == "prob":
        spec = {"colorscale": palette.WEIGHTS_SCALE, "cmin": 0.0, "cmax": 1.0}
    else:
        values = np.concatenate([np.asarray(p.z, dtype=np.float64).ravel() for p in panels if p.kind == kind])
        values = np.abs(values[np.isfinite(values)])
        bound = float(values.max()) if values.size and values.max() > 0 else 1.0
        spec = {"colorscale": palette.SIGNED_SCALE, "cmin": -bound, "cmax": bound, "cmid": 0.0}
    colorbar = {"thickness": 10, "len": 0.85, **({} if colorbar_x is None else {"x": colorbar_x})}
    return {**spec, "colorbar": colorbar}


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

    The figure is written as plain dicts and validated once by ``go.Figure``: building it with
    ``make_subplots`` and per-axis ``update_*`` calls took about 40 ms per redraw, this takes about 4.
    """
    k = len(panels)
    shapes = [np.asarray(p.z).shape for p in panels]
    if show_text is None:
        show_text = max(r * c for r, c in shapes) <= 160 and max(max(s) for s in shapes) <= 16
    kinds = list(dict.fromkeys(p.kind for p in panels))
    axis_of = {kind: "coloraxis" if n == 0 else f"coloraxis{n + 1}" for n, kind in enumerate(kinds)}
    domains = split_domain(widths if widths is not None else [1.0] * k, 0.1 if k > 1 else 0.0)
    first_rows = panels[0].row_labels
    data, shapes_out, annotations = [], [], []
    layout: dict = {}
    for n, (p, (n_rows, n_cols), domain) in enumerate(zip(panels, shapes, domains), start=1):
        suffix = "" if n == 1 else str(n)
        axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        data += _panel_traces(p, axis_of[p.kind], show_text, axes)
        layout[f"xaxis{suffix}"] = {
            "domain": list(domain), "anchor": f"y{suffix}", "title": {"text": p.col_title},
            "tickmode": "array", "tickvals": list(range(n_cols)), "ticktext": safe_labels(p.col_labels),
            "tickangle": _tick_angle(p.col_labels), "showgrid": False, "zeroline": False,
        }  # fmt: skip
        layout[f"yaxis{suffix}"] = {
            "domain": [0.0, 1.0], "anchor": f"x{suffix}", "title": {"text": p.row_title},
            "tickmode": "array", "tickvals": list(range(n_rows)), "ticktext": safe_labels(p.row_labels),
            "autorange": "reversed", "showgrid": False, "zeroline": False,
            "showticklabels": n == 1 or p.row_labels is not first_rows,
        }  # fmt: skip
        if p.title:
            annotations.append(
                {
                    "text": p.title, "x": (domain[0] + domain[1]) / 2, "y": 1.0, "xref": "paper", "yref": "paper",
                    "xanchor": "center", "yanchor": "bottom", "showarrow": False, "font": {"size": 13},
                }
            )  # fmt: skip
        if highlight is not None:
            i, j = highlight
            shapes_out.append(
                {
                    "type": "rect", "x0": j - 0.5, "x1": j + 0.5, "y0": i - 0.5, "y1": i + 0.5,
                    "xref": f"x{suffix}", "yref": f"y{suffix}", "line": {"color": palette.ACCENT, "width": 3},
                }
            )  # fmt: skip
    for kind, axis in axis_of.items():
        last = max(n for n, p in enumerate(panels) if p.kind == kind)
        layout[axis] = _color_axis(kind, panels, domains[last][1] + 0.005)
    layout.update(annotations=annotations, shapes=shapes_out)
    return figure(data, layout, title, height or max(260, 26 * max(r for r, _ in shapes) + 130))


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


def heatmap_blocks(
    panels: Sequence[Panel],
    title: str = "",
    *,
    show_text: bool | None = None,
    height: int | None = None,
) -> go.Figure:
    """Matrices with the same rows (X, Q, K and V of one sentence) as blocks of ONE heatmap.

    The blocks sit side by side with a blank column between them, share one colour scale and the
    row labels of the first panel; each block is named by a tick label above it, and hovering a cell
    tells its row, block and column. One trace on one pair of axes draws about as fast as a plain
    heatmap, where one subplot per matrix (``heatmap_row``) costs a set of axes and tick labels each.
    Masks are not drawn here: use ``heatmap_row`` for masked scores.
    """
    mats = [np.asarray(p.z, dtype=np.float64) for p in panels]
    n_rows = mats[0].shape[0]
    if any(m.ndim != 2 or m.shape[0] != n_rows for m in mats):
        raise ValueError(f"blocks need the same number of rows, got shapes {[m.shape for m in mats]}")
    if len({p.kind for p in panels}) > 1:
        raise ValueError(f"blocks share one colour scale, got kinds {[p.kind for p in panels]}")
    if show_text is None:
        show_text = n_rows <= 16 and sum(m.shape[1] for m in mats) <= 24
    rows = np.array(safe_labels(panels[0].row_labels), dtype=object)
    gap = np.full((n_rows, 1), np.nan)
    z_parts, custom_parts, tickvals, ticktext = [], [], [], []
    x = 0
    for p, m in zip(panels, mats):
        if z_parts:
            z_parts.append(gap)
            custom_parts.append(np.full((n_rows, 1, 3), "", dtype=object))
            x += 1
        cols = np.array(safe_labels(p.col_labels), dtype=object)
        z_parts.append(m)
        block = np.broadcast_arrays(rows[:, None], np.array(html.escape(p.title), dtype=object), cols[None, :])
        custom_parts.append(np.dstack(block))
        tickvals.append(x + (m.shape[1] - 1) / 2)
        ticktext.append(html.escape(p.title))
        x += m.shape[1]
    z = np.hstack(z_parts)
    first = panels[0]
    trace = {
        "type": "heatmap",
        "z": z.astype(np.float32),
        "customdata": np.hstack(custom_parts),
        "coloraxis": "coloraxis",
        "hoverongaps": False,
        "hovertemplate": (
            f"{html.escape(first.row_title)}: %{{customdata[0]}}<br>%{{customdata[1]}} · "
            f"{html.escape(first.col_title)}: %{{customdata[2]}}<br>%{{z:.6g}}<extra></extra>"
        ),
    }
    if show_text:
        text = np.char.mod("%.2f", np.nan_to_num(z))
        trace.update(text=np.where(np.isnan(z), "", text), texttemplate="%{text}", textfont={"size": 10})
    layout = {
        "coloraxis": _color_axis(first.kind, panels),
        "xaxis": {
            "side": "top", "tickmode": "array", "tickvals": tickvals, "ticktext": ticktext, "tickangle": 0,
            "showgrid": False, "zeroline": False, "ticks": "",
        },
        "yaxis": {
            "tickmode": "array", "tickvals": list(range(n_rows)), "ticktext": list(rows),
            "title": {"text": first.row_title}, "autorange": "reversed", "showgrid": False, "zeroline": False,
        },
    }  # fmt: skip
    return figure([trace], layout, title, height or max(260, 26 * n_rows + 110))
