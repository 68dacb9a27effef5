"""Figures of the encoder-block page: the data-flow diagram and the token norms along the block."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from viz import palette
from viz.curves import LEGEND_BELOW
from viz.heatmaps import base_layout, figure, safe_labels, split_domain

BOX_COLOURS = {  # one colour per kind of stage, from the app palette
    "input": "#eeeeee",
    "attention": palette.Q_COLOR,
    "norm": palette.V_COLOR,
    "ffn": palette.K_COLOR,
}


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
    when ``residual_on`` is False).
    """
    n = len(boxes)
    xs = np.arange(n, dtype=np.float32)
    fig = go.Figure()
    # annotations and shapes are collected and set once: one add_* call per item re-validates the layout
    notes: list[dict] = []
    shapes: list[dict] = []
    res_colour = palette.ACCENT if residual_on else "#bbbbbb"
    for a, b in residuals:
        xa, xb = float(xs[a]) + 0.15, float(xs[b]) - 0.15
        fig.add_trace(
            go.Scatter(
                x=[xa, xa, xb, xb],
                y=[0.35, 0.85, 0.85, 0.35],
                mode="lines",
                line={
                    "color": res_colour,
                    "width": 2.5 if residual_on else 1.5,
                    "dash": "solid" if residual_on else "dot",
                },
                hoverinfo="skip",
                showlegend=False,
            )
        )
        notes.append(
            {"x": (xa + xb) / 2, "y": 0.85, "text": residual_label, "showarrow": False, "yshift": 10,
             "font": {"size": 11, "color": palette.ACCENT if residual_on else "#999999"}}
        )  # fmt: skip
    for i, (_, kind, _) in enumerate(boxes):
        colour, x = BOX_COLOURS[kind], float(xs[i])
        shapes.append(
            {"type": "rect", "x0": x - 0.42, "x1": x + 0.42, "y0": -0.3, "y1": 0.3, "fillcolor": colour,
             "opacity": 0.3 if kind != "input" else 1.0, "line": {"color": colour, "width": 2}, "layer": "below"}
        )  # fmt: skip
    for i in range(len(arrows)):
        x0, x1 = float(xs[i]), float(xs[i + 1])
        notes.append(
            {"x": x1 - 0.43, "y": 0, "ax": x0 + 0.43, "ay": 0, "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
             "showarrow": True, "arrowhead": 2, "arrowsize": 1.2, "arrowwidth": 1.5, "text": ""}
        )  # fmt: skip
    # all words as three text traces: one SVG pass, where ~30 annotations are laid out one by one
    mid = (xs[:-1] + xs[1:]) / 2
    for x, y, text, size, colour in (
        (xs, np.full(n, 0.08), [f"<b>{b[0]}</b>" for b in boxes], 12, "#111"),
        (xs, np.full(n, -0.14), [b[2] for b in boxes], 10, "#333"),
        (mid, np.full(len(arrows), -0.5), list(arrows), 10, palette.OUTPUT_COLOR),
    ):
        fig.add_trace(
            go.Scatter(
                x=x, y=y, mode="text", text=text, textfont={"size": size, "color": colour},
                hoverinfo="skip", showlegend=False,
            )
        )  # fmt: skip
    fig.update_layout(annotations=notes, shapes=shapes)
    fig.update_xaxes(visible=False, range=[-0.55, n - 0.45])
    fig.update_yaxes(visible=False, range=[-0.7, 1.05])
    fig.update_layout(plot_bgcolor="white", margin={"l": 5, "r": 5, "t": 40, "b": 5})
    fig = base_layout(fig, title, height)
    fig.update_layout(margin={"l": 5, "r": 5, "t": 40, "b": 5})
    return fig


