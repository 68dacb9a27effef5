"""Scaled dot-product attention, one step per tab, on the sidebar sentence."""

import streamlit as st

from core.attention import scaled_dot_product_attention, softmax
from core.demos.scaled_dot_product import MASK_KINDS, ToyConfig, toy_attention, trace_cell
from core.limits import TOY_MAX_D_MODEL
from ui import latex
from ui.compute import toy_attention_cached
from ui.i18n import t
from ui.lesson_plans import SDP
from ui.page import Page, PageContext, View
from ui.text import md_escape, quoted
from ui.widgets import chart, custom_mask_editor
from viz.bars import weight_bars, weighted_sum_bars
from viz.heatmaps import Panel, heatmap_blocks, heatmap_row, token_heatmap


def controls(ctx: PageContext) -> ToyConfig:
    c1, c2, c3 = st.columns(3)
    d_model = c1.slider(ctx.t("d_model"), 2, TOY_MAX_D_MODEL, 16, key=ctx.key("d_model"), help=ctx.t("d_model_help"))
    projection = c2.radio(
        ctx.t("projection"), ("random", "identity"), format_func=lambda kind: ctx.t(f"projection_{kind}"),
        key=ctx.key("projection", translated=True), horizontal=True,
    )  # fmt: skip
    identity = projection == "identity"
    d_k = c1.slider(ctx.t("d_k"), 1, 64, 8, key=ctx.key("d_k"), help=ctx.t("d_k_help"), disabled=identity)
    if identity:
        d_k = d_model
        c1.caption(ctx.t("identity_note", d_model=d_model))
    seed = c2.number_input(t("common.seed"), 0, 1_000_000, 0, key=ctx.key("seed"), help=t("common.seed_help"))
    c2.toggle(ctx.t("numbers"), False, key=ctx.key("numbers"), help=ctx.t("numbers_help"))
    positional = c2.toggle(ctx.t("positional"), True, key=ctx.key("pe"), help=ctx.t("positional_help"))
    scaling = c3.toggle(ctx.t("scaling"), True, key=ctx.key("scaling"), help=ctx.t("scaling_help"))
    tau = c3.slider(ctx.t("temperature"), 0.1, 5.0, 1.0, 0.1, key=ctx.key("tau"), help=ctx.t("temperature_help"))
    mask = c3.selectbox(
        ctx.t("mask"), MASK_KINDS, format_func=lambda m: ctx.t(f"mask_{m}"), key=ctx.key("mask", translated=True)
    )
    pad_last, blocked = 0, ()
    if mask == "padding":
        pad_last = c3.slider(ctx.t("pad_last"), 0, ctx.n, min(2, ctx.n), key=ctx.key("pad_last"))
    if mask == "custom":
        st.caption(ctx.t("custom_help"))
        blocked = custom_mask_editor(list(ctx.labels), key=ctx.key("custom", per_sentence=True))
    return ToyConfig(
        d_model=d_model, d_k=d_k, seed=int(seed), positional=positional, projection=projection, scaling=scaling,
        temperature=tau, mask=mask, pad_last=pad_last, blocked=blocked,
    )  # fmt: skip


def compute(ctx: PageContext, config: ToyConfig):
    run = toy_attention_cached(ctx.tokens, config)
    st.caption(ctx.t("shapes", n=ctx.n, d_model=config.d_model, d_k=config.d_k))
    return run


def two_steps(ctx: PageContext, left: tuple[str, str | None, str], right: tuple[str, str | None, str]) -> None:
    """Two side-by-side steps, each a heading, a formula (or none) and a paragraph."""
    for col, (step, formula, text) in zip(st.columns(2), (left, right)):
        with col:
            st.subheader(ctx.t(step))
            if formula:
                st.latex(formula)
            st.write(ctx.t(text))


def inputs_tab(ctx: PageContext, run) -> None:
    # Q, K, V one line each: three on one line are cut off in a narrow column (a 1024-pixel projector)
    qkv = r"\begin{aligned} Q &= XW_Q \\ K &= XW_K \\ V &= XW_V \end{aligned}"
    two_steps(ctx, ("step_input", None, "input_text"), ("step_qkv", qkv, "qkv_text"))
    # X and its three projections as blocks of one heatmap: one trace, one pair of axes to redraw
    dim, cfg = t("common.dimension"), ctx.config
    panels = [Panel(run.inputs.X, ctx.labels, range(cfg.d_model), ctx.t("fig_x"), row_title=t("common.token"),
                    col_title=dim)]  # fmt: skip
    panels += [
        Panel(M, ctx.labels, range(cfg.d_k), ctx.t(f"fig_{n}"), col_title=dim)
        for n, M in zip("qkv", (run.Q, run.K, run.V))
    ]
    chart(heatmap_blocks(panels, show_text=ctx.value("numbers")), ctx.key("qkv"))


