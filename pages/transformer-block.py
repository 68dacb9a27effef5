"""One Transformer encoder block on the sidebar sentence: every stage, its shape, and the token norms."""

from dataclasses import replace

import streamlit as st

from core.block import ACTIVATIONS, STAGES, encoder_block, feed_forward, layer_norm, token_norms
from core.demos.transformer_block import BlockConfig, block_head_options
from core.gradients import attention_vjp, encoder_block_vjp, feed_forward_vjp, layer_norm_vjp, stack_gradients
from core.limits import TOY_MAX_D_MODEL
from core.multihead import BLOCK_DEFAULT_HEADS, choose_heads, multi_head_attention
from ui import latex, state
from ui.compute import block_walkthrough_cached, compare_variants_cached, gradient_variants_cached
from ui.i18n import t
from ui.lesson_plans import BLOCK
from ui.page import Page, PageContext, View
from ui.text import number_text
from ui.widgets import chart
from viz.block import flow_diagram, gradient_lines, norm_trajectories, stage_grid, stage_norm_lines


def controls(ctx: PageContext) -> BlockConfig:
    c1, c2, c3 = st.columns(3)
    d_model = c1.slider(ctx.t("d_model"), 4, TOY_MAX_D_MODEL, 16, 4, key=ctx.key("d_model"), help=ctx.t("d_model_help"))
    options, h_key = block_head_options(d_model), ctx.key("heads")
    st.session_state[h_key] = choose_heads(options, st.session_state.get(h_key), BLOCK_DEFAULT_HEADS)
    state.default(h_key, choose_heads(options, None, BLOCK_DEFAULT_HEADS))  # what a link leaves out
    heads = c1.selectbox(ctx.t("num_heads"), options, key=h_key, help=ctx.t("num_heads_help"))
    d_ff = c1.slider(ctx.t("d_ff"), 4, 256, 64, 4, key=ctx.key("d_ff"), help=ctx.t("d_ff_help"))
    activation = c2.radio(ctx.t("activation"), ACTIVATIONS, format_func=lambda a: ctx.t(f"act_{a}"),
                          key=ctx.key("act", translated=True), horizontal=True)  # fmt: skip
    positional = c2.toggle(ctx.t("positional"), True, key=ctx.key("pe"))
    seed = c2.number_input(t("common.seed"), 0, 1_000_000, 0, key=ctx.key("seed"), help=t("common.seed_help"))
    residual = c3.toggle(ctx.t("residual"), True, key=ctx.key("residual"), help=ctx.t("residual_help"))
    norm = c3.toggle(ctx.t("layer_norm"), True, key=ctx.key("ln"), help=ctx.t("layer_norm_help"))
    layers = c3.slider(ctx.t("num_layers"), 1, 8, 1, key=ctx.key("layers"), help=ctx.t("num_layers_help"))
    gain = c3.slider(ctx.t("gain"), 0.5, 2.0, 1.0, 0.1, key=ctx.key("gain"), help=ctx.t("gain_help"))
    return BlockConfig(
        d_model=d_model, num_heads=heads, d_ff=d_ff, activation=activation, residual=residual, layer_norm=norm,
        num_layers=layers, seed=int(seed), gain=gain, positional=positional,
    )  # fmt: skip


def compute(ctx: PageContext, config: BlockConfig):
    return block_walkthrough_cached(ctx.tokens, config)


