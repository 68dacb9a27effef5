"""Helpers for AppTest page tests: every test starts from app.py, as a user does."""

from __future__ import annotations

from dataclasses import dataclass

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.page import TAB_GROUP, PageContext

APP = str(ROOT / "app.py")


def open_page(page_file: str | None = None, *, lang: str = "en", text: str | None = None, timeout: int = 60) -> AppTest:
    """Run app.py (optionally with a language and sentence), switch to ``page_file`` and run it."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.session_state["lang"] = lang
    if text is not None:
        at.session_state["text"] = text
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page_file:
        at.switch_page(page_file)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list:
    return list(at.get("plotly_chart"))


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_spec(at: AppTest, key: str) -> str:
    """The Plotly JSON of the chart drawn with ``key``."""
    return next(c for c in charts(at) if c.key == key).proto.spec


@dataclass(frozen=True)
class LazyTabs:
    """A page's lazy ``st.tabs`` (only the open tab runs) as AppTest drives them.

    ``page``: the page's catalogue key (``ui.page.Page.key``), whose table holds the labels
    ``tab_<name>``; ``charts``: for each tab, in page order, the keys of the charts it draws while
    open (the first tab is where a visitor lands); ``group``: which of the page's tab bars.
    """

    page: str
    charts: dict[str, list[str]]
    group: str = TAB_GROUP

    def open(self, at: AppTest, name: str, lang: str = "en") -> AppTest:
        ctx = PageContext(self.page, lang)
        at.session_state[ctx.key(self.group, translated=True)] = ctx.t(f"tab_{name}")
        return ok(at.run())

    def every_tab_draws(self, at: AppTest, lang: str = "en", **expected: list[str]) -> None:
        """Open each tab and check its charts (``expected`` overrides some tabs), then go back to the first."""
        for name, keys in self.charts.items():
            self.open(at, name, lang)
            assert [c.key for c in charts(at)] == expected.get(name, keys), name
        self.open(at, next(iter(self.charts)), lang)
