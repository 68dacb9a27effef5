"""The step page in a real Chromium: renders, reacts to a slider, survives hostile text."""

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import fresh_server, open_page, press_on_first_slider, rerun, screenshot, type_sentence
from ui.i18n import t

pytestmark = pytest.mark.e2e

# X | Q | K | V are blocks of one heatmap with unit-wide columns: its x range ends half a column after the
# last one, at the total column count (d_model + 3·d_k + gaps) - 0.5; the range is in the chart's public layout
WIDTH_JS = f"() => document.querySelector('{sel.CHART}').layout.xaxis.range[1]"
# Plotly's public hover call on data coordinates (x = column, y = row): no pixel arithmetic
HOVER_JS = f"""([x, y]) => {{
  const gd = document.querySelector('{sel.CHART}');
  window.Plotly.Fx.hover(gd, [{{curveNumber: 0, xval: x, yval: y}}]);
}}"""


def test_home_links_pages(page, server):
    open_page(page, server, "")
    assert page.get_by_role("heading", name=t("home.title", lang="en")).is_visible()
    page.get_by_text(t("sdp.nav", lang="en")).first.click()
    page.wait_for_url("**/scaled-dot-product")
    page.wait_for_selector(sel.CHART, timeout=60_000)
    screenshot(page, "home_en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_slider_updates_the_charts(page, server, lang):
    open_page(page, server, "scaled-dot-product", lang)
    page.wait_for_selector(sel.CHART, timeout=60_000)
    assert page.locator(sel.CHART).count() == 1  # X | Q | K | V; the other stages wait in their tabs
    before = page.evaluate(WIDTH_JS)
    press_on_first_slider(page, times=3)  # d_model
    page.wait_for_function(f"() => ({WIDTH_JS})() == {before} + 3", timeout=30_000)  # 3 more columns of X
    assert page.locator(sel.CHART).count() == 1  # X | Q | K | V; the other stages wait in their tabs
    assert page.get_by_role("heading", name=t("sdp.title", lang=lang)).first.is_visible()
    screenshot(page, f"scaled_dot_product_{lang}")


def test_hovering_a_block_names_token_matrix_and_dimension(page, server):
    open_page(page, server, "scaled-dot-product")
    page.locator(sel.CHART).first.scroll_into_view_if_needed()
    last_column = page.evaluate(WIDTH_JS) - 0.5
    # default d_model = 16, d_k = 8: 16 + 1 + 8 + 1 + 8 + 1 + 8 = 43 columns; the last one is V's
    assert last_column == 42
    page.evaluate(HOVER_JS, [last_column, 0])  # row 0: the first token
    page.wait_for_selector(sel.HOVER_TEXT, timeout=10_000)
    text = page.locator(sel.HOVER_TEXT).first.text_content()
    assert "token: 0 · The" in text and "V = X·W_V · dimension: 7" in text, text


def test_hostile_sentence_is_shown_as_text(page, server):
    open_page(page, server, "scaled-dot-product")
    type_sentence(page, "<img src=x onerror=alert(1)> **bold** $x$")
    page.wait_for_selector(sel.CHART, timeout=60_000)
    assert page.locator("img[src=x]").count() == 0
    assert page.locator(sel.EXCEPTION).count() == 0


def test_shared_link_sets_language_and_sentence(page, server):
    open_page(page, server, "scaled-dot-product?text=cats+chase+mice", "zh")
    page.wait_for_selector(sel.CHART, timeout=60_000)
    assert page.locator(sel.SENTENCE_BOX).input_value() == "cats chase mice"
    assert page.get_by_role("heading", name=t("sdp.title", lang="zh")).first.is_visible()
    ticks = page.evaluate(
        f"() => [...document.querySelector('{sel.CHART}').querySelectorAll('.ytick')].map(e => e.textContent)"
    )
    assert any("chase" in x for x in ticks)


def test_trace_tab_draws_its_charts(page, server):
    open_page(page, server, "scaled-dot-product")
    with rerun(page):
        page.get_by_role("tab", name=t("sdp.tab_trace", lang="en")).click()
    page.wait_for_function(f"() => document.querySelectorAll('{sel.CHART}').length === 2", timeout=30_000)
    assert page.get_by_text(t("sdp.trace_dot", lang="en")).first.is_visible()
    screenshot(page, "scaled_dot_product_trace_en")


def test_deep_link_as_the_first_request_of_a_fresh_server(browser):
    # Streamlit runs a fresh server's first request in its legacy pages/ mode, which finds pages by file
    # name; pages/<url>.py makes a shared link open its page, in its language, with no "Page not found"
    with fresh_server("server_fresh.log") as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        open_page(page, url, "why-scaling?text=cats+chase+mice", "zh")
        assert page.locator("h1").first.inner_text() == t("why_scaling.title", lang="zh")
        assert page.url.split("?")[0].endswith("/why-scaling")
        assert page.locator(sel.DIALOG).count() == 0
        assert page.locator(sel.SENTENCE_BOX).input_value() == "cats chase mice"
        ctx.close()
