"""Figures of the encoder-block page: the data-flow diagram and the token norms along the block."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.base import LEGEND_BELOW, SMALL_SIZE, color_range, escape_lines, figure, safe_labels, split_domain, tick_labels

BOX_COLOURS = {  # one colour per kind of stage, from the app palette
    "input": palette.BOX_GREY,
    "attention": palette.Q_COLOR,
    "norm": palette.V_COLOR,
    "ffn": palette.K_COLOR,
}


def _residual_arc(xa: float, xb: float, residual_on: bool) -> dict:
    """A skip connection from x = xa to xb, as an arc over the boxes (dotted and grey when switched off)."""
    line = {
        "color": palette.ACCENT if residual_on else "#bbbbbb",
        "width": 2.5 if residual_on else 1.5,
        "dash": "solid" if residual_on else "dot",
    }
    return {
        "type": "scatter", "x": [xa, xa, xb, xb], "y": [0.35, 0.85, 0.85, 0.35], "mode": "lines", "line": line,
        "hoverinfo": "skip", "showlegend": False,
    }  # fmt: skip


def _box(x: float, kind: str) -> dict:
    """The coloured rectangle of one stage at x."""
    colour = BOX_COLOURS[kind]
    return {
        "type": "rect", "x0": x - 0.42, "x1": x + 0.42, "y0": -0.3, "y1": 0.3, "fillcolor": colour,
        "opacity": 0.3 if kind != "input" else 1.0, "line": {"color": colour, "width": 2}, "layer": "below",
    }  # fmt: skip


def _arrow(x0: float, x1: float) -> dict:
    """An arrow from the box at x0 to the box at x1."""
    return {
        "x": x1 - 0.43, "y": 0, "ax": x0 + 0.43, "ay": 0, "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
        "showarrow": True, "arrowhead": 2, "arrowsize": 1.2, "arrowwidth": 1.5, "text": "",
    }  # fmt: skip


def _words(x: np.ndarray, y: float, text: list[str], size: int, colour: str) -> dict:
    """A row of words as one text trace: one SVG pass, where ~30 annotations are laid out one by one."""
    return {
        "type": "scatter", "x": x, "y": np.full(len(text), y), "mode": "text", "text": text,
        "textfont": {"size": size, "color": colour}, "hoverinfo": "skip", "showlegend": False,
    }  # fmt: skip


def flow_diagram(
    boxes: list[tuple[str, str, str]],
    arrows: list[str],
    residuals: list[tuple[int, int]],
    title: str,
    *,
    residual_label: str,
    residual_on: bool,
    height: int = 300,
) -> go.Figure:
    """Boxes left to right joined by arrows labelled with the tensor shape that flows along them.

    boxes: (name, kind, caption) per stage, kind ∈ BOX_COLOURS; arrows: len(boxes) − 1 shape labels;
    residuals: (from_box, to_box) skip connections, drawn as arcs over the boxes (dashed and grey
    when ``residual_on`` is False). Every word is escaped for Plotly; "<br>" stays a line break.
    """
    n = len(boxes)
    xs = np.arange(n, dtype=np.float32)
    data, notes = [], []
    label = escape_lines(residual_label)
    for a, b in residuals:
        xa, xb = float(xs[a]) + 0.15, float(xs[b]) - 0.15
        data.append(_residual_arc(xa, xb, residual_on))
        notes.append(
            {"x": (xa + xb) / 2, "y": 0.85, "text": label, "showarrow": False, "yshift": 10,
             "font": {"size": SMALL_SIZE, "color": palette.ACCENT if residual_on else "#999999"}}
        )  # fmt: skip
    notes += [_arrow(float(xs[i]), float(xs[i + 1])) for i in range(len(arrows))]
    data += [
        _words(xs, 0.08, [f"<b>{escape_lines(name)}</b>" for name, _, _ in boxes], 13, palette.INK),
        _words(xs, -0.16, [escape_lines(caption) for _, _, caption in boxes], SMALL_SIZE - 1, palette.INK),
        _words((xs[:-1] + xs[1:]) / 2, -0.5, [escape_lines(s) for s in arrows], SMALL_SIZE, palette.OUTPUT_COLOR),
    ]
    layout = {
        "annotations": notes,
        "shapes": [_box(float(x), kind) for x, (_, kind, _) in zip(xs, boxes)],
        "xaxis": {"visible": False, "range": [-0.55, n - 0.45]},
        "yaxis": {"visible": False, "range": [-0.7, 1.05]},
        "margin": {"l": 5, "r": 5, "t": 40, "b": 5},
    }
    return figure(data, layout, title, height)


def stage_norm_lines(
    norms: np.ndarray,
    token_labels: Sequence,
    stage_labels: Sequence[str],
    title: str,
    *,
    mean_name: str,
    y_title: str,
    height: int = 360,
) -> go.Figure:
    """One thin line per token (its vector's length after each stage) and a thick line for the mean.

    norms: (n_tokens, n_stages).
    """
    z = np.asarray(norms, dtype=np.float32)
    stages = safe_labels(stage_labels)
    colours = [c for c in palette.CATEGORICAL if c != "#000000"]  # black is the mean's
    # a token's line names itself on hover; a legend of every token squeezed the plot on narrow screens
    data = [
        {
            "type": "scatter", "x": stages, "y": z[i], "mode": "lines+markers", "name": label, "opacity": 0.55,
            "showlegend": False, "line": {"width": 1.2, "color": colours[i % len(colours)]}, "marker": {"size": 5},
            "hovertemplate": f"{label}<br>%{{x}}: %{{y:.4g}}<extra></extra>",
        }
        for i, label in enumerate(safe_labels(token_labels))
    ]  # fmt: skip
    data.append(
        {
            "type": "scatter", "x": stages, "y": z.mean(axis=0), "mode": "lines+markers", "name": mean_name,
            "line": {"width": 4, "color": palette.INK}, "marker": {"size": 8},
            "hovertemplate": f"{mean_name}<br>%{{x}}: %{{y:.4g}}<extra></extra>",
        }
    )  # fmt: skip
    layout = {
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero"},
        "legend": {**LEGEND_BELOW, "font": {"size": SMALL_SIZE}},
        "showlegend": True,
    }
    return figure(data, layout, title, height)


def norm_trajectories(
    curves: dict[str, np.ndarray],
    x_labels: Sequence[str],
    title: str,
    *,
    current: str,
    y_title: str,
    height: int = 380,
) -> go.Figure:
    """Mean token norm along a stack of blocks, one line per switch setting; ``current`` drawn thick. Log y.

    curves: {setting name: (n_points,) norms}; x_labels: n_points stage names.
    """
    x = list(range(len(x_labels)))
    data = []
    for k, (name, values) in enumerate(curves.items()):
        bold = name == current
        data.append(
            {
                "type": "scatter", "x": x, "y": np.asarray(values, dtype=np.float32), "mode": "lines+markers",
                "name": safe_labels([name])[0],
                "line": {"width": 4 if bold else 1.5, "color": palette.CATEGORICAL[k % len(palette.CATEGORICAL)],
                         "dash": "solid" if bold else "dash"},
                "marker": {"size": 6 if bold else 3}, "customdata": safe_labels(x_labels),
                "hovertemplate": "%{customdata}: %{y:.4g}<extra>" + safe_labels([name])[0] + "</extra>",
            }
        )  # fmt: skip
    step = max(1, len(x_labels) // 14)  # keep at most ~14 tick labels readable
    layout = {
        "xaxis": {
            "tickmode": "array",
            "tickvals": x[::step],
            "ticktext": safe_labels(x_labels)[::step],
            "tickangle": -40,
        },
        "yaxis": {"title": {"text": y_title}, "type": "log"},
        "legend": {**LEGEND_BELOW, "font": {"size": SMALL_SIZE}},
    }
    return figure(data, layout, title, height)


def stage_grid(
    panels: Sequence[tuple[np.ndarray, str, str, str]],
    row_labels: Sequence,
    title: str,
    *,
    row_title: str,
    cols: int = 2,
    panel_height: int = 300,
) -> go.Figure:
    """Every tensor of the block as one figure of heatmaps (one chart to draw instead of seven).

    panels: (matrix (n, m), subplot title, kind, column name) with kind "signed" (diverging, centred
    on 0, its own range) or "prob" (0…1). Values are on hover, not printed in the cells. Written as
    plain dicts, laid out like ``make_subplots`` would, at a fraction of its cost.
    """
    rows = -(-len(panels) // cols)
    x_domains = split_domain([1.0] * cols, 0.08)
    y_domains = split_domain([1.0] * rows, 0.12 / rows * 2)[::-1]  # row 1 on top
    labels = safe_labels(row_labels)
    ticks = {"tickvals": list(range(len(labels))), "ticktext": tick_labels(row_labels)} if len(labels) <= 24 else {}
    data, layout, annotations = [], {}, []
    for k, (M, panel_title, kind, col_title) in enumerate(panels):
        z = np.asarray(M, dtype=np.float32)
        r, c = divmod(k, cols)
        suffix = "" if k == 0 else str(k + 1)
        scale = color_range(kind, z)  # a signed panel gets its own range
        data.append(
            {
                "type": "heatmap", "z": z, "y": list(range(len(labels))), "showscale": False, **scale,
                "customdata": np.broadcast_to(np.array(labels, dtype=object)[:, None], z.shape),
                "hovertemplate": f"%{{customdata}}<br>{safe_labels([col_title])[0]} %{{x}}: %{{z:.4g}}<extra></extra>",
                "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
            }
        )  # fmt: skip
        layout[f"xaxis{suffix}"] = {"domain": list(x_domains[c]), "anchor": f"y{suffix}", "showgrid": False}
        # rows are the same tokens in every panel: label them once, on the left
        layout[f"yaxis{suffix}"] = {
            "domain": list(y_domains[r]), "anchor": f"x{suffix}", **ticks, "showticklabels": c == 0,
            "autorange": "reversed", "showgrid": False, "title": {"text": row_title if c == 0 else None},
        }  # fmt: skip
        annotations.append(
            {
                "text": safe_labels([panel_title])[0], "x": sum(x_domains[c]) / 2, "y": y_domains[r][1], "xref": "paper", "yref": "paper",
                "xanchor": "center", "yanchor": "bottom", "showarrow": False, "font": {"size": 12},
            }
        )  # fmt: skip
    return figure(data, {**layout, "annotations": annotations}, title, rows * panel_height + 60)


def _level_line(y: float) -> dict:
    """A thin dotted horizontal line across the plot at height y."""
    line = {"color": "#888888", "width": 1, "dash": "dot"}
    return {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": y, "y1": y, "line": line}


def gradient_lines(
    curves: dict[str, np.ndarray],
    x_labels: Sequence[str],
    title: str,
    *,
    current: str,
    y_title: str,
    x_title: str,
    height: int = 380,
) -> go.Figure:
    """The gradient's size at every block boundary, one line per switch setting; ``current`` drawn thick. Log y.

    curves: {setting name: (N + 1,) norms, index 0 the first block's input}; x_labels: N + 1 names. A
    dotted line at 1 marks the size the gradient starts with at the top.
    """
    x = list(range(len(x_labels)))
    ticks = safe_labels(x_labels)
    data = []
    for k, (name, values) in enumerate(curves.items()):
        bold, label = name == current, safe_labels([name])[0]
        data.append(
            {
                "type": "scatter", "x": x, "y": np.asarray(values, dtype=np.float32), "mode": "lines+markers",
                "name": label, "customdata": ticks,
                "line": {"width": 4 if bold else 1.5, "color": palette.CATEGORICAL[k % len(palette.CATEGORICAL)],
                         "dash": "solid" if bold else "dash"},
                "marker": {"size": 7 if bold else 4},
                "hovertemplate": "%{customdata}: %{y:.4g}<extra>" + label + "</extra>",
            }
        )  # fmt: skip
    layout = {
        "xaxis": {"tickmode": "array", "tickvals": x, "ticktext": ticks, "title": {"text": x_title}},
        "yaxis": {"title": {"text": y_title}, "type": "log"},
        "shapes": [_level_line(1.0)],
        "legend": {**LEGEND_BELOW, "font": {"size": SMALL_SIZE}},
    }
    return figure(data, layout, title, height)
