"""Positional encoding: the sinusoid table, its wavelengths, PE·PEᵀ, fixed vs learned positions, the rotation M(k),
attending k back with it, and why order matters."""

from typing import NamedTuple

import numpy as np
import streamlit as st

from core import positional as pe
from core.demos.word_order import order_demo, unshuffle
from core.inputs import toy_inputs
from core.limits import PE_MAX_D_MODEL, PE_MAX_POSITIONS
from core.minilm import MODEL_INSTALL
from ui.compute import (
    k_back_cached,
    order_demo_cached,
    pe_cached,
    pe_similarity_cached,
    positioned_inputs_cached,
    projected_spread_cached,
    rotation_cached,
    sinusoid_cosine_cached,
)
from ui.i18n import t
from ui.lesson_plans import POSITIONAL
from ui.model import learned_position_cosine
from ui.page import Page, PageContext, View, sentence_context
from ui.text import md_escape, token_labels
from ui.widgets import clamp_state
from viz.base import numeric_axis
from viz.heatmaps import token_heatmap
from viz.positional import big_heatmap, default_curve_dims, offset_profile, pe_curves, rotation_circle, wavelength_line


class Settings(NamedTuple):
    num_positions: int
    d_model: int
    base: float
    seed: int


class Table(NamedTuple):
    PE: np.ndarray  # (num_positions, d_model)
    wavelengths: np.ndarray  # (d_model,)


def controls(ctx: PageContext) -> Settings:
    c1, c2, c3 = st.columns(3)
    n_pos = c1.slider(
        ctx.t("positions"), 2, PE_MAX_POSITIONS, 128, key=ctx.key("positions"), help=ctx.t("positions_help")
    )
    d_model = c2.slider(ctx.t("d_model"), 1, PE_MAX_D_MODEL, 128, key=ctx.key("d_model"), help=ctx.t("d_model_help"))
    base = c3.number_input(ctx.t("base"), 2.0, 1e6, 10000.0, 1000.0, format="%g", key=ctx.key("base"),
                           help=ctx.t("base_help"))  # fmt: skip
    seed = c3.number_input(t("common.seed"), 0, 1_000_000, 0, key=ctx.key("seed"), help=t("common.seed_help"))
    return Settings(num_positions=n_pos, d_model=d_model, base=float(base), seed=int(seed))


def compute(ctx: PageContext, s: Settings) -> Table:
    return Table(pe_cached(s.num_positions, s.d_model, s.base), pe.wavelengths(s.d_model, s.base))


def table_tab(ctx: PageContext, run: Table) -> None:
    s = ctx.config
    ctx.chart("table", big_heatmap(run.PE, ctx.t("fig_table", n=s.num_positions, d_model=s.d_model),
              x_title=t("common.dimension"), y_title=ctx.t("position"), value_name="PE", note=ctx.t("downsampled"),
              pairs=True))  # fmt: skip


def waves_tab(ctx: PageContext, run: Table) -> None:
    """Sin/cos curves of a few columns; reruns alone when other columns are picked."""
    lam, d_model = run.wavelengths, ctx.config.d_model
    st.write(ctx.t("curves_text", lo=float(lam[0]), hi=float(lam[-1])))
    dims = st.multiselect(ctx.t("pick_dims"), range(d_model), default_curve_dims(d_model),
                          key=ctx.key(f"dims_{d_model}"), max_selections=8)  # fmt: skip
    curves = pe_curves(run.PE, dims, lam, ctx.t("fig_curves"), x_title=ctx.t("position"),
                       name_template=ctx.t("curve_name"))  # fmt: skip
    line = wavelength_line(lam, ctx.t("fig_wavelengths"), x_title=t("common.dimension"), y_title=ctx.t("wavelength"))
    ctx.charts({"curves": curves, "wavelengths": line}, widths=[3, 2])


DISTANCE = r"PE(p)\cdot PE(q) = \sum_{i} \cos\big((p-q)\,\omega_i\big),\qquad \omega_i = \text{base}^{-2i/d_{model}}"
DISTANCE_CODE = (pe.pe_similarity, pe.offset_spread, pe.projected_similarity)
ROTATION = (
    r"PE(pos+k) = PE(pos)\,M(k),\quad M(k)=\mathrm{diag}\!\left(\begin{bmatrix}\cos k\omega_i & -\sin k\omega_i\\"
    r" \sin k\omega_i & \cos k\omega_i\end{bmatrix}\right)_{i}"
)


