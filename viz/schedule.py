"""Sequential vs parallel processing: one row of token cells per layer type, coloured by state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.base import figure

if TYPE_CHECKING:
    from core.complexity import Schedule

PENDING, DONE, REACHED = 0, 1, 2
STATE_COLORS = (palette.BOX_GREY, "#9ecae1", palette.Q_COLOR)  # waiting, computed, connected to the last token


def schedule_grid(
    states: np.ndarray, row_names: Sequence[str], state_names: tuple[str, str, str], title: str
) -> go.Figure:
    """states (rows, n) in {PENDING, DONE, REACHED}; one row per layer type, one column per token."""
    S = np.asarray(states, dtype=np.int64)
    rows, n = S.shape
    scale = []
    for v, color in enumerate(STATE_COLORS):  # a stepped colour scale: one flat band per state
        scale += [[v / 3, color], [(v + 1) / 3, color]]
    names = np.array(state_names, dtype=object)[S]
    grid = {
        "type": "heatmap", "z": S.astype(np.float32), "zmin": -0.5, "zmax": 2.5, "colorscale": scale,
        "showscale": False, "customdata": names, "xgap": 2, "ygap": 6,
        "hovertemplate": "%{y} · %{x}: %{customdata}<extra></extra>", "x": np.arange(1, n + 1), "y": list(row_names),
    }  # fmt: skip
    # legend entries for the three states (the heatmap itself has none)
    legend = [
        {"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name,
         "marker": {"size": 12, "symbol": "square", "color": color}}
        for name, color in zip(state_names, STATE_COLORS)
    ]  # fmt: skip
    layout = {
        "xaxis": {"title": {"text": ""}, "dtick": 1 if n <= 32 else None, "showgrid": False},
        "yaxis": {"autorange": "reversed", "showgrid": False},
        "legend": {"orientation": "h", "y": -0.2},
    }  # fmt: skip
    return figure([grid, *legend], layout, title, 150 + 45 * rows)


def schedule_states(schedule: Schedule) -> np.ndarray:
    """(3, n) states for rows (attention, rnn, cnn) from a core.complexity.Schedule."""
    att = np.where(schedule.attention_done, REACHED, PENDING)  # each output sees every token at once
    rnn = np.where(schedule.rnn_done, DONE, PENDING)
    if schedule.rnn_done.all():
        rnn[:] = REACHED  # h_n exists: token 1's signal has (faintly) reached the end
    cnn = np.where(schedule.cnn_done, np.where(schedule.cnn_reach, REACHED, DONE), PENDING)
    return np.stack([att, rnn, cnn])
