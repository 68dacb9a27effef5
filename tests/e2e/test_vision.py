"""The image page in Chromium: clicking a patch makes it the query; bad uploads get a message."""

import pytest

from tests.e2e.conftest import open_page, screenshot, wait_idle

pytestmark = pytest.mark.e2e

SLIDER = '[data-testid="stSlider"] input[type="range"], [data-testid="stSlider"] [role="slider"]'

CHART = '[data-testid="stPlotlyChart"]'


def overlay_title(page) -> str:
    return page.locator(f"{CHART} .gtitle").first.text_content()


def test_click_a_patch(page, server):
    open_page(page, server, "vision")
    page.wait_for_selector(f"{CHART} .nsewdrag")
    assert overlay_title(page) == "Where patch (3, 4) looks"  # landscape, P = 28: 6 × 8 patches
    plane = page.locator(f"{CHART} .nsewdrag").first
    plane.scroll_into_view_if_needed()  # a click outside the window goes nowhere
    area = plane.bounding_box()
    page.mouse.click(area["x"] + area["width"] * 0.5 / 8, area["y"] + area["height"] * 0.5 / 6)
    wait_idle(page)
    page.wait_for_function(
        "() => document.querySelector('.gtitle')?.textContent === 'Where patch (0, 0) looks'", timeout=30_000
    )
    values = page.eval_on_selector_all(SLIDER, "els => els.map(e => e.value ?? e.getAttribute('aria-valuenow'))")
    assert values[-2:] == ["0", "0"]  # the row and column sliders followed the click
    screenshot(page, "vision_en")


def test_slider_moves_the_overlay(page, server):
    open_page(page, server, "vision")
    page.wait_for_selector(f"{CHART} .nsewdrag")
    before = page.locator(CHART).first.inner_html()
    page.locator(SLIDER).first.focus()  # patch size 28 → 32
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function(
        "(b) => document.querySelector('[data-testid=\"stPlotlyChart\"]').innerHTML !== b", arg=before
    )


def test_upload_in_chinese(page, server, tmp_path):
    open_page(page, server, "vision", lang="zh")
    page.get_by_text("上传自己的图片").click()
    wait_idle(page)
    fake = tmp_path / "notes.png"
    fake.write_text("this is text, not a picture\n")
    page.locator('input[type="file"]').set_input_files(str(fake))
    page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=30_000)
    wait_idle(page)
    assert "无法把这个文件读成图片" in page.locator('[data-testid="stAlertContentError"]').inner_text()
    page.get_by_text("几何图形").click()
    wait_idle(page)
    page.wait_for_selector(f"{CHART} .nsewdrag")
    screenshot(page, "vision_zh")
