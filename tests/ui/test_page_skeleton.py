"""The page skeleton (ui/page.py): widget keys, lazy tabs, fragments and presets, on a tiny page."""

import pytest
from streamlit.testing.v1 import AppTest

from ui.page import Page, PageContext, View


def test_widget_keys_start_with_the_page_key():
    ctx = PageContext("sdp", "zh", ("a", "b"), ("0 · a", "1 · b"))
    assert ctx.key("d_model") == "sdp_d_model"
    assert ctx.key("mask", translated=True) == "sdp_mask_zh"
    other = PageContext("sdp", "zh", ("a", "c"), ("0 · a", "1 · c"))
    assert ctx.key("i", per_sentence=True) == ctx.key("i", per_sentence=True) != other.key("i", per_sentence=True)
    assert ctx.key("i", per_sentence=True).startswith("sdp_i_")


def test_page_text_is_looked_up_in_the_context_language():
    assert PageContext("sdp", "zh").t("title") != PageContext("sdp", "en").t("title")


def test_a_preset_names_an_existing_tab():
    page = Page(key="sdp", tabs=(View("inputs", print), View("scores", print)))
    assert page.tab_names == ("inputs", "scores")
    with pytest.raises(ValueError, match="no tab 'nope'"):
        page.preset(tab="nope")


def tiny_app():
    import streamlit as st

    from ui.page import Page, View

    def controls(ctx):
        return st.slider("d", 1, 8, 2, key=ctx.key("d"))

    def draw(name):
        def view(ctx, run):
            st.session_state.setdefault("drawn", []).append(name)
            st.write(f"{name}:{ctx.config}:{run}")

        return view

    page = Page(key="sdp", uses_sentence=False, controls=controls, compute=lambda ctx, d: d * 10,
                tabs=(View("inputs", draw("inputs")), View("scores", draw("scores"), fragment=True)))  # fmt: skip
    if st.session_state.get("preset"):
        page.preset({"d": 5}, tab="scores")
        st.session_state.preset = False
    page.run()


def test_only_the_open_tab_runs_and_a_preset_opens_another(monkeypatch):
    import ui.path

    # no router here: the previous/next page links have nowhere to go (undone after the test: the pages' own
    # tests, in this process, need the real footer)
    monkeypatch.setattr(ui.path, "footer", lambda key: None)
    at = AppTest.from_function(tiny_app)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["drawn"] == ["inputs"]
    assert any(m.value == "inputs:2:20" for m in at.markdown)
    at.session_state["preset"] = True
    at.session_state["drawn"] = []
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["drawn"] == ["scores"]
    assert any(m.value == "scores:5:50" for m in at.markdown)
    assert at.slider(key="sdp_d").value == 5
