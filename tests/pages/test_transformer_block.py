"""The Transformer block page through AppTest: every tab, every control at its extremes, both languages,
bad input."""

import json
import re

import pytest

from tests.pages.apptest import LazyTabs, chart_spec, charts, ok, open_page
from ui.i18n import t
from viz.base import wrap_title

PAGE = "pages/transformer-block.py"
K = "block_"  # the page's widget and chart keys: K + name
TABS = LazyTabs(
    "block",
    {
        "flow": [f"{K}flow"],
        "norms": [f"{K}norms", f"{K}stack"],
        "inside": [f"{K}stages"],  # every tensor of the block, one figure
        "gradients": [f"{K}gradients"],
        "layer_norm": [],
    },
)
TAB_CHARTS = TABS.charts
open_tab, every_tab_draws = TABS.open, TABS.every_tab_draws


def test_default_page_lands_on_the_flow_and_every_tab_draws():
    at = open_page(PAGE)
    assert [c.key for c in charts(at)] == TAB_CHARTS["flow"]
    assert at.title[0].value == "The Transformer encoder block"
    assert any("MultiHead" in s.value or "LayerNorm" in s.value for s in at.latex)
    every_tab_draws(at)


def flow(at) -> dict:
    return json.loads(chart_spec(at, f"{K}flow"))


def norms(at) -> str:
    """The token-length chart of the norms tab (the page is left on the flow tab)."""
    open_tab(at, "norms")
    spec = chart_spec(at, f"{K}norms")
    open_tab(at, "flow")
    return spec


def arrow_shapes(at) -> set[str]:
    """The tensor shapes written on the flow diagram's arrows ("n × d")."""
    return set(re.findall(r"\d+ × \d+", json.dumps(flow(at), ensure_ascii=False)))


@pytest.mark.parametrize(
    ("name", "values"), [("d_model", (4, 64)), ("d_ff", (4, 256)), ("layers", (8, 1)), ("gain", (0.5, 2.0))]
)
def test_sliders_at_their_extremes(name, values):
    at = open_page(PAGE)
    default_norms = norms(at)
    for value in values:
        ok(at.slider(key=K + name).set_value(value).run())
        d_model, d_ff = at.slider(key=f"{K}d_model").value, at.slider(key=f"{K}d_ff").value
        # 12 tokens: every arrow carries 12 × d_model, except the feed-forward's hidden 12 × d_ff
        assert arrow_shapes(at) == {f"12 × {d_model}", f"12 × {d_ff}"}
        title = flow(at)["layout"]["title"]["text"]
        assert title == "<br>".join(wrap_title(t("block.fig_flow", lang="en", N=at.slider(key=f"{K}layers").value)))
        if name == "gain":  # the weights' scale changes the token lengths between the LayerNorms
            assert norms(at) != default_norms
        every_tab_draws(at)


def test_heads_follow_d_model_and_views_of_a_deep_stack():
    at = open_page(PAGE)
    open_tab(at, "inside")
    at.slider(key=f"{K}d_model").set_value(64).run()
    at.selectbox(key=f"{K}heads").set_value(16).run()
    at.slider(key=f"{K}layers").set_value(8).run()
    at.slider(key=f"{K}layer_view").set_value(1).run()
    ok(at.slider(key=f"{K}head_view").set_value(16).run())
    assert [c.key for c in charts(at)] == TAB_CHARTS["inside"]
    ok(at.slider(key=f"{K}d_model").set_value(4).run())  # 16 heads no longer divide 4: falls back
    assert at.selectbox(key=f"{K}heads").value in (1, 2, 4)


def test_switches_change_the_explanation():
    at = open_page(PAGE)
    open_tab(at, "norms")
    texts = set()
    for residual, norm in ((True, True), (False, True), (True, False), (False, False)):
        at.toggle(key=f"{K}residual").set_value(residual)
        at.toggle(key=f"{K}ln").set_value(norm)
        at.radio(key=f"{K}act_en").set_value("gelu" if residual else "relu")
        at.toggle(key=f"{K}pe").set_value(norm)
        ok(at.run())
        assert [c.key for c in charts(at)] == TAB_CHARTS["norms"]
        texts.add(" ".join(m.value for m in at.markdown))
    assert len(texts) == 4


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_gradients_tab_draws_four_settings_and_quotes_their_numbers(lang):
    at = open_page(PAGE, lang=lang)  # the page stacks 1 block; this view starts at 8 of its own
    open_tab(at, "gradients", lang)
    assert [c.key for c in charts(at)] == TAB_CHARTS["gradients"]
    spec = json.loads(chart_spec(at, f"{K}gradients"))
    assert len(spec["data"]) == 4 and all(len(tr["x"]) == 9 for tr in spec["data"])  # X and after each of 8 blocks
    assert spec["layout"]["yaxis"]["type"] == "log"
    assert spec["layout"]["title"]["text"] == "<br>".join(wrap_title(t("block.fig_grad", lang=lang, N=8)))
    text = " ".join(m.value for m in at.markdown)
    assert at.subheader[-1].value == t("block.grad_header", lang=lang)
    if lang == "en":  # the page's defaults on the English sentence: tests/core/test_gradients.py pins these
        assert "has size 1.01 with residual" in text and "0.0675 with LayerNorm only" in text
        assert "0.017 with neither" in text and "reaches 235." in text
    else:  # the Chinese sentence: residuals without LayerNorm explode further
        assert "7.47 × 10³" in text
    assert at.caption and any("Xiong" in c.value for c in at.caption)
    ok(at.slider(key=f"{K}grad_layers").set_value(2).run())
    assert all(len(tr["x"]) == 3 for tr in json.loads(chart_spec(at, f"{K}gradients"))["data"])


def test_layer_norm_tab_and_seed():
    at = open_page(PAGE)
    open_tab(at, "layer_norm")
    token = next(s for s in at.selectbox if s.label == "Token")
    token.set_value(0).run()
    ok(at.number_input(key=f"{K}seed").set_value(1_000_000).run())
    assert any(r"\sqrt{16}" in s.value for s in at.latex)
    at.toggle(key=f"{K}ln").set_value(False)
    ok(at.run())
    assert at.caption and any("LayerNorm" in c.value for c in at.caption)


def test_chinese():
    at = open_page(PAGE, lang="zh")
    assert at.title[0].value == "Transformer 编码器层"
    every_tab_draws(at, "zh")
    ok(at.radio(key=f"{K}act_zh").set_value("gelu").run())
    assert [c.key for c in charts(at)] == TAB_CHARTS["flow"]


def test_empty_sentence_shows_a_message():
    at = open_page(PAGE, text="")
    assert len(charts(at)) == 0
    assert at.info and "sentence" in at.info[0].value


def test_long_and_odd_sentence():
    at = open_page(PAGE, text="<b>$x$</b> 注意力 🙂 " * 30)
    assert not at.exception and at.warning  # truncated to 64 tokens, with a notice
    every_tab_draws(at)


def test_single_token():
    at = open_page(PAGE, text="cat")
    ok(at.slider(key=f"{K}layers").set_value(8).run())
    every_tab_draws(at)
