"""Multi-head attention: one projection cut into h heads, each head's weights, Concat·W_O, one vs many."""

import streamlit as st

from core.attention import scaled_dot_product_attention
from core.demos.multi_head import MultiHeadConfig, head_contributions, toy_multi_head
from core.entropy import entropy
from core.multihead import (
    concat_heads,
    divisors,
    head_similarity,
    multi_head_attention,
    nearest_divisor,
    split_heads,
)
from ui.compute import multi_head_cached
from ui.i18n import current_language, t
from ui.sidebar import sentence_tokens
from ui.text import token_label
from ui.widgets import chart, fresh_key, show_code
from viz.heatmaps import token_heatmap
from viz.multihead import entropy_bars, head_bands, head_grid, light_heatmap, query_focus, w_o_bands

st.title(t("multihead.title"))
st.write(t("multihead.intro"))
st.latex(
    r"\mathrm{MultiHead}(X) = \mathrm{Concat}(\mathrm{head}_1,\dots,\mathrm{head}_h)\,W^O,\quad"
    r"\mathrm{head}_i = \mathrm{Attention}(XW^Q_i,\; XW^K_i,\; XW^V_i)"
)

tokens = sentence_tokens()
if not tokens:
    st.stop()
labels = [token_label(i, tok) for i, tok in enumerate(tokens)]
n = len(tokens)
lang = current_language()
small_text = n <= 10  # cell values in half-width heatmaps only while they fit
q_name, k_name, dim_name, head_name = t("common.query"), t("common.key"), t("common.dimension"), t("multihead.head")


