"""The base every figure is built on: plain dicts in, one validated ``go.Figure`` out.

A figure module writes its traces and layout as plain dicts and hands them to ``figure()``, which
adds the app's title, margins, font and template and validates the whole figure once. Shared
pieces live here too: label escaping, subplot domains, the colour ranges of heatmaps, tick helpers
and the legend position.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from core.tokens import display_width, shorten
from viz import palette

# The app's template, put into every figure by ``figure()`` (never set as Plotly's global default,
# so a figure looks the same whoever imported what). Pages draw with theme=None (ui.widgets.chart).
TEMPLATE = pio.templates["plotly_white"]


def _dark_template() -> go.layout.Template:
    """plotly_dark on Streamlit's dark background, so a chart sits on the page rather than in a box."""
    template = go.layout.Template(pio.templates["plotly_dark"])
    template.layout.paper_bgcolor = template.layout.plot_bgcolor = "#0e1117"
    return template


DARK_TEMPLATE = _dark_template()

MARGIN = {"l": 10, "r": 10, "t": 48, "b": 10}

# Text sizes in CSS pixels, read from the back of a classroom on a projector: axis, tick and legend text
# (Plotly's default is 12), chart titles, and the least any figure writes (cell numbers, small captions).
FONT_SIZE = 14
TITLE_SIZE = 17
SMALL_SIZE = 12
# a title is wrapped to lines of at most this many character cells (a CJK character is two): what
# fits in half a projector's column (about 360 pixels) at the size a wrapped title gets
TITLE_CELLS = 46
WRAPPED_TITLE_SIZE = 15
TITLE_LINE = 20  # pixels of top margin each extra title line takes

# Legends sit at the bottom of the whole figure (container coordinates) and push the plot up: placed
# just under the plot area instead, they collide with the x-axis title once a narrow chart (a
# 1024-pixel projector) slants its tick labels.
LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"}


def escape(text: object) -> str:
    """Escape user text for Plotly, which reads a small HTML subset (<b>, <a href>) in labels."""
    return html.escape(str(text), quote=False)


def escape_lines(text: object) -> str:
    """``escape`` that keeps line breaks: each "<br>" (as the catalogues write a break in a box name)
    stays a break, everything else reads as text."""
    return "<br>".join(escape(part) for part in str(text).split("<br>"))


def safe_labels(labels: Iterable) -> list[str]:
    """``escape`` applied to every label."""
    return [escape(s) for s in labels]


TICK_WIDTH = 12  # character cells of a label on an axis: one 250-letter word must not squeeze the plot


def tick_labels(labels: Iterable, most: int = TICK_WIDTH) -> list[str]:
    """Labels for an axis: each shortened to ``most`` cells with "…" (whole grapheme clusters, see
    ``core.tokens.shorten``) and escaped. Labels that differ stay different ("3 · the" and "9 · the"
    keep their positions): where shortening would merge two, all are shortened less. The full label
    belongs in the hover text (``safe_labels``)."""
    full = [str(s) for s in labels]
    distinct = len(set(full))
    short = [shorten(s, most) for s in full]
    while len(set(short)) < distinct:
        most *= 2
        short = [shorten(s, most) for s in full]
    return safe_labels(short)


def wrap_title(title: str, most: int = TITLE_CELLS) -> list[str]:
    """``title`` as lines of at most ``most`` cells (``display_width``), broken after a space or between
    two CJK characters (a word longer than a line stays whole: Plotly never breaks a line itself)."""
    pieces = re.findall(
        r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef][，。：；、）」]?|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+",
        title,
    )
    lines, line = [], ""
    for piece in pieces:
        if line and display_width(line + piece.rstrip()) > most:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    return [*lines, line.rstrip()] if line.strip() else lines or [""]


