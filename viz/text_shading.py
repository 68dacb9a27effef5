"""A sentence drawn as a row of word boxes, each filled by how much one word attends to it.

Drawn with Plotly (text is data, not markup): the safest way to colour user text in the browser.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from core.tokens import display_width as text_units
from core.tokens import shorten
from viz import palette
from viz.base import figure, safe_labels

LINE_UNITS = 56  # width of one line, in character units (a CJK character counts 2)
ROW_HEIGHT = 46  # pixels per line of words
MAX_WORD_UNITS = 20  # a wider token is shown cut, with "…", so it still fits on one line (full on hover)


def layout_tokens(tokens: Sequence[str], line_units: int = LINE_UNITS) -> list[tuple[int, float, float]]:
    """(line, x0, x1) per token, words laid out left to right and wrapped at ``line_units``."""
    boxes, line, x = [], 0, 0.0
    for tok in tokens:
        width = max(text_units(tok), 1) + 1.2  # padding around the word
        if x > 0 and x + width > line_units:
            line, x = line + 1, 0.0
        boxes.append((line, x, x + width))
        x += width + 0.4
    return boxes


def shaded_sentence(
    tokens: Sequence[str],
    weights: Sequence[float] | np.ndarray,
    title: str,
    *,
    focus: int | None = None,
    weight_name: str = "w",
) -> go.Figure:
    """Each token in a box coloured by ``weights`` (0 → white … max → dark); ``focus`` gets a thick border.

    tokens: n words; weights: (n,), e.g. one row of attention weights.
    """
    w = np.asarray(weights, dtype=np.float32)
    top = float(w.max()) if w.size and w.max() > 0 else 1.0
    levels = np.clip(w / top, 0.0, 1.0)
    fills = sample_colorscale(palette.SHADE_SCALE, [float(v) for v in levels])
    shown = [shorten(tok, MAX_WORD_UNITS) for tok in tokens]
    boxes = layout_tokens(shown)
    shapes = [
        {
            "type": "rect", "x0": x0, "x1": x1, "y0": -line - 0.42, "y1": -line + 0.42, "fillcolor": fills[j],
            "line": {"color": palette.Q_COLOR, "width": 3} if j == focus else {"color": "#999", "width": 0.5},
            "layer": "below",
        }
        for j, (line, x0, x1) in enumerate(boxes)
    ]  # fmt: skip
    words = {
        "type": "scatter",
        "x": np.array([(x0 + x1) / 2 for _, x0, x1 in boxes], dtype=np.float32),
        "y": np.array([-line for line, _, _ in boxes], dtype=np.float32),
        "mode": "text",
        "text": safe_labels(shown),
        "textfont": {"size": 16, "color": ["white" if v > 0.6 else "black" for v in levels]},
        "customdata": w,
        "hovertext": safe_labels(tokens),  # the whole token
        "hovertemplate": f"%{{hovertext}}: {weight_name} = %{{customdata:.4f}}<extra></extra>",
        "showlegend": False,
    }
    n_lines = (boxes[-1][0] + 1) if boxes else 1
    layout = {
        "shapes": shapes,
        "xaxis": {"visible": False, "range": [-0.5, LINE_UNITS + 0.5], "fixedrange": True},
        "yaxis": {"visible": False, "range": [-n_lines + 0.4, 0.6], "fixedrange": True},
    }
    return figure([words], layout, title, 70 + ROW_HEIGHT * n_lines)
