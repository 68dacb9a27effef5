"""Attention over an image: patches become tokens, one patch's weights are laid over the picture."""

import streamlit as st

from core.images import MAX_BYTES, MAX_SIDE, SAMPLES, ImageRejected, fit_to_patches
from core.vision import COLOUR_FEATURES, POSITION_DIM, patch_attention
from ui import latex
from ui.compute import patch_attention_cached, sample_image_cached, uploaded_image_cached
from ui.i18n import current_language, t
from ui.widgets import chart, clickable_chart, fresh_key, show_code
from viz.vision import patch_labels, patch_matrix, patch_overlay, patch_vectors

st.title(t("vision.title"))
st.write(t("vision.intro"))
st.latex(
    r"u_p = \big[\,w_c\cdot\mathrm{colour}(p)\;\|\;w_p\cdot\mathrm{PE}_{2D}(r_p, c_p)\,\big],\quad "
    r"x_p = \sqrt{d}\,\frac{u_p}{\lVert u_p\rVert},\quad "
    r"\alpha_{pq} = \mathrm{softmax}_q\!\left(\frac{x_p\cdot x_q}{\sqrt{d}\,\tau}\right)"
)

TABS = ("query", "vectors")


@st.fragment
def explorer() -> None:
    """Controls, query panel and patch vectors rerun on their own: a slider move skips the router and
    the sidebar."""
    with st.container(border=True):
        c1, c2, c3 = st.columns(3)
        lang = current_language()  # bound now: AppTest calls format_func outside the script run
        source = c1.radio(
            t("vision.source"),
            (*SAMPLES, "upload"),
            format_func=lambda s: t(f"vision.source_{s}", lang),
            key="vis_source",
        )
        image = None
        if source == "upload":
            upload = c1.file_uploader(
                t("vision.upload"), type=["png", "jpg", "jpeg"], key="vis_upload",
                help=t("vision.upload_help", max_mb=MAX_BYTES // 2**20, max_side=MAX_SIDE),
            )  # fmt: skip
            if upload is None:
                st.info(t("vision.upload_prompt", max_mb=MAX_BYTES // 2**20, max_side=MAX_SIDE))
            else:
                try:
                    image = uploaded_image_cached(upload.getvalue())
                except ImageRejected as err:
                    st.error(t(f"vision.error_{err.code}", **err.values))
        else:
            image = sample_image_cached(source)
        patch = c2.select_slider(t("vision.patch"), (16, 28, 32, 56), 28, key="vis_patch", help=t("vision.patch_help"))
        tau = c2.slider(t("vision.temperature"), 0.05, 3.0, 1.0, 0.05, key="vis_tau", help=t("vision.temperature_help"))
        w_colour = c3.slider(t("vision.w_colour"), 0.0, 3.0, 1.0, 0.1, key="vis_colour", help=t("vision.w_colour_help"))
        w_position = c3.slider(t("vision.w_position"), 0.0, 3.0, 0.3, 0.1, key="vis_pos", help=t("vision.w_pos_help"))

    if image is None:
        return
    run = patch_attention_cached(image, patch, w_colour, w_position, tau)
    labels = patch_labels(run.rows, run.cols)
    st.caption(
        t("vision.shapes", h=run.image.shape[0], w=run.image.shape[1], P=patch, rows=run.rows, cols=run.cols,
          N=run.rows * run.cols, d=run.X.shape[1])
    )  # fmt: skip

    def _select_patch(point: dict) -> None:
        # the clicked marker's index in the row-major grid of patch centres
        st.session_state.vis_row, st.session_state.vis_col = divmod(int(point["point_index"]), run.cols)

    @st.fragment
    def query_panel() -> None:
        """Only this part reruns when the query patch changes (click or sliders)."""
        st.subheader(t("vision.step_query"))
        st.write(t("vision.query_text"))
        c1, c2 = st.columns(2)
        position = []
        for col, name, size in ((c1, "row", run.rows), (c2, "col", run.cols)):
            key = f"vis_{name}"
            st.session_state[key] = min(st.session_state.get(key, size // 2), size - 1)
            position.append(col.slider(t(f"vision.{name}"), 0, size - 1, key=key) if size > 1 else 0)
        row, col = position
        q = row * run.cols + col
        left, right = st.columns(2)
        with left:
            fig = patch_overlay(
                run.image, run.weight_map(row, col), patch, (row, col), t("vision.fig_overlay", row=row, col=col),
                hover_name=t("vision.patch_name"),
            )  # fmt: skip
            clickable_chart(fig, "vis_overlay", _select_patch)
        with right:
            fig = patch_matrix(
                run.result.weights, labels, q, t("vision.fig_matrix", N=len(labels)),
                row_title=t("vision.query_patch"), col_title=t("vision.key_patch"),
            )  # fmt: skip
            chart(fig, "vis_matrix")
        st.latex(latex.patch_weights(row, col, run.top_keys(row, col), len(labels)))
        st.write(t("vision.overlay_text"))

    def vectors_panel() -> None:
        st.subheader(t("vision.step_vectors"))
        st.write(t("vision.vectors_text", pos_dim=POSITION_DIM))
        features = [t(f"vision.feature_{f}") for f in COLOUR_FEATURES] + [f"PE{k}" for k in range(POSITION_DIM)]
        fig = patch_vectors(
            run.X, labels, features, t("vision.fig_vectors", N=len(labels), d=run.X.shape[1]),
            row_title=t("vision.patch_name"), col_title=t("common.dimension"),
        )  # fmt: skip
        chart(fig, "vis_vectors")

    # lazy tabs: only the open one runs, so a control change redraws two figures, not three
    tabs = st.tabs([t(f"vision.tab_{name}") for name in TABS], key=fresh_key("vis_tab", lang), on_change="rerun")
    for tab, draw in zip(tabs, (query_panel, vectors_panel)):
        with tab:
            if tab.open:
                draw()
                show_code(fit_to_patches, patch_attention)
    st.info(t("vision.honesty"))


explorer()
