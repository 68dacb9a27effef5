"""A lesson driven by the keyboard alone in a real Chromium: the keys a presentation clicker sends step
through it (the address follows), and a predict-then-reveal question is answered with Tab and Enter."""

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import browser_page, open_page, rerun, screenshot
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


# the boxes of the header, the title, the leave button and the first chart, and what is drawn at the button's centre
BOXES_JS = f"""() => {{
  const box = s => {{ const e = document.querySelector(s); if (!e) return null;
    const r = e.getBoundingClientRect(); return {{x: r.x, y: r.y, width: r.width, height: r.height}}; }};
  const exit = box('{sel.PROJECTOR_EXIT}');
  const hit = exit && document.elementFromPoint(exit.x + exit.width / 2, exit.y + exit.height / 2);
  return {{header: box('{sel.HEADER}'), title: box('{sel.TITLE}'), exit: exit, chart: box('{sel.CHART}'),
          exitOnTop: !!hit?.closest('{sel.PROJECTOR_EXIT}'),
          exitInMain: !!document.querySelector('{sel.MAIN} {sel.PROJECTOR_EXIT}')}};
}}"""
# the size of the main column's first paragraph of text (not a button's label)
TEXT_PX_JS = f"""() => parseFloat(getComputedStyle(
  [...document.querySelectorAll('{sel.MAIN} p')].find(p => !p.closest('button'))).fontSize)"""
FOCUS_ON_EXIT_JS = f"() => !!document.activeElement?.closest('{sel.PROJECTOR_EXIT}')"


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and (b["y"] < a["y"] + a["height"])
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)])
def test_projector_mode_folds_the_sidebar_and_the_notes_open_in_a_drawer(browser, server, size, lang):
    """?present=1: the sidebar folded, the figure as wide as the main column, larger type, the title below
    Streamlit's header, a visible way out of the mode in the main column (Tab and Enter take it); the
    teacher's notes (with the computed answer) open on the right only when asked for, in a drawer that
    leaves most of the screen to the figure."""
    with browser_page(browser, *size) as page:
        open_page(page, server, "why-scaling?lesson=1&step=3&present=1", lang=lang)
        page.wait_for_selector(sel.CHART, timeout=60_000)
        main = page.locator(sel.MAIN).bounding_box()
        assert main["width"] >= size[0] - 20  # no sidebar beside it
        text_px = page.evaluate(TEXT_PX_JS)
        assert text_px >= 19  # 1.2 rem, up from 16 px
        boxes = page.evaluate(BOXES_JS)
        header, title, exit_box = boxes["header"], boxes["title"], boxes["exit"]
        assert header["height"] > 0 and title["y"] >= header["y"] + header["height"], boxes  # not under the header
        assert boxes["exitInMain"] and boxes["exitOnTop"], boxes  # drawn in the main column, nothing over it
        assert exit_box["y"] >= 0 and exit_box["x"] + exit_box["width"] <= size[0], boxes  # on screen
        assert exit_box["width"] <= 320 and exit_box["height"] <= 48, boxes  # small
        assert not overlaps(exit_box, title) and not overlaps(exit_box, boxes["chart"]), boxes  # out of the way
        assert page.locator(sel.PROJECTOR_EXIT).first.inner_text().strip().endswith(t("projector.exit", lang))
        assert page.locator(sel.DIALOG).count() == 0  # notes stay off the projected view
        page.locator(".st-key-lesson_notes button").click()
        page.wait_for_selector(sel.DIALOG, timeout=30_000)
        dialog = page.locator(sel.DIALOG)
        assert t("lesson.notes_title", lang) in dialog.inner_text()
        page.wait_for_function(  # the drawer has slid in
            f"() => Math.abs(document.querySelector('{sel.DIALOG}').getBoundingClientRect().right - {size[0]}) <= 2"
        )
        box = dialog.bounding_box()
        assert box["x"] + box["width"] >= size[0] - 2  # a drawer on the right
        assert min(360, size[0]) - 1 <= box["width"] <= 0.45 * size[0] + 1, box  # it leaves the figure in view
        screenshot(page, f"lesson_projector_notes_{lang}_{size[0]}")
        # leave projector mode by keyboard alone: close the drawer, Tab to the button, Enter
        page.keyboard.press("Escape")
        page.wait_for_selector(sel.DIALOG, state="detached", timeout=30_000)
        for _ in range(120):
            page.keyboard.press("Tab")
            if page.evaluate(FOCUS_ON_EXIT_JS):
                break
        else:
            pytest.fail("Tab never reached the button that leaves projector mode")
        with rerun(page):
            page.keyboard.press("Enter")
        page.wait_for_function("() => !new URLSearchParams(location.search).has('present')", timeout=30_000)
        assert page.locator(sel.PROJECTOR_EXIT).count() == 0
        assert page.evaluate(TEXT_PX_JS) < 19  # the normal type again


ALERT_COLOUR_JS = """() => getComputedStyle(document.querySelector('[data-testid^="stAlertContent"] p')).color"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_projector_mode_keeps_an_alerts_own_text_colour(browser, server, scheme):
    """High contrast pushes the theme's text colour to black or white, not a warning's brown to red."""
    ctx = browser.new_context(viewport={"width": 1024, "height": 768}, color_scheme=scheme)
    page = ctx.new_page()
    try:
        colours = []
        for present in ("0", "1"):  # Chinese on the English-vocabulary model: a warning about [UNK] words
            open_page(page, server, f"real-model?present={present}", lang="zh", timeout=180_000)
            page.wait_for_selector('[data-testid^="stAlertContent"] p', timeout=120_000)
            colours.append(page.evaluate(ALERT_COLOUR_JS))
        assert colours[0] == colours[1], colours
    finally:
        ctx.close()
