"""Figure builders for the multi-head and positional pages: traces, shapes, labels, light payloads."""

import numpy as np
import pytest

from core.demos.multi_head import MultiHeadConfig, toy_multi_head
from core.positional import sinusoidal_encoding, wavelengths
from core.reduce import MAX_SIDE
from viz.multihead import entropy_bars, grid_shape, head_bands, head_grid, query_focus, w_o_bands
from viz.positional import big_heatmap, default_curve_dims, pe_curves, rotation_circle

TOKENS = ["the", "<b>cat</b>", "sat", "on", "the", "mat"]
LABELS = [f"{i} · {t}" for i, t in enumerate(TOKENS)]


@pytest.fixture(scope="module")
def run():
    return toy_multi_head(TOKENS, MultiHeadConfig(d_model=16, num_heads=4, mask="causal"))


def test_head_grid_tiles_every_head_on_one_shared_scale(run):
    titles = [f"head {i + 1}" for i in range(4)]
    fig = head_grid(run.multi.weights, LABELS, titles, "grid", masked=~run.mask)
    grey, heat = fig.data  # grey underlay for blocked cells, then all heads in one heatmap
    Z = np.asarray(heat.z)
    assert Z.shape == (6, 4 * 7 - 1)  # 1 row of blocks, 4 blocks of 6 keys with 1 blank column between
    np.testing.assert_allclose(Z[:, 7:13][~np.isnan(Z[:, 7:13])], run.multi.weights[1][run.mask], rtol=1e-6)
    assert np.isnan(Z[0, 1]) and np.asarray(grey.z)[0, 1] == 1.0  # causal: blocked cell shown grey
    assert np.isnan(Z[:, 6]).all()  # the gap between head 1 and head 2
    assert heat.zmin == 0 and heat.zmax == pytest.approx(run.multi.weights.max())
    assert "&lt;b&gt;cat&lt;/b&gt;" in heat.text[1][0] and "head 1" in heat.text[1][0]  # escaped user text on hover
    assert [a.text for a in fig.layout.annotations] == titles


@pytest.mark.parametrize(("h", "shape"), [(1, (1, 1)), (4, (1, 4)), (8, (2, 4)), (16, (4, 4)), (64, (8, 8))])
def test_grid_shape(h, shape):
    assert grid_shape(h) == shape


def test_head_bands_and_w_o(run):
    fig = head_bands(run.multi.Q, LABELS, "Q", head_name="head")
    assert np.asarray(fig.data[-1].z).shape == (6, 16) and len(fig.layout.shapes) == 4
    np.testing.assert_allclose(np.asarray(fig.data[-1].z)[:, 4:8], run.multi.Q[1], rtol=1e-6)
    fig = w_o_bands(run.params.W_O, 4, "W_O", row_title="rows", col_title="cols")
    assert np.asarray(fig.data[-1].z).shape == (16, 16) and [s.y0 for s in fig.layout.shapes] == [-0.5, 3.5, 7.5, 11.5]


def test_entropy_bars_and_focus(run):
    fig = entropy_bars(run.entropy_mean, run.single_entropy_mean, run.max_entropy, list("abcd"), "H",
                       single_name="wide", uniform_name="uniform")  # fmt: skip
    assert list(fig.data[0].x) == ["a", "b", "c", "d", "wide"] and len(fig.data[0].y) == 5
    fig = query_focus(run.single.weights[0][3], run.multi.weights[:, 3], LABELS, ["wide", *"abcd"], "focus")
    assert np.asarray(fig.data[-1].z).shape == (5, 6)


def test_big_heatmap_2048_by_1024_is_light():
    PE = sinusoidal_encoding(2048, 1024).astype(np.float32)
    fig = big_heatmap(PE, "PE", x_title="dim", y_title="pos", value_name="PE", note="{fr} × {fc}")
    z = np.asarray(fig.data[0].z)
    assert z.shape == (MAX_SIDE, MAX_SIDE) and z.dtype == np.float32 and fig.data[0].texttemplate is None
    assert fig.layout.title.text == "PE · 8 × 4" and fig.data[0].y[-1] <= 2047


def test_curves_and_circle():
    PE = sinusoidal_encoding(100, 16)
    dims = default_curve_dims(16)
    assert dims == [0, 1, 4, 8, 14]
    fig = pe_curves(PE, dims, wavelengths(16), "c", x_title="pos", name_template="{dim} {kind} {wavelength:.1f}")
    assert [t.name for t in fig.data] == ["0 sin 6.3", "1 cos 6.3", "4 sin 62.8", "8 sin 628.3", "14 sin 19869.2"]
    fig = rotation_circle(PE, 0, 3, 5, "circle", pos_name="a", shifted_name="b")
    assert len(fig.data) == 3 and fig.data[2].x[1] == pytest.approx(PE[8, 0], abs=1e-6)
    assert default_curve_dims(1) == [0] and default_curve_dims(7) == [0, 1, 2, 6]


def test_head_grid_rows_leave_room_for_every_query_name():
    from viz.multihead import ROW_PX_PER_TOKEN

    rng = np.random.default_rng(0)
    for n, rows_px in ((6, 230), (15, ROW_PX_PER_TOKEN * 15 + 40)):  # 8 heads: two rows of blocks
        fig = head_grid(rng.random((8, n, n)), [str(i) for i in range(n)], [f"h{i}" for i in range(8)], "grid")
        assert fig.layout.height == 2 * rows_px + 70
        plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
        assert plot_px / (2 * n + 2) >= 13  # each query name gets at least its glyph height (2 gap rows)
