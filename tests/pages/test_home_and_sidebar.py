"""The router, the home page and the shared sidebar."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.pages.apptest import APP, ok, open_page
from ui.i18n import browser_language, catalog, language_named, t
from ui.registry import PAGES


def test_home_links_every_registered_page():
    at = open_page()
    links = at.get("page_link")
    assert len(links) == len(PAGES)
    assert [link.proto.page for link in links] == [spec.url_path for spec in PAGES]  # in the registry's order
    assert [link.label for link in links] == [t(f"{spec.key}.nav", lang="en") for spec in PAGES]
    assert at.title[0].value == t("home.title", lang="en")
    text = " ".join(m.value for m in at.markdown)
    assert t("home.intro", lang="en") in text and t("home.how", lang="en") in text


def test_home_in_chinese():
    at = open_page(lang="zh")
    assert "注意力" in at.title[0].value
    assert at.sidebar.text_input(key="text").value == catalog("zh")["sidebar.default_sentence"]


def test_catalogues_have_the_same_keys_and_no_empty_text():
    en, zh = catalog("en"), catalog("zh")
    assert set(en) == set(zh), sorted(set(en) ^ set(zh))
    assert all(isinstance(v, str) and v.strip() for v in (*en.values(), *zh.values()))
    for spec in PAGES:
        assert f"{spec.key}.nav" in en and f"{spec.key}.summary" in en


def test_language_switch_swaps_the_default_sentence_but_keeps_a_typed_one():
    at = open_page()
    at.sidebar.get("segmented_control")[0].set_value("zh").run()
    ok(at)
    assert at.session_state["text"] == catalog("zh")["sidebar.default_sentence"]
    at.sidebar.text_input(key="text").set_value("my own words").run()
    at.sidebar.get("segmented_control")[0].set_value("en").run()
    assert ok(at).session_state["text"] == "my own words"


@pytest.mark.parametrize("lang", ["xx", "<script>", "", "zh" * 500])
def test_absurd_language_falls_back_to_english(lang):
    at = open_page(lang=lang)
    assert at.title[0].value.startswith("Attention Lab")


@pytest.mark.parametrize("value", ["zh", "中文"])
def test_shared_link_language_as_code_or_as_the_switch_writes_it(value):
    # the address bar says ?lang=zh; links from older versions say ?lang=中文: both open the page in Chinese
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = value
    ok(at.run())
    assert at.session_state["lang"] == "zh"
    assert at.session_state["text"] == catalog("zh")["sidebar.default_sentence"]  # not the English one


def test_language_named():
    assert [language_named(v) for v in ("en", "English", "zh", "中文", None, "ZH", "中文" * 9)] == [
        "en", "en", "zh", "zh", None, None, None,
    ]  # fmt: skip


def test_browser_language():
    assert [browser_language(v) for v in ("zh-CN", "zh", "zh-Hant-TW", "zh_TW", "ZH-cn", "en-US", "ja", "", None)] == [
        "zh", "zh", "zh", "zh", "zh", "en", "en", "en", "en",
    ]  # fmt: skip


@pytest.mark.parametrize("locale,lang", [("zh-CN", "zh"), ("en-GB", "en")])
def test_without_lang_in_the_link_the_browser_language_decides(locale, lang, monkeypatch):
    import streamlit as st

    monkeypatch.setattr(type(st.context), "locale", property(lambda self: locale))
    at = ok(AppTest.from_file(APP, default_timeout=60).run())
    assert at.session_state["lang"] == lang
    assert at.title[0].value == t("home.title", lang=lang)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en" if lang == "zh" else "zh"  # a link's language wins over the browser's
    assert ok(at.run()).session_state["lang"] != lang


def test_every_page_file_is_named_like_its_url():
    # a fresh server's first request finds pages by file name: a deep link must match one
    for spec in PAGES:
        assert (ROOT / spec.path).is_file() and Path(spec.path).stem == spec.url_path
    assert sorted(p.stem for p in (ROOT / "pages").glob("*.py")) == sorted(["home", *(s.url_path for s in PAGES)])
