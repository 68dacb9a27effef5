"""Home: what Attention Lab is, and one line per page."""

import streamlit as st

from ui.i18n import t
from ui.page import Page, PageContext, View
from ui.registry import PAGES


def overview(ctx: PageContext, run) -> None:
    """The formula, one link and one line per page, and how to use the app."""
    st.subheader(ctx.t("formula_header"))
    st.latex(r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}}\right) V")
    st.subheader(ctx.t("pages_header"))
    for spec in PAGES:
        st.page_link(spec.path, label=t(f"{spec.key}.nav"), icon=spec.icon)
        st.caption(t(f"{spec.key}.summary"))
    st.subheader(ctx.t("how_header"))
    st.write(ctx.t("how"))


Page(key="home", uses_sentence=False, header=(View("overview", overview),)).run()