def flow_tab(ctx: PageContext, run) -> None:
    """The flow, with the shape on every arrow."""
    c, n = ctx.config, ctx.n
    add = ctx.t("box_add_norm") if c.layer_norm else ctx.t("box_add")
    shape, means = f"{n} × {c.d_model}", run.mean_norms[-1]
    norm_caption = [ctx.t("box_norm_caption", norm=means[STAGES.index(s)]) for s in ("norm_1", "norm_2")]
    ffn_caption = ctx.t("box_ffn_caption", hidden=f"{n} × {c.d_ff}", act=ctx.t(f"act_{c.activation}"))
    output = ctx.t("box_output", N=c.num_layers) if c.num_layers > 1 else ctx.t("box_output_one")
    boxes = [
        (ctx.t("box_tokens"), "input", ctx.t("box_tokens_caption", n=n)),
        (ctx.t("box_embedding"), "input", ctx.t("box_embedding_caption", d_model=c.d_model)),
        (ctx.t("box_pe"), "input", ctx.t("box_norm_caption", norm=run.mean_norms[0, 0])),
        (ctx.t("box_attention"), "attention", ctx.t("box_attention_caption", h=c.num_heads, d_k=c.d_k)),
        (add, "norm", norm_caption[0]),
        (ctx.t("box_ffn"), "ffn", ffn_caption),
        (add, "norm", norm_caption[1]),
        (output, "input", shape),
    ]  # fmt: skip
    arc = ctx.t("residual_arc") if c.residual else ctx.t("residual_arc_off")
    fig = flow_diagram(boxes, [f"({n},)"] + [shape] * 6, [(2, 4), (4, 6)], ctx.t("fig_flow", N=c.num_layers),
                       residual_label=arc, residual_on=c.residual)  # fmt: skip
    chart(fig, ctx.key("flow"))


def variant_name(ctx: PageContext, residual: bool, norm: bool) -> str:
    return ctx.t(f"variant_{int(residual)}{int(norm)}")


def norms_tab(ctx: PageContext, run) -> None:
    """How long is each token's vector after each stage, and through a stack?"""
    c = ctx.config
    norms_text = ctx.t(
        f"norms_text_{int(c.residual)}{int(c.layer_norm)}", sqrt_d=f"{c.d_model**0.5:.2f}", d_model=c.d_model
    )
    st.write(norms_text)
    stage_names = [ctx.t(f"stage_{s}") for s in STAGES]
    norms = stage_norm_lines(run.norms[-1].T, ctx.labels, stage_names, ctx.t("fig_norms", layer=c.num_layers),
                             mean_name=ctx.t("mean"), y_title=ctx.t("norm_axis"))  # fmt: skip
    curves = {variant_name(ctx, *switches): v for switches, v in compare_variants_cached(ctx.tokens, c).items()}
    x_labels = [stage_names[0]] + [f"{k + 1}·{name}" for k in range(c.num_layers) for name in stage_names[1:]]
    stack = norm_trajectories(curves, x_labels, ctx.t("fig_stack", N=c.num_layers), y_title=ctx.t("norm_axis_log"),
                              current=variant_name(ctx, c.residual, c.layer_norm))  # fmt: skip
    ctx.charts({"norms": norms, "stack": stack})
    st.caption(ctx.t("stack_caption"))


def inside_tab(ctx: PageContext, run) -> None:
    """Every tensor; reruns alone when the inspected layer or head changes."""
    c, n = ctx.config, ctx.n
    c1, c2 = st.columns(2)
    layer = (
        c1.slider(ctx.t("layer_view"), 1, c.num_layers, c.num_layers, key=ctx.key("layer_view"))
        if c.num_layers > 1
        else 1
    )
    head = c2.slider(ctx.t("head_view"), 1, c.num_heads, 1, key=ctx.key("head_view")) if c.num_heads > 1 else 1
    r = run.layers[layer - 1]
    shape, hidden = f"{n} × {c.d_model}", f"{n} × {c.d_ff}"
    add = ctx.t("add_norm") if c.layer_norm else ctx.t("add_only")
    words = {"head": head, "add": add, "act": ctx.t(f"act_{c.activation}")}
    panels = [
        (r.X, ctx.t("fig_input", shape=shape, **words), "signed"),
        (r.attention.weights[head - 1], ctx.t("fig_weights", shape=f"{n} × {n}", **words), "prob"),
        (r.attention.output, ctx.t("fig_attention", shape=shape, **words), "signed"),
        (r.norm_1.output, ctx.t("fig_norm_1", shape=shape, **words), "signed"),
        (r.ffn.hidden, ctx.t("fig_hidden", shape=hidden, **words), "signed"),
        (r.ffn.output, ctx.t("fig_ffn", shape=shape, **words), "signed"),
        (r.norm_2.output, ctx.t("fig_norm_2", shape=shape, **words), "signed"),
    ]  # fmt: skip
    panels = [
        (M, title, kind, t("common.key") if kind == "prob" else t("common.dimension")) for M, title, kind in panels
    ]
    chart(
        stage_grid(panels, ctx.labels, ctx.t("fig_stages", layer=layer), row_title=t("common.token")), ctx.key("stages")
    )
    st.write(ctx.t("inside_text"))


