"""The colour scales under colour-vision deficiency, masked cells without colour, and figures in both themes.

Deuteranopia, protanopia and tritanopia are simulated at severity 100 (Machado et al. 2009, as
colorspacious implements it); distances are CIEDE-like ΔE in CAM02-UCS, where about 1 is a just-noticeable
difference between two large patches.
"""

from __future__ import annotations

import numpy as np
import pytest
from plotly.colors import get_colorscale, sample_colorscale, unlabel_rgb

from viz import palette
from viz.base import DARK_TEMPLATE, TEMPLATE, color_range, themed, wrap_title
from viz.block import flow_diagram
from viz.heatmaps import MARK_TEXT_COLUMNS, MASKED_TEXT, TEXT_MARKS_MAX, Panel, heatmap_row

colorspacious = pytest.importorskip("colorspacious", reason="colorspacious is in requirements-dev.txt")

VISION = [None, "deuteranomaly", "protanomaly", "tritanomaly"]  # None: typical colour vision
STEPS = 11  # weights 0, 0.1, …, 1: a step of 0.1 is a difference a reader must see
MIN_STEP = 4.0  # ΔE between two neighbouring steps, in every vision (3× a just-noticeable difference)


def seen(scale: str, where, cvd: str | None) -> np.ndarray:
    """sRGB (0…1) of ``scale`` at positions ``where`` in [0, 1], as a reader with ``cvd`` sees them."""
    rgb = np.array([unlabel_rgb(c) for c in sample_colorscale(get_colorscale(scale), list(where))]) / 255
    if cvd is None:
        return rgb
    sim = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
    return np.clip(colorspacious.cspace_convert(rgb, sim, "sRGB1"), 0, 1)


