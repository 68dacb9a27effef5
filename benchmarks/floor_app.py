"""The floor: the smallest Streamlit page that does what an attention page does.

One slider, one Plotly heatmap that changes with it. `latency_probe.py --baseline`
times this page and the page under test in the same run, so the figure it reports
is a ratio that holds on a noisy machine.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

n = st.slider("tokens", 4, 64, 16)
rng = np.random.default_rng(n)
z = rng.random((n, n)).astype(np.float32)
fig = go.Figure(go.Heatmap(z=z, colorscale="Viridis"))
fig.update_layout(title=f"n = {n}", height=480)
st.plotly_chart(fig, width="stretch")
