"""The attention heatmaps as drawn in Chromium, seen with a colour-vision deficiency, in both themes.

``tests/viz/test_palette.py`` checks the colour scales; this checks the pixels the reader gets. The scaled
dot-product page's weights view (causal mask) is screenshot; each cell's colour is read from the PNG at the
cell's place, which comes from the figure's own axes in the browser (``_fullLayout``); deuteranopia,
protanopia and tritanopia are simulated (colorspacious, severity 100). Two cells whose values differ by a
tenth of the colour range or more (0.1 in weight) must stay ``MIN_STEP`` apart in CAM02-UCS, the bound the
scale test uses (about three just-noticeable differences). The signed panel beside it (the masked, scaled
scores, a diverging scale) gets the same check, and its masked cells must carry a mark, not only a grey.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from plotly.colors import hex_to_rgb, label_rgb, sample_colorscale, unlabel_rgb

from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page
from tests.viz.test_palette import MIN_STEP, VISION, delta_e
from viz.heatmaps import MASKED_TEXT

pytestmark = pytest.mark.e2e

colorspacious = pytest.importorskip("colorspacious", reason="colorspacious is in requirements-dev.txt")
Image = pytest.importorskip("PIL.Image", reason="Pillow reads the screenshots")

WEIGHTS = sel.chart("sdp_weights")
MIN_DIFFERENCE = 0.1  # of the colour range: a weight difference of 0.1 is one a reader must see
SAME_COLOUR = 2.0  # ΔE between a sampled cell and the scale's colour for its value (rendering: about 1)

# For every heatmap with a colour axis: its values, colour range and scale, and each cell's centre and size
# in pixels from the chart's top-left corner, from the axes Plotly laid out. The masked-cell marks: the
# "−∞" texts (or crosses) drawn, and the cells their trace puts them on.
CELLS_JS = """(el) => {
  const fl = el._fullLayout, out = {panels: [], marks: []};
  el._fullData.forEach((t, k) => {
    const xa = fl[t.xaxis === 'x' ? 'xaxis' : 'xaxis' + t.xaxis.slice(1)];
    const ya = fl[t.yaxis === 'y' ? 'yaxis' : 'yaxis' + t.yaxis.slice(1)];
    if (t.type === 'heatmap' && t.coloraxis) {
      const ca = fl[t.coloraxis], z = Array.from(t.z, row => Array.from(row, v => (v === null ? NaN : v)));
      out.panels.push({z, cmin: ca.cmin, cmax: ca.cmax, scale: ca.colorscale,
        x: z[0].map((_, j) => xa._offset + xa.l2p(j)), y: z.map((_, i) => ya._offset + ya.l2p(i)),
        w: Math.abs(xa.l2p(1) - xa.l2p(0)), h: Math.abs(ya.l2p(1) - ya.l2p(0))});
    } else if (t.type === 'scatter') {
      out.marks.push({x: Array.from(t.x), y: Array.from(t.y), mode: t.mode, text: t.text || null});
    }
  });
  out.drawn = [...el.querySelectorAll('.scatterlayer .textpoint text')].map(e => e.textContent);
  out.crosses = el.querySelectorAll('.scatterlayer .point').length;
  return out;
}"""


def cell_colours(png: np.ndarray, panel: dict) -> np.ndarray:
    """sRGB (0…1) of each cell: the most common colour in its inner half (away from its edges and any text)."""
    n_rows, n_cols = len(panel["y"]), len(panel["x"])
    out = np.full((n_rows, n_cols, 3), np.nan)
    dx, dy = max(1, int(panel["w"] * 0.3)), max(1, int(panel["h"] * 0.3))
    for i, cy in enumerate(panel["y"]):
        for j, cx in enumerate(panel["x"]):
            patch = png[int(cy) - dy : int(cy) + dy + 1, int(cx) - dx : int(cx) + dx + 1].reshape(-1, 3)
            colours, counts = np.unique(patch, axis=0, return_counts=True)
            out[i, j] = colours[counts.argmax()] / 255
    return out


def expected_colours(panel: dict, z: np.ndarray) -> np.ndarray:
    where = np.clip((z - panel["cmin"]) / (panel["cmax"] - panel["cmin"]), 0, 1)
    scale = [
        [float(stop), colour if colour.startswith("rgb") else label_rgb(hex_to_rgb(colour))]
        for stop, colour in panel["scale"]
    ]
    rgb = [unlabel_rgb(c) for c in sample_colorscale(scale, list(where.ravel()))]
    return np.array(rgb).reshape(*z.shape, 3) / 255


def seen(rgb: np.ndarray, cvd: str | None) -> np.ndarray:
    if cvd is None:
        return rgb
    sim = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
    return np.clip(colorspacious.cspace_convert(rgb, sim, "sRGB1"), 0, 1)


def closest_pair(panel: dict, colours: np.ndarray, cvd: str | None) -> tuple[float, float, float]:
    """Of the cell pairs whose values differ by ``MIN_DIFFERENCE`` of the range or more: the smallest ΔE, as
    (ΔE, value a, value b)."""
    z = np.array(panel["z"], dtype=float)
    keep = np.isfinite(z)
    values = (z[keep] - panel["cmin"]) / (panel["cmax"] - panel["cmin"])
    rgb = seen(colours[keep], cvd)
    a, b = np.triu_indices(len(values), k=1)
    apart = np.abs(values[a] - values[b]) >= MIN_DIFFERENCE - 1e-9
    a, b = a[apart], b[apart]
    distances = delta_e(rgb[a], rgb[b])
    worst = int(distances.argmin())
    return float(distances[worst]), float(z[keep][a[worst]]), float(z[keep][b[worst]])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_heatmap_cells_stay_apart_in_every_vision_and_masked_cells_are_marked(browser, server, scheme):
    ctx = browser.new_context(color_scheme=scheme, viewport={"width": 1024, "height": 768}, device_scale_factor=1)
    page = ctx.new_page()
    try:
        open_page(page, server, "scaled-dot-product?sdp_mask=causal&sdp_tab=weights")
        chart = page.locator(WEIGHTS)
        chart.wait_for(timeout=60_000)
        chart.scroll_into_view_if_needed()
        found = chart.evaluate(CELLS_JS)
        png = np.asarray(Image.open(io.BytesIO(chart.screenshot())).convert("RGB"))
        signed, weights = found["panels"]  # the masked scaled scores (diverging), then the weights (sequential)
        assert (signed["cmin"], weights["cmin"], weights["cmax"]) == (-signed["cmax"], 0, 1)
        report = []
        for name, panel in (("weights", weights), ("signed", signed)):
            z = np.array(panel["z"], dtype=float)
            colours = cell_colours(png, panel)
            # the pixels read are the cells' colours: each matches the scale at the cell's value
            drawn = np.isfinite(z)
            mismatch = delta_e(colours[drawn], expected_colours(panel, np.where(drawn, z, 0))[drawn])
            assert mismatch.max() <= SAME_COLOUR, f"{name} [{scheme}]: sampled off the cells (ΔE {mismatch.max():.1f})"
            for cvd in VISION:
                distance, v1, v2 = closest_pair(panel, colours, cvd)
                report.append(f"{name} {cvd or 'typical'}: ΔE {distance:.1f} between {v1:.3g} and {v2:.3g}")
                assert distance >= MIN_STEP, f"[{scheme}] {report[-1]}"
        # a causal mask: every cell above the diagonal masked, each with its mark (text or cross) in the DOM
        n = len(weights["z"])
        masked = np.triu(np.ones((n, n), dtype=bool), k=1)
        assert np.array_equal(np.isnan(np.array(signed["z"], dtype=float)), masked)
        (marks,) = found["marks"]
        assert sorted(zip(marks["y"], marks["x"], strict=True)) == sorted(zip(*np.nonzero(masked), strict=True))
        if marks["mode"] == "text":
            assert found["drawn"].count(MASKED_TEXT) == masked.sum()
        else:
            assert found["crosses"] >= masked.sum()
        print(f"\n[{scheme}] " + "\n".join(report))
    finally:
        ctx.close()