def base_layout(title: str, height: int, margin: dict | None = None) -> dict:
    """The app's title (plain text: escaped, so a token in it is never markup; wrapped by ``wrap_title``,
    a wrapped one a little smaller and given the room of its extra lines), height, margins and font as
    layout entries.

    ``margin`` entries override the default margins one by one (``{"t": 70}`` keeps l, r and b).
    """
    lines = wrap_title(title)
    margin = {**MARGIN, **(margin or {})}
    margin["t"] += TITLE_LINE * (len(lines) - 1)
    size = TITLE_SIZE if len(lines) == 1 else WRAPPED_TITLE_SIZE
    return {
        "title": {"text": "<br>".join(escape(s) for s in lines), "x": 0, "xanchor": "left", "font": {"size": size}},
        "height": height,
        "margin": margin,
        "font": {"family": palette.FONT, "size": FONT_SIZE},
    }


def figure(data: list[dict], layout: dict, title: str, height: int) -> go.Figure:
    """A figure from plain trace and layout dicts, with the app's title, margins, font and template.

    Validated once by ``go.Figure``: adding traces and calling ``update_*`` one by one costs a path
    lookup and a validation per call, on every slider move. ``layout["margin"]`` entries override the
    default margins one by one.
    """
    # "template": {} keeps go.Figure from copying in Plotly's global default; TEMPLATE replaces it below
    fig = go.Figure(data=data, layout={**layout, **base_layout(title, height, layout.get("margin")), "template": {}})
    return _with_template(fig, TEMPLATE)


def _with_template(fig: go.Figure, template: go.layout.Template) -> go.Figure:
    """Install an already validated ``template`` as Plotly installs its default one
    (BaseFigure._initialize_layout_template): validating its many entries again on every figure would cost
    more than building the figure."""
    fig.layout._validate = False
    try:
        fig.layout.template = template
    finally:
        fig.layout._validate = True
    return fig


@dataclass(frozen=True)
class Table:
    """A matrix a figure shows, with its row and column labels as given (not escaped): what a download
    of the figure's numbers holds."""

    name: str
    z: np.ndarray
    rows: tuple
    cols: tuple


def with_tables(fig: go.Figure, tables: Iterable[Table]) -> go.Figure:
    """Attach the full matrices behind ``fig`` (a private attribute: never sent to the browser)."""
    fig._tables = tuple(tables)
    return fig


def tables(fig: go.Figure) -> tuple[Table, ...]:
    """The matrices behind ``fig``: those attached by ``with_tables``, else one per heatmap trace (its
    ``z`` with its ``x`` and ``y`` or their indices, labels unescaped), named by the trace or the figure."""
    attached = getattr(fig, "_tables", None)
    if attached is not None:
        return attached
    title = html.unescape(fig.layout.title.text or "")
    found = []
    for n, trace in enumerate(t for t in fig.data if t.type == "heatmap"):
        z = np.asarray(trace.z, dtype=np.float64)
        if z.ndim != 2:
            continue
        rows = trace.y if trace.y is not None and len(trace.y) == z.shape[0] else range(z.shape[0])
        cols = trace.x if trace.x is not None and len(trace.x) == z.shape[1] else range(z.shape[1])
        name = html.unescape(trace.name or "") or (title if n == 0 else f"{title} ({n + 1})")
        found.append(Table(name, z, tuple(_plain(r) for r in rows), tuple(_plain(c) for c in cols)))
    return tuple(found)


def _plain(label) -> object:
    return html.unescape(label) if isinstance(label, str) else label


def _swap_ink(node, swap: dict[str, str]):
    """``node`` (a figure as plain dicts and lists) with every colour string in ``swap`` replaced."""
    if isinstance(node, dict):
        return {k: _swap_ink(v, swap) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_swap_ink(v, swap) for v in node]
    if isinstance(node, np.ndarray) and node.dtype.kind in "UO":
        return [_swap_ink(v, swap) for v in node.tolist()]
    if isinstance(node, str):
        return swap.get(node.lower(), node)
    return node


def themed(fig: go.Figure, theme: str | None) -> go.Figure:
    """The figure for the page's theme (``st.context.theme.type``: "light", "dark" or None): as built for
    a light page, or on DARK_TEMPLATE with the palette's ink (``palette.DARK_INK``) drawn light."""
    if theme != "dark":
        return fig
    spec = fig.to_plotly_json()
    layout = _swap_ink(spec["layout"], palette.DARK_INK)
    dark = go.Figure(
        data=_swap_ink(spec["data"], palette.DARK_INK), layout={k: v for k, v in layout.items() if k != "template"}
    )
    # the matrices come along, as in enlarged_fonts: the copy's z arrays are typed-array dicts
    return with_tables(_with_template(dark, DARK_TEMPLATE), tables(fig))


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


