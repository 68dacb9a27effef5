"""Figures of "watch attention learn": they build, mark what they are asked to, and escape text."""

from __future__ import annotations

import json

import numpy as np

from viz.learn import measure_curves, prediction_table, training_curve

HOSTILE = "<b>x</b>"


def curve(**extra):
    return training_curve(
        [2.0, 1.0, 0.5, 0.2],
        [0, 2, 4],
        [0.1, 0.6, 1.0],
        "t",
        names=(HOSTILE, "acc"),
        axis_titles=("s", "l", "a"),
        **extra,
    )


def test_training_curve_has_loss_accuracy_and_the_marks():
    fig = curve(marker=2, phase=(3, "phase ≈ 3"), extra=[("fresh", [3.0, 3.0, 2.9])], total_steps=10)
    spec = json.loads(fig.to_json())
    assert [d.get("yaxis", "y") for d in spec["data"]] == ["y", "y2", "y"]
    assert spec["data"][0]["name"] == "&lt;b&gt;x&lt;/b&gt;"
    dashes = {s["line"]["dash"]: s["x0"] for s in spec["layout"]["shapes"]}
    assert dashes == {"dot": 2.0, "dash": 3.0}
    assert spec["layout"]["xaxis"]["range"] == [0, 10] and spec["layout"]["yaxis2"]["range"] == [0, 1.02]
    assert spec["layout"]["annotations"][0]["text"] == "phase ≈ 3"


def test_training_curve_without_marks():
    spec = json.loads(curve().to_json())
    assert not spec["layout"].get("shapes") and len(spec["data"]) == 2


def test_measure_curves_one_line_per_head_in_layer_order():
    values = np.arange(3 * 2 * 2, dtype=float).reshape(3, 2, 2) / 12
    fig = measure_curves(
        [0, 5, 10], values, ["L1·H1", "L1·H2", "L2·H1", HOSTILE], "m", x_title="s", y_title="v", marker=5
    )
    assert [d.name for d in fig.data] == ["L1·H1", "L1·H2", "L2·H1", "&lt;b&gt;x&lt;/b&gt;"]
    assert np.allclose(fig.data[2].y, values[:, 1, 0])


def test_prediction_table_keeps_text_as_text():
    table = prediction_table({"input": ["<", "b"], "answer": ["b", "<"]}, ["0", "1"])
    assert table.shape == (2, 2) and list(table.index) == ["input", "answer"] and table.iloc[0, 0] == "<"
