"""Attention vs RNN vs CNN: cost per layer, path length, and how far a signal travels."""

import numpy as np
import streamlit as st

from core.complexity import (
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
from ui.widgets import chart, show_code
from viz import palette
from viz.curves import Series, line_chart
from viz.schedule import schedule_grid, schedule_states
from viz.tables import costs_table

N_VALUES = tuple(2**p for p in range(1, 15))  # 2 … 16384 tokens
SCHEDULE_N = 16  # tokens in the step-by-step picture
LONG_RANGE_D = 16  # state width of the toy RNN and attention

st.title(t("rnn_cnn.title"))
st.write(t("rnn_cnn.intro"))
names = [t(f"rnn_cnn.{layer}") for layer in ("attention", "rnn", "cnn")]
colors = (palette.Q_COLOR, palette.ACCENT, palette.V_COLOR)


@st.fragment
def costs_panel() -> None:
    """The cost controls rerun only this panel: the table, the formula and one chart."""
    st.subheader(t("rnn_cnn.costs_header"))
    with st.container(border=True):
        c1, c2, c3 = st.columns(3)
        n = c1.select_slider(t("rnn_cnn.n"), N_VALUES, 128, key="vs_n", help=t("rnn_cnn.n_help"))
        d = c2.select_slider(
            t("rnn_cnn.d"), (16, 32, 64, 128, 256, 512, 1024, 2048), 512, key="vs_d", help=t("rnn_cnn.d_help")
        )
        k = c3.slider(t("rnn_cnn.k"), 2, 9, 3, key="vs_k", help=t("rnn_cnn.k_help"))
    costs = layer_costs(n, d, k)
    columns = (t("rnn_cnn.col_ops"), t("rnn_cnn.col_sequential"), t("rnn_cnn.col_path"))
    st.latex(latex.operations(n, d, k, costs.operations))
    left, right = st.columns([2, 3])
    with left:
        st.table(costs_table(costs, names, columns))
        cheaper = t("rnn_cnn.attention_cheaper") if n < crossover_n(d) else t("rnn_cnn.attention_dearer")
        st.write(t("rnn_cnn.crossover", d=d, verdict=cheaper))
    with right:
        curves = operations_curves(N_VALUES, d, k)
        series = [Series(name, y, color) for name, y, color in zip(names, curves, colors)]
        fig = line_chart(
            N_VALUES, series, t("rnn_cnn.fig_ops", d=d, k=k), x_title=t("rnn_cnn.n_axis"),
            y_title=t("rnn_cnn.ops_axis"), log_x=True, log_y=True, marker_x=n, x_ticks=N_VALUES[::2], height=400,
            guide=(crossover_n(d), t("rnn_cnn.crossover_label", d=d)),
        )  # fmt: skip
        chart(fig, "vs_ops")
    show_code(layer_costs, operations_curves)


costs_panel()


@st.fragment
def long_range() -> None:
    st.subheader(t("rnn_cnn.long_header"))
    st.write(t("rnn_cnn.long_text"))
    st.latex(
        r"\frac{\partial h_t}{\partial x_1} = D_t W\, D_{t-1} W \cdots D_2 W\, D_1 U,\quad D_t = \mathrm{diag}(1-h_t^2)"
        r"\qquad\Big|\qquad \frac{\partial y_t}{\partial x_1} = p_{t1} W_V^\top + p_{t1}(v_1 - y_t)\,g^\top,\ \ g = \frac{W_K\, q_t}{\sqrt{d}}"
    )
    c1, c2, c3 = st.columns(3)
    length = c1.slider(t("rnn_cnn.length"), 2, 100, 40, key="vs_length", help=t("rnn_cnn.length_help"))
    gain = c2.slider(t("rnn_cnn.gain"), 0.25, 3.0, 1.0, 0.05, key="vs_gain", help=t("rnn_cnn.gain_help"))
    seed = c3.number_input(t("common.seed"), 0, 1_000_000, 0, key="vs_seed", help=t("common.seed_help"))
    rnn, att = long_range_cached(length, LONG_RANGE_D, gain, int(seed))
    distance = np.arange(length)  # t − 1 for t = 1 … n
    series = [
        Series(t("rnn_cnn.rnn_grad"), rnn.norms, palette.ACCENT),
        Series(t("rnn_cnn.attention_grad"), att.norms, palette.Q_COLOR),
    ]
    fig = line_chart(
        distance, series, t("rnn_cnn.fig_long"), x_title=t("rnn_cnn.distance_axis"),
        y_title=t("rnn_cnn.grad_axis"), log_y=True, height=380,
    )  # fmt: skip
    chart(fig, "vs_long")
    st.write(t("rnn_cnn.long_summary", n=length, rnn=f"{rnn.norms[-1]:.2e}", att=f"{att.norms[-1]:.2e}"))
    show_code(rnn_gradient, attention_gradient)


@st.fragment
def schedule() -> None:
    st.subheader(t("rnn_cnn.schedule_header"))
    st.write(t("rnn_cnn.schedule_text", n=SCHEDULE_N, k=3))
    step = st.slider(t("rnn_cnn.step"), 0, SCHEDULE_N, 1, key="vs_step", help=t("rnn_cnn.step_help"))
    s = processing_schedule(SCHEDULE_N, step, k=3)
    states = schedule_states(s)
    state_names = (t("rnn_cnn.state_pending"), t("rnn_cnn.state_done"), t("rnn_cnn.state_reached"))
    chart(schedule_grid(states, names, state_names, t("rnn_cnn.fig_schedule", step=step)), "vs_schedule")
    att, rnn, cnn = s.steps_needed
    st.write(t("rnn_cnn.schedule_summary", n=SCHEDULE_N, att=att, rnn=rnn, cnn=cnn))
    show_code(processing_schedule)


long_range()
schedule()
st.subheader(t("rnn_cnn.takeaway_header"))
st.write(t("rnn_cnn.takeaway"))
