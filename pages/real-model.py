"""A real pretrained Transformer: every head of all-MiniLM-L6-v2 on the sidebar sentence, and interventions."""

from typing import NamedTuple

import streamlit as st

import ui.model as ui_model
from core.block import encoder_block
from core.interpret import attention_rollout, head_entropy
from ui.i18n import t
from ui.lesson_plans import REAL_MODEL
from ui.page import Page, PageContext, View, lazy_tabs
from ui.sidebar import sentence_box, sentence_text
from ui.text import quoted, token_labels
from ui.widgets import chart
from viz import palette
from viz.bars import weight_bars
from viz.heatmaps import token_heatmap
from viz.model_views import head_view, layer_head_heatmap, model_grid


class Interventions(NamedTuple):
    heads_off: ui_model.HeadsOff  # (layer, head) pairs switched off, 0-based
    causal: bool  # force a causal mask on every layer


def ready(ctx: PageContext) -> bool:
    """The model is installed (else: how to install it) and the sentence has a word (else: ask for one)."""
    model = ui_model.get_minilm()
    if model is not None and len(model.tokenize(sentence_text(), max_tokens=3)[0]) <= 2:  # only [CLS] [SEP]
        st.info(t("input.empty"))
        return False
    return model is not None


def controls(ctx: PageContext) -> Interventions:
    cfg = ui_model.get_minilm().config
    st.markdown(f"**{ctx.t('interventions')}**")
    c1, c2, c3 = st.columns([2.2, 1.4, 1.2])
    all_heads = [(layer, head) for layer in range(cfg.num_layers) for head in range(cfg.num_heads)]
    off = c1.multiselect(ctx.t("heads_off"), all_heads, format_func=lambda lh: ui_model.head_name(*lh), key=ctx.key("heads_off"),
                         placeholder=ctx.t("heads_off_placeholder"), help=ctx.t("heads_off_help"))  # fmt: skip
    causal = c2.toggle(ctx.t("causal"), False, key=ctx.key("causal"), help=ctx.t("causal_help"))
    cos = ui_model.similarity(sentence_text(), sentence_text(), heads_off_b=tuple(sorted(off)), causal_b=causal)
    c3.metric(ctx.t("cosine"), f"{cos:.4f}", help=ctx.t("cosine_help"))
    return Interventions(heads_off=tuple(sorted(off)), causal=causal)


def compute(ctx: PageContext, config: Interventions):
    trace = ui_model.model_trace(sentence_text(), *config)
    ui_model.input_notes(trace, sentence_text())
    cfg = ui_model.get_minilm().config
    st.caption(
        ctx.t("shapes", n=len(trace.tokens), L=cfg.num_layers, h=cfg.num_heads, d_model=cfg.d_model, d_k=cfg.d_k)
    )
    return trace


def grid_view(ctx: PageContext, trace) -> None:
    n = len(trace.tokens)
    g = min(n, ui_model.GRID_MAX_TOKENS)
    if n > g:
        st.caption(ctx.t("grid_cropped", g=g, n=n))
    hover = ctx.t("grid_hover", query=t("common.query"), key_word=t("common.key"))
    fig = model_grid(trace.weights[:, :, :g, :g], ctx.t("fig_grid"), layer_labels=ui_model.layer_labels(),
                     head_labels=ui_model.head_labels(), hover=hover)  # fmt: skip
    chart(fig, ctx.key("grid"))


class Focus(NamedTuple):
    trace: object
    layer: int  # 0-based
    head: int  # 0-based


def focus_view(ctx: PageContext, trace) -> None:
    """One head close up; reruns alone when the layer, head or query changes: nothing is recomputed."""
    cfg = ui_model.get_minilm().config
    c1, c2 = st.columns(2)
    layer = c1.slider(ctx.t("layer"), 1, cfg.num_layers, 3, key=ctx.key("layer")) - 1
    head = c2.slider(ctx.t("head"), 1, cfg.num_heads, 1, key=ctx.key("head")) - 1
    if (layer, head) in ctx.config.heads_off:
        st.info(ctx.t("head_is_off", head=ui_model.head_name(layer, head)))
    views = (View("lines", lines_tab), View("scores", scores_tab), View("qk", qk_tab))
    lazy_tabs(ctx, views, Focus(trace, layer, head), group="focus")


def lines_tab(ctx: PageContext, f: Focus) -> None:
    labels, n = token_labels(f.trace.tokens), len(f.trace.tokens)
    left, right = st.columns([3, 2])
    query = right.selectbox(ctx.t("lines_from"), [None, *range(n)], key=ctx.key("query", translated=True),
                            format_func=lambda i: ctx.t("all_tokens") if i is None else labels[i])  # fmt: skip
    others = [h for h in range(ui_model.get_minilm().config.num_heads) if h != f.head]
    overlay = right.multiselect(ctx.t("overlay"), others, format_func=lambda h: ui_model.head_name(f.layer, h),
                                key=ctx.key("overlay"), max_selections=7, placeholder=ctx.t("overlay_placeholder"))  # fmt: skip
    right.caption(ctx.t("lines_text"))
    heads = [f.head, *[h for h in overlay if h != f.head]]
    weights = {ui_model.head_name(f.layer, h): f.trace.weights[f.layer, h] for h in heads}
    colors = {ui_model.head_name(f.layer, h): palette.CATEGORICAL[i] for i, h in enumerate(heads)}
    with left:
        chart(head_view(weights, f.trace.tokens, ctx.t("fig_lines"), colors=colors, query=query), ctx.key("lines"))


