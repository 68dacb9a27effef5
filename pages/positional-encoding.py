"""Positional encoding: the sinusoid table, its wavelengths, PE·PEᵀ, the rotation M(k), and why order matters."""

import streamlit as st

from core.demos.word_order import order_demo, unshuffle
from core.inputs import toy_inputs
from core.positional import (
    frequencies,
    offset_spread,
    pe_similarity,
    relative_rotation,
    rotation_error,
    sinusoidal_encoding,
    wavelengths,
)
from ui.compute import (
    order_demo_cached,
    pe_cached,
    pe_similarity_cached,
    positioned_inputs_cached,
    rotation_cached,
)
from ui.i18n import current_language, t
from ui.sidebar import sentence_tokens
from ui.text import md_escape, token_label
from ui.widgets import chart, clamp_state, fresh_key, show_code
from viz.heatmaps import token_heatmap
from viz.multihead import numeric_axis
from viz.positional import (
    big_heatmap,
    default_curve_dims,
    offset_profile,
    pe_curves,
    rotation_circle,
    wavelength_line,
)

st.title(t("positional.title"))
st.write(t("positional.intro"))
st.latex(
    r"PE_{(pos,\,2i)} = \sin\!\left(\frac{pos}{\text{base}^{2i/d_{model}}}\right),\qquad "
    r"PE_{(pos,\,2i+1)} = \cos\!\left(\frac{pos}{\text{base}^{2i/d_{model}}}\right)"
)


