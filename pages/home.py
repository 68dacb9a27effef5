"""Home: what Attention Lab is, and one line per page."""

import streamlit as st

from ui.i18n import t
from ui.registry import PAGES

st.title(t("home.title"))
st.write(t("home.intro"))

st.subheader(t("home.formula_header"))
st.latex(r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}}\right) V")

st.subheader(t("home.pages_header"))
for spec in PAGES:
    st.page_link(spec.path, label=t(f"{spec.key}.nav"), icon=spec.icon)
    st.caption(t(f"{spec.key}.summary"))

st.subheader(t("home.how_header"))
st.write(t("home.how"))
