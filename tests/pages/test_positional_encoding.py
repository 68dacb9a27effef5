"""AppTest for the positional-encoding page: 2048 positions, d_model up to 1024 and odd, the order demo."""

import pytest

from tests.pages.apptest import charts, ok, open_page

PAGE = "pages/positional_encoding.py"
N_CHARTS = 14  # table, curves, wavelengths, similarity, profile, rotation, circle, E, PE, X, 4 order heatmaps


@pytest.fixture(scope="module")
def at():
    return open_page(PAGE)


def spec(at, key):
    return next(c for c in charts(at) if c.key == key).proto.spec


def test_default_checks_both_properties(at):
    assert at.title[0].value == "Positional encoding"
    assert len(charts(at)) == N_CHARTS
    assert any("depends on the offset only" in s.value for s in at.success)
    assert any("PE(pos)·M(5)" in s.value for s in at.success)
    assert any("rounding error only" in c.value for c in at.caption)


def test_largest_table(at):
    before = spec(at, "pe_table")
    at.slider(key="pe_positions").set_value(2048).run()
    at.slider(key="pe_d_model").set_value(1024).run()
    ok(at)
    assert len(charts(at)) == N_CHARTS
    assert spec(at, "pe_table") != before
    assert "averages of 8 × 4 cells" in spec(at, "pe_table")  # 2048 × 1024 shown as 256 × 256


def test_odd_and_tiny_d_model(at):
    for d in (7, 1):
        at.slider(key="pe_d_model").set_value(d).run()
        ok(at)
        assert len(charts(at)) == N_CHARTS - 2  # no rotation for an odd width: explained instead
        assert any(f"d_model = {d} is odd" in i.value for i in at.info)
        assert at.warning  # PE·PEᵀ no longer depends on the offset only
    at.slider(key="pe_d_model").set_value(128).run()
    ok(at)


def test_rotation_controls_follow_the_table(at):
    at.slider(key="pe_positions").set_value(2048).run()
    at.number_input(key="pe_offset").set_value(2047).run()
    at.number_input(key="pe_pair").set_value(63).run()
    at.number_input(key="pe_pos").set_value(2047).run()
    ok(at)
    at.slider(key="pe_positions").set_value(2).run()  # offset and position are pulled back to ≤ 1
    ok(at)
    assert at.number_input(key="pe_offset").value == 1 and at.number_input(key="pe_pos").value == 1
    at.number_input(key="pe_base").set_value(2.0).run()
    ok(at)
    at.number_input(key="pe_base").set_value(1e6).run()
    ok(at)
    assert len(charts(at)) == N_CHARTS


def test_order_demo_views(at):
    at.toggle(key="pe_align").set_value(True).run()
    at.number_input(key="pe_shuffle").set_value(1_000_000).run()
    ok(at)
    assert len(charts(at)) == N_CHARTS


def test_chinese():
    at = open_page(PAGE, lang="zh")
    assert at.title[0].value == "位置编码"
    assert len(charts(at)) == N_CHARTS


def test_empty_sentence_keeps_the_sentence_free_figures():
    at = open_page(PAGE, text="")
    assert at.info and len(charts(at)) == N_CHARTS - 7


@pytest.mark.parametrize("text", ["x", "<b>bold</b> $$x$$ **y** 🤖 مرحبا"])
def test_one_token_and_hostile_text(text):
    at = open_page(PAGE, text=text)
    assert len(charts(at)) == N_CHARTS
    if "<b>" in text:  # the shuffled copy is shown as markdown: user text must arrive escaped
        assert any(r"\<" in c.value and r"\>" in c.value for c in at.caption)
