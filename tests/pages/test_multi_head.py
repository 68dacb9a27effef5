"""AppTest for the multi-head page: defaults, h and d_model at their extremes, masks, bad input."""

import pytest

from tests.pages.apptest import charts, ok, open_page

PAGE = "pages/multi_head.py"
N_CHARTS = 14  # Q bands, head grid, 4 head-detail, concat, W_O, output, contributions, entropy, similarity, 2 compare


@pytest.fixture(scope="module")
def at():
    return open_page(PAGE)


def spec(at, key):
    return next(c for c in charts(at) if c.key == key).proto.spec


def picker(at, prefix):
    """The head / query selectbox: its key changes with the language and the sentence."""
    return next(s for s in at.selectbox if s.key.startswith(prefix))


def test_default_is_eight_heads_of_width_eight(at):
    assert at.title[0].value == "Multi-head attention"
    assert at.select_slider(key="mh_h").value == 8 and at.slider(key="mh_d_model").value == 64
    assert len(charts(at)) == N_CHARTS
    assert "8 heads × (12 × 8)" in at.code[0].value


@pytest.mark.parametrize("h", [1, 64, 8])
def test_h_extremes(at, h):
    before = spec(at, "mh_grid")
    at.select_slider(key="mh_h").set_value(h).run()
    ok(at)
    assert len(charts(at)) == N_CHARTS
    assert spec(at, "mh_grid") != before
    assert f"({12} × {64 // h})" in at.code[0].value


def test_h_options_follow_d_model(at):
    at.select_slider(key="mh_h").set_value(8).run()
    at.slider(key="mh_d_model").set_value(13).run()  # prime: only 1 or 13 heads
    ok(at)
    assert list(at.select_slider(key="mh_h").options) == ["1", "13"]
    assert at.select_slider(key="mh_h").value == 13  # the divisor nearest to 8
    at.slider(key="mh_d_model").set_value(2).run()
    ok(at)
    assert at.select_slider(key="mh_h").value == 2
    at.slider(key="mh_d_model").set_value(64).run()
    at.select_slider(key="mh_h").set_value(8).run()
    ok(at)


def test_mask_scaling_seed_and_pickers(at):
    at.toggle(key="mh_causal").set_value(True).run()
    at.toggle(key="mh_scaling").set_value(False).run()
    at.number_input(key="mh_seed").set_value(1_000_000).run()
    ok(at)
    picker(at, "mh_head").set_value(7).run()
    picker(at, "mh_query").set_value(0).run()
    ok(at)
    assert len(charts(at)) == N_CHARTS
    at.toggle(key="mh_causal").set_value(False).run()
    at.toggle(key="mh_scaling").set_value(True).run()


def test_chinese():
    at = open_page(PAGE, lang="zh")
    assert at.title[0].value == "多头注意力"
    assert len(charts(at)) == N_CHARTS


@pytest.mark.parametrize("text", ["", "\x00"])
def test_empty_sentence_gets_a_prompt(text):
    at = open_page(PAGE, text=text)
    assert at.info and not charts(at)


@pytest.mark.parametrize("text", ["x", "<b>bold</b> $$x$$ 🤖 مرحبا", "word " * 100])
def test_one_token_hostile_and_long_text(text):
    at = open_page(PAGE, text=text)
    assert len(charts(at)) == N_CHARTS
