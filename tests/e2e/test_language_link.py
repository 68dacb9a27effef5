"""The language in the address bar, in a real Chromium: a shared link's ?lang=zh stays there as the page
loads (so a link copied from it opens in Chinese again), the switch and a page change keep it right, and
without ?lang= the browser's language decides."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlparse

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import rerun, wait_idle
from ui.i18n import t

pytestmark = pytest.mark.e2e

SENTENCE = "小猫坐在垫子上"


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def load(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(sel.TITLE, timeout=120_000)
    wait_idle(page, 120_000)


def title(page) -> str:
    return page.locator(sel.TITLE).first.inner_text()


def test_a_shared_links_language_stays_in_the_address_bar(page, server):
    load(page, f"{server}/?lang=zh")
    assert title(page) == t("home.title", lang="zh")
    assert query(page).get("lang") == ["zh"], page.url

    load(page, f"{server}/scaled-dot-product?lang=zh&text={quote(SENTENCE)}")
    assert title(page) == t("sdp.title", lang="zh")
    assert query(page).get("lang") == ["zh"] and query(page).get("text") == [SENTENCE], page.url

    # the switch: English, the default, leaves the link; Chinese comes back into it
    switch = page.locator(sel.SIDEBAR)
    with rerun(page):
        switch.get_by_text("English", exact=True).click()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('lang')", timeout=30_000)
    assert title(page) == t("sdp.title", lang="en")
    with rerun(page):
        switch.get_by_text("中文", exact=True).click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'zh'", timeout=30_000)
    assert title(page) == t("sdp.title", lang="zh")

    # another page from the sidebar: the new address keeps the language
    with rerun(page):
        switch.get_by_role("link", name=t("multihead.nav", lang="zh")).click()
    page.wait_for_url("**/multi-head*", timeout=60_000)
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'zh'", timeout=30_000)
    assert title(page) == t("multihead.title", lang="zh")


@pytest.mark.parametrize("locale,lang", [("zh-CN", "zh"), ("en-US", "en")])
def test_without_lang_the_browsers_language_decides(browser, server, locale, lang):
    ctx = browser.new_context(locale=locale, viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    try:
        load(page, f"{server}/why-scaling")
        assert title(page) == t("why_scaling.title", lang=lang)
        # a link copied from this browser opens in the same language in any other
        assert query(page).get("lang") == (["zh"] if lang == "zh" else None), page.url
        load(page, f"{server}/why-scaling?lang={'en' if lang == 'zh' else 'zh'}")  # the link's language wins
        assert title(page) == t("why_scaling.title", lang="en" if lang == "zh" else "zh")
    finally:
        ctx.close()