def distance_tab(ctx: PageContext, run: Table) -> None:
    s = ctx.config
    sim = pe_similarity_cached(s.num_positions, s.d_model, s.base)
    similarity = big_heatmap(sim.small, ctx.t("fig_similarity"), x_title=ctx.t("position"),
                             y_title=ctx.t("position"), value_name="PE·PEᵀ", signed=False, centres=sim.centres)  # fmt: skip
    profile = offset_profile(sim.profile, ctx.t("fig_profile"), x_title=ctx.t("offset"), y_title="PE(0)·PE(k)")
    ctx.charts({"similarity": similarity, "profile": profile})
    odd = s.d_model % 2 == 1
    (st.warning if odd else st.success)(ctx.t("similarity_odd" if odd else "similarity_even", spread=sim.spread))
    st.write(ctx.t("similarity_text"))
    spread, total = projected_spread_cached(s.num_positions, s.d_model, s.base, s.seed)
    st.info(ctx.t("projected_spread", seed=s.seed, spread=spread, total=total))


def learned_tab(ctx: PageContext, run: Table) -> None:
    """Cosine between position codes: the sinusoid formula beside MiniLM's learned table (first n ≤ 512)."""
    s = ctx.config
    n = min(s.num_positions, 512)  # MiniLM knows positions 0 … 511 only
    learned = learned_position_cosine(n)
    tables = {"learned_sinusoid": sinusoid_cosine_cached(n, s.d_model, s.base), "learned_minilm": learned}
    ctx.charts({
        name: big_heatmap(C, ctx.t(f"fig_{name}", n=n, d_model=s.d_model), x_title=ctx.t("position"),
                          y_title=ctx.t("position"), value_name="cos")
        for name, C in tables.items() if C is not None
    })  # fmt: skip
    if learned is None:
        st.info(ctx.t("learned_missing", install=MODEL_INSTALL))
    else:
        neighbour = float(np.diagonal(learned, 1).mean())  # n ≥ 2: the positions control starts at 2
        st.info(ctx.t("learned_spread", n=n, spread=pe.offset_spread(learned), neighbour=neighbour))


def rotation_tab(ctx: PageContext, run: Table) -> None:
    """PE(pos + k) = PE(pos)·M(k), checked; reruns alone when the offset or the pair changes."""
    s = ctx.config
    if s.d_model % 2 == 1:
        st.info(ctx.t("rotation_odd", d_model=s.d_model))
        return
    last, pairs = s.num_positions - 1, s.d_model // 2 - 1
    for name, hi in (("offset", last), ("pair", pairs), ("pos", last)):
        clamp_state(ctx.key(name), 0, hi)
    c1, c2, c3 = st.columns(3)
    k = int(c1.number_input(ctx.t("offset"), 0, last, min(5, last), key=ctx.key("offset")))
    pair = int(c2.number_input(ctx.t("pair"), 0, pairs, 0, key=ctx.key("pair"), help=ctx.t("pair_help")))
    pos = int(c3.number_input(ctx.t("start"), 0, last, 0, key=ctx.key("pos")))
    M, error = rotation_cached(s.num_positions, k, s.d_model, s.base)
    st.success(ctx.t("rotation_check", k=k, n=s.num_positions - k, error=error))
    shown = min(s.d_model, 16)
    rotation = token_heatmap(M[:shown, :shown], range(shown), range(shown), height=420, show_text=shown <= 8,
                             title=ctx.t("fig_rotation", k=k, shown=shown, d_model=s.d_model))  # fmt: skip
    title = ctx.t("fig_circle", c0=2 * pair, c1=2 * pair + 1, wavelength=float(run.wavelengths[2 * pair]))
    circle = rotation_circle(run.PE, pair, pos, k, title, pos_name=ctx.t("circle_pos", pos=pos),
                             shifted_name=ctx.t("circle_shifted", pos=pos, shifted=pos + k))  # fmt: skip
    ctx.charts({"rotation": rotation, "circle": circle})
    st.write(ctx.t("rotation_text"))


K_BACK = (  # two lines: one is wider than the column beside an open sidebar on a 1024-pixel projector
    r"\begin{gathered}W_Q W_K^\top = c\,M(-k):\qquad A = \mathrm{softmax}\!\left(\frac{c\,PE\,M(-k)\,PE^\top}"
    r"{\sqrt{d_{model}}}\right),\\ PE(p)\,M(-k) = PE(p-k)\end{gathered}"
)


