"""The step page in a real Chromium: renders, reacts to a slider, survives hostile text."""

import pytest

from tests.e2e.conftest import SENTENCE_BOX, open_page, running_server, screenshot, type_sentence, wait_idle

pytestmark = pytest.mark.e2e

CHART = ".js-plotly-plot"


SLIDER = '[data-testid="stSlider"] input[type="range"], [data-testid="stSlider"] [role="slider"]'
# X | Q | K | V are blocks of one heatmap: its x range is the total column count (d_model + 3·d_k + gaps)
WIDTH_JS = "() => document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range[1]"


def test_home_links_pages(page, server):
    open_page(page, server, "")
    assert page.get_by_role("heading", name="Attention Lab · 注意力实验室").is_visible()
    page.get_by_text("Scaled dot-product attention").first.click()
    page.wait_for_url("**/scaled-dot-product")
    page.wait_for_selector(CHART, timeout=60_000)
    screenshot(page, "home_en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_slider_updates_the_charts(page, server, lang):
    open_page(page, server, "scaled-dot-product", lang)
    page.wait_for_selector(CHART, timeout=60_000)
    assert page.locator(CHART).count() == 1  # X | Q | K | V; the other stages wait in their tabs
    before = page.evaluate(WIDTH_JS)
    page.locator(SLIDER).first.focus()  # d_model
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function(f"() => ({WIDTH_JS})() == {before} + 3", timeout=30_000)  # 3 more columns of X
    assert page.locator(CHART).count() == 1  # X | Q | K | V; the other stages wait in their tabs
    heading = "缩放点积注意力" if lang == "zh" else "Scaled dot-product attention"
    assert page.get_by_role("heading", name=heading).first.is_visible()
    screenshot(page, f"scaled_dot_product_{lang}")


def test_hovering_a_block_names_token_matrix_and_dimension(page, server):
    open_page(page, server, "scaled-dot-product")
    chart = page.locator(CHART).first
    chart.scroll_into_view_if_needed()
    box = page.locator(f"{CHART} .nsewdrag").first.bounding_box()
    # default d_model = 16, d_k = 8: 16 + 1 + 8 + 1 + 8 + 1 + 8 = 43 columns; the last one is V's
    page.mouse.move(box["x"] + box["width"] * 42.5 / 43, box["y"] + box["height"] * 0.5 / 12)
    page.wait_for_selector(".hoverlayer .hovertext", timeout=10_000)
    text = page.locator(".hoverlayer .hovertext").first.text_content()
    assert "token: 0 · The" in text and "V = X·W_V · dimension: 7" in text, text


def test_hostile_sentence_is_shown_as_text(page, server):
    open_page(page, server, "scaled-dot-product")
    type_sentence(page, "<img src=x onerror=alert(1)> **bold** $x$")
    page.wait_for_selector(CHART, timeout=60_000)
    assert page.locator("img[src=x]").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0


def test_shared_link_sets_language_and_sentence(page, server):
    open_page(page, server, "scaled-dot-product?text=cats+chase+mice", "zh")
    page.wait_for_selector(CHART, timeout=60_000)
    assert page.locator(SENTENCE_BOX).input_value() == "cats chase mice"
    assert page.get_by_role("heading", name="缩放点积注意力").first.is_visible()
    ticks = page.evaluate(
        "() => [...document.querySelector('.js-plotly-plot').querySelectorAll('.ytick')].map(e => e.textContent)"
    )
    assert any("chase" in x for x in ticks)


def test_trace_tab_draws_its_charts(page, server):
    open_page(page, server, "scaled-dot-product")
    page.get_by_role("tab", name="Trace one cell").click()
    wait_idle(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 2", timeout=30_000)
    assert page.get_by_text("Dot product").first.is_visible()
    screenshot(page, "scaled_dot_product_trace_en")


def test_deep_link_as_the_first_request_of_a_fresh_server(browser):
    # Streamlit runs a fresh server's first request in its legacy pages/ mode, which finds pages by file
    # name; pages/<url>.py makes a shared link open its page, in its language, with no "Page not found"
    with running_server("server_fresh.log") as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.goto(f"{url}/why-scaling?lang=zh&text=cats+chase+mice")
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=120_000)
        wait_idle(page)
        assert page.locator("h1").first.inner_text() == "为什么要除以 √d_k？"
        assert page.url.split("?")[0].endswith("/why-scaling")
        assert page.locator('[role="dialog"]').count() == 0
        assert page.locator(SENTENCE_BOX).input_value() == "cats chase mice"
        ctx.close()
