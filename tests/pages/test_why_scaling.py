"""AppTest for the why-√d_k page: every control at its extremes, reproducible with a seed."""

import pytest

from tests.pages.apptest import charts, ok, open_page

PAGE = "pages/why_scaling.py"
N_CHARTS = 6  # histogram, variance, example bars, max weight, Jacobian, entropy


@pytest.fixture(scope="module")
def at():
    return open_page(PAGE)


def _spec(at, key):
    return next(c for c in charts(at) if c.key == key).proto.spec


def test_default_renders(at):
    assert at.title[0].value == "Why divide by √d_k?"
    assert len(charts(at)) == N_CHARTS
    assert any(r"\approx d_k = 64" in x.value for x in at.latex)


def test_d_k_extremes(at):
    for d_k in (1, 1024):
        before = _spec(at, "why_example")
        at.select_slider(key="why_d_k").set_value(d_k).run()
        ok(at)
        assert len(charts(at)) == N_CHARTS
        assert _spec(at, "why_example") != before
        assert any(rf"d_k = {d_k}" in x.value for x in at.latex)
    at.select_slider(key="why_d_k").set_value(64).run()


@pytest.mark.parametrize("key,values", [("why_n_keys", [2, 64])])
def test_n_keys_extremes(at, key, values):
    for v in values:
        at.slider(key=key).set_value(v).run()
        ok(at)
        assert len(charts(at)) == N_CHARTS
    at.slider(key=key).set_value(16).run()


def test_trials_and_seed(at):
    at.select_slider(key="why_trials").set_value(100).run()
    ok(at)
    before = _spec(at, "why_hist")
    at.number_input(key="why_seed").set_value(1_000_000).run()
    ok(at)
    assert _spec(at, "why_hist") != before
    at.number_input(key="why_seed").set_value(0).run()
    assert _spec(at, "why_hist") == before  # the same seed gives the same plot
    at.select_slider(key="why_trials").set_value(400).run()


def test_chinese_and_empty_sentence():
    at = open_page(PAGE, lang="zh", text="")
    assert at.title[0].value == "为什么要除以 √d_k？"
    assert len(charts(at)) == N_CHARTS  # the experiment does not use the sentence
