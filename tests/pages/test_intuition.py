"""AppTest for the intuition page: the query controls at their extremes, the reading panel, bad input."""

import pytest

from tests.pages.apptest import chart_spec, charts, ok, open_page

PAGE = "pages/intuition.py"
K = "intuition_"  # the page's widget and chart keys: K + name
N_CHARTS = 2  # key plane | value plane over the weight bars, shaded sentence


@pytest.fixture
def at():
    return open_page(PAGE)


def test_default_renders(at):
    assert at.title[0].value == "Intuition: attention is selective focus"
    assert len(charts(at)) == N_CHARTS
    assert any(r"w &= \mathrm{softmax}(s/1.00) = \left(" in x.value for x in at.latex)


@pytest.mark.parametrize("name,values", [("angle", [-180, 180]), ("length", [0.0, 2.0]), ("tau", [0.05, 5.0])])
def test_query_controls_at_extremes_move_the_figures(at, name, values):
    key = K + name
    before = chart_spec(at, f"{K}focus")
    for v in values:
        at.slider(key=key).set_value(v).run()
        ok(at)
        assert len(charts(at)) == N_CHARTS
    assert chart_spec(at, f"{K}focus") != before


def test_zero_length_query_spreads_attention_evenly(at):
    at.slider(key=f"{K}length").set_value(0.0).run()
    ok(at)
    assert any("0.20, 0.20, 0.20, 0.20, 0.20" in x.value for x in at.latex)


def test_reading_controls(at):
    before = chart_spec(at, f"{K}sentence")
    assert at.selectbox(key=f"{K}word").value == "7 · it"  # the default sentence's pronoun
    for label in ("0 · The", "11 · ."):
        at.selectbox(key=f"{K}word").set_value(label).run()
        ok(at)
    assert chart_spec(at, f"{K}sentence") != before
    for tau in (0.1, 3.0):
        at.slider(key=f"{K}reading_tau").set_value(tau).run()
        ok(at)
    at.toggle(key=f"{K}skip_self").set_value(False).run()
    ok(at)
    assert len(charts(at)) == N_CHARTS


def test_a_new_sentence_resets_a_stale_word_choice():
    at = open_page(PAGE)
    at.selectbox(key=f"{K}word").set_value("11 · .").run()
    at.session_state["text"] = "猫 睡 了"
    at.run()
    ok(at)
    assert at.selectbox(key=f"{K}word").value in ("0 · 猫", "1 · 睡", "2 · 了")
    assert len(charts(at)) == N_CHARTS


def test_chinese():
    at = open_page(PAGE, lang="zh")
    assert at.title[0].value == "直观理解：注意力就是有选择地关注"
    assert len(charts(at)) == N_CHARTS
    assert at.selectbox(key=f"{K}word").value.endswith("它")


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_sentence_keeps_the_focus_panel(text):
    at = open_page(PAGE, text=text)
    assert at.info and "sentence" in at.info[0].value
    assert len(charts(at)) == N_CHARTS - 1  # no sentence to shade, the query panel still works


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script> **b** $x$", "我爱自然语言处理", "🤖 👀", "word " * 300, "一"]
)
def test_unusual_text(text):
    at = open_page(PAGE, text=text)
    assert len(charts(at)) == N_CHARTS


def test_links_to_the_real_model_and_vision_pages(at):
    # "see also" under the focus panel, the page's own links, then the guided path's "next" (no "previous")
    pages = [link.proto.page for link in at.get("page_link")]
    assert pages == ["why-scaling", "real-model", "vision", "scaled-dot-product"]


def test_the_reading_seed_is_shown_and_moves_the_shading(at):
    from core.demos.selective_focus import READING_SEED

    assert at.number_input(key=f"{K}reading_seed").value == READING_SEED
    before = chart_spec(at, f"{K}sentence")
    at.number_input(key=f"{K}reading_seed").set_value(0).run()
    ok(at)
    assert chart_spec(at, f"{K}sentence") != before


def test_find_page_for_the_vision_link():
    from ui.registry import find_page

    assert find_page("nowhere", "intuition").path == PAGE
    assert find_page("no-such-page") is None