@st.fragment
def explorer() -> None:
    """Controls and tabs rerun on their own: moving a slider skips the router and the sidebar."""
    with st.container(border=True):
        c1, c2, c3 = st.columns(3)
        n_pos = c1.slider(
            t("positional.positions"),
            2,
            2048,
            128,
            key="pe_positions",
            help=t("positional.positions_help"),
            bind="query-params",
        )
        d_model = c2.slider(
            t("positional.d_model"),
            1,
            1024,
            128,
            key="pe_d_model",
            help=t("positional.d_model_help"),
            bind="query-params",
        )
        base = c3.number_input(
            t("positional.base"), 2.0, 1e6, 10000.0, 1000.0, format="%g", key="pe_base", help=t("positional.base_help")
        )
        seed = c3.number_input(t("common.seed"), 0, 1_000_000, 0, key="pe_seed", help=t("common.seed_help"))
    base = float(base)
    pos_name, dim_name = t("positional.position"), t("common.dimension")
    odd = d_model % 2 == 1
    lang = current_language()

    PE = pe_cached(n_pos, d_model, base)
    lam = wavelengths(d_model, base)

    # lazy tabs: only the open tab runs, so a slider move redraws one or two figures, not fourteen
    TABS = ("table", "waves", "distance", "rotation", "sentence", "order")
    tabs = dict(
        zip(
            TABS,
            st.tabs([t(f"positional.tab_{name}") for name in TABS], key=fresh_key("pe_tab", lang), on_change="rerun"),
        )
    )

    def table_tab() -> None:
        st.write(t("positional.table_text"))
        fig = big_heatmap(
            PE,
            t("positional.fig_table", n=n_pos, d_model=d_model),
            x_title=dim_name,
            y_title=pos_name,
            value_name="PE",
            note=t("positional.downsampled"),
            pairs=True,
        )
        chart(fig, "pe_table")

    @st.fragment
    def waves_tab() -> None:
        """Only this block reruns when other columns are picked."""
        st.write(t("positional.curves_text", lo=float(lam[0]), hi=float(lam[-1])))
        dims = st.multiselect(
            t("positional.pick_dims"),
            range(d_model),
            default_curve_dims(d_model),
            key=f"pe_dims_{d_model}",
            max_selections=8,
        )
        left, right = st.columns([3, 2])
        with left:
            fig = pe_curves(
                PE, dims, lam, t("positional.fig_curves"), x_title=pos_name, name_template=t("positional.curve_name")
            )
            chart(fig, "pe_curves")
        with right:
            fig = wavelength_line(
                lam, t("positional.fig_wavelengths"), x_title=dim_name, y_title=t("positional.wavelength")
            )
            chart(fig, "pe_wavelengths")

    def distance_tab() -> None:
        st.latex(
            r"PE(p)\cdot PE(q) = \sum_{i} \cos\big((p-q)\,\omega_i\big),\qquad \omega_i = \text{base}^{-2i/d_{model}}"
        )
        sim = pe_similarity_cached(n_pos, d_model, base)
        left, right = st.columns(2)
        with left:
            fig = big_heatmap(
                sim.small,
                t("positional.fig_similarity"),
                x_title=pos_name,
                y_title=pos_name,
                value_name="PE·PEᵀ",
                signed=False,
                centres=sim.centres,
            )
            chart(fig, "pe_similarity")
        with right:
            fig = offset_profile(
                sim.profile, t("positional.fig_profile"), x_title=t("positional.offset"), y_title="PE(0)·PE(k)"
            )
            chart(fig, "pe_profile")
        if odd:
            st.warning(t("positional.similarity_odd", spread=sim.spread))
        else:
            st.success(t("positional.similarity_even", spread=sim.spread))
        st.write(t("positional.similarity_text"))

    @st.fragment
    def rotation_tab() -> None:
        """Only this block reruns when the offset or the pair changes."""
        st.latex(
            r"PE(pos+k) = PE(pos)\,M(k),\quad M(k)=\mathrm{diag}\!\left(\begin{bmatrix}\cos k\omega_i & -\sin k\omega_i\\"
            r" \sin k\omega_i & \cos k\omega_i\end{bmatrix}\right)_{i}"
        )
        if odd:
            st.info(t("positional.rotation_odd", d_model=d_model))
            return
        c1, c2, c3 = st.columns(3)
        for key, hi in (("pe_offset", n_pos - 1), ("pe_pair", d_model // 2 - 1), ("pe_pos", n_pos - 1)):
            clamp_state(key, 0, hi)
        k = c1.number_input(t("positional.offset"), 0, n_pos - 1, min(5, n_pos - 1), key="pe_offset")
        pair = c2.number_input(
            t("positional.pair"), 0, d_model // 2 - 1, 0, key="pe_pair", help=t("positional.pair_help")
        )
        pos = c3.number_input(t("positional.start"), 0, n_pos - 1, 0, key="pe_pos")
        M, error = rotation_cached(n_pos, int(k), d_model, base)
        st.success(t("positional.rotation_check", k=int(k), n=n_pos - int(k), error=error))
        left, right = st.columns(2)
        with left:
            shown = min(d_model, 16)
            fig = token_heatmap(
                M[:shown, :shown],
                range(shown),
                range(shown),
                t("positional.fig_rotation", k=int(k), shown=shown, d_model=d_model),
                show_text=shown <= 8,
                height=420,
            )
            chart(fig, "pe_rotation")
        with right:
            fig = rotation_circle(
                PE,
                int(pair),
                int(pos),
                int(k),
                t(
                    "positional.fig_circle",
                    c0=2 * int(pair),
                    c1=2 * int(pair) + 1,
                    wavelength=float(lam[2 * int(pair)]),
                ),
                pos_name=t("positional.circle_pos", pos=int(pos)),
                shifted_name=t("positional.circle_shifted", pos=int(pos), shifted=int(pos) + int(k)),
            )
            chart(fig, "pe_circle")
        st.write(t("positional.rotation_text"))

    def sentence_labels() -> tuple[list[str], list[str]]:
        """The sidebar sentence as tokens and axis labels ([] with a message when it is empty)."""
        tokens = sentence_tokens()
        return tokens, [token_label(i, tok) for i, tok in enumerate(tokens)]

    def sentence_tab() -> None:
        tokens, labels = sentence_labels()
        if not tokens:
            return
        st.write(t("positional.sentence_text"))
        inputs = positioned_inputs_cached(tuple(tokens), d_model, int(seed), base)
        cols = st.columns(3)
        for col, name, M in zip(cols, ("e", "pe", "x"), (inputs.E, inputs.PE, inputs.X)):
            with col:
                fig = token_heatmap(
                    M, labels, range(d_model), t(f"positional.fig_{name}"), col_title=dim_name, show_text=False
                )
                chart(numeric_axis(fig, "x", 6), f"pe_sentence_{name}")

    @st.fragment
    def order_tab() -> None:
        """Only this block reruns when the shuffle or the view changes."""
        tokens, labels = sentence_labels()
        if not tokens:
            return
        st.write(t("positional.order_text"))
        c1, c2 = st.columns(2)
        shuffle_seed = c1.number_input(t("positional.shuffle_seed"), 0, 1_000_000, 0, key="pe_shuffle")
        aligned = c2.toggle(t("positional.order_align"), False, key="pe_align", help=t("positional.order_align_help"))
        demo = order_demo_cached(tuple(tokens), d_model, int(seed), int(shuffle_seed), base)
        st.caption(t("positional.shuffled_as", sentence=md_escape(" ".join(demo.shuffled))))
        shuffled = (
            (demo.aligned_plain, demo.aligned_pe)
            if aligned
            else (demo.weights_plain_shuffled, demo.weights_pe_shuffled)
        )
        shuffled_labels = labels if aligned else [token_label(i, tok) for i, tok in enumerate(demo.shuffled)]
        for original, other, gap, kind in (
            (demo.weights_plain, shuffled[0], demo.gap_plain, "plain"),
            (demo.weights_pe, shuffled[1], demo.gap_pe, "pe"),
        ):
            st.markdown(f"**{t(f'positional.order_{kind}')}**")
            left, right = st.columns(2)
            with left:
                fig = token_heatmap(original, labels, labels, t("positional.fig_order_original"), kind="prob")
                chart(fig, f"pe_order_{kind}_original")
            with right:
                title = t("positional.fig_order_aligned") if aligned else t("positional.fig_order_shuffled")
                chart(
                    token_heatmap(other, shuffled_labels, shuffled_labels, title, kind="prob"),
                    f"pe_order_{kind}_shuffled",
                )
            st.caption(t(f"positional.gap_{kind}", gap=gap))
        st.write(t("positional.order_after"))

    CODE = {  # the core functions behind each tab, shown under it
        "table": (sinusoidal_encoding,),
        "waves": (frequencies, wavelengths),
        "distance": (pe_similarity, offset_spread),
        "rotation": (relative_rotation, rotation_error),
        "sentence": (toy_inputs,),
        "order": (order_demo, unshuffle),
    }
    for name, draw in zip(TABS, (table_tab, waves_tab, distance_tab, rotation_tab, sentence_tab, order_tab)):
        with tabs[name]:
            if tabs[name].open:
                draw()
                show_code(*CODE[name])


explorer()
