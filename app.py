"""Attention Lab: the router. Page list, shared sidebar, run the chosen page."""

from pathlib import Path

import streamlit as st

from ui import links, projector, sidebar, widget_guard
from ui.gc_tuning import freeze_imported_objects
from ui.i18n import t
from ui.legacy_pages import ensure_router
from ui.registry import PAGES, SECTIONS

ASSETS = Path(__file__).parent / "assets"
widget_guard.install()  # a crafted widget value is reset to the default instead of failing every run
projector.init()  # ?present=1 folds the sidebar away from the first run
# A local favicon: a material-icon or emoji page_icon makes the browser fetch it from an external host.
st.set_page_config(page_title="Attention Lab · 注意力实验室", page_icon=str(ASSETS / "favicon.png"), layout="wide",
                   initial_sidebar_state=projector.sidebar_state())  # fmt: skip
st.html(ASSETS / "style.css")  # a <style> only: takes no space on the page
ensure_router()  # a fresh server's first run may be in Streamlit's legacy pages/ mode
sidebar.init_state()

home = st.Page("pages/home.py", title=t("nav.home"), icon=":material/home:", url_path="", default=True)
# the default page is served at "/" only (Streamlit reserves its url_path but never serves it): "/home",
# typed or from an old link, is a hidden page that shows the same home page
home_alias = st.Page("pages/home.py", title=t("nav.home"), url_path="home", visibility="hidden")
sections = {t(f"nav.{s}"): [home, home_alias] if s == "start" else [] for s in SECTIONS}
for spec in PAGES:
    page = st.Page(spec.path, title=t(f"{spec.key}.nav"), icon=spec.icon, url_path=spec.url_path)
    sections[t(f"nav.{spec.section}")].append(page)

# expanded: every page listed, no "View 3 more" (a Streamlit string that stays English on a Chinese page)
current = st.navigation({name: pages for name, pages in sections.items() if pages}, expanded=True)
link_notice = sidebar.render()
projector.render()
widget_guard.notice()
current.run()
links.check(link_notice)
freeze_imported_objects()  # after a page's first imports: keeps the after-run GC short
