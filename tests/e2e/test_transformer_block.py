"""The Transformer block page in Chromium: a slider moves the flow diagram; screenshots in both languages."""

import pytest

from tests.e2e.conftest import open_page, screenshot, wait_idle

pytestmark = pytest.mark.e2e

SLIDER = '[data-testid="stSlider"] input[type="range"], [data-testid="stSlider"] [role="slider"]'

FLOW = '[data-testid="stPlotlyChart"] .js-plotly-plot'


def flow_text(page) -> str:
    return page.locator(FLOW).first.inner_text()


def test_d_model_slider_changes_the_shapes(page, server):
    open_page(page, server, "transformer-block")
    page.wait_for_selector(FLOW)
    before = flow_text(page)
    assert "12 × 16" in before  # default sentence: 12 tokens, d_model = 16
    page.locator(SLIDER).first.focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot').innerText.includes('12 × 20')", timeout=30_000
    )
    assert flow_text(page) != before
    screenshot(page, "transformer_block_en")


def test_switches_and_chinese(page, server):
    open_page(page, server, "transformer-block", lang="zh")
    page.wait_for_selector(FLOW)
    assert "编码器层" in page.locator("h1").first.inner_text()
    page.get_by_text("残差连接", exact=True).click()  # residual connections off
    wait_idle(page)
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot').innerText.includes('残差已去掉')", timeout=30_000
    )
    screenshot(page, "transformer_block_zh_no_residual")


def test_long_formulas_scroll_sideways_on_a_narrow_screen(page, server):
    # a 1024-pixel projector: the block's equations are wider than the page column; they must scroll,
    # not be cut off (assets/style.css)
    page.set_viewport_size({"width": 1024, "height": 768})
    open_page(page, server, "transformer-block")
    widths = page.evaluate(
        """() => [...document.querySelectorAll('.katex-display')].map(
             e => [getComputedStyle(e).overflowX, e.scrollWidth, e.clientWidth])"""
    )
    wide = [w for w in widths if w[1] > w[2]]
    assert wide, widths  # at this width at least one equation is wider than its column
    assert all(overflow == "auto" for overflow, _, _ in wide), widths
