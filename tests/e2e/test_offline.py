"""Nothing is fetched from outside at run time: every request a page makes goes to the app's own server.

A page that asked a font host or a CDN for anything (a favicon, a font, a script) would break in a
classroom without internet, and leak who is using the lab to that host.
"""

from urllib.parse import urlsplit

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page
from ui.registry import PAGES

pytestmark = pytest.mark.e2e

LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension"}


def foreign_requests(page, server: str, path: str, lang: str) -> list[str]:
    """Every URL the browser asked for while opening /path that is not on the app's own host."""
    own = urlsplit(server).netloc
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    open_page(page, server, path, lang)
    page.wait_for_load_state("networkidle")
    assert page.locator(sel.EXCEPTION).count() == 0
    return [url for url in seen if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != own]


@pytest.mark.parametrize("path", ["home", *(spec.url_path for spec in PAGES)])
def test_every_request_goes_to_the_app(page, server, path):
    assert foreign_requests(page, server, path, "en") == []


def test_chinese_pages_fetch_nothing_outside_either(page, server):
    assert foreign_requests(page, server, "home", "zh") == []


def test_the_favicon_is_served_by_the_app(page, server):
    open_page(page, server, "home")
    href = page.evaluate("() => document.querySelector('link[rel~=icon]')?.href")
    assert href and urlsplit(href).netloc == urlsplit(server).netloc, href
