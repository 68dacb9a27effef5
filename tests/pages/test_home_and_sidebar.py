"""The router, the home page and the shared sidebar."""

import pytest

from tests.pages.apptest import ok, open_page
from ui.i18n import catalog
from ui.registry import PAGES


def test_home_links_every_registered_page():
    at = open_page()
    links = at.get("page_link")
    assert len(links) == len(PAGES)
    text = " ".join(m.value for m in at.markdown)
    assert "Attention" in at.title[0].value and text


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
