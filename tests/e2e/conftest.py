"""End-to-end fixtures: a real `streamlit run app.py` server and Debian's Chromium through Playwright.

Playwright's own browser download does not work offline, so the browser is /usr/bin/chromium (or
$ATTENTION_LAB_CHROMIUM). Without it these tests skip with a loud reason; `.ci/run` installs it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "e2e" / "screenshots"
CHROMIUM = os.environ.get("ATTENTION_LAB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
      && app.getAttribute('data-test-script-state') === 'notRunning'
      && !document.querySelector('[data-testid="stSkeleton"]');
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(log_name: str = "server.log"):
    """Base URL of a fresh Attention Lab server (`streamlit run app.py`) on a free local port."""
    port = _free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless=true",
        f"--server.port={port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]  # fmt: skip
    with open(ROOT / "tests" / "e2e" / log_name, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.time() + 90
            while time.time() < deadline:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.3)
            else:
                pytest.fail(f"streamlit server did not become healthy in 90 s (see tests/e2e/{log_name})")
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(scope="session")
def server():
    """Base URL of the Attention Lab server shared by the end-to-end tests."""
    with running_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"END-TO-END TESTS SKIPPED: no Chromium at {CHROMIUM}. Install it with "
            "`apt-get update && apt-get install -y chromium` (the README's test command does this as root)."
        )
    playwright = pytest.importorskip("playwright.sync_api", reason="END-TO-END TESTS SKIPPED: playwright missing")
    with playwright.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def warm_server(browser, server):
    """Open "/" once, so every test starts from a server that has run app.py's navigation before."""
    ctx = browser.new_context()
    p = ctx.new_page()
    p.goto(server)
    p.wait_for_selector('[data-testid="stMain"] h1', timeout=120_000)
    ctx.close()
    return server


@pytest.fixture
def page(browser, warm_server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = ctx.new_page()
    yield p
    ctx.close()


def open_page(page, server: str, path: str, lang: str = "en", timeout: int = 90_000):
    """Go to /path?lang=…, wait until the script has finished and a chart (if any) is drawn."""
    page.goto(f"{server}/{path}{'&' if '?' in path else '?'}lang={lang}")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)  # every page has a title
    page.wait_for_function(IDLE_JS, timeout=timeout)
    return page


SENTENCE_BOX = '[data-testid="stSidebar"] input[type="text"]'


def type_sentence(page, text: str) -> None:
    """Type ``text`` into the sidebar's sentence box, commit it and wait for the rerun."""
    box = page.locator(SENTENCE_BOX)
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def wait_idle(page, timeout: int = 60_000) -> None:
    page.wait_for_timeout(150)
    page.wait_for_function(IDLE_JS, timeout=timeout)


def screenshot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    # Streamlit scrolls inside its main section, not the document: grow the viewport to show it all
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 1000")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(int(height) + 40, 12000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    return path
