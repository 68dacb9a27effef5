"""End-to-end: the multi-head and positional pages in Chromium; a key press on the first slider redraws,
then the sidebar switch turns the same page into Chinese."""

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page, press_on_first_slider, rerun, screenshot
from ui.i18n import t

pytestmark = pytest.mark.e2e

CHART_JS = """(selector) => {
  const el = document.querySelector(selector);
  return el ? JSON.stringify([el.layout.title.text, el.data.length, el.data.map(d => d.z)]) : null;
}"""


def switch_to_chinese(page):
    with rerun(page):
        page.locator(sel.SIDEBAR).get_by_text("中文", exact=True).click()


def open_tab(page, name: str, chart: str):
    with rerun(page):
        page.get_by_role("tab", name=name).click()
    page.wait_for_selector(sel.chart(chart))


@pytest.mark.parametrize(
    ("path", "chart", "moved_to", "prefix", "catalogue", "last_tab", "tab_chart"),
    [
        # h: 8 → 16; then the last tab (1 wide head vs h heads), opened lazily
        ("multi-head", "multihead_grid", "16", "multi_head", "multihead", "tab_compare", "multihead_focus"),
        # positions: 128 → 129; then the order demo tab
        (
            "positional-encoding",
            "positional_table",
            "129",
            "positional_encoding",
            "positional",
            "tab_order",
            "positional_order_pe_shuffled",
        ),
    ],
)
def test_first_slider_redraws_and_page_speaks_both_languages(
    page, server, path, chart, moved_to, prefix, catalogue, last_tab, tab_chart
):
    open_page(page, server, path)
    page.wait_for_selector(sel.chart(chart))
    before = page.evaluate(CHART_JS, sel.chart(chart))
    assert before and page.locator(sel.CHART).count() == 1  # lazy tabs: only the open one is drawn
    press_on_first_slider(page)
    after = page.evaluate(CHART_JS, sel.chart(chart))
    assert after and after != before and moved_to in after.split(",")[0]
    screenshot(page, f"{prefix}_en")
    switch_to_chinese(page)
    page.wait_for_function(
        "(t) => document.querySelector('h1')?.innerText.includes(t)", arg=t(f"{catalogue}.title", lang="zh")
    )
    screenshot(page, f"{prefix}_zh")
    open_tab(page, t(f"{catalogue}.{last_tab}", lang="zh"), tab_chart)
    assert page.locator(sel.CHART).count() >= 2
    screenshot(page, f"{prefix}_zh_last_tab")
