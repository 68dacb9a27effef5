"""Streamlit glue shared by the pages: words, sidebar state, cached compute, small widgets."""
