"""Every control of a page reachable and operable from the keyboard, in a real Chromium.

The page is opened by its address; from then on only keys are pressed. Tab goes once around the page
from the top: every control of the main column (each element that holds something focusable: slider,
toggle, radio, number box, select box, tab bar, button, menu, expander, link, chart) must take the focus
at least once. Then a slider (→), a toggle (Space), a number box (digits, Enter), a select box (typing,
Enter), a tab bar (→), a radio (→), a menu (Enter, Escape), the sentence box (typing, Enter), the
language switch (→, Enter) and a button (Enter) are worked by keys alone, and the address or the figure
changes as it should.
"""

from __future__ import annotations

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page, rerun, screenshot
from tests.e2e.test_scaled_dot_product import WIDTH_JS
from ui.i18n import t

pytestmark = pytest.mark.e2e

# Mark each element of the main column that holds something one can focus (its own, not a nested element's)
# with data-kb="<i>"; return their descriptions: the st-key-* of the element (or the nearest keyed one),
# its kind and its text.
MARK_JS = f"""() => {{
  const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex], [role="slider"], [role="tab"]';
  const BOXES = ['stElementContainer', 'stExpander', 'stPopover', 'stTabs'].map(t => `[data-testid="${{t}}"]`).join();
  const main = document.querySelector('{sel.MAIN}');
  const found = new Map();
  for (const el of main.querySelectorAll(FOCUSABLE)) {{
    if (el.disabled || el.getAttribute('aria-disabled') === 'true' || el.tabIndex < 0) continue;
    if (!el.checkVisibility({{visibilityProperty: true}})) continue;
    const box = el.closest(BOXES) || el;
    if (!found.has(box)) found.set(box, el);
  }}
  const out = [];
  for (const [box, el] of found) {{
    box.setAttribute('data-kb', String(out.length));
    const keyed = box.closest('[class*="st-key-"]');
    const key = keyed ? [...keyed.classList].find(c => c.startsWith('st-key-')).slice(7) : '';
    const kind = el.closest('[data-testid]')?.getAttribute('data-testid');
    out.push(`${{key}} ${{kind}} ${{(el.getAttribute('aria-label') || el.innerText || '').trim().slice(0, 40)}}`);
  }}
  return out;
}}"""
# the focused element: its marked element's number (or -1), the st-key-* of its nearest keyed element,
# and whether it is in the main column
FOCUS_JS = f"""() => {{
  const el = document.activeElement;
  if (!el || el === document.body) return [-1, '', false];
  const marked = el.closest('[data-kb]');
  const keyed = el.closest('[class*="st-key-"]');
  const key = keyed ? [...keyed.classList].find(c => c.startsWith('st-key-')).slice(7) : '';
  return [marked ? Number(marked.getAttribute('data-kb')) : -1, key, !!el.closest('{sel.MAIN}')];
}}"""
PARAM_JS = "(name) => new URLSearchParams(location.search).get(name)"

# a page's controls that must be among those Tab reaches: the check above cannot pass by finding nothing
CONTROLS = {
    "scaled-dot-product": ("d_model", "d_k", "projection_en", "seed", "numbers", "pe", "scaling", "tau", "mask_en",
                           "tab_en", "qkv"),
    "multi-head": ("d_model", "h", "seed", "causal", "scaling", "tab_en", "grid"),
}  # fmt: skip
PAGE_KEYS = {"scaled-dot-product": "sdp", "multi-head": "multihead"}


def tab_around(page) -> list[tuple[int, str, bool]]:
    """Tab from the top of the page until the focus has left the main column for the sidebar again."""
    seen, was_in_main = [], False
    for _ in range(400):
        page.keyboard.press("Tab")
        mark, key, in_main = page.evaluate(FOCUS_JS)
        if was_in_main and not in_main:
            return seen
        seen.append((mark, key, in_main))
        was_in_main = was_in_main or in_main
    pytest.fail(f"Tab did not go round the page in 400 presses: {seen[-5:]}")


@pytest.mark.parametrize("path", list(CONTROLS))
def test_tab_reaches_every_control_of_the_main_column(page, server, path):
    open_page(page, server, path)
    page.wait_for_selector(sel.CHART, timeout=60_000)
    controls = page.evaluate(MARK_JS)
    seen = tab_around(page)
    reached = {mark for mark, _, _ in seen if mark >= 0}
    missing = [controls[i] for i in range(len(controls)) if i not in reached]
    assert not missing, f"Tab never reaches: {missing}"
    keys = {key for _, key, in_main in seen if in_main}
    page_key = PAGE_KEYS[path]
    assert {f"{page_key}_{name}" for name in CONTROLS[path]} <= keys, sorted(keys)
    assert {"lesson_start", f"_share_{page_key}"} <= keys


def focus(page, where: str) -> None:
    """Tab (on from wherever the focus is, round the page if need be) until an element matching ``where`` has it."""
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("(where) => !!document.activeElement?.matches(where)", where):
            return
    pytest.fail(f"Tab never reached {where}")


def keys(page, *presses: str) -> None:
    """Press keys, then wait for the run they cause."""
    with rerun(page):
        for key in presses:
            page.keyboard.press(key)


