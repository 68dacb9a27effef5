"""One Transformer encoder block on the sidebar sentence: every stage, its shape, and the token norms."""

import streamlit as st

from core.block import (
    STAGES,
    encoder_block,
    feed_forward,
    layer_norm,
    token_norms,
)
from core.demos.transformer_block import BlockConfig
from core.multihead import multi_head_attention
from ui import latex
from ui.compute import block_walkthrough_cached, compare_variants_cached
from ui.i18n import current_language, t
from ui.sidebar import sentence_tokens
from ui.text import token_label
from ui.widgets import chart, fresh_key, show_code
from viz.block import flow_diagram, norm_trajectories, stage_grid, stage_norm_lines

st.title(t("block.title"))
st.write(t("block.intro"))
st.latex(
    r"Z = \mathrm{LayerNorm}\big(X + \mathrm{MultiHead}(X)\big),\qquad "
    r"Y = \mathrm{LayerNorm}\big(Z + \mathrm{FFN}(Z)\big)"
)
st.latex(
    r"\mathrm{FFN}(z) = \mathrm{act}(zW_1 + b_1)\,W_2 + b_2,\qquad "
    r"\mathrm{LayerNorm}(x) = \gamma \odot \frac{x - \mu}{\sqrt{\sigma^2 + \varepsilon}} + \beta"
)

tokens = sentence_tokens()
if not tokens:
    st.stop()
labels = [token_label(i, tok) for i, tok in enumerate(tokens)]
n = len(tokens)

TABS = ("flow", "norms", "inside", "layer_norm")


