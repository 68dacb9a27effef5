"""AppTest for the multi-head page: every tab, h and d_model at their extremes, mask and scaling, bad input."""

import pytest

from tests.pages.apptest import LazyTabs, charts, ok, open_page

PAGE = "pages/multi-head.py"
TAB_CHARTS = {  # the tabs are lazy: only the open one draws its figures (the first: where one lands)
    "heads": ["multihead_grid"],
    "split": ["multihead_q_bands", "multihead_k_bands", "multihead_v_bands"],
    "detail": ["multihead_qi", "multihead_si", "multihead_ki", "multihead_wi"],
    "concat": ["multihead_concat", "multihead_wo", "multihead_output", "multihead_contrib"],
    "stats": ["multihead_entropy", "multihead_similarity"],
    "compare": ["multihead_single", "multihead_focus"],
}


@pytest.fixture(scope="module")
def at():
    return open_page(PAGE)


TABS = LazyTabs("multihead", TAB_CHARTS)
open_tab, every_tab_draws = TABS.open, TABS.every_tab_draws


def picker(at, prefix):
    """The head / query selectbox: its key changes with the language and the sentence."""
    return next(s for s in at.selectbox if s.key.startswith(prefix))


def test_default_is_eight_heads_of_width_eight(at):
    assert at.title[0].value == "Multi-head attention"
    assert at.select_slider(key="multihead_h").value == 8 and at.slider(key="multihead_d_model").value == 64
    assert [c.key for c in charts(at)] == ["multihead_grid"]
    assert "8 heads × (12 × 8)" in at.code[0].value
    every_tab_draws(at)


@pytest.mark.parametrize("h", [1, 64, 8])
def test_h_extremes(at, h):
    before = charts(at)[0].proto.spec
    at.select_slider(key="multihead_h").set_value(h).run()
    ok(at)
    assert charts(at)[0].proto.spec != before
    assert f"({12} × {64 // h})" in at.code[0].value
    every_tab_draws(at)


def test_h_options_follow_d_model(at):
    at.select_slider(key="multihead_h").set_value(8).run()
    at.slider(key="multihead_d_model").set_value(13).run()  # prime: only 1 or 13 heads
    ok(at)
    assert list(at.select_slider(key="multihead_h").options) == ["1", "13"]
    assert at.select_slider(key="multihead_h").value == 13  # the divisor nearest to 8
    at.slider(key="multihead_d_model").set_value(2).run()
    ok(at)
    assert at.select_slider(key="multihead_h").value == 2
    every_tab_draws(at)
    at.slider(key="multihead_d_model").set_value(64).run()
    at.select_slider(key="multihead_h").set_value(8).run()
    ok(at)


def test_mask_scaling_seed_and_pickers(at):
    at.toggle(key="multihead_causal").set_value(True).run()
    at.toggle(key="multihead_scaling").set_value(False).run()
    at.number_input(key="multihead_seed").set_value(1_000_000).run()
    ok(at)
    open_tab(at, "detail")
    picker(at, "multihead_head").set_value(7).run()
    assert "head 8" in charts(at)[0].proto.spec
    open_tab(at, "compare")
    picker(at, "multihead_query").set_value(0).run()
    ok(at)
    every_tab_draws(at)
    at.toggle(key="multihead_causal").set_value(False).run()
    at.toggle(key="multihead_scaling").set_value(True).run()


def test_chinese():
    at = open_page(PAGE, lang="zh")
    assert at.title[0].value == "多头注意力"
    every_tab_draws(at, "zh")


@pytest.mark.parametrize("text", ["", "\x00"])
def test_empty_sentence_gets_a_prompt(text):
    at = open_page(PAGE, text=text)
    assert at.info and not charts(at)


@pytest.mark.parametrize("text", ["x", "<b>bold</b> $$x$$ 🤖 مرحبا", "word " * 100])
def test_one_token_hostile_and_long_text(text):
    at = open_page(PAGE, text=text)
    every_tab_draws(at)
