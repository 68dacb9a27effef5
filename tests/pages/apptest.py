"""Helpers for AppTest page tests: every test starts from app.py, as a user does."""

from __future__ import annotations

from dataclasses import dataclass

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.i18n import t
from ui.widgets import fresh_key

APP = str(ROOT / "app.py")

# AppTest resets Streamlit's "legacy pages/ folder" flag before every run, so each run would start the
# way a fresh server's first run does (see ui.leave_legacy_pages_mode). A live server leaves that mode
# for good after its first run; make AppTest runs look like those.
_init = PagesManager.__init__


def _init_without_legacy_mode(self, *args, **kwargs):
    PagesManager.uses_pages_directory = False
    _init(self, *args, **kwargs)


PagesManager.__init__ = _init_without_legacy_mode


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

    ``widget_key``: the prefix the page passes to ``fresh_key(prefix, lang)`` as the tabs' key;
    ``catalogue``: the table holding the labels ``tab_<name>``; ``charts``: for each tab, in page
    order, the keys of the charts it draws while open (the first tab is where a visitor lands).
    """

    widget_key: str
    catalogue: str
    charts: dict[str, list[str]]

    def open(self, at: AppTest, name: str, lang: str = "en") -> AppTest:
        at.session_state[fresh_key(self.widget_key, lang)] = t(f"{self.catalogue}.tab_{name}", lang=lang)
        return ok(at.run())

    def every_tab_draws(self, at: AppTest, lang: str = "en", **expected: list[str]) -> None:
        """Open each tab and check its charts (``expected`` overrides some tabs), then go back to the first."""
        for name, keys in self.charts.items():
            self.open(at, name, lang)
            assert [c.key for c in charts(at)] == expected.get(name, keys), name
        self.open(at, next(iter(self.charts)), lang)
