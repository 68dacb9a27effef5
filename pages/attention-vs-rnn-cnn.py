"""Attention vs RNN vs CNN: cost per layer, path length, and how far a signal travels."""

import numpy as np
import streamlit as st

from core.complexity import (
    LAYERS,
    attention_gradient,
    crossover_n,
    layer_costs,
    operations_curves,
    processing_schedule,
    rnn_gradient,
)
from ui import latex
from ui.compute import long_range_cached
from ui.i18n import t
from ui.page import Page, PageContext, View
from ui.widgets import chart
from viz import palette
from viz.curves import Series, line_chart
from viz.schedule import schedule_grid, schedule_states
from viz.tables import costs_table

N_VALUES = tuple(2**p for p in range(1, 15))  # 2 … 16384 tokens
SCHEDULE_N = 16  # tokens in the step-by-step picture
LONG_RANGE_D = 16  # state width of the toy RNN and attention
COLORS = (palette.Q_COLOR, palette.ACCENT, palette.V_COLOR)


def layer_names(ctx: PageContext) -> list[str]:
    return [ctx.t(f"layer_{layer}") for layer in LAYERS]


def cost_controls(ctx: PageContext) -> tuple[int, int, int]:
    """The cost panel's own bordered box, under its heading: tokens n, width d, kernel width k."""
    with st.container(border=True):
        c1, c2, c3 = st.columns(3)
        n = c1.select_slider(ctx.t("n"), N_VALUES, 128, key=ctx.key("n"), help=ctx.t("n_help"))
        d = c2.select_slider(ctx.t("d"), (16, 32, 64, 128, 256, 512, 1024, 2048), 512, key=ctx.key("d"),
                             help=ctx.t("d_help"))  # fmt: skip
        k = c3.slider(ctx.t("k"), 2, 9, 3, key=ctx.key("k"), help=ctx.t("k_help"))
    return n, d, k


def costs_view(ctx: PageContext, run) -> None:
    """The cost controls rerun only this panel: the table, the formula and one chart."""
    st.subheader(ctx.t("costs_header"))
    n, d, k = cost_controls(ctx)
    costs, names = layer_costs(n, d, k), layer_names(ctx)
    st.latex(latex.operations(n, d, k, costs.operations))
    left, right = st.columns([2, 3])
    with left:
        st.table(costs_table(costs, names, (ctx.t("col_ops"), ctx.t("col_sequential"), ctx.t("col_path"))))
        crossing = crossover_n(d)
        verdict = "attention_cheaper" if n < crossing else "attention_equal" if n == crossing else "attention_dearer"
        st.write(ctx.t("crossover", d=d, verdict=ctx.t(verdict)))
        st.caption(ctx.t("costs_note"))
    with right:
        series = [Series(name, y, color) for name, y, color in zip(names, operations_curves(N_VALUES, d, k), COLORS)]
        fig = line_chart(
            N_VALUES, series, ctx.t("fig_ops", d=d, k=k), x_title=ctx.t("n_axis"), y_title=ctx.t("ops_axis"),
            log_x=True, log_y=True, marker_x=n, x_ticks=N_VALUES[::2], height=400,
            guide=(crossover_n(d), ctx.t("crossover_label", d=d)),
        )  # fmt: skip
        chart(fig, ctx.key("ops"))


def long_range_view(ctx: PageContext, run) -> None:
    st.subheader(ctx.t("long_header"))
    st.write(ctx.t("long_text"))
    st.latex(
        # the RNN's gradient, then attention's, one per line (side by side they were wider than a projector's column)
        r"\begin{gathered}\frac{\partial h_t}{\partial x_1} = D_t W\, D_{t-1} W \cdots D_2 W\, D_1 U,\quad"
        r" D_t = \mathrm{diag}(1-h_t^2)\\[4pt] \frac{\partial y_t}{\partial x_1} = p_{t1} W_V^\top"
        r" + p_{t1}(v_1 - y_t)\,g^\top,\quad g = \frac{W_K\, q_t}{\sqrt{d}}\end{gathered}"
    )
    c1, c2, c3 = st.columns(3)
    length = c1.slider(ctx.t("length"), 2, 100, 40, key=ctx.key("length"), help=ctx.t("length_help"))
    gain = c2.slider(ctx.t("gain"), 0.25, 3.0, 1.0, 0.05, key=ctx.key("gain"), help=ctx.t("gain_help"))
    seed = c3.number_input(t("common.seed"), 0, 1_000_000, 0, key=ctx.key("seed"), help=t("common.seed_help"))
    rnn, att = long_range_cached(length, LONG_RANGE_D, gain, int(seed))
    series = [
        Series(ctx.t("rnn_grad"), rnn.norms, palette.ACCENT),
        Series(ctx.t("attention_grad"), att.norms, palette.Q_COLOR),
    ]
    fig = line_chart(
        np.arange(length), series, ctx.t("fig_long"), x_title=ctx.t("distance_axis"),  # distance t − 1, t = 1 … n
        y_title=ctx.t("grad_axis"), log_y=True, height=380,
    )  # fmt: skip
    chart(fig, ctx.key("long"))
    st.write(ctx.t("long_summary", n=length, rnn=f"{rnn.norms[-1]:.2e}", att=f"{att.norms[-1]:.2e}"))


def schedule_view(ctx: PageContext, run) -> None:
    st.subheader(ctx.t("schedule_header"))
    st.write(ctx.t("schedule_text", n=SCHEDULE_N, k=3))
    step = st.slider(ctx.t("step"), 0, SCHEDULE_N, 1, key=ctx.key("step"), help=ctx.t("step_help"))
    s = processing_schedule(SCHEDULE_N, step, k=3)
    state_names = (ctx.t("state_pending"), ctx.t("state_done"), ctx.t("state_reached"))
    fig = schedule_grid(schedule_states(s), layer_names(ctx), state_names, ctx.t("fig_schedule", step=step))
    chart(fig, ctx.key("schedule"))
    att, rnn, cnn = s.steps_needed
    st.write(ctx.t("schedule_summary", n=SCHEDULE_N, att=att, rnn=rnn, cnn=cnn))


def takeaway(ctx: PageContext, run) -> None:
    st.subheader(ctx.t("takeaway_header"))
    st.write(ctx.t("takeaway"))


Page(
    key="rnn_cnn",
    uses_sentence=False,
    header=(
        View("costs", costs_view, code=(layer_costs, operations_curves), fragment=True),
        View(
            "long_range", long_range_view, code=(rnn_gradient, attention_gradient), fragment=True, see_also=("block",)
        ),
        View("schedule", schedule_view, code=(processing_schedule,), fragment=True),
        View("takeaway", takeaway),
    ),
).run()
