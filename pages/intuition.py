"""Intuition: attention as selective focus, a weighted sum you can steer in the plane."""

import streamlit as st

from core.demos.selective_focus import NUM_WORDS, focus_2d, query_vector, reading_focus
from ui import latex
from ui.compute import focus_cached, reading_focus_cached
from ui.i18n import t
from ui.registry import find_page
from ui.sidebar import sentence_tokens
from ui.text import token_label
from ui.widgets import chart, show_code
from viz.focus import focus_figure
from viz.text_shading import shaded_sentence

st.title(t("intuition.title"))
st.write(t("intuition.intro"))
st.latex(r"s_j = q\cdot k_j,\qquad w = \mathrm{softmax}\!\left(s/\tau\right),\qquad o = \sum_j w_j\, v_j")
words = [token_label(j + 1, t(f"intuition.word_{j}")) for j in range(NUM_WORDS)]  # "1 · cat" matches v_1


@st.fragment
def focus_panel() -> None:
    """The query controls rerun only this panel."""
    st.subheader(t("intuition.focus_header"))
    st.write(t("intuition.focus_text"))
    c1, c2, c3 = st.columns(3)
    angle = c1.slider(t("intuition.angle"), -180, 180, 30, 5, key="intuition_angle", help=t("intuition.angle_help"))
    length = c2.slider(
        t("intuition.length"), 0.0, 2.0, 1.0, 0.1, key="intuition_length", help=t("intuition.length_help")
    )
    tau = c3.slider(t("intuition.tau"), 0.05, 5.0, 1.0, 0.05, key="intuition_tau", help=t("intuition.tau_help"))
    f = focus_cached(angle, length, tau)
    titles = (t("intuition.fig_keys"), t("intuition.fig_values"), t("intuition.fig_weights"))
    fig = focus_figure(
        f, words, titles, query_name=t("common.query"), key_name=t("common.key"), value_name=t("intuition.value"),
        output_name=t("intuition.output"),
    )  # fmt: skip
    chart(fig, "intuition_focus")
    st.latex(latex.focus_scores(f.scores, f.weights, f.temperature))
    st.latex(latex.focus_output(f.weights, f.output))
    top = int(f.weights.argmax())
    st.write(
        t("intuition.focus_summary", word=t(f"intuition.word_{top}"), w=f"{f.weights[top]:.0%}", h=f"{f.entropy:.2f}")
    )
    show_code(focus_2d, query_vector)


@st.fragment
def reading_panel() -> None:
    """Picking another word reruns only the shaded sentence."""
    st.subheader(t("intuition.reading_header"))
    st.write(t("intuition.reading_text"))
    tokens = sentence_tokens()
    if not tokens:
        return
    labels = [token_label(i, tok) for i, tok in enumerate(tokens)]
    c1, c2, c3 = st.columns([2, 1, 1])
    # start on the pronoun of the default sentence ("it" / "它") when there is one
    default_i = tokens.index(t("intuition.default_word")) if t("intuition.default_word") in tokens else 0
    # options are labels, not indices: with a new sentence an old choice is not an option and resets
    choice = c1.selectbox(t("intuition.reading_word"), labels, default_i, key="intuition_word")
    tau = c2.slider(t("intuition.tau"), 0.1, 3.0, 1.0, 0.1, key="intuition_reading_tau", help=t("intuition.tau_help"))
    skip = c3.toggle(t("intuition.skip_self"), True, key="intuition_skip_self", help=t("intuition.skip_self_help"))
    i = labels.index(choice) if choice in labels else default_i
    focus = reading_focus_cached(tuple(tokens), i, tau, skip)
    title = t("intuition.fig_sentence", word=tokens[i])
    chart(
        shaded_sentence(tokens, focus.weights, title, focus=i, weight_name=t("intuition.weight")), "intuition_sentence"
    )
    st.caption(t("intuition.reading_note"))
    show_code(reading_focus)


focus_panel()
reading_panel()

st.subheader(t("intuition.vision_header"))
st.write(t("intuition.vision_text"))
vision = find_page("vision")
if vision is not None:
    st.page_link(vision.path, label=t(f"{vision.key}.nav"), icon=vision.icon)
