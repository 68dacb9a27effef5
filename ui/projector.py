"""Projector mode: larger type and figure fonts, high contrast, the sidebar folded away, the figure as wide
as the screen. On with ``?present=1`` or the sidebar's switch, and kept in the address either way.

The style rules live in assets/projector.css, a sheet this module adds to the page only while the mode is on
(scoped with ``body:has(…)`` in the sheet every page loads, they made every redraw of every page restyle the
whole document). Figures get their larger fonts in ``ui.widgets.chart``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.i18n import t
from ui.text import md_escape

PARAM = KEY = "present"  # the address key and the switch's session-state key
FONT_FACTOR = 1.4  # figure fonts on a projector: 14 px -> 19.6 px
TITLE_FACTOR = 1.15  # figure titles 17 px -> 19.6 px: half-width charts have long ones
_NOTE = "_present_note"
EXIT = "projector_exit"  # the leave button's key (projector.css: .st-key-projector_exit)
SHEET = Path(__file__).resolve().parent.parent / "assets" / "projector.css"


def init() -> None:
    """Before the page is configured: ``?present=1`` turns the mode on; another value is dropped, with a note."""
    if KEY in st.session_state:
        return
    given = st.query_params.get_all(PARAM)
    st.session_state[KEY] = bool(given) and given[-1] == "1"
    if given and given[-1] not in ("0", "1"):
        st.session_state[_NOTE] = given[-1]


def on() -> bool:
    return bool(st.session_state.get(KEY))


def sidebar_state() -> str:
    """``st.set_page_config``'s sidebar: folded away on a projector."""
    return "collapsed" if on() else "auto"


def _leave() -> None:
    st.session_state[KEY] = False
    st.session_state.pop(_NOTE, None)


def render() -> None:
    """The switch (in the sidebar), the address kept in step with it, and the mode's style sheet. In projector
    mode the sidebar is folded away, so a small button in the main column leaves the mode too: the sheet pins it
    beside the sidebar's unfold arrow, in the header, away from the title and the figures."""
    with st.sidebar:
        st.toggle(
            t("projector.toggle"), key=KEY, help=t("projector.help"), on_change=st.session_state.pop, args=(_NOTE, None)
        )
        if on():
            st.html(SHEET)  # a <style> only: takes no space
        note = st.session_state.get(_NOTE)
        if note is not None:
            st.warning(t("projector.bad_value", value=md_escape(note[:40])), icon=":material/link_off:")
    if on():
        st.button(t("projector.exit"), key=EXIT, on_click=_leave, icon=":material/fullscreen_exit:", type="secondary",
                  help=t("projector.exit_help"))  # fmt: skip
    if on() and st.query_params.get_all(PARAM) != ["1"]:
        st.query_params[PARAM] = "1"
    elif not on() and PARAM in st.query_params:
        del st.query_params[PARAM]
