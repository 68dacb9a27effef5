"""Multi-head attention: one projection cut into h heads, each head's weights, Concat·W_O, one vs many."""

import streamlit as st

from core.attention import scaled_dot_product_attention
from core.demos.multi_head import MultiHeadConfig, head_contributions, toy_multi_head
from core.entropy import entropy
from core.limits import TOY_MAX_D_MODEL
from core.multihead import choose_heads, concat_heads, head_options, head_similarity, multi_head_attention, split_heads
from ui import state
from ui.compute import multi_head_cached
from ui.i18n import t
from ui.lesson_plans import MULTIHEAD
from ui.page import Page, PageContext, View
from ui.text import quoted
from ui.widgets import chart
from viz.heatmaps import token_heatmap
from viz.multihead import entropy_bars, head_bands, head_grid, light_heatmap, query_focus, w_o_bands


def controls(ctx: PageContext) -> MultiHeadConfig:
    c1, c2, c3 = st.columns(3)
    # d_model is read first (the h options depend on it) but drawn in the second column
    d_model = c2.slider(ctx.t("d_model"), 2, TOY_MAX_D_MODEL, 64, key=ctx.key("d_model"), help=ctx.t("d_model_help"))
    options, h_key = head_options(d_model), ctx.key("h")
    # a new d_model keeps h if it still divides d_model, else takes the divisor nearest to it
    st.session_state[h_key] = choose_heads(options, st.session_state.get(h_key), st.session_state.get(h_key) or 8)
    state.default(h_key, choose_heads(options, None, 8))  # what a link leaves out
    h = c1.select_slider(ctx.t("h"), options, key=h_key, help=ctx.t("h_help"))
    c1.caption(ctx.t("h_options", d_model=d_model, options=", ".join(map(str, options))))
    seed = c2.number_input(t("common.seed"), 0, 1_000_000, 0, key=ctx.key("seed"), help=t("common.seed_help"))
    causal = c3.toggle(ctx.t("causal"), False, key=ctx.key("causal"), help=ctx.t("causal_help"))
    scaling = c3.toggle(ctx.t("scaling"), True, key=ctx.key("scaling"), help=ctx.t("scaling_help"))
    return MultiHeadConfig(
        d_model=d_model, num_heads=h, seed=int(seed), mask="causal" if causal else "none", scaling=scaling
    )


def compute(ctx: PageContext, config: MultiHeadConfig):
    run = multi_head_cached(ctx.tokens, config)
    st.subheader(ctx.t("step_split"))
    h, d_k = config.num_heads, run.d_k
    st.write(ctx.t("split_text", h=h, d_k=d_k))
    st.code(ctx.t("shapes", n=ctx.n, d_model=config.d_model, h=h, d_k=d_k), language=None)
    return run


def head_titles(ctx: PageContext) -> list[str]:
    return [ctx.t("head_title", i=i + 1) for i in range(ctx.config.num_heads)]


def prob_map(ctx: PageContext, run, W, title: str, key: str, row_title: str = "") -> None:
    """One n × n softmax-weight heatmap (queries × keys) of the sentence."""
    fig = token_heatmap(W, ctx.labels, ctx.labels, title, kind="prob", masked=run.masked, row_title=row_title,
                        col_title=t("common.key"), show_text=ctx.n <= 10)  # fmt: skip
    chart(fig, ctx.key(key))


def heads_tab(ctx: PageContext, run) -> None:
    fig = head_grid(run.multi.weights, ctx.labels, head_titles(ctx), ctx.t("fig_grid", h=ctx.config.num_heads),
                    q_title=t("common.query"), k_title=t("common.key"), masked=run.masked)  # fmt: skip
    chart(fig, ctx.key("grid"))


def split_tab(ctx: PageContext, run) -> None:
    h, d_k = ctx.config.num_heads, run.d_k
    for name, per_head in (("q", run.multi.Q), ("k", run.multi.K), ("v", run.multi.V)):
        fig = head_bands(per_head, ctx.labels, ctx.t(f"fig_{name}_bands", h=h, d_k=d_k),
                         head_name=ctx.t("head"), col_title=t("common.dimension"))  # fmt: skip
        chart(fig, ctx.key(f"{name}_bands"))


def detail_tab(ctx: PageContext, run) -> None:
    """One head close up; reruns alone when another head is picked."""
    m, d_k, titles = run.multi, run.d_k, head_titles(ctx)
    i = st.selectbox(ctx.t("pick_head"), range(len(titles)), format_func=titles.__getitem__,
                     key=ctx.key("head", translated=True))  # fmt: skip
    st.latex(
        rf"Q_{{{i + 1}}} = X W^Q_{{[:,\,{i * d_k}:{(i + 1) * d_k}]}},\quad"
        rf"\mathrm{{head}}_{{{i + 1}}} = \mathrm{{softmax}}\!\left(\tfrac{{Q_{{{i + 1}}}K_{{{i + 1}}}^\top}}"
        rf"{{\sqrt{{{d_k}}}}}\right)V_{{{i + 1}}}"
    )
    left, right = st.columns(2)
    for col, name, M in ((left, "qi", m.Q[i]), (right, "ki", m.K[i])):
        fig = token_heatmap(M, ctx.labels, range(d_k), ctx.t(f"fig_{name}", i=i + 1), col_title=t("common.dimension"))
        with col:
            chart(fig, ctx.key(name))
    with left:
        fig = token_heatmap(m.scores[i], ctx.labels, ctx.labels, ctx.t("fig_si", i=i + 1), col_title=t("common.key"),
                            show_text=ctx.n <= 10)  # fmt: skip
        chart(fig, ctx.key("si"))
    with right:
        prob_map(ctx, run, m.weights[i], ctx.t("fig_wi", i=i + 1), "wi")
    st.caption(ctx.t("detail_caption", d_k=d_k, entropy=float(run.entropy[i].mean())))


