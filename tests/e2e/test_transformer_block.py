"""The Transformer block page in Chromium: a slider moves the flow diagram; screenshots in both languages."""

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page, press_on_first_slider, rerun, screenshot
from ui.i18n import t

pytestmark = pytest.mark.e2e

FLOW = sel.CHART  # the flow diagram: the first chart of the tab a visitor lands on
FLOW_SHOWS_JS = f"(text) => document.querySelector('{FLOW}').innerText.includes(text)"


def flow_text(page) -> str:
    return page.locator(FLOW).first.inner_text()


def test_d_model_slider_changes_the_shapes(page, server):
    open_page(page, server, "transformer-block")
    page.wait_for_selector(FLOW)
    before = flow_text(page)
    assert "12 × 16" in before  # default sentence: 12 tokens, d_model = 16
    press_on_first_slider(page)
    page.wait_for_function(FLOW_SHOWS_JS, arg="12 × 20", timeout=30_000)
    assert flow_text(page) != before
    screenshot(page, "transformer_block_en")


def test_switches_and_chinese(page, server):
    open_page(page, server, "transformer-block", lang="zh")
    page.wait_for_selector(FLOW)
    assert page.locator("h1").first.inner_text() == t("block.title", lang="zh")
    with rerun(page):
        page.get_by_text(t("block.residual", lang="zh"), exact=True).click()  # residual connections off
    page.wait_for_function(FLOW_SHOWS_JS, arg=t("block.residual_arc_off", lang="zh"), timeout=30_000)
    screenshot(page, "transformer_block_zh_no_residual")


def test_long_formulas_scroll_sideways_on_a_narrow_screen(page, server):
    # narrower than a projector (a tablet, 820 pixels; at 1024 every formula fits, which
    # test_projector_layout checks): the block's equations are wider than the page column; they must
    # scroll, not be cut off (assets/style.css)
    page.set_viewport_size({"width": 820, "height": 700})
    open_page(page, server, "transformer-block")
    widths = page.evaluate(
        f"""() => [...document.querySelectorAll('{sel.KATEX_DISPLAY}')].map(
             e => [getComputedStyle(e).overflowX, e.scrollWidth, e.clientWidth])"""
    )
    wide = [w for w in widths if w[1] > w[2]]
    assert wide, widths  # at this width at least one equation is wider than its column
    assert all(overflow == "auto" for overflow, _, _ in wide), widths
