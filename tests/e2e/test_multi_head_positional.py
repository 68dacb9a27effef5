"""End-to-end: the multi-head and positional pages in Chromium; a key press on the first slider redraws,
then the sidebar switch turns the same page into Chinese."""

import pytest

from tests.e2e.conftest import open_page, screenshot, wait_idle

pytestmark = pytest.mark.e2e

CHART_JS = """(key) => {
  const el = document.querySelector(`.st-key-${key} .js-plotly-plot`);
  return el ? JSON.stringify([el.layout.title.text, el.data.length, el.data.map(d => d.z)]) : null;
}"""
THUMB = '[data-testid="stSlider"] input[type="range"], [data-testid="stSlider"] [role="slider"]'


def open_deep_link(page, server, path):
    # a fresh server's first session shows "Page not found" for a deep link until st.navigation has run once
    page.goto(f"{server}/")
    wait_idle(page)
    return open_page(page, server, path)


def move_first_slider(page):
    page.locator(THUMB).first.focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)


def switch_to_chinese(page):
    page.locator('[data-testid="stSidebar"]').get_by_text("中文", exact=True).click()
    wait_idle(page)


@pytest.mark.parametrize(
    ("path", "chart", "moved_to", "prefix", "title_zh"),
    [
        ("multi-head", "mh_grid", "16", "multi_head", "多头注意力"),  # h: 8 → 16
        ("positional-encoding", "pe_table", "129", "positional_encoding", "位置编码"),  # positions: 128 → 129
    ],
)
def test_first_slider_redraws_and_page_speaks_both_languages(page, server, path, chart, moved_to, prefix, title_zh):
    open_deep_link(page, server, path)
    page.wait_for_selector(f".st-key-{chart} .js-plotly-plot")
    before = page.evaluate(CHART_JS, chart)
    assert before and page.locator(".js-plotly-plot").count() == 14
    move_first_slider(page)
    after = page.evaluate(CHART_JS, chart)
    assert after and after != before and moved_to in after.split(",")[0]
    screenshot(page, f"{prefix}_en")
    switch_to_chinese(page)
    page.wait_for_function("(t) => document.querySelector('h1')?.innerText.includes(t)", arg=title_zh)
    assert page.locator(".js-plotly-plot").count() == 14
    screenshot(page, f"{prefix}_zh")
