"""Figures: pure functions from arrays (and already-translated labels) to Plotly figures."""

import plotly.io as pio

# one clean template for every figure (pages draw with theme=None, see ui.widgets.chart)
pio.templates.default = "plotly_white"
