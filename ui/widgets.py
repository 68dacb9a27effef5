"""Small widgets used on several pages."""

from __future__ import annotations

import inspect

import streamlit as st

from ui.i18n import t
from viz.base import themed


def show_code(*functions) -> None:
    """An expander printing the source of the core functions behind a figure."""
    with st.expander(t("common.show_code"), icon=":material/code:"):
        for fn in functions:
            st.code(inspect.getsource(fn), language="python")


def page_theme() -> str | None:
    """The theme the page is drawn in ("light" or "dark"; None when the browser has not said)."""
    return getattr(st.context.theme, "type", None)


def chart(fig, key: str) -> None:
    """st.plotly_chart with the app's defaults (full width, no Plotly logo), in the page's theme.

    theme=None: the figures carry their own template (viz/__init__.py), the dark one on a dark page
    (``viz.base.themed``); restyling each one with Streamlit's theme in the browser made every redraw
    measurably slower.
    """
    st.plotly_chart(themed(fig, page_theme()), width="stretch", key=key, config={"displaylogo": False}, theme=None)


def custom_mask_editor(labels: list[str], key: str) -> tuple[tuple[int, int], ...]:
    """A grid of checkboxes (rows = queries, columns = keys); returns the unticked (blocked) cells."""
    import pandas as pd

    grid = pd.DataFrame(True, index=labels, columns=labels)
    edited = st.data_editor(grid, key=key, width="stretch", height=min(38 * (len(labels) + 1), 420))
    blocked = ~edited.to_numpy(dtype=bool)
    return tuple((int(i), int(j)) for i, j in zip(*blocked.nonzero()))


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

    st.plotly_chart(
        themed(fig, page_theme()),
        width="stretch",
        key=key,
        on_select=callback,
        selection_mode="points",
        config={"displaylogo": False, "displayModeBar": False},
        theme=None,
    )