def scores_tab(ctx: PageContext, run) -> None:
    r, scaling = run.result, ctx.config.scaling
    scaled = r"\frac{S}{\sqrt{d_k}\,\tau}" if scaling else r"\frac{S}{\tau}\quad(\text{scale}=1)"
    two_steps(
        ctx,
        ("step_scores", r"S = QK^\top,\qquad S_{ij} = q_i \cdot k_j", "scores_text"),
        ("step_scaled", scaled, "scaled_text" if scaling else "scaled_text_off"),
    )
    q_name, k_name = t("common.query"), t("common.key")
    pair = [
        Panel(r.scores, ctx.labels, ctx.labels, ctx.t("fig_scores"), row_title=q_name, col_title=k_name),
        Panel(r.scaled, ctx.labels, ctx.labels, ctx.t("fig_scaled"), col_title=k_name),
    ]
    chart(heatmap_row(pair, show_text=ctx.value("numbers")), ctx.key("scores"))


def weights_tab(ctx: PageContext, run) -> None:
    r, masked = run.result, run.masked
    two_steps(
        ctx,
        ("step_masked", rf"M_{{ij}} = \begin{{cases}} 0 & \text{{{ctx.t('mask_cell_allowed')}}} \\ -\infty & "
                        rf"\text{{{ctx.t('mask_cell_masked')}}} \end{{cases}}",
         "masked_text" if masked is not None else "masked_text_none"),
        ("step_weights", r"w_{ij} = \frac{e^{s_{ij}}}{\sum_k e^{s_{ik}}}", "weights_text"),
    )  # fmt: skip
    q_name, k_name = t("common.query"), t("common.key")
    pair = [
        Panel(r.scaled, ctx.labels, ctx.labels, ctx.t("fig_masked"), masked=masked, row_title=q_name, col_title=k_name),
        Panel(r.weights, ctx.labels, ctx.labels, ctx.t("fig_weights"), kind="prob", col_title=k_name),
    ]
    chart(heatmap_row(pair, show_text=ctx.value("numbers")), ctx.key("weights"))
    for i, token in enumerate(ctx.tokens):
        if masked is not None and masked[i].all():
            st.info(ctx.t("all_masked", token=md_escape(quoted(token))))


def output_tab(ctx: PageContext, run) -> None:
    fig = token_heatmap(
        run.result.output, ctx.labels, range(ctx.config.d_k), ctx.t("fig_output"), row_title=t("common.query"),
        col_title=t("common.dimension"), show_text=ctx.value("numbers"),
    )  # fmt: skip
    chart(fig, ctx.key("output"))


def trace_tab(ctx: PageContext, run) -> None:
    """The arithmetic of one weight; reruns alone when the traced query or key changes."""
    r, masked = run.result, run.masked
    c1, c2 = st.columns(2)
    i = c1.selectbox(ctx.t("trace_query"), range(ctx.n), ctx.pronoun(), format_func=ctx.labels.__getitem__,
                     key=ctx.key("i"))  # fmt: skip
    j = c2.selectbox(ctx.t("trace_key"), range(ctx.n), 1 % ctx.n, format_func=ctx.labels.__getitem__, key=ctx.key("j"))
    cell = trace_cell(run, i, j)
    for heading, formula in (
        ("trace_dot", latex.dot_product(cell, run.Q[i], run.K[j])),
        ("trace_scale", latex.scaling(cell, r.scale, r.temperature, ctx.config.d_k)),
    ):
        st.markdown(f"**{ctx.t(heading)}**")
        st.latex(formula)
    st.write(ctx.t("trace_mask_ok") if cell.allowed else ctx.t("trace_mask_blocked"))
    st.markdown(f"**{ctx.t('trace_softmax')}**")
    st.latex(latex.softmax_step(cell))
    bars = weight_bars(r.weights[i], list(ctx.labels), ctx.t("trace_bars", token=quoted(ctx.tokens[i])), highlight=j,
                       masked=masked[i] if masked is not None else None)  # fmt: skip
    total = weighted_sum_bars(cell.contributions, cell.output, list(ctx.labels),
                              ctx.t("trace_sum", token=quoted(ctx.tokens[i])), output_name=ctx.t("output_marker"))  # fmt: skip
    ctx.charts({"trace_bars": bars, "trace_sum": total})


Page(
    key="sdp",
    lesson=SDP,
    formulas=(r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}}+M\right)V",),
    controls=controls,
    compute=compute,
    tabs=(
        View("inputs", inputs_tab, see_also=("positional",)),
        View("scores", scores_tab, see_also=("why_scaling", "intuition")),
        View("weights", weights_tab),
        View("output", output_tab, heading="step_output", formula=r"\text{output}_i = \sum_j w_{ij}\, v_j",
             text="output_text", code=(scaled_dot_product_attention, softmax, toy_attention)),
        View("trace", trace_tab, heading="trace_header", text="trace_text", code=(trace_cell,), fragment=True),
    ),
).run()  # fmt: skip
