"""Heatmaps with tokens on the axes and exact values on hover."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.base import (
    FONT_SIZE,
    SMALL_SIZE,
    Table,
    color_axis,
    escape,
    figure,
    safe_labels,
    split_domain,
    tick_labels,
    with_tables,
)

MASKED_TEXT = "−∞"
# At most this many columns across a figure (all its panels) leave a cell wide enough for "−∞" in a
# 712-pixel column (a 1024-pixel projector beside the sidebar); beyond, a masked cell gets a cross: the
# text of 2 × 12 columns (the default sentence's masked scores beside its weights) ran into one line.
MARK_TEXT_COLUMNS = 16
TEXT_MARKS_MAX = 10  # cells a side up to which a masked cell shows "−∞" (more: a cross)


def _text_grid(z: np.ndarray, masked: np.ndarray | None, decimals: int) -> np.ndarray:
    text = np.char.mod(f"%.{decimals}f", z.astype(np.float64))
    if masked is not None:
        text = np.where(masked, MASKED_TEXT, text)
    return text


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


def _panel_traces(p: Panel, coloraxis: str, show_text: bool, axes: dict, mark_text: bool = True) -> list[dict]:
    """The traces of one panel as plain dicts (see ``heatmap_row`` for why not ``go.Heatmap``); ``mark_text``:
    masked cells wide enough for the text "−∞" (else a cross)."""
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
        values.update(text=_text_grid(z, masked, 2), texttemplate="%{text}", textfont={"size": SMALL_SIZE})
    traces.append(values)
    if any_masked:
        mi, mj = np.nonzero(masked)
        marks = {
            "type": "scatter",
            "x": mj,
            "y": mi,
            "mode": "text",
            "textfont": {"color": "#444", "size": SMALL_SIZE},
            "hovertemplate": f"{MASKED_TEXT}<extra></extra>",
            "showlegend": False,
            **axes,
        }
        # "−∞" even without numbers: a masked cell must read as masked, not as a shade of grey (for a
        # reader who cannot tell that grey from the scale's colours too); cells too small for the text
        # get a thin cross. With at most MARK_TEXT_COLUMNS columns across the figure and TEXT_MARKS_MAX cells a
        # side, "−∞" fits a cell of a half-width panel on a 1024-pixel projector, also at projector mode's
        # larger type (12 and 15 cells ran the marks together).
        if show_text or (mark_text and max(z.shape) <= TEXT_MARKS_MAX):
            marks["text"] = [MASKED_TEXT] * len(mi)
        else:
            size = 7 if max(z.shape) <= 32 else 4  # a cross as large as a small cell allows
            marks.update(
                mode="markers", marker={"symbol": "x-thin", "size": size, "line": {"width": 1.5, "color": "#444"}}
            )
        traces.append(marks)
    return traces


def _tick_size(n_labels: int) -> int:
    """Tick labels at the figures' size, or smaller on an axis with a label per row of a long sentence
    (beyond 12 rows they would touch)."""
    return FONT_SIZE if n_labels <= 12 else SMALL_SIZE


def _panel_layout(p: Panel, n: int, shape: tuple[int, int], domain: tuple[float, float], shared_rows) -> dict:
    """The x and y axes of panel ``n`` (1-based) at ``domain``; row labels only where they change."""
    n_rows, n_cols = shape
    suffix = "" if n == 1 else str(n)
    return {
        f"xaxis{suffix}": {
            "domain": list(domain), "anchor": f"y{suffix}", "title": {"text": p.col_title},
            "tickmode": "array", "tickvals": list(range(n_cols)), "ticktext": tick_labels(p.col_labels),
            "tickangle": _tick_angle(p.col_labels), "showgrid": False, "zeroline": False,
            "tickfont": {"size": _tick_size(n_cols)},
        },
        f"yaxis{suffix}": {
            "domain": [0.0, 1.0], "anchor": f"x{suffix}", "title": {"text": p.row_title},
            "tickmode": "array", "tickvals": list(range(n_rows)), "ticktext": tick_labels(p.row_labels),
            "autorange": "reversed", "showgrid": False, "zeroline": False,
            "showticklabels": n == 1 or p.row_labels is not shared_rows, "tickfont": {"size": _tick_size(n_rows)},
        },
    }  # fmt: skip


def _panel_title(text: str, domain: tuple[float, float]) -> dict:
    """A panel's title, centred above it (an annotation, as ``make_subplots`` writes subplot titles)."""
    return {
        "text": escape(text), "x": (domain[0] + domain[1]) / 2, "y": 1.0, "xref": "paper", "yref": "paper",
        "xanchor": "center", "yanchor": "bottom", "showarrow": False, "font": {"size": 13},
    }  # fmt: skip


