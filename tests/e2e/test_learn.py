"""Watch attention learn in a real Chromium: train the default model (reverse), move the snapshot slider, both
languages at 1440 × 900 and 1024 × 768."""

from __future__ import annotations

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import browser_page, open_page, rerun, screenshot
from ui.i18n import t

pytestmark = pytest.mark.e2e

CURVE = sel.chart("learn_curve")
GRID = sel.chart("learn_snapshot_grid")
SNAPSHOT = ", ".join(f".st-key-learn_snapshot {part.strip()}" for part in sel.SLIDER.split(","))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1024, 768)])
def test_train_the_default_and_move_the_snapshot_slider(browser, server, lang, width, height):
    with browser_page(browser, width, height) as page:
        open_page(page, server, "learn", lang)
        assert page.get_by_role("heading", name=t("learn.title", lang=lang)).count() == 1
        page.locator(".st-key-learn_train button").click()
        page.wait_for_selector(GRID, timeout=120_000)  # the run ends with a rerun that draws the results
        assert page.locator(sel.EXCEPTION).count() == 0 and page.locator(sel.ERROR).count() == 0
        # a long title is drawn on two lines (separate text spans): compared without white space
        last = "".join(t("learn.fig_snapshot", lang=lang, step=600).split())
        assert "".join(page.locator(f"{GRID} .gtitle").text_content().split()) == last
        with rerun(page):
            page.locator(SNAPSHOT).focus()
            for _ in range(18):  # 21 snapshots, 30 steps apart: the 19th from the end is step 60
                page.keyboard.press("ArrowLeft")
        moved = "".join(t("learn.fig_snapshot", lang=lang, step=60).split())
        page.wait_for_function(
            "([s, want]) => document.querySelector(s)?.textContent.replace(/\\s+/g, '') === want",
            arg=[f"{GRID} .gtitle", moved],
        )
        assert page.locator(sel.EXCEPTION).count() == 0
        suffix = "" if width == 1440 else f"_{width}"
        path = screenshot(page, f"learn_{lang}{suffix}")
        assert path.stat().st_size > 50_000
