"""A small, predictable tokenizer for the toy pages (the real model uses its own WordPiece).

Words are runs of letters and digits (an apostrophe inside a word stays: "didn't"); every CJK
ideograph is a token of its own, as is every other visible character (punctuation, symbols, emoji).
"""

from __future__ import annotations

import re
import unicodedata

_CJK = (
    "\u3400-\u4dbf"  # CJK Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\U00020000-\U0003134f"  # Extensions B–G
)
_LETTER = rf"(?:(?![{_CJK}])[^\W_])"  # a letter or digit that is not a CJK ideograph
_TOKEN = re.compile(rf"[{_CJK}]|{_LETTER}+(?:['’]{_LETTER}+)*|\S")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into word / ideograph / symbol tokens; blank text gives [].

    Text is NFC-normalised first (so "é" typed as e + ◌́ stays one letter) and control characters
    such as NUL are dropped: they are invisible and would make unreadable axis labels.
    """
    if not text:
        return []
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(c for c in text if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co"))
    return _TOKEN.findall(text)
