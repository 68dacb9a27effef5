"""The tabs of the causal language model page: attention, overview, special heads, RoPE, grouped-query
attention, the KV cache, the logit lens and MiniLM side by side. Each draws from the cached prompt trace."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

import ui.language_model as lm
import ui.model as minilm_ui
from core.attention import causal_mask
from core.demos.language_model import kv_groups, kv_memory
from core.llama import rope_frequencies
from core.minilm import ModelNotAvailable
from ui.i18n import t
from ui.page import PageContext
from ui.sidebar import sentence_text
from ui.text import number_text, token_labels
from ui.widgets import chart
from viz.curves import Series, line_chart
from viz.heatmaps import token_heatmap
from viz.language_model import gqa_diagram, logit_lens_grid, rotation_path
from viz.model_views import layer_head_heatmap, model_grid

ROPE_STARTS = (0, 100)  # key positions of the two q'·k' curves: they coincide
ROPE_MAX_OFFSET = 64
ROPE_POSITIONS = tuple(range(0, 13))


def _layer_head(ctx: PageContext, name: str, layer: int = 1, head: int = 1) -> tuple[int, int]:
    cfg = lm.smollm().config
    c1, c2 = st.columns(2)
    layer = c1.slider(ctx.t("layer"), 1, cfg.num_layers, layer, key=ctx.key(f"{name}_layer")) - 1
    head = c2.slider(ctx.t("head"), 1, cfg.num_heads, head, key=ctx.key(f"{name}_head")) - 1
    return layer, head


def attention_view(ctx: PageContext, trace) -> None:
    """One head's causal weights; reruns alone when the layer or head changes: nothing is recomputed."""
    layer, head = _layer_head(ctx, "att", 2, 1)
    labels, n = token_labels(trace.tokens), len(trace.tokens)
    kv = head // lm.smollm().config.group_size
    fig = token_heatmap(trace.weights[layer, head], labels, labels,
                        ctx.t("fig_attention", head=lm.head_name(layer, head), kv=kv + 1), kind="prob",
                        masked=~causal_mask(n), row_title=t("common.query"), col_title=t("common.key"),
                        show_text=n <= lm.SHOW_VALUES_UP_TO)  # fmt: skip
    chart(fig, ctx.key("attention"))


def overview_view(ctx: PageContext, trace) -> None:
    n = len(trace.tokens)
    g = min(n, lm.GRID_MAX_TOKENS)
    if n > g:
        st.caption(ctx.t("grid_cropped", g=g, n=n))
    hover = t("real_model.grid_hover", query=t("common.query"), key_word=t("common.key"))
    fig = model_grid(trace.weights[:, :, :g, :g], ctx.t("fig_grid"), layer_labels=lm.layer_labels(),
                     head_labels=lm.head_labels(), hover=hover, block_height=44)  # fmt: skip
    chart(fig, ctx.key("grid"))


def heads_view(ctx: PageContext, trace) -> None:
    if len(trace.tokens) < 2:
        st.info(ctx.t("heads_need_two"))
        return
    stats = lm.head_stats(sentence_text())
    found = stats.previous_heads
    names = ", ".join(f"{lm.head_name(i, j)} ({s:.2f})" for i, j, s in found[:8])
    st.write(ctx.t("previous_found", k=len(found), names=names) if found else ctx.t("previous_none"))
    st.write(ctx.t("sink_found", share=f"{np.mean(stats.sink[2:]):.0%}"))
    layers, heads = lm.layer_labels(), lm.head_labels()
    ctx.charts({
        "sink": layer_head_heatmap(stats.sink, ctx.t("fig_sink"), layer_labels=layers, head_labels=heads, zmax=1.0),
        "previous": layer_head_heatmap(stats.previous, ctx.t("fig_previous"), layer_labels=layers, head_labels=heads,
                                       zmax=1.0, highlight=found[0][:2] if found else None),
    })  # fmt: skip


