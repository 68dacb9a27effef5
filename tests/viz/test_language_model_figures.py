"""Figures of the causal language model page: they build, and token text reaches them escaped."""

from __future__ import annotations

import json

import numpy as np

from core.demos.language_model import kv_groups
from viz.language_model import gqa_diagram, logit_lens_grid, next_token_bars, rotation_path
from viz.model_views import model_grid

HOSTILE = "<b>x</b>"


def test_next_token_bars_escape_tokens_and_keep_both_series():
    fig = next_token_bars(np.array([0.6, 0.4]), np.array([1.0, 0.0]), [HOSTILE, "b"], "t", names=("p", "q"))
    spec = json.loads(fig.to_json())
    assert [d["name"] for d in spec["data"]] == ["p", "q"]
    assert spec["data"][0]["y"][0] == "&lt;b&gt;x&lt;/b&gt;"
    assert "<b>" not in json.dumps(spec["data"])


def test_rotation_path_draws_every_position():
    angles = np.arange(5)
    pts = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    fig = rotation_path(pts, list(range(5)), "t", axis_names=("q[0]", "q[1]"))
    assert list(fig.data[1].text) == ["0", "1", "2", "3", "4"]


def test_gqa_diagram_links_every_query_head_to_its_group():
    fig = gqa_diagram(kv_groups(9, 3), "t", q_names=[f"Q{i}" for i in range(9)], kv_names=["A", "B", "C"])
    lines = [d for d in fig.data if d.mode == "lines"]
    assert len(lines) == 9


def test_logit_lens_grid_escapes_token_text():
    probs = np.full((3, 2), 0.5)
    tokens = np.array([[HOSTILE, "a"], ["b", "c"], ["d", "e"]], dtype=object)
    fig = logit_lens_grid(probs, tokens, ["emb", "L1", "L2"], ["0 · a", HOSTILE], "t", hover="%{z}")
    spec = json.dumps(json.loads(fig.to_json()))
    assert "<b>" not in spec and "&lt;b&gt;" in spec


def test_model_grid_block_height():
    fig = model_grid(np.full((30, 9, 2, 2), 0.5), "t", layer_labels=["l"] * 30, head_labels=["h"] * 9, hover="",
                     block_height=44)  # fmt: skip
    assert fig.layout.height == 44 * 30 + 110
