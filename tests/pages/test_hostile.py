"""Every hostile sentence of tests/hostile.py against the app, as the first request of a session.

Which runs where, to keep the matrix at about a minute: every case (52) on the cheapest full path, the
tokenizer, the sidebar and the scaled dot-product page (the first toy page, which draws the sentence's
heatmaps), in English and in Chinese; a representative subset (18 cases, one of each kind of trouble)
on every other page, home included. Each run checks:

- no exception, and the first render within ``BUDGET`` seconds;
- no HTML element made from user text: the one ``st.html`` is the app's stylesheet, no markdown
  allows HTML, no text element or figure carries an unescaped <script>, <img>, <svg> or <iframe>;
- a message in the user's language wherever the text was cut (characters), is empty or has more
  tokens than the pages draw;
- the page still answers: a normal sentence typed afterwards is taken and drawn.

A case travels in the link (?text=) when a URL can carry it, else in session state (a lone surrogate
has no UTF-8 form; a 2 MB link is beyond Streamlit's 512 Ki-character limit on query strings, which
test_a_two_megabyte_link_is_ignored_as_streamlit_ignores_it covers).
"""

from __future__ import annotations

import json
import re
import time

import pytest
from streamlit.testing.v1 import AppTest

from core.tokens import clean_text, clip_text, tokenize
from tests.hostile import CASES, REPRESENTATIVE, Case
from tests.pages.apptest import APP, charts, ok
from ui.i18n import t
from ui.registry import PAGES
from ui.sidebar import MAX_CHARS, MAX_TOKENS

BUDGET = 10.0  # seconds for one render in AppTest
CHEAP_PAGE = "pages/scaled-dot-product.py"
OTHER_PAGES = ["pages/home.py", *(spec.path for spec in PAGES if spec.path != CHEAP_PAGE)]
URL_MAX = 100_000  # longer texts go through session state (see the module docstring)
DANGER = re.compile(r"(?<!\\)<\s*/?\s*(script|img|svg|iframe)", re.IGNORECASE)
TEXT_ELEMENTS = ("markdown", "caption", "warning", "info", "error", "success", "title", "subheader", "text")


def open_case(case: Case, page: str, lang: str = "en") -> tuple[AppTest, float]:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    if case.url and 0 < len(case.text) <= URL_MAX:
        at.query_params["text"] = case.text
    else:
        at.session_state["text"] = case.text
    at.switch_page(page)
    start = time.perf_counter()
    at.run()
    return ok(at), time.perf_counter() - start


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in at.get(kind)]


def assert_no_markup_from_user_text(at: AppTest) -> None:
    assert len(at.get("html")) == 1  # the stylesheet app.py draws
    assert not any(m.proto.allow_html for m in at.get("markdown"))
    for kind in TEXT_ELEMENTS:
        for value in texts(at, kind):
            assert not DANGER.search(value), (kind, value[:200])
    for chart in charts(at):
        assert not DANGER.search(chart.proto.spec), chart.key
        json.loads(chart.proto.spec)


def assert_messages(at: AppTest, case: Case, lang: str, uses_sentence: bool) -> None:
    cleaned = clean_text(case.text)
    kept = clip_text(cleaned, MAX_CHARS)
    if len(kept) < len(cleaned):
        assert t("input.cut", lang, n=len(cleaned), kept=len(kept), max_chars=MAX_CHARS) in texts(at, "warning")
    if not uses_sentence:
        return
    tokens = tokenize(kept)
    if not tokens:
        assert t("input.empty", lang) in texts(at, "info")
    elif len(tokens) > MAX_TOKENS:
        notices = {
            t("input.truncated", lang, n=len(tokens), max_tokens=MAX_TOKENS),
            t("input.truncated_cut", lang, kept=len(kept), n=len(tokens), max_tokens=MAX_TOKENS),
        }
        assert notices & set(texts(at, "warning"))


def assert_still_answers(at: AppTest, lang: str) -> None:
    sentence = t("sidebar.default_sentence", lang)
    at.sidebar.text_input(key="text").set_value("the cat sat on the mat").run()
    assert ok(at).session_state["text"] == "the cat sat on the mat"
    assert at.title and t("input.empty", lang) not in texts(at, "info")
    at.sidebar.text_input(key="text").set_value(sentence).run()
    assert ok(at).session_state["text"] == sentence


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_case_on_the_sidebar_and_the_first_toy_page(case, lang):
    at, seconds = open_case(case, CHEAP_PAGE, lang)
    assert seconds < BUDGET
    assert_no_markup_from_user_text(at)
    assert_messages(at, case, lang, uses_sentence=True)
    tokens = tokenize(at.session_state["text"])
    assert all(tok and not any(c.isspace() for c in tok) for tok in tokens)
    if tokens:
        assert charts(at)
    assert_still_answers(at, lang)


@pytest.mark.parametrize("page", OTHER_PAGES)
@pytest.mark.parametrize("case", REPRESENTATIVE, ids=[c.name for c in REPRESENTATIVE])
def test_representative_cases_on_every_page(case, page):
    at, seconds = open_case(case, page)
    assert seconds < BUDGET
    assert_no_markup_from_user_text(at)
    assert_messages(at, case, "en", uses_sentence=False)
    assert_still_answers(at, "en")


def test_a_two_megabyte_link_is_ignored_as_streamlit_ignores_it():
    """Streamlit drops a query string over 512 Ki characters before the app sees it: the default page opens."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["text"] = "x" * 2_000_000
    at.switch_page(CHEAP_PAGE)
    ok(at.run())
    assert at.session_state["text"] == t("sidebar.default_sentence", "en") and charts(at)