def _cell_outline(i: int, j: int, suffix: str) -> dict:
    """A thick outline around cell (i, j) of the panel on axes x{suffix}, y{suffix}."""
    return {
        "type": "rect", "x0": j - 0.5, "x1": j + 0.5, "y0": i - 0.5, "y1": i + 0.5,
        "xref": f"x{suffix}", "yref": f"y{suffix}", "line": {"color": palette.ACCENT, "width": 3},
    }  # fmt: skip


def heatmap_row_parts(
    panels: Sequence[Panel],
    *,
    show_text: bool | None = None,
    height: int | None = None,
    highlight: tuple[int, int] | None = None,
    widths: Sequence[float] | None = None,
) -> tuple[list[dict], dict, int]:
    """The traces, layout and height of ``heatmap_row``, for a figure that adds to them before ``figure()``."""
    k = len(panels)
    shapes = [np.asarray(p.z).shape for p in panels]
    if show_text is None:
        show_text = max(r * c for r, c in shapes) <= 160 and max(max(s) for s in shapes) <= 16
    columns = sum(c for _, c in shapes)  # side by side, the panels share the figure's width
    kinds = list(dict.fromkeys(p.kind for p in panels))
    axis_of = {kind: "coloraxis" if n == 0 else f"coloraxis{n + 1}" for n, kind in enumerate(kinds)}
    domains = split_domain(widths if widths is not None else [1.0] * k, 0.1 if k > 1 else 0.0)
    data, outlines, annotations = [], [], []
    layout: dict = {}
    for n, (p, shape, domain) in enumerate(zip(panels, shapes, domains), start=1):
        suffix = "" if n == 1 else str(n)
        axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        data += _panel_traces(p, axis_of[p.kind], show_text, axes, mark_text=columns <= MARK_TEXT_COLUMNS)
        layout.update(_panel_layout(p, n, shape, domain, panels[0].row_labels))
        if p.title:
            annotations.append(_panel_title(p.title, domain))
        if highlight is not None:
            outlines.append(_cell_outline(*highlight, suffix))
    for kind, axis in axis_of.items():
        last = max(n for n, p in enumerate(panels) if p.kind == kind)
        layout[axis] = color_axis(kind, *(p.z for p in panels if p.kind == kind), colorbar_x=domains[last][1] + 0.005)
    layout.update(annotations=annotations, shapes=outlines)
    return data, layout, height or max(260, 26 * max(r for r, _ in shapes) + 130)


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

    Each panel's ``z`` is (rows, cols). Panels of the same kind share one colour scale, so magnitudes
    compare across panels (Q·Kᵀ next to Q·Kᵀ/√d_k shows the shrinking). Rows and columns are indexed
    by position, so a repeated token keeps its own row. ``highlight`` outlines cell (i, j) of every
    panel; ``widths`` gives the panels' relative widths (e.g. their column counts).

    The panels are laid out as ``make_subplots`` would, but written as plain dicts and validated once
    (``viz.base.figure``): the subplot machinery and per-axis ``update_*`` calls made every redraw slow.
    """
    data, layout, fig_height = heatmap_row_parts(
        panels, show_text=show_text, height=height, highlight=highlight, widths=widths
    )
    return with_tables(figure(data, layout, title, fig_height), panel_tables(panels, title))


def panel_tables(panels: Sequence[Panel], title: str = "") -> list[Table]:
    """The panels' matrices for downloads (masked cells as NaN), each named by its panel or the figure."""
    found = []
    for p in panels:
        z = np.array(p.z, dtype=np.float64)
        if p.masked is not None:
            z[np.broadcast_to(np.asarray(p.masked, dtype=bool), z.shape)] = np.nan
        found.append(Table(p.title or title, z, tuple(p.row_labels), tuple(p.col_labels)))
    return found