@st.fragment
def explorer() -> None:
    """Controls and tabs rerun on their own: a slider move skips the router and the sidebar, and only
    the open tab draws its figures."""
    lang = current_language()
    with st.container(border=True):
        c1, c2, c3 = st.columns(3)
        d_model = c1.slider(t("block.d_model"), 4, 64, 16, 4, key="blk_d_model", help=t("block.d_model_help"))
        head_options = [h for h in (1, 2, 4, 8, 16) if d_model % h == 0]
        if st.session_state.get("blk_heads") not in head_options:
            st.session_state.blk_heads = max(h for h in head_options if h <= 4)
        num_heads = c1.selectbox(t("block.num_heads"), head_options, key="blk_heads", help=t("block.num_heads_help"))
        d_ff = c1.slider(t("block.d_ff"), 4, 256, 64, 4, key="blk_d_ff", help=t("block.d_ff_help"))
        activation = c2.radio(
            t("block.activation"),
            ("relu", "gelu"),
            format_func=lambda a: t(f"block.act_{a}"),
            key="blk_act",
            horizontal=True,
        )
        positional = c2.toggle(t("block.positional"), True, key="blk_pe")
        seed = c2.number_input(t("common.seed"), 0, 1_000_000, 0, key="blk_seed", help=t("common.seed_help"))
        residual = c3.toggle(t("block.residual"), True, key="blk_residual", help=t("block.residual_help"))
        norm_on = c3.toggle(t("block.layer_norm"), True, key="blk_ln", help=t("block.layer_norm_help"))
        num_layers = c3.slider(t("block.num_layers"), 1, 8, 1, key="blk_layers", help=t("block.num_layers_help"))
        gain = c3.slider(t("block.gain"), 0.5, 2.0, 1.0, 0.1, key="blk_gain", help=t("block.gain_help"))

    config = BlockConfig(
        d_model=d_model, num_heads=num_heads, d_ff=d_ff, activation=activation, residual=residual,
        layer_norm=norm_on, num_layers=num_layers, seed=int(seed), gain=gain, positional=positional,
    )  # fmt: skip
    run = block_walkthrough_cached(tuple(tokens), config)
    last = run.layers[-1]
    d_k = d_model // num_heads
    shape, hidden_shape = f"{n} × {d_model}", f"{n} × {d_ff}"
    mean_norms = run.mean_norms  # (N, stages)

    add_title = t("block.box_add_norm") if norm_on else t("block.add_only")
    stage_names = [t(f"block.stage_{s}") for s in STAGES]

    def flow_tab() -> None:
        """1 · the flow, with the shape on every arrow."""
        st.subheader(t("block.step_flow"))
        st.write(t("block.flow_text"))
        add_name = t("block.box_add_norm") if norm_on else t("block.box_add")
        norm_caption = lambda s: t("block.box_norm_caption", norm=mean_norms[-1, s])  # noqa: E731
        ffn_caption = t("block.box_ffn_caption", hidden=hidden_shape, act=t(f"block.act_{activation}"))
        boxes = [
            (t("block.box_tokens"), "input", t("block.box_tokens_caption", n=n)),
            (t("block.box_embedding"), "input", t("block.box_embedding_caption", d_model=d_model)),
            (t("block.box_pe"), "input", t("block.box_norm_caption", norm=mean_norms[0, 0])),
            (t("block.box_attention"), "attention", t("block.box_attention_caption", h=num_heads, d_k=d_k)),
            (add_name, "norm", norm_caption(STAGES.index("norm_1"))),
            (t("block.box_ffn"), "ffn", ffn_caption),
            (add_name, "norm", norm_caption(STAGES.index("norm_2"))),
            (t("block.box_output", N=num_layers) if num_layers > 1 else t("block.box_output_one"), "input", shape),
        ]
        arrows = [f"({n},)", shape, shape, shape, shape, shape, shape]
        residuals = [(2, 4), (4, 6)]
        fig = flow_diagram(
            boxes,
            arrows,
            residuals,
            t("block.fig_flow", N=num_layers),
            residual_label=t("block.residual_arc") if residual else t("block.residual_arc_off"),
            residual_on=residual,
        )
        chart(fig, "blk_flow")

    def norms_tab() -> None:
        """2 · how long is each token's vector after each stage, and through a stack?"""
        st.subheader(t("block.step_norms"))
        st.write(t(f"block.norms_text_{int(residual)}{int(norm_on)}", sqrt_d=f"{d_model**0.5:.2f}", d_model=d_model))
        left, right = st.columns(2)
        with left:
            fig = stage_norm_lines(
                run.norms[-1].T,
                labels,
                stage_names,
                t("block.fig_norms", layer=num_layers),
                mean_name=t("block.mean"),
                y_title=t("block.norm_axis"),
            )
            chart(fig, "blk_norms")
        with right:
            variants = compare_variants_cached(tuple(tokens), config)
            curves = {t(f"block.variant_{int(r)}{int(ln)}"): v for (r, ln), v in variants.items()}
            x_labels = [stage_names[0]] + [f"{k + 1}·{name}" for k in range(num_layers) for name in stage_names[1:]]
            fig = norm_trajectories(
                curves,
                x_labels,
                t("block.fig_stack", N=num_layers),
                current=t(f"block.variant_{int(residual)}{int(norm_on)}"),
                y_title=t("block.norm_axis_log"),
            )
            chart(fig, "blk_stack")
        st.caption(t("block.stack_caption"))

    @st.fragment
    def inside_tab() -> None:
        """3 · every tensor; only this part reruns when the inspected layer or head changes."""
        st.subheader(t("block.step_inside"))
        c1, c2 = st.columns(2)
        layer = (
            c1.slider(t("block.layer_view"), 1, num_layers, num_layers, key="blk_layer_view") if num_layers > 1 else 1
        )
        head = c2.slider(t("block.head_view"), 1, num_heads, 1, key="blk_head_view") if num_heads > 1 else 1
        r = run.layers[layer - 1]
        tok, dim, key_name = t("common.token"), t("common.dimension"), t("common.key")
        panels = [
            (r.X, "fig_input", shape, "signed"),
            (r.attention.weights[head - 1], "fig_weights", f"{n} × {n}", "prob"),
            (r.attention.output, "fig_attention", shape, "signed"),
            (r.norm_1.output, "fig_norm_1", shape, "signed"),
            (r.ffn.hidden, "fig_hidden", hidden_shape, "signed"),
            (r.ffn.output, "fig_ffn", shape, "signed"),
            (r.norm_2.output, "fig_norm_2", shape, "signed"),
        ]
        act = t(f"block.act_{activation}")
        panels = [
            (
                M,
                t(f"block.{name}", shape=shp, head=head, add=add_title, act=act),
                kind,
                key_name if kind == "prob" else dim,
            )
            for M, name, shp, kind in panels
        ]
        chart(stage_grid(panels, labels, t("block.fig_stages", layer=layer), row_title=tok), "blk_stages")
        st.write(t("block.inside_text"))

    @st.fragment
    def layer_norm_tab() -> None:
        """LayerNorm by hand for one token of the last block's first Add & Norm."""
        st.subheader(t("block.ln_header"))
        st.write(t("block.ln_text"))
        i = st.columns(3)[0].selectbox(
            t("block.ln_token"), range(n), min(1, n - 1), format_func=labels.__getitem__,
            key=f"blk_ln_token_{n}_{hash(tuple(tokens))}",  # new labels need a new key, or the old label stays
        )  # fmt: skip
        r = last.norm_1 if norm_on else layer_norm(last.add_1)
        st.latex(
            latex.layer_norm_step(
                float(run.norms[-1, STAGES.index("add_1"), i]),
                float(r.mean[i, 0]),
                float(r.var[i, 0]),
                float(token_norms(r.normalized)[i]),
                d_model,
            )
        )
        if not norm_on:
            st.caption(t("block.ln_off_note"))

    # lazy tabs: only the open one runs, so a slider move redraws one figure, not four
    tabs = st.tabs([t(f"block.tab_{name}") for name in TABS], key=fresh_key("blk_tab", lang), on_change="rerun")
    code = {  # the core functions behind each tab, shown under it
        "flow": (encoder_block,),
        "norms": (token_norms, encoder_block),
        "inside": (multi_head_attention, feed_forward, layer_norm),
        "layer_norm": (layer_norm,),
    }
    for name, tab, draw in zip(TABS, tabs, (flow_tab, norms_tab, inside_tab, layer_norm_tab)):
        with tab:
            if tab.open:
                draw()
                show_code(*code[name])


explorer()
