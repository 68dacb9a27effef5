"""The shared sidebar: language switch and the sentence every page works on.

Both widgets live in app.py's run (not in a page), so their values survive page switches, and both
are bound to the URL (?lang=zh&text=…) so a teacher can share a link to exactly what they show.
"""

from __future__ import annotations

import streamlit as st

from core.tokens import tokenize
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

MAX_TOKENS = 64  # toy pages draw n × n heatmaps; beyond 64 the labels are unreadable
MAX_CHARS = 2000  # a paste of a whole book is cut here by the browser widget itself
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


def _on_language_change() -> None:
    # keep a sentence the user typed; swap only the other language's default sentence
    new = st.session_state.get("lang") or DEFAULT_LANGUAGE
    for old in LANGUAGES:
        if old != new and st.session_state.get("text") == t("sidebar.default_sentence", lang=old):
            st.session_state.text = t("sidebar.default_sentence", lang=new)


def language_from_url(value) -> str:
    """The language code for a ``?lang=`` value: a code ("zh") or a switch label ("中文")."""
    by_name = {name: code for code, name in LANGUAGE_NAMES.items()}
    value = str(value or "")
    return value if value in LANGUAGES else by_name.get(value, DEFAULT_LANGUAGE)


def init_state() -> None:
    """Language and sentence defaults, before any text is looked up."""
    if st.session_state.get("lang") not in LANGUAGES:
        # a shared link sets the language: ?lang=zh, or ?lang=中文 as the switch itself writes it into the
        # address bar (the bound widget stores its label); anything else there is ignored
        st.session_state.lang = language_from_url(st.query_params.get("lang"))
    if "text" not in st.session_state:
        # a shared link (?text=…) sets the sentence, cut to what the box itself accepts
        shared = str(st.query_params.get("text") or "")[:MAX_CHARS]
        st.session_state.text = shared or t("sidebar.default_sentence")


def render() -> None:
    """Draw the language switch and the sentence box into the sidebar."""
    with st.sidebar:
        st.segmented_control(
            t("sidebar.language"),
            LANGUAGES,
            format_func=LANGUAGE_NAMES.get,
            key="lang",
            required=True,
            on_change=_on_language_change,
            bind="query-params",
        )
        st.text_input(
            t("sidebar.sentence"),
            key="text",
            max_chars=MAX_CHARS,
            live=True,
            help=t("sidebar.sentence_help", max_tokens=MAX_TOKENS),
            bind="query-params",
        )
        st.caption(t("sidebar.about"))


def sentence_text() -> str:
    """The sidebar sentence as typed."""
    return st.session_state.get("text") or ""


def sentence_tokens(max_tokens: int = MAX_TOKENS) -> list[str]:
    """The sidebar sentence as tokens, with a message (in the user's language) for bad input.

    Empty → an info box and []; more than ``max_tokens`` → a notice and the first ``max_tokens``.
    """
    tokens = tokenize(sentence_text())
    if not tokens:
        st.info(t("input.empty"))
        return []
    if len(tokens) > max_tokens:
        st.warning(t("input.truncated", n=len(tokens), max_tokens=max_tokens))
        tokens = tokens[:max_tokens]
    return tokens