def token_heatmap(
    z: np.ndarray,
    row_labels: Sequence,
    col_labels: Sequence,
    title: str,
    *,
    kind: str = "signed",
    masked: np.ndarray | None = None,
    row_title: str = "",
    col_title: str = "",
    show_text: bool | None = None,
    height: int | None = None,
    highlight: tuple[int, int] | None = None,
) -> go.Figure:
    """A single labelled heatmap of ``z`` (rows × cols); see ``heatmap_row`` and ``Panel``."""
    panel = Panel(np.asarray(z), row_labels, col_labels, "", kind, masked, row_title, col_title)
    return heatmap_row([panel], title, show_text=show_text, height=height, highlight=highlight)


def _blocks_side_by_side(panels: Sequence[Panel], mats: list[np.ndarray], rows: np.ndarray):
    """The matrices joined with one blank (NaN) column between them, the (row, block, column) names of
    every cell, and the position and name of each block's tick."""
    n_rows = len(rows)
    z_parts, custom_parts, tickvals, ticktext = [], [], [], []
    x = 0
    for p, m in zip(panels, mats):
        if z_parts:
            z_parts.append(np.full((n_rows, 1), np.nan))
            custom_parts.append(np.full((n_rows, 1, 3), "", dtype=object))
            x += 1
        cols = np.array(safe_labels(p.col_labels), dtype=object)
        z_parts.append(m)
        block = np.broadcast_arrays(rows[:, None], np.array(html.escape(p.title), dtype=object), cols[None, :])
        custom_parts.append(np.dstack(block))
        tickvals.append(x + (m.shape[1] - 1) / 2)
        ticktext.append(html.escape(p.title))
        x += m.shape[1]
    return np.hstack(z_parts), np.hstack(custom_parts), tickvals, ticktext


def heatmap_blocks(
    panels: Sequence[Panel],
    title: str = "",
    *,
    show_text: bool | None = None,
    height: int | None = None,
) -> go.Figure:
    """Matrices with the same rows (X, Q, K and V of one sentence, each (n, d)) as blocks of ONE heatmap.

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
    z, custom, tickvals, ticktext = _blocks_side_by_side(panels, mats, rows)
    first = panels[0]
    trace = {
        "type": "heatmap",
        "z": z.astype(np.float32),
        "customdata": custom,
        "coloraxis": "coloraxis",
        "hoverongaps": False,
        "hovertemplate": (
            f"{html.escape(first.row_title)}: %{{customdata[0]}}<br>%{{customdata[1]}} · "
            f"{html.escape(first.col_title)}: %{{customdata[2]}}<br>%{{z:.6g}}<extra></extra>"
        ),
    }
    if show_text:
        text = np.char.mod("%.2f", np.nan_to_num(z))
        trace.update(text=np.where(np.isnan(z), "", text), texttemplate="%{text}", textfont={"size": SMALL_SIZE})
    layout = {
        "coloraxis": color_axis(first.kind, *mats),
        "xaxis": {
            "side": "top", "tickmode": "array", "tickvals": tickvals, "ticktext": ticktext, "tickangle": 0,
            "showgrid": False, "zeroline": False, "ticks": "",
        },
        "yaxis": {
            "tickmode": "array", "tickvals": list(range(n_rows)), "ticktext": tick_labels(first.row_labels),
            "title": {"text": first.row_title}, "autorange": "reversed", "showgrid": False, "zeroline": False,
        },
    }  # fmt: skip
    return with_tables(figure([trace], layout, title, height or max(260, 26 * n_rows + 110)), panel_tables(panels))
