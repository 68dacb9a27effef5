"""The shared sidebar: language switch and the sentence every page works on.

Both widgets live in app.py's run (not in a page), so their values survive page switches, and both
are in the URL (?lang=zh&text=…) so a teacher can share a link to exactly what they show. The sentence
box is bound to the URL by Streamlit. The language is written there by ``keep_language_in_url``: a
bound switch would write its label (?lang=中文) and drop a link's ?lang=zh as it loads, since "zh" is
not one of its labels. Without ?lang= the browser's language decides (``ui.i18n.browser_language``).

What a sentence box keeps, one rule wherever text comes from (typed, pasted, a link, session state):
at most ``MAX_CHARS`` characters, counted as Unicode code points by the server, cut between two
grapheme clusters, with a notice saying how much was kept (``clean_state`` and ``cut_notice``). The
boxes have no ``max_chars`` of their own: the browser would count UTF-16 units and refuse a longer
paste without a word. A lone surrogate (U+D800–DFFF) never leaves the browser: the box's ``validate``
pattern refuses it with a message, since a message carrying one is not valid UTF-8 and the server
would drop it and every later message of that browser tab; one that arrives otherwise becomes U+FFFD.
"""

from __future__ import annotations

import streamlit as st

from core.limits import SENTENCE_MAX_CHARS, TOY_MAX_TOKENS
from core.tokens import clean_text, clip_text, tokenize
from ui import links, state
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, browser_language, language_named, t

MAX_TOKENS = TOY_MAX_TOKENS  # toy pages draw n × n heatmaps; beyond 64 the labels are unreadable
MAX_CHARS = SENTENCE_MAX_CHARS  # characters (code points) a box keeps: a paste of a whole book is cut here
# checked by the browser (a JavaScript RegExp with the "u" flag: a surrogate pair is one code point)
NO_LONE_SURROGATE = r"^[^\uD800-\uDFFF]*$"


def _on_language_change() -> None:
    # keep a sentence the user typed; swap only the other language's default sentence
    new = st.session_state.get("lang") or DEFAULT_LANGUAGE
    for old in LANGUAGES:
        if old != new and st.session_state.get("text") == t("sidebar.default_sentence", lang=old):
            st.session_state.text = t("sidebar.default_sentence", lang=new)


def init_state() -> None:
    """Language and sentence defaults, before any text is looked up."""
    links.remember()
    if st.session_state.get("lang") not in LANGUAGES:
        # a shared link sets the language: ?lang=zh (or ?lang=中文, as older links wrote it); without one,
        # or with one that names no language, the browser's language does
        from_url = language_named(st.query_params.get("lang"))
        st.session_state.lang = from_url or browser_language(st.context.locale)
    if "text" not in st.session_state:
        # a shared link (?text=…) sets the sentence
        st.session_state.text = str(st.query_params.get("text") or "") or t("sidebar.default_sentence")
    clean_state("text")


def keep_language_in_url() -> None:
    """Write the session's language into the address bar (``?lang=zh``), so a copied link opens in it.

    English, the default, stays out of a link, unless this browser's own language would open the link
    in Chinese. Called on every full run: a page switch starts the new page's address without it.
    """
    lang = st.session_state.get("lang") or DEFAULT_LANGUAGE
    wanted = None if lang == browser_language(st.context.locale) == DEFAULT_LANGUAGE else lang
    if st.query_params.get("lang") != wanted:
        if wanted is None:
            del st.query_params["lang"]
        else:
            st.query_params["lang"] = wanted


def clean_state(key: str) -> None:
    """Put in ``st.session_state[key]`` what a sentence box keeps (see the module docstring), and remember
    a cut for ``cut_notice``. Called before the box is drawn and as its ``on_change``."""
    raw = st.session_state.get(key)
    if not isinstance(raw, str):
        return
    kept = clip_text(clean_text(raw), MAX_CHARS)
    if kept != raw:
        st.session_state[key] = kept
    if len(kept) < len(raw):
        st.session_state[f"_cut_{key}"] = (kept, len(raw))


def cut_notice(key: str) -> None:
    """Say (in the user's language) how much of the text in box ``key`` was kept, while it is what was kept."""
    cut = st.session_state.get(f"_cut_{key}")
    if cut is not None and cut[0] == st.session_state.get(key):
        st.warning(t("input.cut", n=cut[1], kept=len(cut[0]), max_chars=MAX_CHARS), icon=":material/content_cut:")


def sentence_box(label: str, key: str, value: str | None = None, **kwargs) -> str:
    """A text box holding a sentence (``value`` before the user types), under the rules of the module
    docstring, with its cut notice. The value lives in session state only: a default passed to the box
    as well would make Streamlit warn once ``clean_state`` has set the state."""
    if value is not None:
        st.session_state.setdefault(key, value)
        state.default(key, value)  # a link leaves it out (ui.state)
    clean_state(key)
    validate = (NO_LONE_SURROGATE, t("input.surrogate"))
    text = st.text_input(label, key=key, on_change=clean_state, args=(key,), validate=validate, **kwargs)
    if text != clip_text(clean_text(text), MAX_CHARS):
        # a bound box takes a link's ?text= as it is on the first run: the next run cleans it first
        st.rerun()
    cut_notice(key)
    return text


def render():
    """Draw the language switch and the sentence box into the sidebar; returns the place of the notice on
    a shared link's unusable values (``ui.links``)."""
    with st.sidebar:
        st.segmented_control(
            t("sidebar.language"),
            LANGUAGES,
            format_func=LANGUAGE_NAMES.get,
            key="lang",
            required=True,
            on_change=_on_language_change,
        )
        keep_language_in_url()
        sentence_box(
            t("sidebar.sentence"),
            "text",
            live=True,
            help=t("sidebar.sentence_help", max_tokens=MAX_TOKENS, max_chars=MAX_CHARS),
            bind="query-params",
        )
        slot = st.container()
        with slot:
            links.show()
        st.caption(t("sidebar.about"))
    return slot


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
        cut = st.session_state.get("_cut_text")
        if cut is not None and cut[0] == sentence_text():  # the tokens are counted in the kept characters
            st.warning(t("input.truncated_cut", kept=len(cut[0]), n=len(tokens), max_tokens=max_tokens))
        else:
            st.warning(t("input.truncated", n=len(tokens), max_tokens=max_tokens))
        tokens = tokens[:max_tokens]
    return tokens
