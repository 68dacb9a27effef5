"""Figures of "watch attention learn": the training curve with the snapshot marked, head measures over
training, and the table of a prediction. Every head's attention uses ``viz.model_views.model_grid``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.base import LEGEND_BELOW, escape, figure
from viz.curves import Series, _guide_label, _vline, line_chart
from viz.multihead import head_color

if TYPE_CHECKING:
    import pandas as pd


EXTRA_STYLES = ((palette.K_COLOR, "dash"), (palette.OUTPUT_COLOR, "dot"))  # colour and dash of the extra losses


def training_curve(
    loss: Sequence[float],
    eval_steps: Sequence[int],
    accuracy: Sequence[float],
    title: str,
    *,
    names: tuple[str, str],
    axis_titles: tuple[str, str, str],
    extra: Sequence[tuple[str, Sequence[float]]] = (),
    marker: int | None = None,
    phase: tuple[int, str] | None = None,
    total_steps: int | None = None,
    height: int = 340,
) -> go.Figure:
    """The training loss at every step (left axis) and the held-out accuracy at each evaluation (right axis, 0 … 1).

    names: (loss, accuracy) legend entries; axis_titles: (step, loss, accuracy). extra: (name, values at the
    evaluations), a second loss on the left axis (induction: the loss where the next token is new).
    marker: the step of the snapshot the slider shows (a dotted line); phase: (step, label), a dashed line.
    total_steps: the x range runs to it while training is still under way.
    """
    steps = np.arange(1, len(loss) + 1, dtype=np.float32)
    data = [
        {"type": "scatter", "x": steps, "y": np.asarray(loss, dtype=np.float32), "mode": "lines", "name": escape(names[0]),
         "line": {"color": palette.Q_COLOR, "width": 1.5}, "hovertemplate": "%{x}: %{y:.3f}<extra></extra>"},
        {"type": "scatter", "x": np.asarray(eval_steps), "y": np.asarray(accuracy, dtype=np.float32), "mode": "lines+markers",
         "name": escape(names[1]), "yaxis": "y2", "line": {"color": palette.V_COLOR, "width": 2.5}, "marker": {"size": 5},
         "hovertemplate": "%{x}: %{y:.1%}<extra></extra>"},
    ]  # fmt: skip
    for (name, values), (color, dash) in zip(extra, EXTRA_STYLES):
        data.append(
            {"type": "scatter", "x": np.asarray(eval_steps), "y": np.asarray(values, dtype=np.float32), "mode": "lines",
             "name": escape(name), "line": {"color": color, "width": 2, "dash": dash},
             "hovertemplate": "%{x}: %{y:.3f}<extra></extra>"}
        )  # fmt: skip
    shapes, annotations = [], []
    if marker is not None:
        shapes.append(_vline(float(marker), {"color": palette.ACCENT, "width": 2, "dash": "dot"}))
    if phase is not None:
        shapes.append(_vline(float(phase[0]), {"color": "#777777", "width": 1.5, "dash": "dash"}))
        annotations.append(_guide_label(phase[0], phase[1], False))
    x_axis = {"title": {"text": escape(axis_titles[0])}, "gridcolor": "#eee"}
    if total_steps is not None:
        x_axis["range"] = [0, total_steps]
    layout = {
        "xaxis": x_axis,
        "yaxis": {"title": {"text": escape(axis_titles[1])}, "gridcolor": "#eee", "rangemode": "tozero"},
        "yaxis2": {"title": {"text": escape(axis_titles[2])}, "overlaying": "y", "side": "right", "range": [0, 1.02],
                   "tickformat": ".0%", "tickvals": [0, 0.25, 0.5, 0.75, 1], "showgrid": False},
        "shapes": shapes, "annotations": annotations, "legend": LEGEND_BELOW, "plot_bgcolor": "white",
        "margin": {"b": 60},
    }  # fmt: skip
    return figure(data, layout, title, height)


def measure_curves(
    eval_steps: Sequence[int],
    values: np.ndarray,
    head_names: Sequence[str],
    title: str,
    *,
    x_title: str,
    y_title: str,
    marker: int | None = None,
    phase: tuple[int, str] | None = None,
) -> go.Figure:
    """One line per head of a measure recorded at each evaluation: values (evaluations, L, h), heads in
    layer order (head_names: L·h names)."""
    v = np.asarray(values, dtype=np.float64).reshape(len(eval_steps), -1)
    series = [Series(escape(name), v[:, i], color=head_color(i), markers=False) for i, name in enumerate(head_names)]
    return line_chart(
        eval_steps, series, title, x_title=x_title, y_title=y_title, marker_x=marker, guide=phase, height=320
    )


def prediction_table(rows: dict[str, Sequence[str]], columns: Sequence[str]) -> pd.DataFrame:
    """Rows named by ``rows``' keys (input, prediction, answer), one column per position; st.table draws
    it as text, never as markup."""
    import pandas as pd

    return pd.DataFrame({name: list(values) for name, values in rows.items()}, index=list(columns)).T
