"""A causal language model: SmolLM2-135M predicts the next token of the sidebar sentence, one token at a time."""

from typing import NamedTuple

import numpy as np
import streamlit as st

import ui.language_model as lm
import ui.lm_views as views
from core.llama import decoder_block, rope_rotate
from core.sampling import next_token_distribution
from ui.i18n import t
from ui.lesson_plans import LANGUAGE_MODEL
from ui.page import Page, PageContext, View
from ui.sidebar import sentence_text
from ui.text import token_labels
from ui.widgets import chart
from viz.bars import weight_bars
from viz.base import escape
from viz.language_model import next_token_bars


class Sampler(NamedTuple):
    temperature: float
    top_k: int  # 0: all tokens
    top_p: float  # 1: all tokens


def ready(ctx: PageContext) -> bool:
    """The model is installed (else: how to install it) and the sentence has a token (else: ask for one)."""
    model = lm.get_smollm()
    if model is not None and not sentence_text().strip():
        st.info(t("input.empty"))
        return False
    return model is not None


def controls(ctx: PageContext) -> Sampler:
    st.markdown(f"**{ctx.t('sampler')}**")
    c1, c2, c3 = st.columns(3)
    temperature = c1.slider(ctx.t("temperature"), 0.05, 2.0, 1.0, 0.05, key=ctx.key("temperature"), help=ctx.t("temperature_help"))  # fmt: skip
    top_k = c2.slider(ctx.t("top_k"), 0, 50, 0, key=ctx.key("top_k"), help=ctx.t("top_k_help"))
    top_p = c3.slider(ctx.t("top_p"), 0.05, 1.0, 1.0, 0.05, key=ctx.key("top_p"), help=ctx.t("top_p_help"))
    return Sampler(temperature, top_k, top_p)


def compute(ctx: PageContext, config: Sampler):
    trace = lm.lm_trace(sentence_text())
    if trace.truncated:
        st.warning(ctx.t("truncated", n=trace.total_tokens, max_tokens=len(trace.tokens)))
    if any("\u3400" <= ch <= "\u9fff" for ch in sentence_text()):
        st.info(ctx.t("english_only"))
    cfg = lm.smollm().config
    st.caption(ctx.t("shapes", n=len(trace.tokens), L=cfg.num_layers, h=cfg.num_heads, h_kv=cfg.num_kv_heads,
                     d_model=cfg.d_model, d_head=cfg.d_head) + " · " + lm.cache_note())  # fmt: skip
    return trace


def next_view(ctx: PageContext, trace) -> None:
    dist = lm.distribution(sentence_text(), *ctx.config)
    top = np.argsort(-dist.tempered, kind="stable")[: lm.TOP_TOKENS]
    names = (ctx.t("plain"), ctx.t("final"))
    labels = [lm.visible(s) for s in lm.smollm().token_text(top)]  # "\n" and spaces made visible
    title = ctx.t("fig_next", token=escape(lm.visible(trace.tokens[-1])))  # token text is data, not markup
    fig = next_token_bars(dist.plain[top], dist.final[top], labels, title, names=names)
    chart(fig, ctx.key("next"))
    st.caption(ctx.t("kept", k=dist.kept, vocab=dist.final.size))


def generate_view(ctx: PageContext, trace) -> None:
    """Reruns alone: a click generates one token with the session's KV cache."""
    c1, c2, c3, c4 = st.columns([1.2, 0.9, 1.6, 1.0])
    modes = ("greedy", "sampled")
    mode = c1.segmented_control(ctx.t("decoding"), modes, default="greedy", format_func=lambda m: ctx.t(m),
                                key=ctx.key("decoding", translated=True), required=True)  # fmt: skip
    seed = c2.number_input(t("common.seed"), 0, 10_000, 0, key=ctx.key("seed"), disabled=mode == "greedy")
    state = ctx.key("generation")
    gen = lm.generation(state, sentence_text())  # the buttons' callbacks ran before this line
    c3.button(ctx.t("generate"), key=ctx.key("generate"), type="primary", disabled=len(gen.steps) >= lm.MAX_NEW_TOKENS,
              on_click=lm.generate_next, args=(state, sentence_text(), mode == "greedy", int(seed), *ctx.config))  # fmt: skip
    c4.button(ctx.t("reset"), key=ctx.key("reset"), on_click=lm.reset, args=(state,))
    st.code(lm.smollm().tokenizer.decode(gen.ids), language=None, wrap_lines=True)
    if not gen.steps:
        st.caption(ctx.t("generate_hint", n=lm.MAX_NEW_TOKENS))
        return
    last = gen.steps[-1]
    st.caption(ctx.t("step_info", token=repr(last.text), p=f"{last.probability:.3f}", ms=f"{last.ms:.0f}",
                     k=len(gen.steps), n=lm.MAX_NEW_TOKENS, kb=f"{gen.cache.nbytes / 1024:.0f}"))  # fmt: skip
    layers = lm.layer_labels()
    layer = st.selectbox(ctx.t("layer"), range(len(layers)), len(layers) - 1, format_func=layers.__getitem__,
                         key=ctx.key("gen_layer", translated=True))  # fmt: skip
    labels = token_labels([*lm.smollm().token_text(gen.ids[:-1]), last.text])
    title = ctx.t("fig_new_token", token=escape(lm.visible(last.text)), layer=layer + 1)
    fig = weight_bars(last.weights[layer].mean(axis=0), labels, title, highlight=len(labels) - 1)
    chart(fig, ctx.key("gen_bars"))


Page(
    key="language_model",
    lesson=LANGUAGE_MODEL,
    uses_sentence=False,  # the model has its own tokenizer
    ready=ready,
    controls=controls,
    compute=compute,
    header=(
        View("next", next_view, heading="next_header", text="next_text", code=(next_token_distribution,)),
        View("generate", generate_view, heading="generate_header", text="generate_text", fragment=True),
    ),
    tabs=(
        View("attention", views.attention_view, text="attention_text", code=(decoder_block,), fragment=True,
             see_also=("sdp", "real_model")),
        View("overview", views.overview_view, text="overview_text"),
        View("heads", views.heads_view, text="heads_text"),
        View("rope", views.rope_view, text="rope_text", code=(rope_rotate,), fragment=True, see_also=("positional",)),
        View("gqa", views.gqa_view, text="gqa_text", see_also=("multihead",)),
        View("kv", views.kv_view, text="kv_text"),
        View("lens", views.lens_view, text="lens_text"),
        View("compare", views.compare_view, text="compare_text", see_also=("real_model",)),
    ),
    footer=(View("notes", lambda ctx, run: None, heading="notes_header", text="notes"),),
).run()  # fmt: skip
