"""Figures and numbers out of the app: a picture from every chart's toolbar, the matrices of every view as
CSV and NPY, the page's link and its settings as a JSON file that loads back, and every chart's alt text.

- ``chart_options(key, fig)``: the ``st.plotly_chart`` arguments every chart is drawn with: the camera
  button saves PNG at twice the drawn size or SVG (the format chosen under "Chart pictures"; Plotly's
  toolbar has one picture button, whose format the page's config sets), named
  ``<page>_<figure>_<sentence>``; and an ``alt`` text in the user's language, made from the figure
  itself (kind, title, matrices and axes).
- ``view_downloads``: after a view is drawn, one "Download data" menu with a CSV (row and column labels)
  and an NPY file for each matrix behind its charts (``viz.base.tables``). Files are made only when
  clicked (``st.download_button`` with a callable).
- ``share_menu`` / ``fill_share``: a row of three menus above the controls: the link of the page as it
  is now (a copy button), the settings file (save as JSON; load one, checked as hostile input by
  ``ui.formats``) and the picture format.
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import urlencode

import streamlit as st

from ui import formats, state
from ui.i18n import current_language, t
from ui.registry import PAGES
from ui.text import md_escape

FORMATS = ("png", "svg")
FORMAT_KEY = "image_format"  # the session's choice of picture format (not a page control: not in the link)
_FIGURES = "_export_figures"  # (chart key, figure) drawn by the view being drawn
MANY_TABLES = 6  # more matrices than this in one view: pick one from a list instead of a row of buttons
_TAG = re.compile(r"<[^>]+>")


def _page_path(page: str) -> str:
    return next((spec.url_path for spec in PAGES if spec.key == page), page)


def _sentence() -> str:
    return (st.session_state.get("text") or "")[:32]


def file_stem(key: str, *parts: str) -> str:
    """``<page url>_<figure>_<parts>_<sentence>`` for chart key ``<page>_<figure>``."""
    page = next((spec.key for spec in PAGES if key.startswith(spec.key + "_")), key.partition("_")[0])
    figure = key[len(page) + 1 :]
    return formats.file_stem(_page_path(page), figure, *parts, _sentence())


def _plain(text: str | None) -> str:
    """Figure text as a sentence: tags such as <br> and <sub> out, entities back to characters."""
    return " ".join(html.unescape(_TAG.sub(" ", text or "")).split())


def alt_text(fig) -> str:
    """What ``fig`` shows, in the user's language: its kind, title, matrices (with their sizes) or series,
    and its axes."""
    from viz.base import tables

    title = _plain(fig.layout.title.text) or t("alt.untitled")
    kinds = {trace.type for trace in fig.data}
    if "heatmap" in kinds:
        parts = "; ".join(
            t("alt.matrix", name=_plain(tab.name) or title, rows=len(tab.rows), cols=len(tab.cols))
            for tab in tables(fig)
        )
        text = t("alt.heatmap", title=title, parts=parts)
    elif kinds == {"bar"}:
        text = t("alt.bars", title=title, n=sum(len(trace.y if trace.y is not None else ()) for trace in fig.data))
    elif kinds and kinds <= {"scatter", "scattergl"}:
        text = t("alt.lines", title=title, n=len(fig.data))
    else:
        text = t("alt.figure", title=title)
    x, y = _plain(fig.layout.xaxis.title.text), _plain(fig.layout.yaxis.title.text)
    if x or y:
        text += " " + t("alt.axes", x=x or "—", y=y or "—")
    return text


def chart_options(key: str, fig) -> dict:
    """``st.plotly_chart``'s ``config`` and ``alt`` for the chart ``key``; remembers the figure for the
    view's data downloads."""
    st.session_state.setdefault(_FIGURES, []).append((key, fig))
    fmt = st.session_state.get(FORMAT_KEY) or "png"
    picture = {"format": fmt, "filename": file_stem(key), "scale": 2 if fmt == "png" else 1}
    return {"config": {"displaylogo": False, "toImageButtonOptions": picture}, "alt": alt_text(fig)}


def start_view() -> None:
    st.session_state[_FIGURES] = []


def view_downloads(view_key: str) -> None:
    """A "Download data" menu with the matrices behind the charts the view just drew (none: no menu)."""
    from viz.base import tables

    found = [(key, tab) for key, fig in st.session_state.pop(_FIGURES, []) for tab in tables(fig)]
    if not found:
        return
    with st.popover(t("export.data"), icon=":material/download:"):
        st.caption(t("export.data_help"))
        if len(found) > MANY_TABLES:
            names = [f"{_plain(tab.name)} ({len(tab.rows)} × {len(tab.cols)})" for _, tab in found]
            pick = st.selectbox(t("export.pick"), range(len(found)), format_func=names.__getitem__,
                                key=f"_export_pick_{view_key}")  # fmt: skip
            found = [found[pick]]
        for n, (key, tab) in enumerate(found):
            _table_buttons(f"{view_key}_{n}", key, tab)


