"""Why divide by √d_k: measure the spread of q·k, the softmax saturation and the vanishing gradient."""

import streamlit as st

from core.demos.why_scaling import D_K_VALUES, jacobian_norm, random_scores, scaling_sweep, softmax_jacobian
from ui import latex
from ui.compute import scaling_example_cached, scaling_sweep_cached
from ui.i18n import t
from ui.widgets import chart, show_code
from viz import palette
from viz.curves import Series, line_chart, overlaid_histograms, paired_bars

RAW, SCALED, THEORY = palette.ACCENT, palette.Q_COLOR, "#555555"

st.title(t("why_scaling.title"))
st.write(t("why_scaling.intro"))
st.latex(
    r"q\cdot k = \sum_{m=1}^{d_k} q_m k_m,\qquad \mathrm{Var}(q\cdot k) = \sum_{m=1}^{d_k}\mathrm{Var}(q_m)\,\mathrm{Var}(k_m)"
    r" = d_k \quad\Longrightarrow\quad \mathrm{Var}\!\left(\frac{q\cdot k}{\sqrt{d_k}}\right) = 1"
)

with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    n_keys = c1.number_input(t("why_scaling.n_keys"), 2, 64, 16, key="why_n_keys", help=t("why_scaling.n_keys_help"))
    trials = c2.radio(t("why_scaling.trials"), (100, 200, 400), 2, key="why_trials", horizontal=True)
    seed = c3.number_input(t("common.seed"), 0, 1_000_000, 0, key="why_seed", help=t("common.seed_help"))
n_keys, seed = int(n_keys), int(seed)
sweep = scaling_sweep_cached(n_keys, trials, seed)
raw, scaled = t("why_scaling.raw"), t("why_scaling.scaled")


@st.fragment
def one_d_k() -> None:
    """The d_k slider reruns only the close-up; the sweep below does not depend on it."""
    st.subheader(t("why_scaling.close_up_header"))
    d_k = st.select_slider(t("why_scaling.d_k"), D_K_VALUES, 64, key="why_d_k", help=t("why_scaling.d_k_help"))
    ex = scaling_example_cached(d_k, n_keys, trials, seed)
    at = D_K_VALUES.index(d_k)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('why_scaling.step_variance')}**")
        st.write(t("why_scaling.variance_text"))
        st.latex(latex.variance_check(d_k, sweep.var_raw[at], sweep.var_scaled[at]))
        fig = overlaid_histograms(
            ex.samples_raw, ex.samples_scaled, t("why_scaling.fig_hist", d_k=d_k), names=(raw, scaled),
            x_title=t("why_scaling.score"),
        )  # fmt: skip
        chart(fig, "why_hist")
    with right:
        st.markdown(f"**{t('why_scaling.step_saturation')}**")
        st.write(t("why_scaling.saturation_text"))
        st.latex(latex.jacobian_check(d_k, ex.jac_norm_raw, ex.jac_norm_scaled))
        keys = [f"k{j + 1}" for j in range(n_keys)]
        fig = paired_bars(
            ex.weights_raw, ex.weights_scaled, keys, t("why_scaling.fig_example", d_k=d_k), names=(raw, scaled)
        )
        chart(fig, "why_example")
    st.write(t("why_scaling.example_numbers", top_raw=f"{ex.weights_raw.max():.3f}", top_scaled=f"{ex.weights_scaled.max():.3f}",
               h_raw=f"{ex.entropy_raw:.2f}", h_scaled=f"{ex.entropy_scaled:.2f}"))  # fmt: skip


one_d_k()

st.subheader(t("why_scaling.sweep_header"))
st.write(t("why_scaling.gradient_text"))
axis = {"x_title": t("why_scaling.d_k_axis"), "log_x": True, "x_ticks": D_K_VALUES, "height": 340}
left, right = st.columns(2)
with left:
    series = [
        Series(raw, sweep.var_raw, RAW),
        Series(t("why_scaling.theory_dk"), sweep.d_k, THEORY, "dash", False),
        Series(scaled, sweep.var_scaled, SCALED),
    ]
    fig = line_chart(
        sweep.d_k, series, t("why_scaling.fig_variance"), y_title=t("why_scaling.variance"), log_y=True, **axis
    )
    chart(fig, "why_variance")
    series = [Series(raw, sweep.jac_norm_raw, RAW), Series(scaled, sweep.jac_norm_scaled, SCALED)]
    fig = line_chart(sweep.d_k, series, t("why_scaling.fig_jacobian"), y_title=t("why_scaling.jacobian"), **axis)
    chart(fig, "why_jacobian")
with right:
    series = [
        Series(raw, sweep.max_weight_raw, RAW),
        Series(scaled, sweep.max_weight_scaled, SCALED),
        Series(t("why_scaling.uniform"), [1 / n_keys] * len(sweep.d_k), THEORY, "dash", False),
    ]
    fig = line_chart(sweep.d_k, series, t("why_scaling.fig_max_weight"), y_title=t("why_scaling.max_weight"), **axis)
    chart(fig, "why_max_weight")
    series = [
        Series(raw, sweep.entropy_raw, RAW),
        Series(scaled, sweep.entropy_scaled, SCALED),
        Series(t("why_scaling.log_n", n=n_keys), [sweep.max_entropy] * len(sweep.d_k), THEORY, "dash", False),
    ]
    fig = line_chart(sweep.d_k, series, t("why_scaling.fig_entropy"), y_title=t("why_scaling.entropy"), **axis)
    chart(fig, "why_entropy")
st.write(t("why_scaling.conclusion"))
show_code(random_scores, scaling_sweep, softmax_jacobian, jacobian_norm)