def rope_view(ctx: PageContext, trace) -> None:
    """RoPE made visible on token 0's own query and key; reruns alone."""
    layer, head = _layer_head(ctx, "rope", 1, 1)
    text, cfg = sentence_text(), lm.smollm().config
    curves = lm.rope_curves(text, layer, head, ROPE_MAX_OFFSET, ROPE_STARTS)
    series = [Series(ctx.t("rope_start", start=s), curves[i], dash=("solid", "dash")[i], markers=i == 0,
                     color=("#0072B2", "#D55E00")[i]) for i, s in enumerate(ROPE_STARTS)]  # fmt: skip
    st.write(ctx.t("rope_curve_text", spread=number_text(float(np.ptp(curves, axis=0).max()))))
    chart(line_chart(np.arange(ROPE_MAX_OFFSET + 1), series, ctx.t("fig_rope_curve", head=lm.head_name(layer, head)),
                     x_title=ctx.t("offset"), y_title="q′·k′"), ctx.key("rope_curve"))  # fmt: skip
    pair = st.slider(ctx.t("pair"), 0, cfg.d_head // 2 - 1, 0, key=ctx.key("pair"), help=ctx.t("pair_help"))
    theta = float(rope_frequencies(cfg.d_head, cfg.rope_base)[pair])
    st.write(ctx.t("rope_pair_text", i=pair, theta=number_text(theta), turns=number_text(2 * np.pi / theta)))
    pts = lm.rope_path(text, layer, head, pair, ROPE_POSITIONS)
    fig = rotation_path(
        pts, ROPE_POSITIONS, ctx.t("fig_rope_pair", i=pair), axis_names=(f"q[{2 * pair}]", f"q[{2 * pair + 1}]")
    )
    chart(fig, ctx.key("rope_pair"))


def gqa_view(ctx: PageContext, trace) -> None:
    cfg, n = lm.smollm().config, len(trace.tokens)
    q_names = [ctx.t("q_head", i=j + 1) for j in range(cfg.num_heads)]
    kv_names = [ctx.t("kv_head", i=i + 1) for i in range(cfg.num_kv_heads)]
    chart(gqa_diagram(kv_groups(cfg.num_heads, cfg.num_kv_heads), ctx.t("fig_gqa"), q_names=q_names, kv_names=kv_names),
          ctx.key("gqa"))  # fmt: skip
    mem = kv_memory(n, cfg.num_layers, cfg.num_heads, cfg.num_kv_heads, cfg.d_head)
    c1, c2, c3 = st.columns(3)
    c1.metric(ctx.t("kv_gqa", n=n), f"{mem.total_gqa / 1024:.0f} KB")
    c2.metric(ctx.t("kv_mha", n=n), f"{mem.total_mha / 1024:.0f} KB")
    c3.metric(ctx.t("kv_saved"), f"{mem.saved:.0%}")


def kv_view(ctx: PageContext, trace) -> None:
    cfg = lm.smollm().config
    per_layer = cfg.num_kv_heads * cfg.d_head
    rows = [(ctx.t("kv_k"), f"{cfg.num_layers} × {cfg.num_kv_heads} × {cfg.d_head}", cfg.num_layers * per_layer),
            (ctx.t("kv_v"), f"{cfg.num_layers} × {cfg.num_kv_heads} × {cfg.d_head}", cfg.num_layers * per_layer)]  # fmt: skip
    table = pd.DataFrame(rows, columns=[ctx.t("kv_what"), ctx.t("kv_shape"), ctx.t("kv_numbers")])
    st.dataframe(table, hide_index=True)
    st.write(
        ctx.t(
            "kv_per_token",
            numbers=2 * cfg.num_layers * per_layer,
            kb=f"{2 * cfg.num_layers * per_layer * 4 / 1024:.0f}",
        )
    )
    gen = lm.generation(ctx.key("generation"), sentence_text())
    full = lm.last_logits(tuple(gen.ids))
    diff = float(np.max(np.abs(full - gen.logits)))
    same = int(np.argmax(full)) == int(np.argmax(gen.logits))
    c1, c2, c3 = st.columns(3)
    c1.metric(ctx.t("kv_tokens"), f"{gen.cache.length}", help=ctx.t("kv_tokens_help"))
    c2.metric(ctx.t("kv_size"), f"{gen.cache.nbytes / 1024:.0f} KB")
    c3.metric(ctx.t("kv_check"), f"{diff:.1e}", help=ctx.t("kv_check_help"))
    st.write(ctx.t("kv_check_text", k=len(gen.steps), diff=f"{diff:.1e}", same=ctx.t("yes") if same else ctx.t("no")))
    if gen.steps:
        ms = [s.ms for s in gen.steps]
        st.caption(ctx.t("kv_times", prefill=f"{gen.prefill_ms:.0f}", step=f"{np.median(ms):.0f}"))


def lens_view(ctx: PageContext, trace) -> None:
    positions, probs, texts = lm.logit_lens(sentence_text())
    shown = [[lm.visible(s) for s in row] for row in texts]
    labels = [f"{p} · {lm.visible(trace.tokens[p])}" for p in positions]
    layers = [ctx.t("embeddings"), *lm.layer_labels()]
    fig = logit_lens_grid(probs, np.array(shown, dtype=object), layers, labels, ctx.t("fig_lens"),
                          hover=ctx.t("lens_hover"))  # fmt: skip
    chart(fig, ctx.key("lens"))


def compare_view(ctx: PageContext, trace) -> None:
    try:
        minilm_ui.minilm()
    except ModelNotAvailable:
        st.info(ctx.t("compare_missing"))
        return
    other = minilm_ui.model_trace(sentence_text())
    c1, c2 = st.columns(2)
    for col, name, tokens, A, mask in (
        (c1, "SmolLM2-135M", trace.tokens, trace.weights[-1].mean(axis=0), ~causal_mask(len(trace.tokens))),
        (c2, "all-MiniLM-L6-v2", other.tokens, other.weights[-1].mean(axis=0), None),
    ):
        labels = token_labels(tokens)
        fig = token_heatmap(A, labels, labels, ctx.t("fig_compare", model=name, n=len(tokens)), kind="prob",
                            masked=mask, row_title=t("common.query"), col_title=t("common.key"), show_text=False)  # fmt: skip
        with col:
            chart(fig, ctx.key(f"compare_{name[:6].lower()}"))
