"""Why divide by √d_k: measure the spread of q·k, the softmax saturation and the vanishing gradient."""

from typing import NamedTuple

import streamlit as st

from core.demos.why_scaling import D_K_VALUES, jacobian_norm, random_scores, scaling_sweep, softmax_jacobian
from ui import latex
from ui.compute import scaling_example_cached, scaling_sweep_cached
from ui.i18n import t
from ui.lesson_plans import WHY_SCALING
from ui.page import Page, PageContext, View
from ui.widgets import chart
from viz import palette
from viz.curves import Series, line_chart, overlaid_histograms, paired_bars

RAW, SCALED, THEORY = palette.ACCENT, palette.Q_COLOR, "#555555"
# The close-up's default d_k: at 256 one raw softmax is nearly one-hot and its Jacobian nearly 0 (0.013 vs
# 0.31 scaled, seed 0). At 64 a single draw can be only moderately peaked, and a moderately peaked softmax
# has a *larger* Jacobian than a flat one (0.34 raw vs 0.29 scaled there): the gradient does not vanish yet.
CLOSE_UP_D_K = 256


class Experiment(NamedTuple):
    """The random scores every chart is measured on: keys per query, draws, seed."""

    n_keys: int
    trials: int
    seed: int


def controls(ctx: PageContext) -> Experiment:
    c1, c2, c3 = st.columns(3)
    n_keys = c1.number_input(ctx.t("n_keys"), 2, 64, 16, key=ctx.key("n_keys"), help=ctx.t("n_keys_help"))
    trials = c2.radio(ctx.t("trials"), (100, 200, 400), 2, key=ctx.key("trials"), horizontal=True)
    seed = c3.number_input(t("common.seed"), 0, 1_000_000, 0, key=ctx.key("seed"), help=t("common.seed_help"))
    return Experiment(int(n_keys), trials, int(seed))


def compute(ctx: PageContext, config: Experiment):
    return scaling_sweep_cached(*config)


def names(ctx: PageContext) -> tuple[str, str]:
    return ctx.t("raw"), ctx.t("scaled")


def close_up(ctx: PageContext, sweep) -> None:
    """One d_k close up; reruns alone when d_k changes (the sweep below does not depend on it)."""
    st.subheader(ctx.t("close_up_header"))
    d_k = st.select_slider(ctx.t("d_k"), D_K_VALUES, CLOSE_UP_D_K, key=ctx.key("d_k"), help=ctx.t("d_k_help"))
    ex = scaling_example_cached(d_k, *ctx.config)
    at, raw_scaled = D_K_VALUES.index(d_k), names(ctx)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{ctx.t('step_variance')}**")
        st.write(ctx.t("variance_text"))
        st.latex(latex.variance_check(d_k, sweep.var_raw[at], sweep.var_scaled[at]))
        fig = overlaid_histograms(ex.samples_raw, ex.samples_scaled, ctx.t("fig_hist", d_k=d_k), names=raw_scaled,
                                  x_title=ctx.t("score"))  # fmt: skip
        chart(fig, ctx.key("hist"))
    with right:
        st.markdown(f"**{ctx.t('step_saturation')}**")
        st.write(ctx.t("saturation_text"))
        st.latex(latex.jacobian_check(d_k, ex.jac_norm_raw, ex.jac_norm_scaled))
        keys = [f"k{j + 1}" for j in range(ctx.config.n_keys)]
        fig = paired_bars(ex.weights_raw, ex.weights_scaled, keys, ctx.t("fig_example", d_k=d_k), names=raw_scaled)
        chart(fig, ctx.key("example"))
    st.write(ctx.t("example_numbers", top_raw=f"{ex.weights_raw.max():.3f}", top_scaled=f"{ex.weights_scaled.max():.3f}",
                   h_raw=f"{ex.entropy_raw:.2f}", h_scaled=f"{ex.entropy_scaled:.2f}"))  # fmt: skip


def sweep_view(ctx: PageContext, sweep) -> None:
    """Variance, Jacobian, top weight and entropy over every d_k, raw against scaled."""
    st.subheader(ctx.t("sweep_header"))
    st.write(ctx.t("gradient_text"))
    axis = {"x_title": ctx.t("d_k_axis"), "log_x": True, "x_ticks": D_K_VALUES, "height": 340}
    (raw, scaled), n_keys, d_k = names(ctx), ctx.config.n_keys, sweep.d_k
    left, right = st.columns(2)
    with left:
        series = [Series(raw, sweep.var_raw, RAW), Series(ctx.t("theory_dk"), d_k, THEORY, "dash", False),
                  Series(scaled, sweep.var_scaled, SCALED)]  # fmt: skip
        chart(line_chart(d_k, series, ctx.t("fig_variance"), y_title=ctx.t("variance"), log_y=True, **axis),
              ctx.key("variance"))  # fmt: skip
        series = [Series(raw, sweep.jac_norm_raw, RAW), Series(scaled, sweep.jac_norm_scaled, SCALED)]
        chart(line_chart(d_k, series, ctx.t("fig_jacobian"), y_title=ctx.t("jacobian"), **axis), ctx.key("jacobian"))
    with right:
        series = [Series(raw, sweep.max_weight_raw, RAW), Series(scaled, sweep.max_weight_scaled, SCALED),
                  Series(ctx.t("uniform"), [sweep.uniform_weight] * len(d_k), THEORY, "dash", False)]  # fmt: skip
        fig = line_chart(d_k, series, ctx.t("fig_max_weight"), y_title=ctx.t("max_weight"), **axis)
        chart(fig, ctx.key("max_weight"))
        series = [Series(raw, sweep.entropy_raw, RAW), Series(scaled, sweep.entropy_scaled, SCALED),
                  Series(ctx.t("log_n", n=n_keys), [sweep.max_entropy] * len(d_k), THEORY, "dash", False)]  # fmt: skip
        chart(line_chart(d_k, series, ctx.t("fig_entropy"), y_title=ctx.t("entropy"), **axis), ctx.key("entropy"))
    st.write(ctx.t("conclusion"))


Page(
    key="why_scaling",
    lesson=WHY_SCALING,
    formulas=(
        # the conclusion on a line of its own: on one line it was cut off beside an open sidebar at 1024 pixels
        r"\begin{gathered}q\cdot k = \sum_{m=1}^{d_k} q_m k_m,\qquad \mathrm{Var}(q\cdot k) = \sum_{m=1}^{d_k}"
        r"\mathrm{Var}(q_m)\,\mathrm{Var}(k_m) = d_k\\ \Longrightarrow\quad"
        r" \mathrm{Var}\!\left(\frac{q\cdot k}{\sqrt{d_k}}\right) = 1\end{gathered}",
    ),
    uses_sentence=False,
    controls=controls,
    compute=compute,
    header=(
        View("close_up", close_up, fragment=True),
        View(
            "sweep",
            sweep_view,
            code=(random_scores, scaling_sweep, softmax_jacobian, jacobian_norm),
            see_also=("intuition", "sdp"),
        ),
    ),
).run()
