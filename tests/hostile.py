"""A catalogue of hostile and unusual sentences, as data: what a classroom of 30 can type, paste or put in a link.

Each case has a name (the test id) and the text; ``url=False`` where the text cannot travel in a URL (a
lone surrogate has no UTF-8 form): those are put into session state instead, as a broken browser would.
``REPRESENTATIVE`` names the subset run on every page (tests/pages/test_hostile.py says why).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    url: bool = True  # can be sent as ?text=


FAMILY = "👨\u200d👩\u200d👧\u200d👦"
ZALGO = "".join(c + "\u0336\u0301\u0316\u0317\u0318\u0319\u031a\u031b" * 5 for c in "zalgotexts")

CASES = [
    # empty and blank
    Case("empty", ""),
    Case("whitespace", "  \t \u3000 \u00a0 "),
    Case("newlines", "\n\r\n\n"),
    # sizes
    Case("chars_100k", ("lorem ipsum " * 8334)[:100_000]),
    Case("tokens_10k", "w " * 10_000),
    Case("word_10k", "a" * 10_000),
    Case("word_250", "The " + "a" * 250 + " sat."),
    Case("chars_2mb", "x" * 2_000_000),
    Case("same_word_64", "the " * 64),
    Case("tokens_65", " ".join(f"w{i}" for i in range(65))),
    Case("tokens_129", " ".join(f"w{i}" for i in range(129))),
    Case("tokens_513", " ".join(f"w{i}" for i in range(513))),
    # invisible and broken characters
    Case("null_bytes", "nul\x00byte\x00"),
    Case("controls", "\x01\x02\x07\x1b[31mred\x1b[0m\x7f\x9f"),
    Case("lone_surrogate_high", "bad \ud800 text", url=False),
    Case("lone_surrogate_low", "\udfff alone", url=False),
    Case("percent_garbage", "%ED%A0%80 %FF%FE %00 %zz %"),
    Case("replacement_chars", "\ufffd\ufffd broken"),
    Case("zero_width", "zero\u200bwidth\u200c\u200djoin\ufeff"),
    Case("private_use", "\ue000\uf8ff \U000f0000"),
    Case("noncharacters", "\uffff\ufffe \U0010ffff"),
    # bidirectional text
    Case("arabic", "مرحبا بالعالم"),
    Case("hebrew", "שלום עולם"),
    Case("rtl_override", "abc\u202edcba\u202c xyz"),
    Case("bidi_isolates", "\u2066iso\u2069 \u2067rtl\u2069 \u2068fs\u2069"),
    # combining marks and emoji
    Case("zalgo", ZALGO),
    Case("zalgo_flood", "Z" + "\u0301" * 5000),
    Case("emoji_family", FAMILY + " family"),
    Case("emoji_skin_tone", "👍🏽 ok"),
    Case("emoji_flags", "🇨🇳🇺🇸🇯🇵"),
    Case("emoji_200_families", FAMILY * 200),
    # markup that must stay text
    Case("script_tag", "<script>alert(1)</script>"),
    Case("img_onerror", "<img src=x onerror=alert(1)>"),
    Case("svg_onload", "<svg onload=alert(1)>"),
    Case("iframe", '<iframe src="javascript:alert(1)"></iframe>'),
    Case("markdown_link", "[click](javascript:alert(1)) <http://example.invalid>"),
    Case("markdown_image", "![x](http://example.invalid/x.png)"),
    Case("markdown_syntax", "# Title **bold** _it_ `code` > quote | a | b |"),
    Case("latex_href", r"\href{javascript:alert(1)}{x}"),
    Case("latex_url", r"\url{http://example.invalid}"),
    Case("latex_def_loop", r"\def\a{\a}\a"),
    Case("dollars", r"$x^2$ and $$\frac{1}{0}$$"),
    Case("template_syntax", "{{7*7}} ${7*7} {0} %s %(x)s {x!r} #{7*7}"),
    Case("sql", "'; DROP TABLE users; --"),
    # scripts and languages
    Case("chinese", "我爱自然语言处理"),
    Case("japanese", "日本語のテキストです"),
    Case("korean", "한국어 텍스트"),
    Case("thai", "สวัสดีครับ"),
    Case("hindi", "नमस्ते दुनिया"),
    Case("arabic_vocalised", "مَرْحَبًا بِكَ"),
    Case("punctuation_only", "!?.,;:…—«»"),
    Case("mixed", "Attention 注意力 🤖 <b>bold</b> $x$ **y**"),
]

BY_NAME = {case.name: case for case in CASES}
assert len(BY_NAME) == len(CASES), "case names are unique"

# one of each kind of trouble: blank, size, invisible, bidi, marks, emoji, markup, each family of scripts
REPRESENTATIVE = [
    BY_NAME[name]
    for name in (
        "empty", "whitespace", "chars_100k", "word_250", "tokens_129", "null_bytes", "lone_surrogate_high",
        "rtl_override", "zalgo_flood", "emoji_family", "script_tag", "img_onerror", "markdown_link",
        "dollars", "template_syntax", "hindi", "thai", "mixed",
    )
]  # fmt: skip