def _table_buttons(button_key: str, chart_key: str, tab) -> None:
    name = _plain(tab.name)
    st.markdown(f"**{md_escape(name)}** ({len(tab.rows)} × {len(tab.cols)})")
    stem = file_stem(chart_key, name)
    left, right = st.columns(2)
    left.download_button(
        "CSV", functools.partial(formats.to_csv, tab.z, tab.rows, tab.cols), f"{stem}.csv", "text/csv",
        key=f"_csv_{button_key}", on_click="ignore", icon=":material/table:", width="stretch",
    )  # fmt: skip
    right.download_button(
        "NPY", functools.partial(formats.to_npy, tab.z), f"{stem}.npy", "application/octet-stream",
        key=f"_npy_{button_key}", on_click="ignore", icon=":material/data_array:", width="stretch",
    )  # fmt: skip


# ---- share and save -----------------------------------------------------------------------------------------------


def share_menu():
    """The row of the "Share" menus (filled by ``fill_share`` once the page is drawn)."""
    return st.container(horizontal=True, gap="small")


def shared_params() -> dict[str, str]:
    """What a link or a settings file holds: the language (always: the receiver's browser may prefer
    another), the sentence and every control not at its default, as the address has them now."""
    return {**state.link_params(), "lang": current_language()}  # the code, where the switch writes its label


def link() -> str:
    """The address of the page as it is now."""
    return f"{st.context.url or ''}?{urlencode(sorted(shared_params().items()))}"


def fill_share(row, page: str) -> None:
    """Three small menus: the link (opening it reruns the page, so the link is the page as it is then),
    the settings file (save, load) and the format of chart pictures."""
    if st.session_state.pop("_share_reload", False):
        st.rerun(scope="app")
    with row.popover(t("share.menu"), icon=":material/share:", key=f"_share_{page}", on_change="rerun"):
        st.caption(t("share.link_help"))
        st.code(link(), language=None, wrap_lines=True)
    with row.popover(t("share.settings"), icon=":material/save:"):
        st.download_button(
            t("share.save"), functools.partial(formats.state_to_json, page, shared_params()),
            f"{formats.file_stem(_page_path(page), 'settings', _sentence())}.json", "application/json",
            key=f"_save_{page}", on_click="ignore", icon=":material/download:",
        )  # fmt: skip
        key = f"_load_{page}"
        st.file_uploader(t("share.load"), type=["json"], key=key, on_change=_load, args=(page, key))
        upload, loaded = st.session_state.get(key), st.session_state.get(f"{key}_result")
        if upload is not None and loaded is not None and loaded[0] == upload.file_id:
            _loaded_message(*loaded[1:])
    with row.popover(t("share.pictures"), icon=":material/photo_camera:"):
        st.segmented_control(
            t("share.format"), FORMATS, format_func=lambda f: t(f"share.format_{f}"), key=FORMAT_KEY,
            required=True, default="png", persist_state="session", help=t("share.format_help"),
        )  # fmt: skip


def _load(page: str, key: str) -> None:
    """The uploaded settings file, applied as a link to this page would be (the sentence too)."""
    upload = st.session_state.get(key)
    if upload is None:
        return
    result = f"{key}_result"
    try:
        loaded_page, params = formats.state_from_json(upload.getvalue())
    except formats.StateRejected as err:
        st.session_state[result] = (upload.file_id, err.code, None, 0)
        return
    if loaded_page != page:
        st.session_state[result] = (upload.file_id, "other_page", loaded_page, 0)
        return
    # the language stays the reader's (a link sets it; a file opened by a student keeps their language)
    if "text" in params:
        st.session_state["text"] = params["text"]  # cleaned by the sentence box before it is drawn
    since = len(state.notes())
    state.load(page, {k: v for k, v in params.items() if k not in ("lang", "text")})
    st.session_state[result] = (upload.file_id, "ok", None, since)
    st.session_state["_share_reload"] = True  # the sidebar shows the file's sentence: a run of the whole app


def _loaded_message(code: str, other: str | None, since: int) -> None:
    if code == "ok":
        notes = state.notes()[since:]
        if notes:
            st.warning("\n".join(f"- {state.describe(*n)}" for n in notes))
        else:
            st.success(t("share.loaded"))
    elif code == "other_page":
        name = next((t(f"{spec.key}.nav") for spec in PAGES if spec.key == other), state.shown(other))
        st.error(t("share.state_other_page", page=name))
    else:
        st.error(t(f"share.state_{code}"))