def k_back_tab(ctx: PageContext, run: Table) -> None:
    """Attention on pure PE with W_Q·W_Kᵀ = c·M(−k); reruns alone when k or c changes."""
    s = ctx.config
    if s.d_model % 2 == 1:
        st.info(ctx.t("rotation_odd", d_model=s.d_model))
        return
    last = s.num_positions - 1
    clamp_state(ctx.key("k"), 0, last)
    c1, c2 = st.columns(2)
    k = int(c1.number_input(ctx.t("k_back"), 0, last, min(3, last), key=ctx.key("k")))
    scale = c2.slider(ctx.t("k_scale"), 1.0, 64.0, pe.K_BACK_SCALE, 1.0, key=ctx.key("k_scale"),
                      help=ctx.t("k_scale_help"))  # fmt: skip
    kb = k_back_cached(s.num_positions, k, s.d_model, s.base, float(scale))
    (st.success if kb.hits else st.warning)(ctx.t("k_back_check" if kb.hits else "k_back_miss", k=k, weight=kb.weight))
    ctx.chart("k_back", big_heatmap(kb.small, ctx.t("fig_k_back", k=k, c=scale), x_title=ctx.t("key_position"),
              y_title=ctx.t("query_position"), value_name="A", signed=False, centres=kb.centres))  # fmt: skip


def sentence_tab(ctx: PageContext, run: Table) -> None:
    sentence = sentence_context(ctx.page, ctx.lang)
    if sentence is None:
        return
    st.write(ctx.t("sentence_text"))
    s = ctx.config
    inputs = positioned_inputs_cached(sentence.tokens, s.d_model, s.seed, s.base)
    figures = {
        f"sentence_{name}": numeric_axis(token_heatmap(M, sentence.labels, range(s.d_model), ctx.t(f"fig_{name}"),
                                                       col_title=t("common.dimension"), show_text=False), "x", 6)
        for name, M in zip(("e", "pe", "x"), (inputs.E, inputs.PE, inputs.X))
    }  # fmt: skip
    ctx.charts(figures)


def order_tab(ctx: PageContext, run: Table) -> None:
    """Shuffle the words: without PE attention only permutes; reruns alone when the shuffle changes."""
    sentence = sentence_context(ctx.page, ctx.lang)
    if sentence is None:
        return
    st.write(ctx.t("order_text"))
    c1, c2 = st.columns(2)
    shuffle_seed = int(c1.number_input(ctx.t("shuffle_seed"), 0, 1_000_000, 0, key=ctx.key("shuffle")))
    aligned = c2.toggle(ctx.t("order_align"), False, key=ctx.key("align"), help=ctx.t("order_align_help"))
    s = ctx.config
    demo = order_demo_cached(sentence.tokens, s.d_model, s.seed, shuffle_seed, s.base)
    st.caption(ctx.t("shuffled_as", sentence=md_escape(" ".join(demo.shuffled))))
    labels = sentence.labels
    other_labels = labels if aligned else token_labels(demo.shuffled)
    other_title = ctx.t("fig_order_aligned") if aligned else ctx.t("fig_order_shuffled")
    for kind, original, shuffled, aligned_back, gap in (
        ("plain", demo.weights_plain, demo.weights_plain_shuffled, demo.aligned_plain, demo.gap_plain),
        ("pe", demo.weights_pe, demo.weights_pe_shuffled, demo.aligned_pe, demo.gap_pe),
    ):
        st.markdown(f"**{ctx.t(f'order_{kind}')}**")
        other = aligned_back if aligned else shuffled
        ctx.charts({
            f"order_{kind}_original": token_heatmap(original, labels, labels, ctx.t("fig_order_original"), kind="prob"),
            f"order_{kind}_shuffled": token_heatmap(other, other_labels, other_labels, other_title, kind="prob"),
        })  # fmt: skip
        st.caption(ctx.t(f"gap_{kind}", gap=gap))
    st.write(ctx.t("order_after"))


Page(
    key="positional",
    lesson=POSITIONAL,
    formulas=(
        r"PE_{(pos,\,2i)} = \sin\!\left(\frac{pos}{\text{base}^{2i/d_{model}}}\right),\qquad "
        r"PE_{(pos,\,2i+1)} = \cos\!\left(\frac{pos}{\text{base}^{2i/d_{model}}}\right)",
    ),
    uses_sentence=False,  # only the last two tabs work on the sentence
    controls=controls,
    compute=compute,
    tabs=(
        View("table", table_tab, text="table_text", code=(pe.sinusoidal_encoding,)),
        View("waves", waves_tab, code=(pe.frequencies, pe.wavelengths), fragment=True),
        View("distance", distance_tab, formula=DISTANCE, code=DISTANCE_CODE),
        View("learned", learned_tab, text="learned_text", code=(pe.row_cosine,), see_also=("real_model",)),
        View("rotation", rotation_tab, formula=ROTATION, code=(pe.relative_rotation, pe.rotation_error), fragment=True),
        View("k_back", k_back_tab, formula=K_BACK, text="k_back_text", code=(pe.k_back_attention,), fragment=True),
        View("sentence", sentence_tab, code=(toy_inputs,)),
        View("order", order_tab, code=(order_demo, unshuffle), fragment=True, see_also=("sdp",)),
    ),
).run()