def stage_norm_lines(
    norms, token_labels, stage_labels, title: str, *, mean_name: str, y_title: str, height: int = 360
) -> go.Figure:
    """One thin line per token (its vector's length after each stage) and a thick line for the mean.

    norms: (n_tokens, n_stages).
    """
    z = np.asarray(norms, dtype=np.float32)
    stages = safe_labels(stage_labels)
    fig = go.Figure()
    colours = [c for c in palette.CATEGORICAL if c != "#000000"]  # black is the mean's
    for i, label in enumerate(safe_labels(token_labels)):
        # a token's line names itself on hover; a legend of every token squeezed the plot on narrow screens
        fig.add_trace(
            go.Scatter(
                x=stages, y=z[i], mode="lines+markers", name=label, opacity=0.55, showlegend=False,
                line={"width": 1.2, "color": colours[i % len(colours)]},
                marker={"size": 5}, hovertemplate=f"{label}<br>%{{x}}: %{{y:.4g}}<extra></extra>",
            )
        )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=stages, y=z.mean(axis=0), mode="lines+markers", name=mean_name,
            line={"width": 4, "color": "black"}, marker={"size": 8},
            hovertemplate=f"{mean_name}<br>%{{x}}: %{{y:.4g}}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_yaxes(title=y_title, rangemode="tozero")
    fig.update_layout(legend={**LEGEND_BELOW, "font": {"size": 11}}, showlegend=True)
    return base_layout(fig, title, height)


def norm_trajectories(
    curves: dict[str, np.ndarray], x_labels, title: str, *, current: str, y_title: str, height: int = 380
) -> go.Figure:
    """Mean token norm along a stack of blocks, one line per switch setting; ``current`` drawn thick. Log y."""
    fig = go.Figure()
    x = list(range(len(x_labels)))
    for k, (name, values) in enumerate(curves.items()):
        v = np.asarray(values, dtype=np.float32)
        bold = name == current
        fig.add_trace(
            go.Scatter(
                x=x, y=v, mode="lines+markers", name=safe_labels([name])[0],
                line={"width": 4 if bold else 1.5, "color": palette.CATEGORICAL[k % len(palette.CATEGORICAL)],
                      "dash": "solid" if bold else "dash"},
                marker={"size": 6 if bold else 3}, customdata=safe_labels(x_labels),
                hovertemplate="%{customdata}: %{y:.4g}<extra>" + safe_labels([name])[0] + "</extra>",
            )
        )  # fmt: skip
    step = max(1, len(x_labels) // 14)  # keep at most ~14 tick labels readable
    fig.update_xaxes(tickmode="array", tickvals=x[::step], ticktext=safe_labels(x_labels)[::step], tickangle=-40)
    fig.update_yaxes(title=y_title, type="log")
    fig.update_layout(legend={**LEGEND_BELOW, "font": {"size": 11}})
    return base_layout(fig, title, height)


def stage_grid(panels, row_labels, title: str, *, row_title: str, cols: int = 2, panel_height: int = 300) -> go.Figure:
    """Every tensor of the block as one figure of heatmaps (one chart to draw instead of seven).

    panels: (matrix (n, m), subplot title, kind, column name) with kind "signed" (diverging, centred
    on 0, its own range) or "prob" (0…1). Values are on hover, not printed in the cells. Written as
    plain dicts, laid out like ``make_subplots`` would, at a fraction of its cost.
    """
    rows = -(-len(panels) // cols)
    x_domains = split_domain([1.0] * cols, 0.08)
    y_domains = split_domain([1.0] * rows, 0.12 / rows * 2)[::-1]  # row 1 on top
    labels = safe_labels(row_labels)
    ticks = {"tickvals": list(range(len(labels))), "ticktext": labels} if len(labels) <= 24 else {}
    data, layout, annotations = [], {}, []
    for k, (M, panel_title, kind, col_title) in enumerate(panels):
        z = np.asarray(M, dtype=np.float32)
        r, c = divmod(k, cols)
        suffix = "" if k == 0 else str(k + 1)
        if kind == "prob":
            scale = {"colorscale": palette.WEIGHTS_SCALE, "zmin": 0.0, "zmax": 1.0}
        else:
            bound = float(np.abs(z[np.isfinite(z)]).max()) if np.isfinite(z).any() else 1.0
            scale = {"colorscale": palette.SIGNED_SCALE, "zmin": -(bound or 1.0), "zmax": bound or 1.0, "zmid": 0.0}
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
                "text": panel_title, "x": sum(x_domains[c]) / 2, "y": y_domains[r][1], "xref": "paper", "yref": "paper",
                "xanchor": "center", "yanchor": "bottom", "showarrow": False, "font": {"size": 12},
            }
        )  # fmt: skip
    return figure(data, {**layout, "annotations": annotations}, title, rows * panel_height + 60)
