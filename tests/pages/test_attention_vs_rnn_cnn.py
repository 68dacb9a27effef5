"""AppTest for the attention-vs-RNN-vs-CNN page: cost table, long-range demo and step counter at extremes."""

import pytest

from tests.pages.apptest import chart_spec, charts, ok, open_page
from ui.i18n import t

PAGE = "pages/attention-vs-rnn-cnn.py"
K = "rnn_cnn_"  # the page's widget and chart keys: K + name
N_CHARTS = 3  # operations vs n, gradient vs distance, schedule


@pytest.fixture
def at():
    return open_page(PAGE)


def test_default_renders(at):
    assert at.title[0].value == "Attention vs RNN vs CNN"
    assert len(charts(at)) == N_CHARTS
    assert len(at.table) == 1
    assert any("n^2 d &= 128^2" in x.value for x in at.latex)


@pytest.mark.parametrize("name,values", [("n", [2, 16384]), ("d", [16, 2048])])
def test_cost_controls_at_extremes(at, name, values):
    for v in values:
        at.select_slider(key=K + name).set_value(v).run()
        ok(at)
        assert len(charts(at)) == N_CHARTS and len(at.table) == 1


def test_kernel_width_changes_the_path_length(at):
    at.slider(key=f"{K}k").set_value(2).run()
    ok(at)
    path_k2 = at.table[0].value.iloc[2, 2]
    at.slider(key=f"{K}k").set_value(9).run()
    ok(at)
    assert (path_k2, at.table[0].value.iloc[2, 2]) == ("7", "3")  # ⌈log_2 128⌉, ⌈log_9 128⌉


@pytest.mark.parametrize("name,values", [("length", [2, 100]), ("gain", [0.25, 3.0])])
def test_long_range_controls_at_extremes(at, name, values):
    before = chart_spec(at, f"{K}long")
    for v in values:
        at.slider(key=K + name).set_value(v).run()
        ok(at)
        assert len(charts(at)) == N_CHARTS
    assert chart_spec(at, f"{K}long") != before


def test_step_counter(at):
    for step in (0, 16):
        before = chart_spec(at, f"{K}schedule")
        at.slider(key=f"{K}step").set_value(step).run()
        ok(at)
        assert chart_spec(at, f"{K}schedule") != before


def test_seed_redraws_the_long_range_demo_reproducibly(at):
    seed_0 = chart_spec(at, f"{K}long")
    at.number_input(key=f"{K}seed").set_value(1_000_000).run()
    ok(at)
    assert chart_spec(at, f"{K}long") != seed_0  # other random weights, another gradient curve
    at.number_input(key=f"{K}seed").set_value(0).run()
    assert chart_spec(ok(at), f"{K}long") == seed_0  # the same seed gives the same plot


def test_chinese_and_empty_sentence():
    at = open_page(PAGE, lang="zh", text="")
    assert at.title[0].value == "注意力、RNN 与 CNN 对比"
    assert len(charts(at)) == N_CHARTS


def test_the_costs_verdict_says_equal_at_n_equals_d():
    at = open_page(PAGE)
    at.select_slider(key=f"{K}n").set_value(512).run()
    ok(at)
    assert any(t("rnn_cnn.attention_equal", "en") in m.value for m in at.markdown)
