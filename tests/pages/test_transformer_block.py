"""The Transformer block page through AppTest: every control at its extremes, both languages, empty text."""

import pytest

from tests.pages.apptest import charts, open_page

PAGE = "pages/transformer_block.py"
N_CHARTS = 4  # flow, norms per stage, norms through the stack, every tensor (one figure)


def test_default_page_draws_every_stage():
    at = open_page(PAGE)
    assert len(charts(at)) == N_CHARTS
    assert at.title[0].value == "The Transformer encoder block"
    assert any("MultiHead" in s.value or "LayerNorm" in s.value for s in at.latex)


@pytest.mark.parametrize(
    ("key", "values"),
    [("blk_d_model", (4, 64)), ("blk_d_ff", (4, 256)), ("blk_layers", (8, 1)), ("blk_gain", (0.5, 2.0))],
)
def test_sliders_at_their_extremes(key, values):
    at = open_page(PAGE)
    for value in values:
        at.slider(key=key).set_value(value).run()
        assert not at.exception
        assert len(charts(at)) == N_CHARTS


def test_heads_follow_d_model_and_views_of_a_deep_stack():
    at = open_page(PAGE)
    at.slider(key="blk_d_model").set_value(64).run()
    at.selectbox(key="blk_heads").set_value(16).run()
    at.slider(key="blk_layers").set_value(8).run()
    at.slider(key="blk_layer_view").set_value(1).run()
    at.slider(key="blk_head_view").set_value(16).run()
    assert not at.exception
    at.slider(key="blk_d_model").set_value(4).run()  # 16 heads no longer divide 4: falls back
    assert not at.exception
    assert at.selectbox(key="blk_heads").value in (1, 2, 4)


def test_switches_change_the_explanation():
    at = open_page(PAGE)
    texts = set()
    for residual, norm in ((True, True), (False, True), (True, False), (False, False)):
        at.toggle(key="blk_residual").set_value(residual)
        at.toggle(key="blk_ln").set_value(norm)
        at.radio(key="blk_act").set_value("gelu" if residual else "relu")
        at.toggle(key="blk_pe").set_value(norm)
        at.run()
        assert not at.exception and len(charts(at)) == N_CHARTS
        texts.add(" ".join(m.value for m in at.markdown))
    assert len(texts) == 4


def test_layer_norm_panel_and_seed():
    at = open_page(PAGE)
    token = next(s for s in at.selectbox if s.label == "Token")
    token.set_value(0).run()
    at.number_input(key="blk_seed").set_value(1_000_000).run()
    assert not at.exception
    assert any(r"\sqrt{16}" in s.value for s in at.latex)


def test_chinese():
    at = open_page(PAGE, lang="zh")
    assert at.title[0].value == "Transformer 编码器层"
    assert len(charts(at)) == N_CHARTS
    at.radio(key="blk_act").set_value("gelu").run()
    assert not at.exception and len(charts(at)) == N_CHARTS


def test_empty_sentence_shows_a_message():
    at = open_page(PAGE, text="")
    assert len(charts(at)) == 0
    assert at.info and "sentence" in at.info[0].value


def test_long_and_odd_sentence():
    at = open_page(PAGE, text="<b>$x$</b> 注意力 🙂 " * 30)
    assert not at.exception and at.warning  # truncated to 64 tokens, with a notice
    assert len(charts(at)) == N_CHARTS


def test_single_token():
    at = open_page(PAGE, text="cat")
    at.slider(key="blk_layers").set_value(8).run()
    assert not at.exception and len(charts(at)) == N_CHARTS
