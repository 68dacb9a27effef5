"""Tokens are grapheme clusters: what a reader sees as one character is never split, and floods are capped."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.tokens import MAX_CLUSTER, MAX_MARKS, clean_text, clip_text, shorten, tokenize

FAMILY = "👨\u200d👩\u200d👧\u200d👦"
ZALGO = "".join(c + "\u0301\u0302\u0303\u0304" * 10 for c in "zalgotexts")  # 10 letters, 40 marks each


@pytest.mark.parametrize(
    "text,expected",
    [
        ("नमस्ते", ["नमस्ते"]),  # one word: virama and vowel signs stay on their letters
        ("नमस्ते दुनिया", ["नमस्ते", "दुनिया"]),
        ("สวัสดีครับ", ["สวัสดีครับ"]),  # Thai writes no spaces: one run of letters, never split mid-syllable
        ("مَرْحَبًا بِكَ", ["مَرْحَبًا", "بِكَ"]),  # harakat stay on their letters
        (FAMILY, [FAMILY]),
        ("👍🏽", ["👍🏽"]),
        ("🇨🇳🇺🇸", ["🇨🇳", "🇺🇸"]),
        ("1️⃣ ☺️", ["1️⃣", "☺️"]),
        ("a" + FAMILY + "b", ["a", FAMILY, "b"]),
        ("e\u0301t\u00e9", ["été"]),  # NFC first
        ("\u202eevil\u202c text", ["evil", "text"]),  # bidi override dropped
        ("\u2066iso\u2069", ["iso"]),
        ("zero\u200bwidth", ["zerowidth"]),  # invisible, dropped without splitting the word
        ("\ud800lone\udfff", ["lone"]),  # lone surrogates dropped
        ("\x00\x07\x1b[31m", ["[", "31m"]),
        ("don't rock'n'roll dogs'", ["don't", "rock'n'roll", "dogs", "'"]),
        ("<b>x</b>", ["<", "b", ">", "x", "<", "/", "b", ">"]),
        ("日本語のテキスト", ["日", "本", "語", "のテキスト"]),
        ("한국어", ["한국어"]),
        (" \u0301", ["\u0301"]),  # a mark on a space: the mark is kept, the space is not
    ],
)
def test_grapheme_tokens(text, expected):
    assert tokenize(text) == expected


def test_zalgo_is_one_word_with_capped_marks():
    (word,) = tokenize(ZALGO)
    assert len(word) == 10 * (1 + MAX_MARKS)
    bases = (c for c in unicodedata.normalize("NFD", word) if not unicodedata.category(c).startswith("M"))
    assert "".join(bases) == "zalgotexts"


def test_a_zwj_flood_is_capped():
    (token,) = tokenize("👍" + "\u200d" * 5000)
    assert len(token) <= MAX_CLUSTER


def test_clip_text_never_splits_a_cluster():
    assert clip_text("abc", 5) == "abc"
    assert clip_text("ab" + FAMILY, 5) == "ab"  # the family is 7 code points: kept whole or not at all
    assert clip_text("ab" + FAMILY, 9) == "ab" + FAMILY
    assert clip_text("e\u0301" * 3, 3) == "e\u0301"
    assert clip_text("x" * 100_000, 2000) == "x" * 2000


def test_clean_text_replaces_lone_surrogates_only():
    assert clean_text("a\ud800b\udfff") == "a\ufffdb\ufffd"
    assert clean_text(FAMILY) == FAMILY
    clean_text("x" * 10).encode("utf-8")


def test_shorten_is_grapheme_safe():
    assert shorten("short") == "short"
    assert shorten("a" * 13) == "a" * 11 + "…"
    assert shorten(FAMILY * 20, 5) == FAMILY * 2 + "…"  # an emoji is two cells wide, the ellipsis one
    assert shorten("注意力机制就是加权平均", 7) == "注意力…"
    assert shorten("e\u0301" * 13, 12) == "e\u0301" * 11 + "…"
    assert shorten("e\u0301" * 12, 12) == "e\u0301" * 12  # 24 code points but 12 clusters: fits


TEXT = st.text(st.characters(exclude_categories=()), max_size=60) | st.lists(
    st.sampled_from(["a", "b", " ", "'", "\u0301", "\u200d", "👍", "🏽", "🇨", "日", "\u202e", "\x00", "\ud800", "."]),
    max_size=40,
).map("".join)


@given(TEXT)
def test_tokens_are_never_empty_and_carry_no_space_or_control(text):
    for token in tokenize(text):
        assert token
        assert not any(c.isspace() for c in token)
        assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in token)
        assert not any(c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" for c in token)


@given(TEXT)
def test_tokens_keep_the_visible_order(text):
    """The tokens, joined, are a subsequence of the normalised text (nothing reordered or invented)."""
    source = iter(unicodedata.normalize("NFC", text))
    assert all(c in source for c in "".join(tokenize(text)))


@given(TEXT)
def test_tokenizing_the_tokens_again_gives_them_back(text):
    tokens = tokenize(text)
    assert tokenize(" ".join(tokens)) == tokens
