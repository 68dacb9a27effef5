"""AppTest for the scaled dot-product page: defaults, every control at its extremes, bad input."""

import html
import json

import pytest

from core.tokens import tokenize
from tests.pages.apptest import LazyTabs, chart_spec, charts, ok, open_page
from ui.i18n import t
from ui.sidebar import MAX_TOKENS
from ui.text import token_labels
from viz.base import tick_labels

PAGE = "pages/scaled-dot-product.py"
K = "sdp_"  # the page's widget and chart keys: K + name

TABS = LazyTabs(
    "sdp",
    {
        "inputs": [f"{K}qkv"],
        "scores": [f"{K}scores"],
        "weights": [f"{K}weights"],
        "output": [f"{K}output"],
        "trace": [f"{K}trace_bars", f"{K}trace_sum"],
    },
)
open_tab, every_tab_draws = TABS.open, TABS.every_tab_draws
N_CHARTS = len(TABS.charts["inputs"])  # X | Q | K | V as one figure: the tab a visitor lands on


@pytest.fixture
def at():
    return open_page(PAGE)


def test_default_renders_every_step(at):
    assert len(charts(at)) == N_CHARTS
    every_tab_draws(at)
    assert len(at.latex) >= 2
    assert at.title[0].value == "Scaled dot-product attention"


@pytest.mark.parametrize("name,values", [("d_model", [2, 64]), ("d_k", [1, 64]), ("tau", [0.1, 5.0])])
def test_sliders_at_extremes(at, name, values):
    key = K + name
    before = charts(at)[0].proto.spec
    for v in values:
        at.slider(key=key).set_value(v).run()
        ok(at)
        every_tab_draws(at)
    assert charts(at)[0].proto.spec != before or name == "tau"


def test_toggles_projection_seed(at):
    at.toggle(key=f"{K}numbers").set_value(True).run()
    assert '"texttemplate":"%{text}"' in charts(at)[0].proto.spec  # numbers printed in the cells
    at.toggle(key=f"{K}pe").set_value(False).run()
    at.toggle(key=f"{K}scaling").set_value(False).run()
    at.number_input(key=f"{K}seed").set_value(1_000_000).run()
    at.radio(key=f"{K}projection_en").set_value("identity").run()
    ok(at)
    assert at.slider(key=f"{K}d_k").disabled
    at.radio(key=f"{K}projection_en").set_value("random").run()
    at.toggle(key=f"{K}pe").set_value(True).run()
    at.toggle(key=f"{K}scaling").set_value(True).run()
    at.toggle(key=f"{K}numbers").set_value(False).run()
    ok(at)
    assert "texttemplate" not in charts(at)[0].proto.spec


@pytest.mark.parametrize("mask", ["none", "causal", "padding", "custom"])
def test_every_mask(at, mask):
    at.selectbox(key=f"{K}mask_en").set_value(mask).run()
    ok(at)
    every_tab_draws(at)
    if mask == "padding":
        for v in (0, 12):
            at.slider(key=f"{K}pad_last").set_value(v).run()
            every_tab_draws(at)
        open_tab(at, "weights")
        assert any("no key" in i.value for i in at.info)  # all keys padded: rows of zeros, explained
    if mask == "custom":
        open_tab(at, "weights")
        assert "−∞" not in charts(at)[0].proto.spec  # nothing unticked yet: no masked cell


def test_trace_panel_extremes(at):
    open_tab(at, "trace")
    for i, j in [(0, 0), (11, 11), (0, 11)]:
        at.selectbox(key=f"{K}i").set_value(i).run()
        at.selectbox(key=f"{K}j").set_value(j).run()
        ok(at)
    assert any("w_{011}" in x.value for x in at.latex)
    assert [c.key for c in charts(at)] == TABS.charts["trace"]


def test_chinese():
    at = open_page(PAGE, lang="zh")
    assert at.title[0].value == "缩放点积注意力"
    every_tab_draws(at, "zh")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_mask_formula_speaks_the_pages_language(lang):
    """M's two cases are words of the reader's language (they were English on the Chinese page)."""
    at = open_page(PAGE, lang=lang)
    open_tab(at, "weights", lang)
    mask = next(x.value for x in at.latex if "M_{ij}" in x.value)
    for word in ("cell_allowed", "cell_masked"):
        assert rf"\text{{{t(f'sdp.{word}', lang)}}}" in mask
    if lang == "zh":
        assert "allowed" not in mask and "masked" not in mask


@pytest.mark.parametrize("text", ["", "   ", "\x00\x00"])
def test_empty_sentence_gets_a_prompt(text):
    at = open_page(PAGE, text=text)
    assert at.info and "sentence" in at.info[0].value
    assert not charts(at)


def test_long_sentence_is_cut_to_64_tokens_with_a_notice():
    at = open_page(PAGE, text="word " * 300)
    assert at.warning and "300" in at.warning[0].value
    assert len(charts(at)) == N_CHARTS


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script> <b>bold</b>",
        "$$\\frac{1}{0}$$ **bold** [link](http://x)",
        "مرحبا بالعالم שלום",
        "🤖🧠👀 ❤️‍🔥",
        "a" * 2000,
        "我爱自然语言处理",
    ],
)
def test_hostile_or_unusual_text(text):
    at = open_page(PAGE, text=text)
    # the rows of X | Q | K | V are the tokens, labelled "i · token", escaped for Plotly's HTML subset,
    # shortened on the axis and whole on hover
    expected = [f"{i} · {html.escape(tok, quote=False)}" for i, tok in enumerate(tokenize(text)[:MAX_TOKENS])]
    spec = json.loads(chart_spec(at, f"{K}qkv"))
    assert spec["layout"]["yaxis"]["ticktext"] == tick_labels(token_labels(tokenize(text)[:MAX_TOKENS]))
    assert [row[0][0] for row in spec["data"][0]["customdata"]] == expected
    assert "<script>" not in json.dumps(spec, ensure_ascii=False)
    every_tab_draws(at)


@pytest.mark.parametrize("lang,query,key", [("en", "it", "animal"), ("zh", "它", "猫")])
def test_the_default_trace_starts_on_the_pronoun(lang, query, key):
    """In Chinese token 7 of the default sentence is "，": the trace starts on 它 (index 10) instead."""
    at = open_page(PAGE, lang=lang)
    open_tab(at, "trace", lang)
    i, j = at.selectbox(key=f"{K}i").value, at.selectbox(key=f"{K}j").value
    tokens = tokenize(t("sidebar.default_sentence", lang))
    assert (tokens[i], tokens[j]) == (query, key)