def signed_bound(*arrays) -> float:
    """The largest finite |value| over ``arrays`` (each of any shape), or 1.0 when there is none or it
    is 0: a diverging colour scale then runs from −bound to bound, with white at 0."""
    bound = 0.0
    for a in arrays:
        a = np.asarray(a)
        finite = np.abs(a[np.isfinite(a)])
        if finite.size:
            bound = max(bound, float(finite.max()))
    return bound or 1.0


def color_range(kind: str, *arrays, prefix: str = "z") -> dict:
    """Colour scale and range of a heatmap trace (``prefix`` "z") or of a layout colour axis ("c").

    kind "prob": attention weights, 0…1 on the weights scale; "signed": vectors and scores, diverging
    and symmetric about 0 (``signed_bound`` of ``arrays``), so a colour means the same sign everywhere.
    """
    if kind == "prob":
        return {"colorscale": palette.WEIGHTS_SCALE, f"{prefix}min": 0.0, f"{prefix}max": 1.0}
    bound = signed_bound(*arrays)
    return {"colorscale": palette.SIGNED_SCALE, f"{prefix}min": -bound, f"{prefix}max": bound, f"{prefix}mid": 0.0}


def color_axis(kind: str, *arrays, colorbar_x: float | None = None) -> dict:
    """A layout colour axis (``color_range`` with prefix "c") with the app's slim colour bar."""
    colorbar = {"thickness": 10, "len": 0.85, **({} if colorbar_x is None else {"x": colorbar_x})}
    return {**color_range(kind, *arrays, prefix="c"), "colorbar": colorbar}


def numeric_axis(fig: go.Figure, axis: str = "x", nticks: int = 16) -> go.Figure:
    """Replace one tick per column (unreadable beyond ~30) by about nticks automatic numeric ticks.

    For a page that shows a finished figure with many columns; figure modules put the same entries
    into their layout dicts instead.
    """
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(tickmode="auto", tickvals=None, ticktext=None, nticks=nticks, tickangle=0)
    return fig


def thin_ticks(labels: Sequence, most: int = 16, categorical: bool = True) -> dict:
    """Axis settings that label every k-th row/column only, so N = 140 patch labels stay readable.

    categorical: the axis is indexed by the labels themselves (else by positions 0 … N − 1).
    """
    step = max(1, len(labels) // most)
    where = list(labels)[::step] if categorical else list(range(0, len(labels), step))
    return {"tickmode": "array", "tickvals": where, "ticktext": list(labels)[::step]}


PLOTLY_FONT_SIZE = 12  # Plotly's default font size: what a figure without its own uses


def enlarged_fonts(fig: go.Figure, factor: float, title_factor: float | None = None) -> go.Figure:
    """A copy of ``fig`` with every font ``factor`` times larger (ticks, axis titles, legends, cell numbers,
    annotations) and its title ``title_factor`` times (default ``factor``; a title does not wrap, so a long
    one over a half-width chart keeps a smaller factor): for a projector, where 12-pixel text is
    unreadable from the back of a room."""

    def scale(node):
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key.endswith("font") and isinstance(value, dict) and "size" in value:
                    value = {**value, "size": round(value["size"] * factor, 1)}
                out[key] = scale(value)
            return out
        if isinstance(node, list):
            return [scale(v) for v in node]
        return node

    original = fig.to_plotly_json()
    spec = scale(original)
    layout = spec.get("layout", {})
    title_font = original.get("layout", {}).get("title", {}).get("font", {})
    if title_factor is not None and "size" in title_font:
        layout["title"]["font"]["size"] = round(title_font["size"] * title_factor, 1)
    font = layout.get("font", {})
    if "size" not in font:
        layout["font"] = {**font, "size": round(PLOTLY_FONT_SIZE * factor, 1)}
    # the matrices behind the figure come along (its downloads); the copy's z arrays are Plotly's typed-array
    # dicts, which tables() could not read back
    return with_tables(go.Figure(spec), tables(fig))