QUOTED = {"both": (True, True), "ln_only": (False, True), "res_only": (True, False), "neither": (False, False)}


def gradients_tab(ctx: PageContext, run) -> None:
    """The gradient of a fixed readout, sent back through the stack, for the four switch settings; its own
    number of blocks (8 to start with: one block shows little), so it reruns alone when that changes."""
    layers = st.columns(3)[0].slider(ctx.t("grad_layers"), 1, 8, 8, key=ctx.key("grad_layers"))
    c = replace(ctx.config, num_layers=layers)
    grads = gradient_variants_cached(ctx.tokens, c).by_variant()
    x_labels = [ctx.t("grad_x_input")] + [ctx.t("grad_x_block", layer=k) for k in range(1, c.num_layers + 1)]
    fig = gradient_lines({variant_name(ctx, *s): v for s, v in grads.items()}, x_labels,
                         ctx.t("fig_grad", N=c.num_layers), current=variant_name(ctx, c.residual, c.layer_norm),
                         y_title=ctx.t("grad_axis"), x_title=ctx.t("grad_x_axis"))  # fmt: skip
    ctx.chart("gradients", fig)
    at_input = {name: number_text(grads[switches][0]) for name, switches in QUOTED.items()}
    st.write(ctx.t("grad_result", N=c.num_layers, **at_input))
    st.caption(ctx.t("grad_caveat"))


def layer_norm_tab(ctx: PageContext, run) -> None:
    """LayerNorm by hand for one token of the last block's first Add & Norm."""
    i = st.columns(3)[0].selectbox(ctx.t("ln_token"), range(ctx.n), min(1, ctx.n - 1), format_func=ctx.labels.__getitem__,
                                   key=ctx.key("ln_token", per_sentence=True))  # fmt: skip
    last, norm = run.layers[-1], ctx.config.layer_norm
    r = last.norm_1 if norm else layer_norm(last.add_1)
    x_norm = float(run.norms[-1, STAGES.index("add_1"), i])
    out_norm = float(token_norms(r.normalized)[i])
    st.latex(latex.layer_norm_step(x_norm, float(r.mean[i, 0]), float(r.var[i, 0]), out_norm, ctx.config.d_model))
    if not norm:
        st.caption(ctx.t("ln_off_note"))


Page(
    key="block",
    lesson=BLOCK,
    formulas=(
        r"Z = \mathrm{LayerNorm}\big(X + \mathrm{MultiHead}(X)\big),\qquad "
        r"Y = \mathrm{LayerNorm}\big(Z + \mathrm{FFN}(Z)\big)",
        r"\mathrm{FFN}(z) = \mathrm{act}(zW_1 + b_1)\,W_2 + b_2,\qquad "
        r"\mathrm{LayerNorm}(x) = \gamma \odot \frac{x - \mu}{\sqrt{\sigma^2 + \varepsilon}} + \beta",
    ),
    controls=controls,
    compute=compute,
    tabs=(
        View("flow", flow_tab, heading="step_flow", text="flow_text", code=(encoder_block,), see_also=("real_model",)),
        View("norms", norms_tab, heading="step_norms", code=(token_norms, encoder_block)),
        View("inside", inside_tab, heading="step_inside", code=(multi_head_attention, feed_forward, layer_norm),
             fragment=True),
        View("gradients", gradients_tab, heading="grad_header", text="grad_text",
             code=(stack_gradients, encoder_block_vjp, attention_vjp, layer_norm_vjp, feed_forward_vjp), fragment=True),
        View("layer_norm", layer_norm_tab, heading="ln_header", text="ln_text", code=(layer_norm,), fragment=True),
    ),
).run()  # fmt: skip
