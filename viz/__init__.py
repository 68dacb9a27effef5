"""Figures: pure functions from arrays (and already-translated labels) to Plotly figures."""
