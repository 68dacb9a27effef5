"""A lesson driven by the keyboard alone in a real Chromium: the keys a presentation clicker sends step
through it (the address follows), and a predict-then-reveal question is answered with Tab and Enter."""

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page, rerun, screenshot
from ui.i18n import t

pytestmark = pytest.mark.e2e

QUESTION = ".st-key-lesson_question"
STEP_JS = "() => new URLSearchParams(location.search).get('step')"
FOCUS_IN_QUESTION_JS = f"() => !!document.activeElement?.closest('{QUESTION}')"


def press(page, key: str, step: int) -> None:
    """Press ``key`` with nothing focused but the page, wait for the run, check the address's step."""
    with rerun(page):
        page.keyboard.press(key)
    page.wait_for_function(f"() => ({STEP_JS})() === '{step}'", timeout=30_000)
    progress = t("lesson.progress", "en", k=step, n=8)
    page.get_by_text(progress).wait_for(timeout=30_000)


def test_a_clicker_steps_through_a_lesson_and_the_keyboard_answers_its_question(page, server):
    open_page(page, server, "scaled-dot-product?lesson=1&step=1")
    assert page.evaluate(STEP_JS) == "1"
    # a clicker's keys: PageDown / PageUp, and the arrow keys some send instead
    press(page, "PageDown", 2)
    press(page, "ArrowRight", 3)
    press(page, "PageUp", 2)
    press(page, "ArrowLeft", 1)
    for step in (2, 3, 4, 5):
        press(page, "PageDown", step)
    # step 5 asks before it shows the weights: no heatmap yet
    page.wait_for_selector(QUESTION)
    assert page.locator(sel.chart("sdp_weights")).count() == 0
    # Tab to the first answer (bounded: the sidebar's links come first), Enter picks it
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS_IN_QUESTION_JS):
            break
    else:
        pytest.fail("Tab never reached the question's answers")
    chosen = page.evaluate("() => document.activeElement.innerText.trim()")
    assert chosen == t("sdp.question.row_zero_itself", "en")
    with rerun(page):
        page.keyboard.press("Enter")
    verdict = t("lesson.right", "en", answer=chosen)
    page.get_by_text(verdict).wait_for(timeout=30_000)
    page.wait_for_selector(sel.chart("sdp_weights"), timeout=60_000)  # revealed
    assert page.locator(sel.EXCEPTION).count() == 0
    screenshot(page, "lesson_keyboard_en")


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)])
def test_projector_mode_folds_the_sidebar_and_the_notes_open_in_a_drawer(browser, server, size):
    """?present=1: the sidebar folded, the figure as wide as the main column, larger type; the teacher's notes
    (with the computed answer) open on the right only when asked for."""
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = ctx.new_page()
    try:
        open_page(page, server, "why-scaling?lesson=1&step=3&present=1", lang="zh")
        page.wait_for_selector(sel.CHART, timeout=60_000)
        main = page.locator(sel.MAIN).bounding_box()
        assert main["width"] >= size[0] - 20  # no sidebar beside it
        text_px = page.evaluate(f"() => parseFloat(getComputedStyle(document.querySelector('{sel.MAIN} p')).fontSize)")
        assert text_px >= 19  # 1.2 rem, up from 16 px
        assert page.locator(sel.DIALOG).count() == 0  # notes stay off the projected view
        page.locator(".st-key-lesson_notes button").click()
        page.wait_for_selector(sel.DIALOG, timeout=30_000)
        dialog = page.locator(sel.DIALOG)
        assert t("lesson.notes_title", "zh") in dialog.inner_text()
        box = dialog.bounding_box()
        assert box["x"] + box["width"] >= size[0] - 2 and box["x"] >= size[0] / 4  # a drawer on the right
        screenshot(page, f"lesson_projector_notes_zh_{size[0]}")
    finally:
        ctx.close()
