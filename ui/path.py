"""The guided path through the pages, in the order of the article the lab is built from.

intuition → scaled dot-product → why √d_k → multi-head → positional encoding → block → vs RNN/CNN →
images → real model → causal language model → watch attention learn → summary. ``ui.registry.PAGES`` lists them in that order; a page with
``on_path=False`` (the glossary) is reference, not a step. The page skeleton draws, on every page:
where the learner is (``step_caption``), the notation panel, the page's "try this" suggestions, links
to the pages where a concept lives (``see_also``) and previous / next at the bottom (``footer``).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui.i18n import catalog, current_language, t
from ui.registry import PAGES, PageSpec, find_key

MAX_TRIES = 5  # "try this" suggestions a page may have: try.<key>_1 … try.<key>_5


def path() -> tuple[PageSpec, ...]:
    """The pages of the guided path, in order."""
    return tuple(spec for spec in PAGES if spec.on_path)


def step(key: str) -> int | None:
    """0-based position of page ``key`` on the path (None when it is not a step)."""
    return next((i for i, spec in enumerate(path()) if spec.key == key), None)


def step_caption(key: str) -> None:
    """'Step 3 of 10 of the guided path' under a page's title."""
    i = step(key)
    if i is not None:
        st.caption(t("path.step", i=i + 1, n=len(path())))


def notation_panel() -> None:
    """The conventions every formula of the lab follows, one click away on every page."""
    with st.expander(t("path.notation_title"), icon=":material/menu_book:"):
        st.markdown(t("path.notation"))


def tries(key: str) -> list[str]:
    """The page's "try this" suggestions in the current language (``try.<key>_1`` …)."""
    texts = catalog(current_language())
    return [t(f"try.{key}_{k}") for k in range(1, MAX_TRIES + 1) if f"try.{key}_{k}" in texts]


def try_this(key: str) -> None:
    """A box of concrete things to do on this page and what to look for."""
    suggestions = tries(key)
    if suggestions:
        with st.expander(t("path.try_title", n=len(suggestions)), icon=":material/science:"):
            st.markdown("\n".join(f"{k}. {text}" for k, text in enumerate(suggestions, 1)))


def page_link(spec: PageSpec, label: str, icon: str | None = None) -> None:
    st.page_link(spec.path, label=label, icon=icon or spec.icon)


def see_also(keys: Sequence[str]) -> None:
    """Links to the pages where a concept of this view is shown from another side."""
    for key in keys:
        spec = find_key(key)
        if spec is not None:
            page_link(spec, t("path.see_also", page=t(f"{key}.nav")))


def footer(key: str) -> None:
    """Previous step, progress along the path, next step."""
    i = step(key)
    if i is None:
        return
    steps = path()
    st.divider()
    st.progress((i + 1) / len(steps), text=t("path.step_short", i=i + 1, n=len(steps)))
    left, right = st.columns(2)
    if i > 0:
        with left:
            page_link(steps[i - 1], t("path.previous", page=t(f"{steps[i - 1].key}.nav")), ":material/arrow_back:")
    if i + 1 < len(steps):
        with right:
            page_link(steps[i + 1], t("path.next", page=t(f"{steps[i + 1].key}.nav")), ":material/arrow_forward:")
