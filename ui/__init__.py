"""Streamlit glue shared by the pages: words (i18n), the sidebar, cached compute, widgets, the page skeleton.

Importing this package has no side effects; ``ui.legacy_pages`` holds the one Streamlit workaround.
"""
