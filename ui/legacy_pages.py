"""Streamlit's legacy ``pages/`` mode, and the one call that leaves it: ``ensure_router()``.

Why this exists. The app routes with ``st.navigation`` in app.py, but its page scripts live in a
top-level folder named ``pages/`` (part of the product's fixed layout). Streamlit 1.67 sees that
folder and sets the private class flag ``PagesManager.uses_pages_directory`` when a server starts
(``streamlit/runtime/pages_manager.py``). While the flag is set, a script run goes through Streamlit's
old multipage mode (``_mpa_v1`` in ``streamlit/runtime/scriptrunner/script_runner.py``), which runs
the requested page file directly, without app.py: no sidebar, no language. ``st.navigation`` clears
the flag for good, so only a fresh server's very first request meets it: a deep link such as
``/why-scaling`` shared by a teacher and opened after the app slept.

What we do about it, in this module only:

- ``ensure_router()`` clears the flag and reruns, so the next run goes through app.py with the same
  URL. app.py calls it before ``st.navigation``; the page skeleton (``ui.page.Page.run``) calls it
  first thing, for the case where Streamlit ran a page without app.py. AppTest resets the flag before
  every ``run()``, so the page tests go through this same path on every run.
- The old mode finds a page only by its file name, so every page file is named exactly like its URL
  (``page_file``): otherwise the first request would end on a "Page not found" dialog.

``tests/ui/test_legacy_pages.py`` fails loudly if a Streamlit upgrade renames or drops the flag.
"""

from __future__ import annotations

PAGES_DIR = "pages"


def page_file(url_path: str) -> str:
    """The script of the page served at ``/<url_path>``, relative to app.py: named like its URL."""
    return f"{PAGES_DIR}/{url_path}.py"


def ensure_router() -> None:
    """Leave the legacy mode if this run is in it, and rerun through app.py's router.

    Does nothing outside a running app (imports, unit tests) and on every run after a server's first.
    Streamlit is imported here, not at the top: ``page_file`` serves pure modules (``ui.registry``).
    """
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and st.runtime.exists():
        PagesManager.uses_pages_directory = False
        st.rerun()
