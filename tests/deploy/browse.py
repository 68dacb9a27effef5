"""Open pages of a running Attention Lab in Chromium as a visitor would: no exception, a chart where one is due.

Shared by the deployment tests (a fresh install, the container image), which run the app somewhere other
than the end-to-end tests' server.
"""

from __future__ import annotations

from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page
from ui.registry import PAGES

EVERY_PAGE = ("home", *(spec.url_path for spec in PAGES))


def check_pages(browser, base_url: str, paths=EVERY_PAGE, *, charts=("real-model",), timeout: int = 180_000) -> None:
    """Open each of ``paths`` in a new tab; assert its title is drawn, no exception, and a chart on ``charts``."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        for path in paths:
            page = context.new_page()
            open_page(page, base_url, path, timeout=timeout)
            if path in charts:
                page.wait_for_selector(sel.CHART, timeout=timeout)
            assert page.locator(sel.EXCEPTION).count() == 0, f"/{path} shows an exception"
            assert page.locator(sel.ERROR).count() == 0, (
                f"/{path} shows an error: {page.locator(sel.ERROR).first.inner_text()}"
            )
            page.close()
    finally:
        context.close()
