"""A small, predictable tokenizer for the toy pages (the real model uses its own WordPiece).

Tokens are made of grapheme clusters, what a reader sees as one character (``\\X`` of the ``regex``
package): "e" + ◌́, Hindi "स्ते", a vocalised Arabic letter, 👨‍👩‍👧‍👦, 👍🏽 and 🇨🇳 are one cluster each.

- Words are runs of clusters that start with a letter or digit (an apostrophe inside a word stays:
  "didn't"), so नमस्ते, สวัสดี and مَرْحَبًا are one word each; CJK ideographs are a token each, as is
  every other visible cluster (punctuation, symbols, emoji).
- Text is NFC-normalised first. Invisible characters that stand alone (controls such as NUL, bidi
  overrides U+202A–202E and U+2066–2069, zero-width spaces, lone surrogates) are dropped; inside a
  cluster, ZWJ, variation selectors, skin-tone modifiers and regional indicators stay where they are.
- A cluster keeps at most ``MAX_MARKS`` combining marks and ``MAX_CLUSTER`` code points, so a flood
  of marks ("Zalgo" text) cannot make a label thousands of characters long.

Also here, as pure functions on text: ``clean_text`` and ``clip_text`` (what the sentence boxes keep)
and ``shorten`` (labels in figures).
"""

from __future__ import annotations

import unicodedata

import regex

_CJK = (
    "\u3400-\u4dbf"  # CJK Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\U00020000-\U0003134f"  # Extensions B–G
)
_IS_CJK = regex.compile(rf"[{_CJK}]")
_CLUSTER = regex.compile(r"\X")
_LONE_SURROGATE = regex.compile(r"[\ud800-\udfff]")
_INVISIBLE = ("Cc", "Cf", "Cs", "Co")  # controls, format characters, surrogates, private use
_APOSTROPHES = ("'", "’")
MAX_MARKS = 4  # combining marks kept per cluster (Vietnamese and vocalised Arabic need 2, Zalgo hundreds)
MAX_CLUSTER = 16  # code points kept per cluster (a family emoji with skin tones has 11)
ELLIPSIS = "…"


def _invisible(c: str) -> bool:
    return c.isspace() or unicodedata.category(c) in _INVISIBLE


def _trim(cluster: str) -> str:
    """A cluster without more than MAX_MARKS combining marks and MAX_CLUSTER code points."""
    if len(cluster) <= 2:
        return cluster
    kept, marks = [], 0
    for c in cluster:
        if unicodedata.category(c).startswith("M"):
            marks += 1
            if marks > MAX_MARKS:
                continue
        kept.append(c)
    return "".join(kept[:MAX_CLUSTER])


def _clusters(text: str):
    """(kind, cluster) of every cluster: kind "word" (starts with a letter or digit), "apostrophe",
    "other" (CJK ideograph, punctuation, symbol, emoji) or "space"; invisible clusters are left out."""
    for cluster in _CLUSTER.findall(text):
        head, space = 0, False
        while head < len(cluster) and _invisible(cluster[head]):  # " ́": a space that carries a mark
            space = space or cluster[head].isspace()
            head += 1
        if space:
            yield "space", ""
        if head == len(cluster):
            continue
        cluster = _trim(cluster[head:])
        first = cluster[0]
        if first.isalnum() and not _IS_CJK.match(first):
            yield "word", cluster
        else:
            yield ("apostrophe" if cluster in _APOSTROPHES else "other"), cluster


def tokenize(text: str) -> list[str]:
    """Split ``text`` into word / ideograph / symbol tokens, each made of whole grapheme clusters; blank
    text gives []."""
    if not text:
        return []
    text = unicodedata.normalize("NFC", str(text))
    tokens: list[str] = []
    word: list[str] = []  # the clusters of the word being read
    apostrophe = ""  # an apostrophe after a word: inside it if a letter follows
    for kind, cluster in _clusters(text):
        if kind == "word":
            if word and apostrophe:
                word.append(apostrophe)
                apostrophe = ""
            word.append(cluster)
            continue
        if kind == "apostrophe" and word and not apostrophe:
            apostrophe = cluster
            continue
        if word:
            tokens.append("".join(word))
            word = []
        if apostrophe:
            tokens.append(apostrophe)
            apostrophe = ""
        if kind != "space":
            tokens.append(cluster)
    if word:
        tokens.append("".join(word))
    if apostrophe:
        tokens.append(apostrophe)
    return tokens


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate (U+D800–DFFF, which no UTF-8 can carry) replaced by U+FFFD."""
    text = str(text)
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def clip_text(text: str, most: int) -> str:
    """The longest start of ``text`` of at most ``most`` characters (code points) that ends between two
    grapheme clusters: a cut never splits 👨‍👩‍👧‍👦 or a letter from its accent."""
    if len(text) <= most:
        return text
    end = 0
    for match in _CLUSTER.finditer(text, 0, most + 1):
        if match.end() > most:
            break
        end = match.end()
    return text[:end]


def display_width(text: str) -> int:
    """Width of ``text`` in character cells: 2 for a wide grapheme cluster (CJK, most emoji), 1 for others."""
    return sum(2 if unicodedata.east_asian_width(c[0]) in "WF" else 1 for c in _CLUSTER.findall(str(text)))


def shorten(text: str, most: int = 12) -> str:
    """``text`` itself when it is at most ``most`` cells wide (``display_width``), else its first whole
    grapheme clusters and "…", together at most ``most`` cells."""
    text = str(text)
    if len(text) <= most // 2:
        return text
    clusters = _CLUSTER.findall(text)
    widths = [2 if unicodedata.east_asian_width(c[0]) in "WF" else 1 for c in clusters]
    if sum(widths) <= most:
        return text
    kept, used = [], 0
    for cluster, width in zip(clusters, widths):
        if used + width > most - 1:
            break
        kept.append(cluster)
        used += width
    return "".join(kept) + ELLIPSIS
