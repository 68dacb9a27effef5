"""End-to-end fixtures: a real `streamlit run app.py` server and Debian's Chromium through Playwright.

Playwright's own browser download does not work offline, so the browser is /usr/bin/chromium (or
$ATTENTION_LAB_CHROMIUM). Without it these tests skip with a loud reason; `.ci/run` installs it.
The server and browser helpers live in benchmarks/ (shared with the benchmarks); the selectors in
tests/e2e/selectors.py.

No warm-up: the first request of the session's server is whichever deep link the first test opens,
as it is for a visitor following a shared link (test_deep_link_as_the_first_request_of_a_fresh_server
checks that case on its own server). No fixed sleeps either: after an action the tests wait for the
end of the run it causes (`rerun`), then for what they expect to see.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.browser import IDLE_JS
from benchmarks.server import APP, ROOT, streamlit_server
from tests.e2e import selectors as sel

E2E = ROOT / "tests" / "e2e"
SHOTS = E2E / "screenshots"
MAX_SHOT_HEIGHT = 12_000


@contextlib.contextmanager
def fresh_server(log_name: str = "server.log"):
    """Base URL of a new Attention Lab server (`streamlit run app.py`); its output in tests/e2e/<log_name>."""
    with streamlit_server(APP, log=E2E / log_name, cwd=ROOT) as server:
        yield server.url


@pytest.fixture(scope="session")
def server():
    """Base URL of the Attention Lab server shared by the end-to-end tests."""
    with fresh_server() as url:
        yield url


_SOCKETS: dict = {}  # page -> its latest Streamlit websocket


@contextlib.contextmanager
def browser_page(browser, width: int = 1400, height: int = 1000):
    """A page in a new browser context of ``width`` × ``height`` whose Streamlit websocket ``rerun`` can watch."""
    ctx = browser.new_context(viewport={"width": width, "height": height})
    p = ctx.new_page()
    p.on("websocket", lambda ws: _SOCKETS.__setitem__(p, ws) if ws.url.endswith("/_stcore/stream") else None)
    try:
        yield p
    finally:
        _SOCKETS.pop(p, None)
        ctx.close()


@pytest.fixture
def page(browser):
    with browser_page(browser) as p:
        yield p


def open_page(page, server: str, path: str, lang: str = "en", timeout: int = 120_000):
    """Go to /path?lang=…, wait until the page's title is drawn and the script has finished."""
    page.goto(f"{server}/{path}{'&' if '?' in path else '?'}lang={lang}")
    page.wait_for_selector(sel.TITLE, timeout=timeout)
    page.wait_for_function(IDLE_JS, timeout=timeout)
    return page


def wait_idle(page, timeout: int = 60_000) -> None:
    """Wait until Streamlit reports no script running (use `rerun` after an action: it waits for the run)."""
    page.wait_for_function(IDLE_JS, timeout=timeout)


def _is_script_finished(payload: str | bytes) -> bool:
    """Is this websocket frame the server's "script finished" message (of a whole run or of a fragment)?"""
    if not isinstance(payload, bytes):
        return False
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except DecodeError:
        return False
    return msg.WhichOneof("type") == "script_finished"


@contextlib.contextmanager
def rerun(page, timeout: int = 60_000):
    """Around an action that makes Streamlit rerun: on exit, wait until that run has finished and is drawn.

    The end of the run is read from the websocket (the server's "script finished" message), not from the
    page's running indicator alone: when the browser is slow, React can apply "running" and "not running"
    in one render, and the indicator never visibly changes. Then wait until the page reports idle and has
    painted twice, so the run's messages have been applied.
    """
    wait_idle(page, timeout)
    with _SOCKETS[page].expect_event("framereceived", predicate=_is_script_finished, timeout=timeout):
        yield
    wait_idle(page, timeout)
    page.evaluate(TWO_FRAMES_JS)


TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def press_on_first_slider(page, key: str = "ArrowRight", times: int = 1) -> None:
    """Focus the page's first slider, press ``key`` and wait for the rerun."""
    with rerun(page):
        page.locator(sel.SLIDER).first.focus()
        for _ in range(times):
            page.keyboard.press(key)


def type_sentence(page, text: str) -> None:
    """Type ``text`` into the sidebar's sentence box, commit it and wait for the rerun."""
    box = page.locator(sel.SENTENCE_BOX)
    with rerun(page):
        box.fill(text)
        box.press("Enter")


def screenshot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    # Streamlit scrolls inside its main section, not the document: grow the viewport to show it all,
    # then wait until the main section has taken the new height and two frames have been painted
    height = min(
        page.evaluate(f"() => document.querySelector('{sel.MAIN}')?.scrollHeight || 1000") + 40, MAX_SHOT_HEIGHT
    )
    page.set_viewport_size({"width": page.viewport_size["width"], "height": height})
    page.wait_for_function(
        f"""(h) => {{ const m = document.querySelector('{sel.MAIN}');
            return !m || m.clientHeight >= Math.min(m.scrollHeight, h - 40); }}""",
        arg=height,
    )
    page.evaluate(TWO_FRAMES_JS)
    wait_idle(page)
    page.screenshot(path=str(path), full_page=True)
    return path
