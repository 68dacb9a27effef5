"""Intuition: attention as selective focus, a weighted sum you can steer in the plane."""

import streamlit as st

from core.demos.selective_focus import NUM_WORDS, READING_SEED, focus_2d, query_vector, reading_focus
from ui import latex
from ui.compute import focus_cached, reading_focus_cached
from ui.i18n import t
from ui.lesson_plans import INTUITION
from ui.page import Page, PageContext, View, sentence_context
from ui.registry import find_page
from ui.text import quoted, token_label
from ui.widgets import chart, show_code
from viz.focus import focus_figure
from viz.text_shading import shaded_sentence


def focus_view(ctx: PageContext, run) -> None:
    """The query controls rerun only this panel."""
    st.subheader(ctx.t("focus_header"))
    st.write(ctx.t("focus_text"))
    c1, c2, c3 = st.columns(3)
    angle = c1.slider(ctx.t("angle"), -180, 180, 30, 5, key=ctx.key("angle"), help=ctx.t("angle_help"))
    length = c2.slider(ctx.t("length"), 0.0, 2.0, 1.0, 0.1, key=ctx.key("length"), help=ctx.t("length_help"))
    tau = c3.slider(ctx.t("tau"), 0.05, 5.0, 1.0, 0.05, key=ctx.key("tau"), help=ctx.t("tau_help"))
    f = focus_cached(angle, length, tau)
    words = [token_label(j + 1, ctx.t(f"word_{j}")) for j in range(NUM_WORDS)]  # "1 · cat" matches v_1
    titles = (ctx.t("fig_keys"), ctx.t("fig_values"), ctx.t("fig_weights"))
    fig = focus_figure(f, words, titles, query_name=t("common.query"), key_name=t("common.key"),
                       value_name=ctx.t("value"), output_name=ctx.t("output"))  # fmt: skip
    chart(fig, ctx.key("focus"))
    st.latex(latex.focus_scores(f.scores, f.weights, f.temperature))
    st.latex(latex.focus_output(f.weights, f.output))
    top = int(f.weights.argmax())
    st.write(ctx.t("focus_summary", word=ctx.t(f"word_{top}"), w=f"{f.weights[top]:.0%}", h=f"{f.entropy:.2f}"))


def reading_view(ctx: PageContext, run) -> None:
    """Picking another word reruns only the shaded sentence; without a sentence, a prompt and nothing more."""
    st.subheader(ctx.t("reading_header"))
    st.write(ctx.t("reading_text"))
    ctx = sentence_context(ctx.page, ctx.lang)  # the only part of the page that reads the sidebar sentence
    if ctx is None:
        return
    tokens, labels = ctx.tokens, list(ctx.labels)
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    default_i = ctx.pronoun(fallback=0)  # "it" / "它" of the default sentence, else the first word
    # options are labels, not indices: with a new sentence an old choice is not an option and resets
    choice = c1.selectbox(ctx.t("reading_word"), labels, default_i, key=ctx.key("word"))
    tau = c2.slider(ctx.t("tau"), 0.1, 3.0, 1.0, 0.1, key=ctx.key("reading_tau"), help=ctx.t("tau_help"))
    skip = c3.toggle(ctx.t("skip_self"), True, key=ctx.key("skip_self"), help=ctx.t("skip_self_help"))
    seed = c4.number_input(ctx.t("reading_seed"), 0, 999, READING_SEED, 1, key=ctx.key("reading_seed"),
                           help=ctx.t("reading_seed_help"))  # fmt: skip
    i = labels.index(choice) if choice in labels else default_i
    focus = reading_focus_cached(tokens, i, tau, skip, int(seed))
    fig = shaded_sentence(list(tokens), focus.weights, ctx.t("fig_sentence", word=quoted(tokens[i])), focus=i,
                          weight_name=ctx.t("weight"))  # fmt: skip
    chart(fig, ctx.key("sentence"))
    st.caption(ctx.t("reading_note"))
    real = find_page("real-model")
    if real is not None:
        st.page_link(real.path, label=ctx.t("reading_real_link"), icon=real.icon)
    show_code(reading_focus)  # here, not View.code: no code under the prompt for an empty sentence


def vision_link(ctx: PageContext, run) -> None:
    st.subheader(ctx.t("vision_header"))
    st.write(ctx.t("vision_text"))
    vision = find_page("vision")
    if vision is not None:
        st.page_link(vision.path, label=t(f"{vision.key}.nav"), icon=vision.icon)


Page(
    key="intuition",
    lesson=INTUITION,
    formulas=(r"s_j = q\cdot k_j,\qquad w = \mathrm{softmax}\!\left(s/\tau\right),\qquad o = \sum_j w_j\, v_j",),
    uses_sentence=False,  # the focus panel needs no sentence: only the reading panel reads it
    header=(
        View("focus", focus_view, code=(focus_2d, query_vector), fragment=True, see_also=("why_scaling",)),
        View("reading", reading_view, fragment=True),
        View("vision", vision_link),
    ),
).run()
