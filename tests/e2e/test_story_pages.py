"""The intuition, why-√d_k and attention-vs-RNN-vs-CNN pages in a real Chromium: a slider moves a chart."""

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page, press_on_first_slider, screenshot, type_sentence
from ui.i18n import t

pytestmark = pytest.mark.e2e

# every chart's drawn SVG, so a moved point, bar, line or label all count as a change
DRAWN_JS = f"Array.from(document.querySelectorAll('{sel.CHART} .main-svg')).map(s => s.innerHTML).join('|')"
REMEMBER_JS = f"() => {{ window.__drawn = {DRAWN_JS}; }}"
CHANGED_JS = f"() => {DRAWN_JS} !== window.__drawn"

PAGES = [
    # url_path, screenshot name, charts on the page, catalogue table (its title is the page's heading)
    ("intuition", "intuition", 2, "intuition"),
    ("why-scaling", "why_scaling", 6, "why_scaling"),
    ("attention-vs-rnn-cnn", "attention_vs_rnn_cnn", 3, "rnn_cnn"),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("url_path,name,n_charts,catalogue", PAGES)
def test_first_slider_moves_a_chart(page, server, lang, url_path, name, n_charts, catalogue):
    open_page(page, server, url_path, lang)
    page.wait_for_selector(sel.CHART, timeout=60_000)
    page.wait_for_function(f"() => document.querySelectorAll('{sel.CHART}').length >= {n_charts}", timeout=60_000)
    assert page.get_by_role("heading", name=t(f"{catalogue}.title", lang=lang)).first.is_visible()
    page.evaluate(REMEMBER_JS)
    press_on_first_slider(page)
    page.wait_for_function(CHANGED_JS, timeout=30_000, polling=250)
    assert page.locator(sel.EXCEPTION).count() == 0
    screenshot(page, f"{name}_{lang}")


def test_hostile_sentence_is_shaded_as_plain_text(page, server):
    open_page(page, server, "intuition")
    type_sentence(page, "<img src=x onerror=alert(1)> **bold** $x$ 猫")
    page.wait_for_function(f"() => document.querySelectorAll('{sel.CHART}').length >= 2", timeout=60_000)
    assert page.locator("img[src=x]").count() == 0
    assert page.locator(sel.EXCEPTION).count() == 0
    assert page.get_by_text("**bold**").count() >= 1  # drawn literally inside the sentence figure
