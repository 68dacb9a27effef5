"""Hostile sentences in a real Chromium: nothing injected, no dialog, no stalled session, /home answers."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import E2E, open_page, type_sentence
from tests.hostile import BY_NAME
from ui.i18n import t

pytestmark = pytest.mark.e2e

CASES = ["script_tag", "img_onerror", "svg_onload", "iframe", "markdown_link", "latex_href", "mixed"]
# what would be in the DOM if user text were read as HTML or markdown
INJECTED = "img[src=x], img[onerror], svg[onload], iframe, a[href^='javascript'], [onerror], [onload]"
SCRIPT_JS = "() => [...document.scripts].some(s => s.textContent.includes('alert(1)'))"
# the plot area of the first heatmap: its width and height in pixels
PLOT_SIZE_JS = f"""() => {{ const r = document.querySelector('{sel.PLOT_AREA}').getBoundingClientRect();
  return [r.width, r.height]; }}"""


def dialogs(page) -> list[str]:
    seen: list[str] = []
    page.on("dialog", lambda d: (seen.append(d.message), d.dismiss()))
    return seen


def assert_clean(page, seen: list[str]) -> None:
    assert seen == []
    assert page.locator(INJECTED).count() == 0
    assert not page.evaluate(SCRIPT_JS)
    assert page.locator(sel.EXCEPTION).count() == 0 and page.locator(sel.DIALOG).count() == 0


def assert_still_reacts(page) -> None:
    type_sentence(page, "the cat sat on the mat")
    page.wait_for_selector(sel.CHART, timeout=60_000)
    assert page.locator(sel.SENTENCE_BOX).input_value() == "the cat sat on the mat"


@pytest.mark.parametrize("name", CASES)
def test_hostile_link_is_shown_as_text(page, server, name):
    seen = dialogs(page)
    open_page(page, server, f"scaled-dot-product?text={quote(BY_NAME[name].text)}")
    page.wait_for_selector(sel.CHART, timeout=60_000)
    assert page.locator(sel.SENTENCE_BOX).input_value() == BY_NAME[name].text
    assert_clean(page, seen)
    assert_still_reacts(page)
    assert_clean(page, seen)


def test_hostile_typing_on_the_block_page(page, server):
    seen = dialogs(page)
    open_page(page, server, "transformer-block")
    for name in ("svg_onload", "markdown_image", "dollars"):
        type_sentence(page, BY_NAME[name].text)
        page.wait_for_selector(sel.CHART, timeout=60_000)
        assert_clean(page, seen)
    assert_still_reacts(page)


def test_invalid_utf8_in_the_link_opens_the_page(page, server):
    seen = dialogs(page)
    open_page(page, server, "scaled-dot-product?text=%ED%A0%80abc%FF%zz")
    page.wait_for_selector(sel.CHART, timeout=60_000)
    assert "abc" in page.locator(sel.SENTENCE_BOX).input_value()
    assert_clean(page, seen)
    assert_still_reacts(page)


def test_a_lone_surrogate_is_refused_in_the_browser_and_the_session_keeps_working(page, server):
    """Typed into the box, U+D800 would make every later message of the tab undecodable (bad UTF-8): the
    box's pattern refuses it with a message, so it never leaves the browser."""
    open_page(page, server, "scaled-dot-product")
    box = page.locator(sel.SENTENCE_BOX)
    box.fill("broken ")
    box.press_sequentially("x")
    # a lone surrogate cannot be typed by a keyboard: put it in through the input's own value setter
    box.evaluate(
        """el => { const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
                   set.call(el, 'broken \\uD800'); el.dispatchEvent(new Event('input', {bubbles: true})); }"""
    )
    page.get_by_text(t("input.surrogate", lang="en")).wait_for(timeout=20_000)
    assert_still_reacts(page)
    log = (E2E / "server.log").read_text(errors="replace")
    assert "DecodeError" not in log and "bad UTF-8" not in log


def test_one_long_word_does_not_squeeze_the_heatmap(page, server):
    open_page(page, server, f"scaled-dot-product?text={quote(BY_NAME['word_250'].text)}")
    page.wait_for_selector(sel.CHART, timeout=60_000)
    width, height = page.evaluate(PLOT_SIZE_JS)
    assert width > 400 and height > 60, (width, height)


def test_home_path_opens_the_home_page(page, server):
    open_page(page, server, "home", "zh")
    assert page.locator(sel.TITLE).first.text_content() == t("home.title", lang="zh")
    assert page.locator(sel.DIALOG).count() == 0 and page.get_by_text("Page not found").count() == 0
