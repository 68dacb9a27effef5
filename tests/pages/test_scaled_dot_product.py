"""AppTest for the scaled dot-product page: defaults, every control at its extremes, bad input."""

import pytest

from tests.pages.apptest import charts, ok, open_page

PAGE = "pages/scaled_dot_product.py"
N_CHARTS = 7  # X, Q|K|V, scores|scaled, masked|weights, output, and the two charts of the trace panel


@pytest.fixture(scope="module")
def at():
    return open_page(PAGE)


def test_default_renders_every_step(at):
    assert len(charts(at)) == N_CHARTS
    assert len(at.latex) >= 10
    assert at.title[0].value == "Scaled dot-product attention"


@pytest.mark.parametrize(
    "key,values",
    [
        ("sdp_d_model", [2, 64]),
        ("sdp_d_k", [1, 64]),
        ("sdp_tau", [0.1, 5.0]),
    ],
)
def test_sliders_at_extremes(at, key, values):
    before = charts(at)[1].proto.spec
    for v in values:
        at.slider(key=key).set_value(v).run()
        ok(at)
        assert len(charts(at)) == N_CHARTS
    assert charts(at)[1].proto.spec != before or key == "sdp_tau"
    at.slider(key=key).set_value(at.slider(key=key).proto.default[0]).run()


def test_toggles_projection_seed(at):
    at.toggle(key="sdp_numbers").set_value(True).run()
    assert '"texttemplate":"%{text}"' in charts(at)[1].proto.spec  # numbers printed in the cells
    at.toggle(key="sdp_pe").set_value(False).run()
    at.toggle(key="sdp_scaling").set_value(False).run()
    at.number_input(key="sdp_seed").set_value(1_000_000).run()
    at.radio(key="sdp_projection").set_value("identity").run()
    ok(at)
    assert at.slider(key="sdp_d_k").disabled
    at.radio(key="sdp_projection").set_value("random").run()
    at.toggle(key="sdp_pe").set_value(True).run()
    at.toggle(key="sdp_scaling").set_value(True).run()
    at.toggle(key="sdp_numbers").set_value(False).run()
    ok(at)
    assert "texttemplate" not in charts(at)[1].proto.spec


@pytest.mark.parametrize("mask", ["none", "causal", "padding", "custom"])
def test_every_mask(at, mask):
    at.selectbox(key="sdp_mask").set_value(mask).run()
    ok(at)
    assert len(charts(at)) == N_CHARTS
    if mask == "padding":
        for v in (0, 12):
            at.slider(key="sdp_pad_last").set_value(v).run()
            ok(at)
        assert any("no key" in i.value for i in at.info)  # all keys padded: rows of zeros, explained
    at.selectbox(key="sdp_mask").set_value("none").run()


def test_trace_panel_extremes(at):
    for i, j in [(0, 0), (11, 11), (0, 11)]:
        at.selectbox(key="sdp_i").set_value(i).run()
        at.selectbox(key="sdp_j").set_value(j).run()
        ok(at)
    assert any("w_{011}" in x.value or "w_{0" in x.value for x in at.latex)


def test_chinese():
    at = open_page(PAGE, lang="zh")
    assert at.title[0].value == "缩放点积注意力"
    assert len(charts(at)) == N_CHARTS


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
    assert len(charts(at)) == N_CHARTS
