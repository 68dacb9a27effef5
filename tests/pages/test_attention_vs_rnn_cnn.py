"""AppTest for the attention-vs-RNN-vs-CNN page: cost table, long-range demo and step counter at extremes."""

import pytest

from tests.pages.apptest import chart_spec, charts, ok, open_page

PAGE = "pages/attention-vs-rnn-cnn.py"
N_CHARTS = 3  # operations vs n, gradient vs distance, schedule


@pytest.fixture(scope="module")
def at():
    return open_page(PAGE)


def test_default_renders(at):
    assert at.title[0].value == "Attention vs RNN vs CNN"
    assert len(charts(at)) == N_CHARTS
    assert len(at.table) == 1
    assert any("n^2 d = 128^2" in x.value for x in at.latex)


@pytest.mark.parametrize("key,values", [("rnn_cnn_n", [2, 16384]), ("rnn_cnn_d", [16, 2048])])
def test_cost_controls_at_extremes(at, key, values):
    for v in values:
        at.select_slider(key=key).set_value(v).run()
        ok(at)
        assert len(charts(at)) == N_CHARTS and len(at.table) == 1
    at.select_slider(key=key).set_value(128 if key == "rnn_cnn_n" else 512).run()


def test_kernel_width_changes_the_path_length(at):
    at.slider(key="rnn_cnn_k").set_value(2).run()
    ok(at)
    path_k2 = at.table[0].value.iloc[2, 2]
    at.slider(key="rnn_cnn_k").set_value(9).run()
    ok(at)
    assert (path_k2, at.table[0].value.iloc[2, 2]) == ("7", "3")  # ⌈log_2 128⌉, ⌈log_9 128⌉
    at.slider(key="rnn_cnn_k").set_value(3).run()


@pytest.mark.parametrize("key,values", [("rnn_cnn_length", [2, 100]), ("rnn_cnn_gain", [0.25, 3.0])])
def test_long_range_controls_at_extremes(at, key, values):
    before = chart_spec(at, "rnn_cnn_long")
    for v in values:
        at.slider(key=key).set_value(v).run()
        ok(at)
        assert len(charts(at)) == N_CHARTS
    assert chart_spec(at, "rnn_cnn_long") != before
    at.slider(key=key).set_value(at.slider(key=key).proto.default[0]).run()


def test_step_counter(at):
    for step in (0, 16):
        before = chart_spec(at, "rnn_cnn_schedule")
        at.slider(key="rnn_cnn_step").set_value(step).run()
        ok(at)
        assert chart_spec(at, "rnn_cnn_schedule") != before
    at.number_input(key="rnn_cnn_seed").set_value(1_000_000).run()
    ok(at)


def test_chinese_and_empty_sentence():
    at = open_page(PAGE, lang="zh", text="")
    assert at.title[0].value == "注意力、RNN 与 CNN 对比"
    assert len(charts(at)) == N_CHARTS