@st.fragment
def explorer() -> None:
    """Controls and tabs rerun on their own: moving a slider skips the router and the sidebar."""
    with st.container(border=True):
        c1, c2, c3 = st.columns(3)
        # d_model is read first (the h options depend on it) but drawn in the second column
        d_model = c2.slider(t("multihead.d_model"), 2, 64, 64, key="mh_d_model", help=t("multihead.d_model_help"))
        options = divisors(d_model)
        if st.session_state.get("mh_h") not in options:
            st.session_state.mh_h = nearest_divisor(d_model, st.session_state.get("mh_h", 8))
        h = c1.select_slider(t("multihead.h"), options, key="mh_h", help=t("multihead.h_help"))
        c1.caption(t("multihead.h_options", d_model=d_model, options=", ".join(map(str, options))))
        seed = c2.number_input(t("common.seed"), 0, 1_000_000, 0, key="mh_seed", help=t("common.seed_help"))
        causal = c3.toggle(t("multihead.causal"), False, key="mh_causal", help=t("multihead.causal_help"))
        scaling = c3.toggle(t("multihead.scaling"), True, key="mh_scaling", help=t("multihead.scaling_help"))

    d_k = d_model // h
    run = multi_head_cached(
        tuple(tokens),
        MultiHeadConfig(
            d_model=d_model, num_heads=h, seed=int(seed), mask="causal" if causal else "none", scaling=scaling
        ),
    )
    m = run.multi
    masked = None if run.mask is None else ~run.mask
    head_titles = [t("multihead.head_title", i=i + 1) for i in range(h)]

    st.subheader(t("multihead.step_split"))
    st.write(t("multihead.split_text", h=h, d_k=d_k))
    st.code(t("multihead.shapes", n=n, d_model=d_model, h=h, d_k=d_k), language=None)

    # lazy tabs: only the open tab runs, so a slider move redraws a few figures, not fourteen
    TABS = ("heads", "split", "detail", "concat", "stats", "compare")
    tabs = dict(
        zip(
            TABS,
            st.tabs([t(f"multihead.tab_{name}") for name in TABS], key=fresh_key("mh_tab", lang), on_change="rerun"),
        )
    )

    def heads_tab() -> None:
        st.write(t("multihead.heads_text"))
        fig = head_grid(
            m.weights, labels, head_titles, t("multihead.fig_grid", h=h), q_title=q_name, k_title=k_name, masked=masked
        )
        chart(fig, "mh_grid")

    def split_tab() -> None:
        st.write(t("multihead.bands_text"))
        for name, per_head in (("q", m.Q), ("k", m.K), ("v", m.V)):
            title = t(f"multihead.fig_{name}_bands", h=h, d_k=d_k)
            chart(head_bands(per_head, labels, title, head_name=head_name, col_title=dim_name), f"mh_{name}_bands")

    @st.fragment
    def detail_tab() -> None:
        """Only this block reruns when another head is picked."""
        i = st.selectbox(
            t("multihead.pick_head"), range(h), format_func=head_titles.__getitem__, key=fresh_key("mh_head", lang)
        )
        st.latex(
            rf"Q_{{{i + 1}}} = X W^Q_{{[:,\,{i * d_k}:{(i + 1) * d_k}]}},\quad"
            rf"\mathrm{{head}}_{{{i + 1}}} = \mathrm{{softmax}}\!\left(\tfrac{{Q_{{{i + 1}}}K_{{{i + 1}}}^\top}}{{\sqrt{{{d_k}}}}}\right)V_{{{i + 1}}}"
        )
        left, right = st.columns(2)
        with left:
            chart(
                token_heatmap(m.Q[i], labels, range(d_k), t("multihead.fig_qi", i=i + 1), col_title=dim_name), "mh_qi"
            )
            fig = token_heatmap(
                m.scores[i], labels, labels, t("multihead.fig_si", i=i + 1), col_title=k_name, show_text=small_text
            )
            chart(fig, "mh_si")
        with right:
            chart(
                token_heatmap(m.K[i], labels, range(d_k), t("multihead.fig_ki", i=i + 1), col_title=dim_name), "mh_ki"
            )
            fig = token_heatmap(
                m.weights[i],
                labels,
                labels,
                t("multihead.fig_wi", i=i + 1),
                kind="prob",
                masked=masked,
                col_title=k_name,
                show_text=small_text,
            )
            chart(fig, "mh_wi")
        st.caption(t("multihead.detail_caption", d_k=d_k, entropy=float(run.entropy[i].mean())))

    def concat_tab() -> None:
        st.latex(
            r"\text{output} = \mathrm{Concat}(\mathrm{head}_1,\dots,\mathrm{head}_h)\,W^O + b^O = \sum_i \mathrm{head}_i\,W^O_i + b^O"
        )
        st.write(t("multihead.concat_text"))
        fig = head_bands(m.head_outputs, labels, t("multihead.fig_concat"), head_name=head_name, col_title=dim_name)
        chart(fig, "mh_concat")
        left, right = st.columns(2)
        with left:
            fig = w_o_bands(
                run.params.W_O,
                h,
                t("multihead.fig_wo"),
                row_title=t("multihead.wo_rows"),
                col_title=t("multihead.wo_cols"),
            )
            chart(fig, "mh_wo")
        with right:
            fig = light_heatmap(m.output, labels, t("multihead.fig_output"), col_title=dim_name, height=440)
            chart(fig, "mh_output")
        st.write(t("multihead.contrib_text"))
        fig = token_heatmap(
            run.contribution_norms, head_titles, labels, t("multihead.fig_contrib"), col_title=t("common.token")
        )
        chart(fig, "mh_contrib")

    def stats_tab() -> None:
        st.write(t("multihead.stats_text", max_bits=run.max_entropy))
        left, right = st.columns(2)
        with left:
            fig = entropy_bars(
                run.entropy_mean,
                run.single_entropy_mean,
                run.max_entropy,
                head_titles,
                t("multihead.fig_entropy"),
                single_name=t("multihead.single_head"),
                uniform_name=t("multihead.uniform", max_bits=run.max_entropy),
                y_title=t("multihead.bits"),
            )
            chart(fig, "mh_entropy")
        with right:
            fig = token_heatmap(
                run.similarity, head_titles, head_titles, t("multihead.fig_similarity"), kind="prob", show_text=h <= 8
            )
            chart(fig, "mh_similarity")

    @st.fragment
    def compare_tab() -> None:
        """Only this block reruns when another query is picked."""
        st.write(t("multihead.compare_text", d_model=d_model, h=h, d_k=d_k, params=run.num_parameters))
        st.latex(
            rf"\underbrace{{Q K^\top}}_{{d_{{model}} = {d_model}}} = \sum_{{i=1}}^{{{h}}} \underbrace{{Q_i K_i^\top}}_{{d_k = {d_k}}}"
        )
        st.caption(t("multihead.compare_identity"))
        left, right = st.columns(2)
        with left:
            fig = token_heatmap(
                run.single.weights[0],
                labels,
                labels,
                t("multihead.fig_single", d_model=d_model, entropy=run.single_entropy_mean),
                kind="prob",
                masked=masked,
                row_title=q_name,
                col_title=k_name,
                show_text=small_text,
            )
            chart(fig, "mh_single")
        with right:
            default = min(7, n - 1)
            q = st.selectbox(
                t("multihead.pick_query"),
                range(n),
                default,
                format_func=labels.__getitem__,
                key=fresh_key("mh_query", lang, *tokens),
            )
            rows = [t("multihead.single_head"), *head_titles]
            fig = query_focus(
                run.single.weights[0][q],
                m.weights[:, q],
                labels,
                rows,
                t("multihead.fig_focus", token=tokens[q]),
                k_title=k_name,
            )
            chart(fig, "mh_focus")
        st.write(t("multihead.compare_after"))

    CODE = {  # the core functions behind each tab, shown under it
        "heads": (multi_head_attention,),
        "split": (split_heads, concat_heads),
        "detail": (scaled_dot_product_attention,),
        "concat": (concat_heads, head_contributions),
        "stats": (entropy, head_similarity),
        "compare": (toy_multi_head,),
    }
    for name, draw in zip(TABS, (heads_tab, split_tab, detail_tab, concat_tab, stats_tab, compare_tab)):
        with tabs[name]:
            if tabs[name].open:
                draw()
                show_code(*CODE[name])


explorer()
