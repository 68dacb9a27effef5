"""Both themes in Chromium: the page follows the browser's light or dark setting, and so do its figures."""

from __future__ import annotations

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page, screenshot

pytestmark = pytest.mark.e2e

# (page background, figure paper) per colour scheme: .streamlit/config.toml and viz.base's templates
EXPECTED = {"light": ("rgb(255, 255, 255)", "rgb(255, 255, 255)"), "dark": ("rgb(14, 17, 23)", "rgb(14, 17, 23)")}

BACKGROUNDS_JS = f"""() => [
  getComputedStyle(document.querySelector('{sel.APP}')).backgroundColor,
  [...document.querySelectorAll('{sel.CHART}')].map(c => getComputedStyle(c.querySelector('svg.main-svg')).backgroundColor),
]"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_and_figures_follow_the_browsers_theme(browser, server, scheme):
    ctx = browser.new_context(color_scheme=scheme, viewport={"width": 1024, "height": 768})
    page = ctx.new_page()
    try:
        open_page(page, server, "transformer-block", "zh")
        page.wait_for_selector(sel.CHART, timeout=60_000)
        app, papers = page.evaluate(BACKGROUNDS_JS)
        assert app == EXPECTED[scheme][0]
        assert papers and set(papers) == {EXPECTED[scheme][1]}, papers
        screenshot(page, f"theme_{scheme}_transformer_block_zh_1024")
    finally:
        ctx.close()
