"""Headless Chromium for the end-to-end tests and the benchmarks, and the "app is idle" check.

Playwright's own browser download does not work offline, so the browser is Debian's /usr/bin/chromium
(or $ATTENTION_LAB_CHROMIUM).
"""

from __future__ import annotations

import os
import shutil

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

# Streamlit's own running indicator: connected, no script (or fragment) running, something drawn in the
# main column, and no skeleton left from the first load.
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
      && app.getAttribute('data-test-script-state') === 'notRunning'
      && !!document.querySelector('[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] > *')
      && !document.querySelector('[data-testid="stSkeleton"]');
}"""


def launch(playwright):
    """Launch the headless Chromium above with ``playwright`` (a ``sync_playwright()`` instance)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
