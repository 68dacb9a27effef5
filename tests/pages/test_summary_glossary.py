"""The summary and glossary pages: live figures on the sentence, every term in both languages, search."""

import pytest

from core.tokens import tokenize
from tests.pages.apptest import charts, open_page
from ui.glossary import ENTRIES, by_page, rows
from ui.i18n import catalog, t
from ui.registry import find_key

SUMMARY = "pages/summary.py"
GLOSSARY = "pages/glossary.py"
SUMMARY_CHARTS = ["summary_focus", "summary_global", "summary_parallel", "summary_block"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_summary_draws_each_point_on_the_sentence(lang):
    at = open_page(SUMMARY, lang=lang)
    assert [c.key for c in charts(at)] == SUMMARY_CHARTS
    n = len(tokenize(catalog(lang)["sidebar.default_sentence"]))
    assert any(c.value == t("summary.parallel_numbers", lang, n=n, att=1, rnn=n) for c in at.caption)
    headers = [h.value for h in at.subheader]
    assert headers[:4] == [t(f"summary.{k}_header", lang) for k in ("focus", "global", "parallel", "block")]


def test_summary_follows_a_new_sentence_and_refuses_an_empty_one():
    at = open_page(SUMMARY, text="one two three")
    assert any(c.value == t("summary.parallel_numbers", "en", n=3, att=1, rnn=3) for c in at.caption)
    assert '"2 · three"' in next(c for c in charts(at) if c.key == "summary_focus").proto.spec
    empty = open_page(SUMMARY, text="")
    assert empty.info and not charts(empty)


def test_every_glossary_term_has_both_languages_and_a_registered_page():
    for entry in ENTRIES:
        assert find_key(entry.page) is not None, entry
        for lang in ("en", "zh"):
            assert catalog(lang)[f"glossary.term_{entry.id}"] and catalog(lang)[f"glossary.def_{entry.id}"]
    assert len(rows("en")) == len(ENTRIES) == len({e.id for e in ENTRIES})


def test_search_finds_a_term_from_either_language():
    key_rows = rows("en", "键")  # the Chinese name of "key" finds it in the English table
    assert any(row["term"] == "key" for row in key_rows)
    assert [row["term"] for row in rows("zh", "layer normalisation")] == ["层归一化"]
    assert rows("en", "no such term at all") == []
    groups = by_page(rows("zh"))
    assert [page for page, _ in groups][:2] == ["intuition", "sdp"] and groups[0][1][0]["term"] == "注意力"
    assert sum(len(group) for _, group in groups) == len(ENTRIES)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_glossary_page_lists_and_filters(lang):
    at = open_page(GLOSSARY, lang=lang)
    total = len(ENTRIES)
    assert at.title[0].value == t("glossary.title", lang)
    assert any(c.value == t("glossary.count", lang, shown=total, total=total) for c in at.caption)
    tables = [m.value for m in at.markdown if m.value.startswith("| ")]
    assert sum(table.count("\n| **") for table in tables) == total  # one row per term, under its page
    assert len(at.get("page_link")) == len(by_page(rows(lang)))
    at.text_input(key="glossary_search").set_value("softmax").run()
    shown = sum(m.value.count("\n| **") for m in at.markdown if m.value.startswith("| "))
    assert 1 <= shown < total
    at.text_input(key="glossary_search").set_value("<script>alert(1)</script>").run()
    assert not at.exception and at.info[0].value == t("glossary.no_match", lang)


def test_glossary_claim_many_heads_park_on_special_tokens(minilm_model):
    """def_special_tokens: "many heads park their attention on them" — 34 of 72 on the default sentence."""
    W = minilm_model.trace(catalog("en")["sidebar.default_sentence"]).weights  # (L, h, n, n)
    on_special = (W[..., 0] + W[..., -1]).mean(axis=-1)  # mean over queries of the weight on [CLS] + [SEP]
    assert (on_special > 0.5).sum() >= 30
