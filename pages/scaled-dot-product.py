"""Scaled dot-product attention, one step per figure, on the sidebar sentence."""

import streamlit as st

from core.attention import scaled_dot_product_attention, softmax
from core.demos.scaled_dot_product import ToyConfig, toy_attention, trace_cell
from ui import latex
from ui.compute import toy_attention_cached
from ui.i18n import current_language, t
from ui.sidebar import sentence_tokens
from ui.text import token_label
from ui.widgets import chart, custom_mask_editor, fresh_key, show_code
from viz.bars import weight_bars, weighted_sum_bars
from viz.heatmaps import Panel, heatmap_blocks, heatmap_row, token_heatmap

st.title(t("sdp.title"))
st.write(t("sdp.intro"))
st.latex(r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}}+M\right)V")

tokens = sentence_tokens()
if not tokens:
    st.stop()
labels = [token_label(i, tok) for i, tok in enumerate(tokens)]
q_name, k_name, dim_name = t("common.query"), t("common.key"), t("common.dimension")


TABS = ("inputs", "scores", "weights", "output", "trace")


@st.fragment
def steps() -> None:
    """Controls and every step: a control change reruns only this, not the router and the sidebar."""
    # translated options get a key per language: under one key the browser would keep the old labels
    lang = current_language()
    with st.container(border=True):
        c1, c2, c3 = st.columns(3)
        d_model = c1.slider(t("sdp.d_model"), 2, 64, 16, key="sdp_d_model", help=t("sdp.d_model_help"))
        projection = c2.radio(
            t("sdp.projection"),
            ("random", "identity"),
            format_func=lambda kind: t(f"sdp.projection_{kind}", lang=lang),
            key=fresh_key("sdp_projection", lang),
            horizontal=True,
        )
        identity = projection == "identity"
        d_k = c1.slider(t("sdp.d_k"), 1, 64, 8, key="sdp_d_k", help=t("sdp.d_k_help"), disabled=identity)
        if identity:
            d_k = d_model
            c1.caption(t("sdp.identity_note", d_model=d_model))
        seed = c2.number_input(t("common.seed"), 0, 1_000_000, 0, key="sdp_seed", help=t("common.seed_help"))
        numbers = c2.toggle(t("sdp.numbers"), False, key="sdp_numbers", help=t("sdp.numbers_help"))
        positional = c2.toggle(t("sdp.positional"), True, key="sdp_pe", help=t("sdp.positional_help"))
        scaling = c3.toggle(t("sdp.scaling"), True, key="sdp_scaling", help=t("sdp.scaling_help"))
        temperature = c3.slider(t("sdp.temperature"), 0.1, 5.0, 1.0, 0.1, key="sdp_tau", help=t("sdp.temperature_help"))
        mask = c3.selectbox(
            t("sdp.mask"),
            ("none", "causal", "padding", "custom"),
            format_func=lambda m: t(f"sdp.mask_{m}", lang=lang),
            key=fresh_key("sdp_mask", lang),
        )
        pad_last, blocked = 0, ()
        if mask == "padding":
            pad_last = c3.slider(t("sdp.pad_last"), 0, len(tokens), min(2, len(tokens)), key="sdp_pad_last")
        if mask == "custom":
            st.caption(t("sdp.custom_help"))
            blocked = custom_mask_editor(labels, key=f"sdp_custom_{len(tokens)}_{hash(tuple(tokens))}")

    config = ToyConfig(
        d_model=d_model, d_k=d_k, seed=int(seed), positional=positional, projection=projection, scaling=scaling,
        temperature=temperature, mask=mask, pad_last=pad_last, blocked=blocked,
    )  # fmt: skip
    run = toy_attention_cached(tuple(tokens), config)
    r = run.result
    masked = None if run.mask is None else ~run.mask
    st.caption(t("sdp.shapes", n=len(tokens), d_model=d_model, d_k=d_k))
    dims = list(range(d_k))

    # one tab per stage, drawn only while open: a slider move redraws two charts, not nine
    tabs = st.tabs([t(f"sdp.tab_{name}") for name in TABS], key=fresh_key("sdp_tab", lang), on_change="rerun")
    with tabs[0]:
        if tabs[0].open:
            left, right = st.columns(2)
            with left:
                st.subheader(t("sdp.step_input"))
                st.write(t("sdp.input_text"))
            with right:
                st.subheader(t("sdp.step_qkv"))
                # one line each: three on one line are cut off in a narrow column (a 1024-pixel projector)
                st.latex(r"\begin{aligned} Q &= XW_Q \\ K &= XW_K \\ V &= XW_V \end{aligned}")
                st.write(t("sdp.qkv_text"))
            # X and its three projections as blocks of one heatmap: one trace, one pair of axes to redraw
            token_name = t("common.token")
            panels = [
                Panel(run.inputs.X, labels, range(d_model), t("sdp.fig_x"), row_title=token_name, col_title=dim_name)
            ] + [
                Panel(M, labels, dims, t(f"sdp.fig_{n}"), col_title=dim_name)
                for n, M in zip("qkv", (run.Q, run.K, run.V))
            ]
            chart(heatmap_blocks(panels, show_text=numbers), "sdp_qkv")
    with tabs[1]:
        if tabs[1].open:
            left, right = st.columns(2)
            with left:
                st.subheader(t("sdp.step_scores"))
                st.latex(r"S = QK^\top,\qquad S_{ij} = q_i \cdot k_j")
                st.write(t("sdp.scores_text"))
            with right:
                st.subheader(t("sdp.step_scaled"))
                st.latex(r"\frac{S}{\sqrt{d_k}\,\tau}" if scaling else r"\frac{S}{\tau}\quad(\text{scale}=1)")
                st.write(t("sdp.scaled_text") if scaling else t("sdp.scaled_text_off"))
            pair = [
                Panel(r.scores, labels, labels, t("sdp.fig_scores"), row_title=q_name, col_title=k_name),
                Panel(r.scaled, labels, labels, t("sdp.fig_scaled"), col_title=k_name),
            ]
            chart(heatmap_row(pair, show_text=numbers), "sdp_scores")
    with tabs[2]:
        if tabs[2].open:
            left, right = st.columns(2)
            with left:
                st.subheader(t("sdp.step_masked"))
                st.latex(r"M_{ij} = \begin{cases} 0 & \text{allowed} \\ -\infty & \text{masked} \end{cases}")
                st.write(t("sdp.masked_text") if masked is not None else t("sdp.masked_text_none"))
            with right:
                st.subheader(t("sdp.step_weights"))
                st.latex(r"w_{ij} = \frac{e^{s_{ij}}}{\sum_k e^{s_{ik}}}")
                st.write(t("sdp.weights_text"))
            pair = [
                Panel(r.scaled, labels, labels, t("sdp.fig_masked"), masked=masked, row_title=q_name, col_title=k_name),
                Panel(r.weights, labels, labels, t("sdp.fig_weights"), kind="prob", col_title=k_name),
            ]
            chart(heatmap_row(pair, show_text=numbers), "sdp_weights")
            for i in range(len(tokens)):
                if masked is not None and masked[i].all():
                    st.info(t("sdp.all_masked", token=tokens[i]))
    with tabs[3]:
        if tabs[3].open:
            st.subheader(t("sdp.step_output"))
            st.latex(r"\text{output}_i = \sum_j w_{ij}\, v_j")
            st.write(t("sdp.output_text"))
            chart(
                token_heatmap(
                    r.output, labels, dims, t("sdp.fig_output"), row_title=q_name, col_title=dim_name, show_text=numbers
                ),
                "sdp_output",
            )
            show_code(scaled_dot_product_attention, softmax, toy_attention)

    @st.fragment
    def trace_panel() -> None:
        """Only this panel reruns when the traced query or key changes."""
        st.subheader(t("sdp.trace_header"))
        st.write(t("sdp.trace_text"))
        c1, c2 = st.columns(2)
        default_i = min(7, len(tokens) - 1)
        i = c1.selectbox(
            t("sdp.trace_query"), range(len(tokens)), default_i, format_func=labels.__getitem__, key="sdp_i"
        )
        j = c2.selectbox(
            t("sdp.trace_key"), range(len(tokens)), 1 % len(tokens), format_func=labels.__getitem__, key="sdp_j"
        )
        cell = trace_cell(run, i, j)
        st.markdown(f"**{t('sdp.trace_dot')}**")
        st.latex(latex.dot_product(cell, run.Q[i], run.K[j]))
        st.markdown(f"**{t('sdp.trace_scale')}**")
        st.latex(latex.scaling(cell, r.scale, r.temperature, d_k))
        st.write(t("sdp.trace_mask_ok") if cell.allowed else t("sdp.trace_mask_blocked"))
        st.markdown(f"**{t('sdp.trace_softmax')}**")
        st.latex(latex.softmax_step(cell))
        left, right = st.columns(2)
        with left:
            fig = weight_bars(
                r.weights[i],
                labels,
                t("sdp.trace_bars", token=tokens[i]),
                highlight=j,
                masked=masked[i] if masked is not None else None,
            )
            chart(fig, "sdp_trace_bars")
        with right:
            fig = weighted_sum_bars(
                cell.contributions,
                cell.output,
                labels,
                t("sdp.trace_sum", token=tokens[i]),
                output_name=t("sdp.output_marker"),
            )
            chart(fig, "sdp_trace_sum")
        show_code(trace_cell)

    with tabs[4]:
        if tabs[4].open:
            trace_panel()


steps()
