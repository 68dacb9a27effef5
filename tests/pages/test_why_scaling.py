"""AppTest for the why-√d_k page: every control at its extremes, reproducible with a seed."""

import pytest

from tests.pages.apptest import chart_spec, charts, ok, open_page

PAGE = "pages/why-scaling.py"
K = "why_scaling_"  # the page's widget and chart keys: K + name
N_CHARTS = 6  # histogram, variance, example bars, max weight, Jacobian, entropy


@pytest.fixture
def at():
    return open_page(PAGE)


def test_default_renders(at):
    assert at.title[0].value == "Why divide by √d_k?"
    assert len(charts(at)) == N_CHARTS
    assert any(r"\approx d_k = 256" in x.value for x in at.latex)  # CLOSE_UP_D_K: where the gradient vanishes


def test_d_k_extremes(at):
    sweep_before = chart_spec(at, f"{K}variance")
    for d_k in (1, 1024):
        before = chart_spec(at, f"{K}example")
        at.select_slider(key=f"{K}d_k").set_value(d_k).run()
        ok(at)
        assert len(charts(at)) == N_CHARTS
        assert chart_spec(at, f"{K}example") != before
        assert any(rf"\approx d_k = {d_k}" in x.value for x in at.latex)
    assert chart_spec(at, f"{K}variance") == sweep_before  # the sweep does not depend on the chosen d_k


def test_n_keys_extremes(at):
    for v in (2, 64):
        before = chart_spec(at, f"{K}entropy")
        at.number_input(key=f"{K}n_keys").set_value(v).run()
        ok(at)
        assert len(charts(at)) == N_CHARTS
        assert chart_spec(at, f"{K}entropy") != before  # the log n line moves with n


def test_trials_and_seed(at):
    at.radio(key=f"{K}trials").set_value(100).run()
    ok(at)
    before = chart_spec(at, f"{K}hist")
    at.number_input(key=f"{K}seed").set_value(1_000_000).run()
    ok(at)
    assert chart_spec(at, f"{K}hist") != before
    at.number_input(key=f"{K}seed").set_value(0).run()
    assert chart_spec(at, f"{K}hist") == before  # the same seed gives the same plot


def test_chinese_and_empty_sentence():
    at = open_page(PAGE, lang="zh", text="")
    assert at.title[0].value == "为什么要除以 √d_k？"
    assert len(charts(at)) == N_CHARTS  # the experiment does not use the sentence
