"""Small widgets used on several pages."""

from __future__ import annotations

import inspect

import streamlit as st

from ui.i18n import t


def show_code(*functions) -> None:
    """An expander printing the source of the core functions behind a figure."""
    with st.expander(t("common.show_code"), icon=":material/code:"):
        for fn in functions:
            st.code(inspect.getsource(fn), language="python")


def chart(fig, key: str) -> None:
    """st.plotly_chart with the app's defaults (full width, no Plotly logo)."""
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})


def custom_mask_editor(labels: list[str], key: str) -> tuple[tuple[int, int], ...]:
    """A grid of checkboxes (rows = queries, columns = keys); returns the unticked (blocked) cells."""
    import pandas as pd

    grid = pd.DataFrame(True, index=labels, columns=labels)
    edited = st.data_editor(grid, key=key, width="stretch", height=min(38 * (len(labels) + 1), 420))
    blocked = ~edited.to_numpy(dtype=bool)
    return tuple((int(i), int(j)) for i, j in zip(*blocked.nonzero()))
