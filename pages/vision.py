"""Attention over an image: patches become tokens, one patch's weights are laid over the picture."""

from typing import NamedTuple

import numpy as np
import streamlit as st

from core.images import MAX_BYTES, MAX_SIDE, SAMPLES, ImageRejected, fit_to_patches, load_image
from core.vision import COLOUR_FEATURES, POSITION_DIM, patch_attention
from ui import latex, state
from ui.compute import sample_image_cached, session_upload
from ui.i18n import t
from ui.page import Page, PageContext, View
from ui.widgets import chart, clickable_chart
from viz.vision import patch_labels, patch_matrix, patch_overlay, patch_vectors


class ImageControls(NamedTuple):
    image: np.ndarray | None  # None: no upload yet, or a rejected one (the box says which)
    patch: int
    tau: float
    w_colour: float
    w_position: float


def pick_image(ctx: PageContext, col) -> np.ndarray | None:
    """A sample or an upload; a prompt or the reason for a rejected file under the controls."""
    source = col.radio(ctx.t("source"), (*SAMPLES, "upload"), format_func=lambda s: ctx.t(f"source_{s}"),
                       key=ctx.key("source", translated=True))  # fmt: skip
    if source != "upload":
        return sample_image_cached(source)
    limits = {"max_mb": MAX_BYTES // 2**20, "max_side": MAX_SIDE}
    upload = col.file_uploader(ctx.t("upload"), type=["png", "jpg", "jpeg"], key=ctx.key("upload"),
                               max_upload_size=limits["max_mb"], help=ctx.t("upload_help", **limits))  # fmt: skip
    if upload is None:
        st.info(ctx.t("upload_prompt", **limits))
        return None
    try:
        return session_upload(ctx.key("upload_image"), upload, load_image)  # this student's only
    except ImageRejected as err:
        st.error(ctx.t(f"error_{err.code}", **err.values))
        return None


def controls(ctx: PageContext) -> ImageControls:
    c1, c2, c3 = st.columns(3)
    image = pick_image(ctx, c1)
    patch = c2.select_slider(ctx.t("patch"), (16, 28, 32, 56), 28, key=ctx.key("patch"), help=ctx.t("patch_help"))
    tau = c2.slider(ctx.t("temperature"), 0.05, 3.0, 1.0, 0.05, key=ctx.key("tau"), help=ctx.t("temperature_help"))
    w_colour = c3.slider(ctx.t("w_colour"), 0.0, 3.0, 1.0, 0.1, key=ctx.key("colour"), help=ctx.t("w_colour_help"))
    w_position = c3.slider(ctx.t("w_position"), 0.0, 3.0, 0.3, 0.1, key=ctx.key("pos"), help=ctx.t("w_pos_help"))
    return ImageControls(image, patch, tau, w_colour, w_position)


def compute(ctx: PageContext, config: ImageControls):
    if config.image is None:
        return None
    # ≈ 3 ms for 196 patches: not cached, so an uploaded picture never enters a cache shared by sessions
    run = patch_attention(fit_to_patches(config.image, config.patch), config.patch, config.w_colour,
                          config.w_position, config.tau)  # fmt: skip
    st.caption(ctx.t("shapes", h=run.image.shape[0], w=run.image.shape[1], P=config.patch, rows=run.rows,
                     cols=run.cols, N=run.rows * run.cols, d=run.X.shape[1]))  # fmt: skip
    return run


def query_index(ctx: PageContext, name: str, size: int) -> int:
    """The query patch's row or column: the centre at first, kept inside the grid when the patch size changes.

    Its slider's value while the first tab is open; the last one chosen (``<page>_query``) otherwise, since
    Streamlit forgets a widget's value once a run does not draw it."""
    kept = st.session_state.get(ctx.key("query"), {}).get(name, size // 2)
    return min(st.session_state.get(ctx.key(name), kept), size - 1)


def query_tab(ctx: PageContext, run) -> None:
    """Only this part reruns when the query patch changes (click or sliders)."""
    st.subheader(ctx.t("step_query"))
    st.write(ctx.t("query_text"))
    position = []
    for col, name, size in zip(st.columns(2), ("row", "col"), (run.rows, run.cols)):
        key = ctx.key(name)
        st.session_state[key] = query_index(ctx, name, size)
        state.default(key, size // 2)  # what a link leaves out
        position.append(col.slider(ctx.t(name), 0, size - 1, key=key) if size > 1 else 0)
    (row, col), labels = position, patch_labels(run.rows, run.cols)
    st.session_state[ctx.key("query")] = {"row": row, "col": col}

    def select_patch(point: dict) -> None:  # the clicked marker's index in the row-major grid of patch centres
        st.session_state[ctx.key("row")], st.session_state[ctx.key("col")] = divmod(int(point["point_index"]), run.cols)

    fig = patch_overlay(run.image, run.weight_map(row, col), ctx.config.patch, (row, col),
                        ctx.t("fig_overlay", row=row, col=col), hover_name=ctx.t("patch_name"))  # fmt: skip
    clickable_chart(fig, ctx.key("overlay"), select_patch)
    st.latex(latex.patch_weights(row, col, run.top_keys(row, col), len(labels)))
    st.write(ctx.t("overlay_text"))


def matrix_tab(ctx: PageContext, run) -> None:
    """Every patch's row at once: drawn only when asked for (an N × N heatmap beside the picture made a
    control change redraw two large figures)."""
    st.subheader(ctx.t("step_matrix"))
    st.write(ctx.t("matrix_text"))
    labels = patch_labels(run.rows, run.cols)
    row, col = query_index(ctx, "row", run.rows), query_index(ctx, "col", run.cols)
    fig = patch_matrix(run.result.weights, labels, row * run.cols + col, ctx.t("fig_matrix", N=len(labels)),
                       row_title=ctx.t("query_patch"), col_title=ctx.t("key_patch"))  # fmt: skip
    chart(fig, ctx.key("matrix"))


def vectors_tab(ctx: PageContext, run) -> None:
    st.subheader(ctx.t("step_vectors"))
    st.write(ctx.t("vectors_text", pos_dim=POSITION_DIM))
    labels = patch_labels(run.rows, run.cols)
    features = [ctx.t(f"feature_{f}") for f in COLOUR_FEATURES] + [f"PE{k}" for k in range(POSITION_DIM)]
    fig = patch_vectors(run.X, labels, features, ctx.t("fig_vectors", N=len(labels), d=run.X.shape[1]),
                        row_title=ctx.t("patch_name"), col_title=t("common.dimension"))  # fmt: skip
    chart(fig, ctx.key("vectors"))


def honesty(ctx: PageContext, run) -> None:
    st.info(ctx.t("honesty"))


Page(
    key="vision",
    formulas=(
        # two lines: one is wider than the column beside an open sidebar on a 1024-pixel projector
        r"\begin{gathered}u_p = \big[\,w_c\cdot\mathrm{colour}(p)\;\|\;w_p\cdot\mathrm{PE}_{2D}(r_p, c_p)\,\big],\quad "
        r"x_p = \sqrt{d}\,\frac{u_p}{\lVert u_p\rVert}\\ "
        r"\alpha_{pq} = \mathrm{softmax}_q\!\left(\frac{x_p\cdot x_q}{\sqrt{d}\,\tau}\right)\end{gathered}",
    ),
    uses_sentence=False,
    controls=controls,
    compute=compute,
    tabs=(  # lazy: only the open tab runs, so a control change redraws one figure, not three
        View("query", query_tab, code=(fit_to_patches, patch_attention), fragment=True, see_also=("intuition",)),
        View("matrix", matrix_tab, code=(patch_attention,)),
        View("vectors", vectors_tab, code=(fit_to_patches, patch_attention)),
    ),
    footer=(View("honesty", honesty),),
).run()
