"""A shared link's query parameters: what the app could not use is named, in the user's language.

The sidebar's ``lang`` and ``text`` are bound to the URL by Streamlit (``bind="query-params"``), which
takes a link's value as it reads it: a value not among the options is dropped and the default used.
Nothing raises, but nothing says so either. A page's controls are read by ``ui.state``, which clamps or
drops what they cannot take and says so (``state.notes``). So the address of a session's first run
is kept (``remember``) and, once a run has finished (``check``), every parameter whose value did not
become the widget's value, every parameter given more than once and every parameter the app does not
read gets one line in a notice.
``text`` is left to the sentence box's own notice (``ui.sidebar``).
Streamlit ignores a whole query string longer than 512 Ki characters before the app sees it.
"""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.i18n import LANGUAGE_NAMES, language_named, t

READ_BY_THE_APP = {"lang", "text", "lesson", "step", "present"}  # besides a page's controls (ui.state)
CHECKED_WHERE_READ = {"text", "lesson", "step", "present"}  # their own notices: ui.sidebar, ui.lessons, ui.projector
_LINK, _NOTES = "_link", "_link_notes"
MAX_NOTES = 12


def remember() -> None:
    """Keep the address of the session's first run (call before any widget is drawn)."""
    if _LINK not in st.session_state:
        st.session_state[_LINK] = {key: st.query_params.get_all(key) for key in st.query_params}


_shown = state.shown


def _notes(link: dict[str, list[str]]) -> list[str]:
    notes = []
    for key, values in link.items():
        given = values[-1] if values else ""
        if len(values) > 1:
            notes.append(t("link.repeated", name=_shown(key), n=len(values)))
        if state.answers(key):
            continue  # a page's control: ui.state checked it
        if key not in READ_BY_THE_APP and key not in st.session_state:
            notes.append(t("link.unknown", name=_shown(key)))
            continue
        now = st.session_state.get(key)
        if key == "lang":
            used, now = language_named(given) == now, LANGUAGE_NAMES.get(now, now)
        else:
            used = key in CHECKED_WHERE_READ or str(now) == given
        if not used:
            notes.append(t("link.dropped", name=_shown(key), value=_shown(given), now=_shown(now)))
    return notes


def check(slot) -> None:
    """After the first finished run: the notes on the remembered address, drawn into ``slot``."""
    link = st.session_state.get(_LINK)
    if link is None or _NOTES in st.session_state:
        return
    notes = _notes(link) + [state.describe(*n) for n in state.notes()]
    if len(notes) > MAX_NOTES + 1:  # a link of hundreds of made-up names: the first ones, and a count
        notes = [*notes[:MAX_NOTES], t("link.more", n=len(notes) - MAX_NOTES)]
    st.session_state[_NOTES] = notes
    with slot:
        show()


def show() -> None:
    """The notice, with a button that puts it away."""
    notes = st.session_state.get(_NOTES)
    if notes:
        st.warning(t("link.notice") + "\n\n" + "\n".join(f"- {note}" for note in notes), icon=":material/link_off:")
        st.button(t("link.dismiss"), key="link_dismiss", on_click=lambda: st.session_state.__setitem__(_NOTES, []))
