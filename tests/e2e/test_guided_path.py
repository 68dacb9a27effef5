"""The guided path and the Chinese pages in Chromium: Chinese text drawn with a CJK font (not .notdef
boxes), the next-step link leads on, and the summary and glossary pages draw, at a projector's 1024 × 768."""

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page, screenshot
from ui.glossary import ENTRIES
from ui.i18n import t

pytestmark = pytest.mark.e2e


def fonts_drawing(page, selector: str) -> list[str]:
    """The platform fonts Chromium used to draw the text of the first element matching ``selector``."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [f["familyName"] for f in fonts if f["glyphCount"] > 0]


def test_chinese_titles_are_drawn_with_a_cjk_font(page, server):
    open_page(page, server, "scaled-dot-product", "zh")
    assert page.locator(sel.TITLE).first.inner_text() == t("sdp.title", lang="zh")
    families = fonts_drawing(page, "h1")
    assert any("CJK" in name for name in families), f"Chinese drawn with {families}: install fonts-noto-cjk"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_next_step_link_leads_on_and_summary_and_glossary_draw(browser, server, lang):
    ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    page = ctx.new_page()
    try:
        open_page(page, server, "learn", lang)
        page.get_by_role("link", name=t("path.next", lang=lang, page=t("summary.nav", lang=lang))).click()
        page.wait_for_url("**/summary*", timeout=60_000)
        page.wait_for_function(f"() => document.querySelectorAll('{sel.CHART}').length >= 4", timeout=60_000)
        assert page.locator(sel.EXCEPTION).count() == 0
        screenshot(page, f"summary_{lang}_1024")
        open_page(page, server, "glossary", lang)
        page.wait_for_selector('[data-testid="stMarkdownContainer"] table', timeout=60_000)
        assert page.locator('[data-testid="stMarkdownContainer"] table tbody tr').count() == len(ENTRIES)
        assert page.locator(sel.EXCEPTION).count() == 0
        screenshot(page, f"glossary_{lang}_1024")
    finally:
        ctx.close()
