"""Labels made from user text: short on the axes (full on hover), unique, and never read as markup."""

from __future__ import annotations

import html
import json

import numpy as np
import pytest

from core.tokens import display_width
from ui.text import md_escape, quoted, token_labels
from viz.bars import weight_bars, weighted_sum_bars
from viz.base import TICK_WIDTH, tick_labels
from viz.heatmaps import Panel, heatmap_blocks, token_heatmap
from viz.model_views import head_view
from viz.multihead import light_heatmap
from viz.text_shading import shaded_sentence

LONG = "a" * 250
FAMILY = "👨\u200d👩\u200d👧\u200d👦"
HOSTILE = ["<b>bold</b>", "**x**", "$x$", "<img src=x onerror=alert(1)>", "[a](http://x)", "&amp;"]


def spec(fig) -> dict:
    return json.loads(fig.to_json())


def test_tick_labels_are_short_grapheme_safe_and_escaped():
    labels = tick_labels(token_labels(["The", LONG, FAMILY * 10, "<b>"]))
    assert labels[0] == "0 · The" and labels[3] == "3 · &lt;b&gt;"
    assert labels[1] == "1 · " + "a" * 7 + "…"
    assert labels[2] == "2 · " + FAMILY * 3 + "…"  # never half a family
    assert all(display_width(s) <= TICK_WIDTH for s in labels[:3])


def test_tick_labels_stay_unique():
    assert len(set(tick_labels(token_labels([LONG, LONG, LONG])))) == 3  # the index tells repeats apart
    twins = tick_labels(["a" * 30 + "x", "a" * 30 + "y"])  # no index: shortened less until they differ
    assert twins[0] != twins[1] and twins[0].endswith("x")


def test_a_long_word_is_short_on_the_axes_and_whole_on_hover():
    labels = token_labels(["The", LONG, "sat"])
    fig = spec(token_heatmap(np.eye(3), labels, labels, "scores"))
    for axis in ("xaxis", "yaxis"):
        assert max(display_width(s) for s in fig["layout"][axis]["ticktext"]) <= TICK_WIDTH
    assert fig["data"][0]["customdata"][1][1] == [labels[1], labels[1]]  # hover: the whole token
    blocks = spec(heatmap_blocks([Panel(np.ones((3, 2)), labels, ["d0", "d1"], "X")]))
    assert max(display_width(s) for s in blocks["layout"]["yaxis"]["ticktext"]) <= TICK_WIDTH
    bars = spec(weight_bars([0.2, 0.5, 0.3], labels, "w"))
    assert max(display_width(s) for s in bars["layout"]["xaxis"]["ticktext"]) <= TICK_WIDTH
    assert bars["data"][0]["customdata"][1] == labels[1]
    light = spec(light_heatmap(np.ones((3, 4)), labels, "x", row_title="token", col_title="d"))
    assert max(display_width(s) for s in light["layout"]["yaxis"]["ticktext"]) <= TICK_WIDTH
    shading = spec(shaded_sentence(["The", LONG], [0.5, 0.5], "title"))
    assert shading["data"][0]["hovertext"][1] == LONG and len(shading["data"][0]["text"][1]) < 30


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_in_titles_labels_and_legends_is_escaped(text):
    labels, title = token_labels(["ok", text]), f"where {text} looks"
    figures = [
        token_heatmap(np.eye(2), labels, labels, title),
        weight_bars([0.5, 0.5], labels, title),
        weighted_sum_bars(np.ones((2, 3)), np.ones(3), labels, title, output_name="o"),
        head_view({"L1·H1": np.eye(2)}, ["ok", text], title, colors={"L1·H1": "#000"}),
        shaded_sentence(["ok", text], [0.5, 0.5], title),
    ]
    for fig in figures:
        dumped = fig.to_json()
        assert "<b>bold" not in dumped and "<img" not in dumped  # every "<" of user text arrives as &lt;
        assert json.loads(dumped)["layout"]["title"]["text"] == html.escape(title, quote=False)


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_in_markdown_is_escaped(text):
    escaped = md_escape(quoted(text))
    assert not any(c in escaped.replace("\\" + c, "") for c in "*[]$<>" if c in text)


def test_quoted_shortens_whole_clusters():
    assert quoted(LONG) == "a" * 23 + "…" and quoted("short") == "short"