def param(page, name: str) -> str | None:
    return page.evaluate(PARAM_JS, name)


def test_the_keyboard_works_every_kind_of_control(page, server):
    """On the scaled dot-product page: slider, toggle, radio, number box, select box, tab bar, menu and
    button in the main column, and the language switch (a segmented control) and the sentence box in the
    sidebar, each worked by keys alone."""
    open_page(page, server, "scaled-dot-product")
    page.wait_for_selector(sel.CHART, timeout=60_000)
    shapes = page.get_by_text(t("sdp.shapes", "en", n=12, d_model=17, d_k=8))
    # slider: → adds one to d_model (one more column of X in the figure)
    width = page.evaluate(WIDTH_JS)
    focus(page, f".st-key-sdp_d_model {sel.SLIDER}")
    keys(page, "ArrowRight")
    assert param(page, "sdp_d_model") == "17"
    page.wait_for_function(f"() => ({WIDTH_JS})() == {width} + 1", timeout=30_000)
    shapes.wait_for(timeout=30_000)
    # toggle: Space writes the numbers into the cells
    focus(page, ".st-key-sdp_numbers input[role='switch']")
    keys(page, "Space")
    assert param(page, "sdp_numbers") == "1"
    page.wait_for_selector(f"{sel.chart('sdp_qkv')} {sel.HEATMAP_TEXT}", timeout=30_000)
    # number box: digits and Enter
    focus(page, ".st-key-sdp_seed input")
    keys(page, "Control+a", "3", "Enter")
    assert param(page, "sdp_seed") == "3"
    # select box: type the option's first letters, Enter
    focus(page, ".st-key-sdp_mask_en input[role='combobox']")
    keys(page, *t("sdp.mask_causal", "en")[:6], "Enter")
    assert param(page, "sdp_mask") == "causal"
    # tab bar: → opens the next tab (the selection follows the focus); its figure appears
    focus(page, f".st-key-sdp_tab_en {sel.TAB}[aria-selected='true']")
    keys(page, "ArrowRight")
    assert param(page, "sdp_tab") == "scores"
    page.wait_for_selector(sel.chart("sdp_scores"), timeout=60_000)
    # radio: → picks the identity projection, and d_k follows d_model
    focus(page, ".st-key-sdp_projection_en input[type='radio']")
    keys(page, "ArrowRight")
    assert param(page, "sdp_projection") == "identity"
    page.get_by_text(t("sdp.identity_note", "en", d_model=17)).wait_for(timeout=30_000)
    # a menu: Enter opens it (a run writes the link as it is now into it), Escape closes it
    focus(page, f".st-key-_share_sdp {sel.POPOVER_BUTTON}")
    keys(page, "Enter")
    link = page.locator(f"{sel.POPOVER_BODY} {sel.CODE}")
    link.wait_for(timeout=30_000)
    assert "sdp_mask=causal" in link.inner_text() and "sdp_projection=identity" in link.inner_text()
    page.keyboard.press("Escape")
    page.wait_for_selector(sel.POPOVER_BODY, state="detached", timeout=30_000)
    # the sidebar: the sentence box takes a new sentence, the language switch (→, Enter) switches
    focus(page, sel.SENTENCE_BOX)
    keys(page, "Control+a", *"cats chase mice", "Enter")
    assert param(page, "text") == "cats chase mice"
    focus(page, ".st-key-lang button[role='radio']")
    page.keyboard.press("ArrowRight")
    keys(page, "Enter")
    page.get_by_role("heading", name=t("sdp.title", "zh")).wait_for(timeout=30_000)
    assert param(page, "sdp_mask") == "causal" and param(page, "sdp_d_model") == "17"  # kept across languages
    # a button: Enter starts the lesson
    focus(page, ".st-key-lesson_start button")
    keys(page, "Enter")
    assert (param(page, "lesson"), param(page, "step")) == ("1", "1")
    page.get_by_text(t("lesson.progress", "zh", k=1, n=8)).wait_for(timeout=30_000)
    assert page.locator(sel.EXCEPTION).count() == 0
    screenshot(page, "keyboard_only_zh")


def test_a_lessons_locked_control_holds_against_the_keyboard(page, server):
    """Step 4 of the scaled dot-product lesson fixes d_k at 64: the folded controls open with Enter, Tab reaches
    the greyed-out slider (it only looks disabled), and ← is undone on the run it causes."""
    open_page(page, server, "scaled-dot-product?lesson=1&step=4")
    focus(page, f"{sel.MAIN} [data-testid='stExpander'] summary")
    assert t("lesson.controls_locked", "en") in page.evaluate("() => document.activeElement.innerText")
    page.keyboard.press("Enter")  # opens in the browser, no run
    focus(page, f".st-key-sdp_d_k {sel.SLIDER}")
    keys(page, "ArrowLeft")
    assert param(page, "sdp_d_k") == "64" and param(page, "step") == "4"
    assert page.locator(f".st-key-sdp_d_k {sel.SLIDER_VALUE}").inner_text() == "64"
    focus(page, f".st-key-sdp_tau {sel.SLIDER}")  # a control the step leaves free moves
    keys(page, "ArrowRight")
    assert param(page, "sdp_tau") == "1.1"