CONCAT = r"\text{output} = \mathrm{Concat}(\mathrm{head}_1,\dots,\mathrm{head}_h)\,W^O + b^O = \sum_i \mathrm{head}_i\,W^O_i + b^O"


def concat_tab(ctx: PageContext, run) -> None:
    dim = t("common.dimension")
    fig = head_bands(run.multi.head_outputs, ctx.labels, ctx.t("fig_concat"), head_name=ctx.t("head"), col_title=dim)
    chart(fig, ctx.key("concat"))
    w_o = w_o_bands(run.params.W_O, ctx.config.num_heads, ctx.t("fig_wo"), row_title=ctx.t("wo_rows"),
                    col_title=ctx.t("wo_cols"))  # fmt: skip
    output = light_heatmap(run.multi.output, ctx.labels, ctx.t("fig_output"), col_title=dim, height=440)
    ctx.charts({"wo": w_o, "output": output})
    st.write(ctx.t("contrib_text"))
    fig = token_heatmap(run.contribution_norms, head_titles(ctx), ctx.labels, ctx.t("fig_contrib"),
                        col_title=t("common.token"))  # fmt: skip
    chart(fig, ctx.key("contrib"))


def stats_tab(ctx: PageContext, run) -> None:
    st.write(ctx.t("stats_text", max_bits=run.max_entropy))
    titles = head_titles(ctx)
    bars = entropy_bars(run.entropy_mean, run.single_entropy_mean, run.max_entropy, titles, ctx.t("fig_entropy"),
                        single_name=ctx.t("single_head"), uniform_name=ctx.t("uniform", max_bits=run.max_entropy),
                        y_title=ctx.t("bits"))  # fmt: skip
    similarity = token_heatmap(run.similarity, titles, titles, ctx.t("fig_similarity"), kind="prob",
                               show_text=len(titles) <= 8)  # fmt: skip
    ctx.charts({"entropy": bars, "similarity": similarity})


def compare_tab(ctx: PageContext, run) -> None:
    """One wide head against h narrow ones; reruns alone when another query is picked."""
    d_model, h, d_k = ctx.config.d_model, ctx.config.num_heads, run.d_k
    st.write(ctx.t("compare_text", d_model=d_model, h=h, d_k=d_k, params=run.num_parameters))
    st.latex(rf"\underbrace{{Q K^\top}}_{{d_{{model}} = {d_model}}} = "
             rf"\sum_{{i=1}}^{{{h}}} \underbrace{{Q_i K_i^\top}}_{{d_k = {d_k}}}")  # fmt: skip
    st.caption(ctx.t("compare_identity"))
    left, right = st.columns(2)
    with left:
        title = ctx.t("fig_single", d_model=d_model, entropy=run.single_entropy_mean)
        prob_map(ctx, run, run.single.weights[0], title, "single", row_title=t("common.query"))
    with right:
        q = st.selectbox(ctx.t("pick_query"), range(ctx.n), ctx.pronoun(), format_func=ctx.labels.__getitem__,
                         key=ctx.key("query", per_sentence=True))  # fmt: skip
        fig = query_focus(run.single.weights[0][q], run.multi.weights[:, q], ctx.labels,
                          [ctx.t("single_head"), *head_titles(ctx)], ctx.t("fig_focus", token=quoted(ctx.tokens[q])),
                          k_title=t("common.key"))  # fmt: skip
        chart(fig, ctx.key("focus"))
    st.write(ctx.t("compare_after"))


Page(
    key="multihead",
    lesson=MULTIHEAD,
    formulas=(
        # two lines: one is wider than the column beside an open sidebar on a 1024-pixel projector
        r"\begin{gathered}\mathrm{MultiHead}(X) = \mathrm{Concat}(\mathrm{head}_1,\dots,\mathrm{head}_h)\,W^O\\"
        r"\mathrm{head}_i = \mathrm{Attention}(XW^Q_i,\; XW^K_i,\; XW^V_i)\end{gathered}",
    ),
    controls=controls,
    compute=compute,
    tabs=(
        View("heads", heads_tab, text="heads_text", code=(multi_head_attention,), see_also=("real_model",)),
        View("split", split_tab, text="bands_text", code=(split_heads, concat_heads)),
        View("detail", detail_tab, code=(scaled_dot_product_attention,), fragment=True),
        View("concat", concat_tab, formula=CONCAT, text="concat_text", code=(concat_heads, head_contributions)),
        View("stats", stats_tab, code=(entropy, head_similarity)),
        View("compare", compare_tab, code=(toy_multi_head,), fragment=True),
    ),
).run()  # fmt: skip
