"""Summary: the article's closing points, each beside the figure that shows it, live on the sidebar sentence."""

import streamlit as st

from core.block import STAGES
from core.complexity import LAYERS, processing_schedule
from core.demos.scaled_dot_product import ToyConfig
from core.demos.transformer_block import BlockConfig
from ui.compute import block_walkthrough_cached, long_range_cached, toy_attention_cached
from ui.i18n import t
from ui.page import Page, PageContext, View
from ui.text import number_text
from viz import palette
from viz.block import stage_norm_lines
from viz.curves import Series, line_chart
from viz.heatmaps import token_heatmap
from viz.schedule import schedule_grid, schedule_states

LONG_RANGE_D = 16  # state width of the toy RNN and attention, as on the RNN/CNN page


def focus_view(ctx: PageContext, run) -> None:
    """Dynamic focus: the weights are computed from the sentence itself."""
    weights = toy_attention_cached(ctx.tokens, ToyConfig()).result.weights
    fig = token_heatmap(weights, ctx.labels, ctx.labels, ctx.t("fig_focus"), kind="prob",
                        row_title=t("common.query"), col_title=t("common.key"), show_text=False)  # fmt: skip
    ctx.chart("focus", fig)


def global_view(ctx: PageContext, run) -> None:
    """Global information: every token reaches every other in one step."""
    n = max(ctx.n, 2)
    rnn, att = long_range_cached(n, LONG_RANGE_D, 1.0, 0)
    series = [Series(t("rnn_cnn.rnn_grad"), rnn.norms, palette.ACCENT),
              Series(t("rnn_cnn.attention_grad"), att.norms, palette.Q_COLOR)]  # fmt: skip
    fig = line_chart(list(range(n)), series, t("rnn_cnn.fig_long"), x_title=t("rnn_cnn.distance_axis"),
                     y_title=t("rnn_cnn.grad_axis"), log_y=True, height=340)  # fmt: skip
    ctx.chart("global", fig)
    st.caption(ctx.t("global_numbers", n=n, rnn=number_text(rnn.norms[-1]), att=number_text(att.norms[-1])))


def parallel_view(ctx: PageContext, run) -> None:
    """Parallelism: after one step attention has every position, a recurrent layer one."""
    schedule = processing_schedule(ctx.n, 1, k=3)
    names = [t(f"rnn_cnn.layer_{layer}") for layer in LAYERS]
    states = tuple(t(f"rnn_cnn.state_{s}") for s in ("pending", "done", "reached"))
    ctx.chart("parallel", schedule_grid(schedule_states(schedule), names, states, t("rnn_cnn.fig_schedule", step=1)))
    att, rnn, _ = schedule.steps_needed
    st.caption(ctx.t("parallel_numbers", n=ctx.n, att=att, rnn=rnn))


def block_view(ctx: PageContext, run) -> None:
    """The four steps of a block: embedding + PE, attention, add & norm, feed-forward, add & norm."""
    block = block_walkthrough_cached(ctx.tokens, BlockConfig())
    stages = [t(f"block.stage_{s}") for s in STAGES]
    fig = stage_norm_lines(block.norms[-1].T, ctx.labels, stages, ctx.t("fig_block"), mean_name=t("block.mean"),
                           y_title=t("block.norm_axis"))  # fmt: skip
    ctx.chart("block", fig)


Page(
    key="summary",
    header=(
        View("focus", focus_view, heading="focus_header", text="focus_text", see_also=("intuition", "sdp")),
        View("global", global_view, heading="global_header", text="global_text", see_also=("rnn_cnn",)),
        View("parallel", parallel_view, heading="parallel_header", text="parallel_text", see_also=("rnn_cnn",)),
        View("block", block_view, heading="block_header", text="block_text", see_also=("block",)),
        View("next", lambda ctx, run: None, heading="next_header", text="next_text", see_also=("real_model",)),
    ),
).run()
