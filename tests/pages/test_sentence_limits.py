"""What a sentence box keeps: one limit in code points wherever the text comes from, a notice whenever it cuts,
and no lone surrogate ever reaching the browser's state."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, ok, open_page
from ui.i18n import t
from ui.sidebar import MAX_CHARS, MAX_TOKENS, NO_LONE_SURROGATE

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # 7 code points, 11 UTF-16 units


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def cut_text(n: int, lang: str = "en") -> str:
    return t("input.cut", lang, n=n, kept=MAX_CHARS, max_chars=MAX_CHARS)


def from_url(text: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["text"] = text
    at.query_params["lang"] = lang
    return ok(at.run())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_link_is_cut_with_a_notice_in_the_users_language(lang):
    at = from_url("ab " * 1000, lang)
    assert at.session_state["text"] == ("ab " * 1000)[:MAX_CHARS]
    assert at.sidebar.text_input(key="text").value == at.session_state["text"]
    assert cut_text(3000, lang) in warnings(at)


def test_a_long_paste_is_cut_with_a_notice_and_the_notice_goes_with_the_next_sentence():
    at = open_page("pages/scaled-dot-product.py")
    at.sidebar.text_input(key="text").set_value("word " * 1000).run()
    assert len(ok(at).session_state["text"]) == MAX_CHARS
    assert cut_text(5000) in warnings(at)
    # the token notice counts the tokens of the kept characters, and says so
    assert t("input.truncated_cut", "en", kept=MAX_CHARS, n=400, max_tokens=MAX_TOKENS) in warnings(at)
    at.sidebar.text_input(key="text").set_value("a normal sentence").run()
    assert ok(at).session_state["text"] == "a normal sentence" and not warnings(at)


def test_a_book_in_session_state_is_cut_too():
    at = open_page(text="x" * 100_000)
    assert len(at.session_state["text"]) == MAX_CHARS and cut_text(100_000) in warnings(at)


def test_emoji_count_the_same_from_the_box_and_from_a_link():
    """200 family emoji are 1400 code points (2200 UTF-16 units, over the browser's count): kept either way."""
    text = FAMILY * 200
    assert from_url(text).session_state["text"] == text
    at = open_page()
    at.sidebar.text_input(key="text").set_value(text).run()
    assert ok(at).session_state["text"] == text and not warnings(at)
    # over the limit, the cut falls between two emoji
    at.sidebar.text_input(key="text").set_value(FAMILY * 300).run()
    assert ok(at).session_state["text"] == FAMILY * (MAX_CHARS // len(FAMILY))


def test_the_box_has_no_browser_limit_and_refuses_lone_surrogates():
    box = open_page().sidebar.text_input(key="text")
    assert box.proto.max_chars == 0  # no silent refusal by the browser: the server cuts, and says so
    assert box.proto.validate_regex == NO_LONE_SURROGATE
    assert box.proto.validate_message == t("input.surrogate", "en")
    # the browser compiles it with the "u" flag: a surrogate pair is one code point there, as in Python
    pattern = re.compile(NO_LONE_SURROGATE)
    assert pattern.match(FAMILY + "👍🏽 नमस्ते") and not pattern.match("a\ud800") and not pattern.match("\udfffb")


def test_a_lone_surrogate_in_session_state_becomes_a_replacement_character():
    at = open_page("pages/scaled-dot-product.py", text="bad \ud800 text")
    assert at.session_state["text"] == "bad \ufffd text"
    at.sidebar.text_input(key="text").set_value("good text").run()
    assert ok(at).session_state["text"] == "good text"
