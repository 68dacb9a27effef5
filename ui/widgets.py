"""Small widgets used on several pages."""

from __future__ import annotations

import inspect

import streamlit as st

from ui import export, formats, projector, state
from ui.i18n import t
from viz.base import enlarged_fonts, themed


def show_code(*functions) -> None:
    """An expander printing the source of the core functions behind a figure."""
    with st.expander(t("common.show_code"), icon=":material/code:"):
        for fn in functions:
            st.code(inspect.getsource(fn), language="python")


def page_theme() -> str | None:
    """The theme the page is drawn in ("light" or "dark"; None when the browser has not said)."""
    return getattr(st.context.theme, "type", None)


def styled(fig):
    """``fig`` as this page draws it: in the page's theme, and with larger type in projector mode."""
    fig = themed(fig, page_theme())
    if st.session_state.get(projector.KEY):
        fig = enlarged_fonts(fig, projector.FONT_FACTOR, projector.TITLE_FACTOR)
    return fig


def chart(fig, key: str) -> None:
    """st.plotly_chart with the app's defaults (full width, no Plotly logo, the picture download and alt
    text of ``ui.export``), in the page's theme (``styled``).

    theme=None: the figures carry their own template (viz/__init__.py), the dark one on a dark page
    (``viz.base.themed``); restyling each one with Streamlit's theme in the browser made every redraw
    measurably slower.
    """
    # the picture download and alt text (ui.export) are made from the figure as built, its matrices included
    st.plotly_chart(styled(fig), width="stretch", key=key, theme=None, **export.chart_options(key, fig))


def custom_mask_editor(labels: list[str], key: str) -> tuple[tuple[int, int], ...]:
    """A grid of checkboxes (rows = queries, columns = keys); returns the unticked (blocked) cells.

    The blocked cells are in the address (``<page>_custom=0.1,2.3``): a link's cells are the grid the
    editor starts from (kept for the editor's life: its edits are relative to it)."""
    import pandas as pd

    start = st.session_state.setdefault(f"_start_{key}", _link_cells(key, len(labels)))
    grid = pd.DataFrame(True, index=labels, columns=labels)
    for i, j in start:
        grid.iat[i, j] = False
    edited = st.data_editor(grid, key=key, width="stretch", height=min(38 * (len(labels) + 1), 420))
    blocked = ~edited.to_numpy(dtype=bool)
    cells = tuple((int(i), int(j)) for i, j in zip(*blocked.nonzero()))
    state.put(state.address_name(key), formats.cells_to_text(cells))
    return cells


def _link_cells(key: str, n: int) -> tuple[tuple[int, int], ...]:
    """The blocked cells a link gave for the editor ``key`` (checked against the sentence), or none."""
    name = state.address_name(key)
    raw = state.pending(name)
    if raw is None:
        return ()
    cells, status = formats.cells_from_text(raw, n)
    if status != formats.OK:
        state.note(status, name, raw, formats.cells_to_text(cells) or "")
    return cells


def clamp_state(key: str, lo: int, hi: int) -> None:
    """Pull a keyed number widget's remembered value back into [lo, hi] before it is drawn.

    Its bounds may depend on another control (an offset ≤ the number of positions); a value left
    over from wider bounds would otherwise make Streamlit raise.
    """
    if key in st.session_state:
        st.session_state[key] = min(max(st.session_state[key], lo), hi)


def clickable_chart(fig, key: str, on_click) -> None:
    """Like ``chart``, but a click on a point reruns the app and calls ``on_click(point)`` first.

    ``point`` is Streamlit's selection dict of the clicked point (with its ``customdata``).
    """

    def callback() -> None:
        points = st.session_state[key]["selection"]["points"]
        if points:  # clicking the selected point again deselects it: nothing to do
            on_click(points[0])

    options = export.chart_options(key, fig)
    options["config"]["modeBarButtons"] = [["toImage"]]  # the picture download only: a click selects
    st.plotly_chart(
        styled(fig), width="stretch", key=key, on_select=callback, selection_mode="points", theme=None, **options
    )