def scores_tab(ctx: PageContext, f: Focus) -> None:
    st.latex(rf"w_{{ij}} = \mathrm{{softmax}}_j\!\left(\frac{{q_i \cdot k_j}}{{\sqrt{{{f.trace.d_k}}}}}\right)")
    st.write(ctx.t("focus_text"))
    labels, name = token_labels(f.trace.tokens), ui_model.head_name(f.layer, f.head)
    ctx.charts({
        key: token_heatmap(M[f.layer, f.head], labels, labels, ctx.t(f"fig_{key}", head=name), kind=kind,
                           row_title=t("common.query"), col_title=t("common.key"),
                           show_text=len(labels) <= ui_model.SHOW_VALUES_UP_TO)
        for key, M, kind in (("scores", f.trace.scaled, "signed"), ("weights", f.trace.weights, "prob"))
    })  # fmt: skip


def qk_tab(ctx: PageContext, f: Focus) -> None:
    labels, name = token_labels(f.trace.tokens), ui_model.head_name(f.layer, f.head)
    ctx.charts({
        kind: token_heatmap(vectors[f.layer, f.head], labels, range(f.trace.d_k), ctx.t(f"fig_{kind}", head=name),
                            row_title=t("common.token"), col_title=t("common.dimension"), show_text=False)
        for kind, vectors in (("q", f.trace.Q), ("k", f.trace.K))
    })  # fmt: skip


def entropy_view(ctx: PageContext, trace) -> None:
    n = len(trace.tokens)
    summary = ui_model.trace_summary(sentence_text(), *ctx.config)
    st.write(ctx.t("entropy_text", max_bits=f"{trace.max_entropy:.2f}", n=n))
    fig = layer_head_heatmap(summary.entropy, ctx.t("fig_entropy"), layer_labels=ui_model.layer_labels(),
                             head_labels=ui_model.head_labels(), zmax=trace.max_entropy, unit=ctx.t("bits"))  # fmt: skip
    chart(fig, ctx.key("entropy"))


def rollout_view(ctx: PageContext, trace) -> None:
    summary, layers = ui_model.trace_summary(sentence_text(), *ctx.config), ui_model.layer_labels()
    st.latex(r"\tilde A_l = \tfrac12\big(\bar A_l + I\big),\qquad R_l = \tilde A_l\,\tilde A_{l-1}\cdots\tilde A_1")
    after = st.segmented_control(ctx.t("rollout_layer"), range(len(layers)), format_func=layers.__getitem__,
                                 default=len(layers) - 1, key=ctx.key("rollout_layer"), required=True)  # fmt: skip
    labels = token_labels(trace.tokens)
    fig = token_heatmap(summary.rollout[after], labels, labels, ctx.t("fig_rollout", layer=after + 1), kind="prob",
                        row_title=ctx.t("output_token"), col_title=ctx.t("input_token"))  # fmt: skip
    chart(fig, ctx.key("rollout"))


def compare_view(ctx: PageContext, trace) -> None:
    """Two sentences through the unmodified model, side by side; reruns alone."""
    c1, c2, c3 = st.columns([1, 1, 1])
    layers, heads = ui_model.layer_labels(), ui_model.head_labels()
    layer = c1.selectbox(ctx.t("layer"), range(len(layers)), ui_model.COMPARE_HEAD[0], format_func=layers.__getitem__,
                         key=ctx.key("cmp_layer", translated=True))  # fmt: skip
    head = c2.selectbox(ctx.t("head"), [None, *range(len(heads))], ui_model.COMPARE_HEAD[1] + 1, key=ctx.key("cmp_head", translated=True),
                        format_func=lambda h: ctx.t("mean_heads") if h is None else heads[h])  # fmt: skip
    texts = [text for side, col in zip("ab", st.columns(2)) if (text := compare_side(ctx, side, col, layer, head))]
    if len(texts) == 2:
        c3.metric(ctx.t("compare_cosine"), f"{ui_model.similarity(*texts):.4f}", help=ctx.t("compare_cosine_help"))


def compare_side(ctx: PageContext, side: str, col, layer: int, head: int | None) -> str | None:
    """One sentence of the comparison: its box, notes, query picker and weight bars; its text if not empty."""
    with col:
        text = sentence_box(ctx.t(f"sentence_{side}"), ctx.key(f"cmp_{side}"), ctx.t(f"preset_{side}"))
        if not text.strip():
            st.info(ctx.t("compare_empty"))
            return None
        tr = ui_model.model_trace(text)
        ui_model.input_notes(tr, text, offer_example=False)
        labels = token_labels(tr.tokens)
        q = st.selectbox(ctx.t("compare_query"), range(len(labels)), tr.tokens.index("it") if "it" in tr.tokens else 0,
                         format_func=labels.__getitem__, key=ctx.key(f"cmp_q_{side}"))  # fmt: skip
        A = tr.head_weights(layer, head)
        chart(weight_bars(A[q], labels, ctx.t("fig_compare", token=quoted(tr.tokens[q]))), ctx.key(f"cmp_bars_{side}"))
        return text


Page(
    key="real_model",
    lesson=REAL_MODEL,
    uses_sentence=False,  # the model has its own tokenizer
    ready=ready,
    controls=controls,
    compute=compute,
    header=(
        View("grid", grid_view, heading="grid_header", text="grid_text"),
        View("focus", focus_view, heading="focus_header", code=(encoder_block,), fragment=True,
             see_also=("block", "multihead")),
    ),
    footer=(
        View("entropy", entropy_view, heading="entropy_header"),
        View("rollout", rollout_view, heading="rollout_header", text="rollout_text",
             code=(head_entropy, attention_rollout)),
        View("compare", compare_view, heading="compare_header", text="compare_text", fragment=True),
        View("notes", lambda ctx, run: None, heading="notes_header", text="notes"),
    ),
).run()  # fmt: skip
