"""Streamlit glue shared by the pages: words, sidebar state, cached compute, small widgets."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def leave_legacy_pages_mode(rerun: bool = True) -> None:
    """Make sure app.py's st.navigation router runs, even on a fresh server's first script run.

    Streamlit 1.67 sees the pages/ folder and runs a server's first script run in its legacy
    multipage mode: a deep link such as /why-scaling then runs pages/why-scaling.py without app.py
    (no sidebar, no language). That mode finds a page only by its file name, so every page file is
    named exactly like its URL (ui.registry.PageSpec.path); otherwise the link would end on Streamlit's
    "Page not found" dialog. app.py calls this with rerun=False: its own st.navigation then resolves
    the requested page. A page calls it with rerun=True: if the mode is still on, app.py did not run,
    so rerun, and the next run goes through app.py with the same URL.
    """
    if PagesManager.uses_pages_directory and st.runtime.exists():
        PagesManager.uses_pages_directory = False
        if rerun:
            st.rerun()


# a page run directly by the legacy mode imports this package first: leave the mode right here
leave_legacy_pages_mode()
