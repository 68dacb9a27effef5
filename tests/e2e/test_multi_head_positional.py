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


def open_tab(page, name: str, chart: str):
    page.get_by_role("tab", name=name).click()
    wait_idle(page)
    page.wait_for_selector(f".st-key-{chart} .js-plotly-plot")


@pytest.mark.parametrize(
    ("path", "chart", "moved_to", "prefix", "title_zh", "tab_zh", "tab_chart"),
    [
        # h: 8 → 16; then the last tab (1 wide head vs h heads), opened lazily
        ("multi-head", "mh_grid", "16", "multi_head", "多头注意力", "1 个宽头 vs. h 个头", "mh_focus"),
        # positions: 128 → 129; then the order demo tab
        (
            "positional-encoding",
            "pe_table",
            "129",
            "positional_encoding",
            "位置编码",
            "为什么需要位置",
            "pe_order_pe_shuffled",
        ),
    ],
)
def test_first_slider_redraws_and_page_speaks_both_languages(
    page, server, path, chart, moved_to, prefix, title_zh, tab_zh, tab_chart
):
    open_deep_link(page, server, path)
    page.wait_for_selector(f".st-key-{chart} .js-plotly-plot")
    before = page.evaluate(CHART_JS, chart)
    assert before and page.locator(".js-plotly-plot").count() == 1  # lazy tabs: only the open one is drawn
    move_first_slider(page)
    after = page.evaluate(CHART_JS, chart)
    assert after and after != before and moved_to in after.split(",")[0]
    screenshot(page, f"{prefix}_en")
    switch_to_chinese(page)
    page.wait_for_function("(t) => document.querySelector('h1')?.innerText.includes(t)", arg=title_zh)
    screenshot(page, f"{prefix}_zh")
    open_tab(page, tab_zh, tab_chart)
    assert page.locator(".js-plotly-plot").count() >= 2
    screenshot(page, f"{prefix}_zh_last_tab")
