"""The image page in Chromium: clicking a patch makes it the query; bad uploads get a message."""

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page, press_on_first_slider, rerun, screenshot, wait_idle
from ui.i18n import t

pytestmark = pytest.mark.e2e


def overlay_title(page) -> str:
    return page.locator(sel.CHART_TITLE).first.text_content()


def patch_centre(page, index: int) -> tuple[float, float]:
    """Where patch ``index`` (row-major) is drawn: the overlay puts one invisible marker on each patch centre."""
    box = page.locator(sel.SCATTER_POINT).nth(index).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_click_a_patch(page, server):
    open_page(page, server, "vision")
    page.wait_for_selector(sel.PLOT_AREA)
    assert overlay_title(page) == t("vision.fig_overlay", lang="en", row=3, col=4)  # landscape, P = 28: 6 × 8
    page.locator(sel.PLOT_AREA).first.scroll_into_view_if_needed()  # a click outside the window goes nowhere
    with rerun(page):
        page.mouse.click(*patch_centre(page, 0))  # patch (0, 0)
    page.wait_for_function(
        f"(title) => document.querySelector('{sel.CHART_TITLE}')?.textContent === title",
        arg=t("vision.fig_overlay", lang="en", row=0, col=0),
        timeout=30_000,
    )
    values = page.eval_on_selector_all(sel.SLIDER, "els => els.map(e => e.value ?? e.getAttribute('aria-valuenow'))")
    assert values[-2:] == ["0", "0"]  # the row and column sliders followed the click
    screenshot(page, "vision_en")


def test_slider_moves_the_overlay(page, server):
    open_page(page, server, "vision")
    page.wait_for_selector(sel.PLOT_AREA)
    before = page.locator(sel.CHART).first.inner_html()
    press_on_first_slider(page)  # patch size 28 → 32
    page.wait_for_function(
        "([selector, b]) => document.querySelector(selector).innerHTML !== b", arg=[sel.CHART, before]
    )


def test_upload_in_chinese(page, server, tmp_path):
    open_page(page, server, "vision", lang="zh")
    with rerun(page):
        page.get_by_text(t("vision.source_upload", lang="zh")).click()
    fake = tmp_path / "notes.png"
    fake.write_text("this is text, not a picture\n")
    page.locator('input[type="file"]').set_input_files(str(fake))
    page.wait_for_selector(sel.ERROR, timeout=30_000)
    wait_idle(page)
    assert t("vision.error_not_image", lang="zh") in page.locator(sel.ERROR).inner_text()
    with rerun(page):
        page.get_by_text(t("vision.source_shapes", lang="zh")).click()
    page.wait_for_selector(sel.PLOT_AREA)
    screenshot(page, "vision_zh")
