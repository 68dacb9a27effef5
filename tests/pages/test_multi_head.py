"""AppTest for the multi-head page: every tab, h and d_model at their extremes, mask and scaling, bad input."""

import html
import json

import pytest

from core.tokens import tokenize
from tests.pages.apptest import LazyTabs, chart_spec, charts, ok, open_page
from ui.sidebar import MAX_TOKENS

PAGE = "pages/multi-head.py"
K = "multihead_"  # the page's widget and chart keys: K + name
TAB_CHARTS = {  # the tabs are lazy: only the open one draws its figures (the first: where one lands)
    "heads": [f"{K}grid"],
    "split": [f"{K}q_bands", f"{K}k_bands", f"{K}v_bands"],
    "detail": [f"{K}qi", f"{K}si", f"{K}ki", f"{K}wi"],
    "concat": [f"{K}concat", f"{K}wo", f"{K}output", f"{K}contrib"],
    "stats": [f"{K}entropy", f"{K}similarity"],
    "compare": [f"{K}single", f"{K}focus"],
}


@pytest.fixture
def at():
    return open_page(PAGE)


TABS = LazyTabs("multihead", TAB_CHARTS)
open_tab, every_tab_draws = TABS.open, TABS.every_tab_draws


def picker(at, prefix):
    """The head / query selectbox: its key changes with the language and the sentence."""
    return next(s for s in at.selectbox if s.key.startswith(prefix))


def shapes(at) -> str:
    """The page's shapes line (``at.code[0]`` is the link in the share menu above the controls)."""
    return next(c.value for c in at.code if c.language == "plaintext" and "lang=" not in c.value)


def test_default_is_eight_heads_of_width_eight(at):
    assert at.title[0].value == "Multi-head attention"
    assert at.select_slider(key=f"{K}h").value == 8 and at.slider(key=f"{K}d_model").value == 64
    assert [c.key for c in charts(at)] == [f"{K}grid"]
    assert "8 heads × (12 × 8)" in shapes(at)
    every_tab_draws(at)


@pytest.mark.parametrize(("start", "h"), [(8, 1), (1, 64), (64, 8)])
def test_h_extremes(at, start, h):
    at.select_slider(key=f"{K}h").set_value(start).run()
    before = charts(ok(at))[0].proto.spec
    at.select_slider(key=f"{K}h").set_value(h).run()
    ok(at)
    assert charts(at)[0].proto.spec != before or start == h
    assert f"({12} × {64 // h})" in shapes(at)
    every_tab_draws(at)


def test_h_options_follow_d_model(at):
    at.slider(key=f"{K}d_model").set_value(13).run()  # prime: only 1 or 13 heads
    ok(at)
    assert list(at.select_slider(key=f"{K}h").options) == ["1", "13"]
    assert at.select_slider(key=f"{K}h").value == 13  # the divisor nearest to 8
    at.slider(key=f"{K}d_model").set_value(2).run()
    ok(at)
    assert at.select_slider(key=f"{K}h").value == 2
    every_tab_draws(at)


def test_mask_scaling_seed_and_pickers(at):
    at.toggle(key=f"{K}causal").set_value(True).run()
    at.toggle(key=f"{K}scaling").set_value(False).run()
    at.number_input(key=f"{K}seed").set_value(1_000_000).run()
    ok(at)
    open_tab(at, "detail")
    picker(at, f"{K}head").set_value(7).run()
    assert "head 8" in charts(at)[0].proto.spec
    open_tab(at, "compare")
    picker(at, f"{K}query").set_value(0).run()
    ok(at)
    every_tab_draws(at)


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
    tokens = tokenize(text)[:MAX_TOKENS]
    assert f"8 heads × ({len(tokens)} × 8)" in shapes(at)  # n = the tokens kept, at most 64
    assert bool(at.warning) == (len(tokenize(text)) > MAX_TOKENS)  # cut to 64 tokens, with a notice
    grid = json.dumps(json.loads(chart_spec(at, f"{K}grid")), ensure_ascii=False)
    assert all(html.escape(tok, quote=False) in grid for tok in tokens)  # every token labels the grid, escaped
    if "<b>" in text:
        assert "<b>" not in grid and "&lt;" in grid  # user text reaches Plotly escaped, never as markup
    every_tab_draws(at)