def delta_e(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return colorspacious.deltaE(a, b, input_space="sRGB1", uniform_space="CAM02-UCS")


@pytest.mark.parametrize("cvd", VISION)
@pytest.mark.parametrize("scale", [palette.WEIGHTS_SCALE, palette.SIGNED_SCALE])
def test_neighbouring_values_stay_apart(scale, cvd):
    colours = seen(scale, np.linspace(0, 1, STEPS), cvd)
    steps = delta_e(colours[:-1], colours[1:])
    assert steps.min() >= MIN_STEP, f"{scale} under {cvd}: steps {np.round(steps, 1)}"


@pytest.mark.parametrize("cvd", VISION)
def test_weights_grow_lighter_in_every_vision(cvd):
    # sequential: lightness (CAM02-UCS J') rises with the weight, so more weight reads as more, colour or not
    lightness = colorspacious.cspace_convert(
        seen(palette.WEIGHTS_SCALE, np.linspace(0, 1, STEPS), cvd), "sRGB1", "CAM02-UCS"
    )[:, 0]
    assert np.all(np.diff(lightness) > 2), np.round(lightness, 1)


@pytest.mark.parametrize("cvd", VISION)
def test_signed_scale_keeps_the_sign_and_is_neutral_at_zero(cvd):
    # diverging: −v and +v look different (the sign is visible) for every |v| ≥ 0.2 of the range …
    v = np.linspace(0.2, 1.0, 5)
    negative, positive = seen(palette.SIGNED_SCALE, 0.5 - v / 2, cvd), seen(palette.SIGNED_SCALE, 0.5 + v / 2, cvd)
    assert delta_e(negative, positive).min() >= 10
    # … and 0 is the lightest, least coloured point (white), whatever the vision
    centre = colorspacious.cspace_convert(seen(palette.SIGNED_SCALE, [0.5], cvd), "sRGB1", "CAM02-UCS")[0]
    assert centre[0] > 95 and np.hypot(centre[1], centre[2]) < 3


def test_signed_values_are_centred_at_zero():
    scale = color_range("signed", np.array([-0.5, 3.0]))
    assert (scale["zmin"], scale["zmid"], scale["zmax"]) == (-3.0, 0.0, 3.0)


@pytest.mark.parametrize("n", [4, 10, 12, 40])
def test_masked_cells_carry_a_mark_not_only_a_grey(n):
    z = np.tril(np.full((n, n), 1.0 / n))
    masked = np.triu(np.ones((n, n), dtype=bool), k=1)
    fig = heatmap_row(
        [Panel(z, [str(i) for i in range(n)], [str(i) for i in range(n)], "w", "prob", masked)],
        height=300,
        show_text=False,  # without numbers in the cells (with them, a masked cell's number is its "−∞")
    )
    marks = fig.data[-1]
    assert len(marks.x) == masked.sum()
    if n <= min(MARK_TEXT_COLUMNS, TEXT_MARKS_MAX):  # the text "−∞" in every masked cell
        assert marks.mode == "text" and set(marks.text) == {MASKED_TEXT}
    else:  # cells too small for text: a cross
        assert marks.mode == "markers" and marks.marker.symbol == "x-thin"


def diagram():
    boxes = [("Tokens", "input", "5 tokens"), ("Multi-head<br>attention", "attention", "h = 2"), ("FFN", "ffn", "")]
    return flow_diagram(boxes, ["(5,)", "5 × 8"], [(0, 1)], "flow", residual_label="+", residual_on=True)


def test_a_light_page_gets_the_figure_as_built():
    fig = diagram()
    assert themed(fig, "light") is fig and themed(fig, None) is fig
    assert fig.layout.template == TEMPLATE


def test_a_dark_page_gets_the_dark_template_and_light_ink():
    light, dark = diagram(), themed(diagram(), "dark")
    assert dark.layout.template == DARK_TEMPLATE and DARK_TEMPLATE.layout.paper_bgcolor == "#0e1117"
    ink = [trace.textfont.color for trace in light.data if trace.mode == "text"]
    dark_ink = [trace.textfont.color for trace in dark.data if trace.mode == "text"]
    assert palette.INK in ink and palette.DARK_INK[palette.INK] in dark_ink and palette.INK not in dark_ink
    grey = [s.fillcolor for s in dark.layout.shapes if s.fillcolor.lower() == palette.DARK_INK[palette.BOX_GREY]]
    assert grey  # the neutral box is dark grey on a dark page, under light text
    assert [t.text for t in dark.data] == [t.text for t in light.data]  # nothing but colours changes


def test_long_titles_wrap_to_half_a_projector_column():
    lines = wrap_title("One encoder block (stacked × 1): shapes on the arrows, average token length under the boxes")
    assert lines == ["One encoder block (stacked × 1): shapes on the", "arrows, average token length under the boxes"]
    assert wrap_title("正弦编码（固定）：PE 各行之间的余弦，128 个位置，d_model = 128")[1] == "置，d_model = 128"
    assert wrap_title("short") == ["short"] and wrap_title("") == [""]
    boxes = [("A", "input", ""), ("B", "ffn", "")]
    fig = flow_diagram(boxes, ["1"], [], "word " * 20, residual_label="+", residual_on=True)
    assert fig.layout.title.text.count("<br>") == 2 and fig.layout.margin.t == 40 + 2 * 20  # room for both
    assert diagram().layout.title.text == "flow" and diagram().layout.margin.t == 40


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two hex colours."""

    def luminance(hex_colour: str) -> float:
        c = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
        c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return float(c @ [0.2126, 0.7152, 0.0722])

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_categorical_colour_reads_as_text_on_a_dark_page():
    """A head's title is drawn in its colour: on the dark paper each (after ``DARK_INK``) reaches 4.5:1."""
    paper = DARK_TEMPLATE.layout.paper_bgcolor
    on_dark = {c: palette.DARK_INK.get(c.lower(), c) for c in palette.CATEGORICAL}
    ratios = {c: round(contrast(d, paper), 2) for c, d in on_dark.items()}
    assert min(ratios.values()) >= 4.5, ratios
    sky = palette.CATEGORICAL[4]
    for cvd in VISION:  # the lighter blue stays apart from the sky blue
        blue, other = (seen_hex(c, cvd) for c in (on_dark[palette.Q_COLOR], sky))
        assert delta_e(blue, other) >= 10, cvd


def seen_hex(colour: str, cvd: str | None) -> np.ndarray:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    if cvd is None:
        return rgb
    return np.clip(
        colorspacious.cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}, "sRGB1"), 0, 1
    )
