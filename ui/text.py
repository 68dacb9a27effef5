"""Safe display of user text: markdown and LaTeX must never interpret what the user typed."""

from __future__ import annotations

import re

from core.tokens import shorten

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$&:])")


def md_escape(text: str) -> str:
    """Backslash-escape markdown, HTML and LaTeX ($) characters so Streamlit shows them literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def quoted(token: str, most: int = 24) -> str:
    """A token to name in running text or a figure title, shortened to ``most`` cells (whole grapheme
    clusters). Still raw: ``md_escape`` it for markdown; ``viz`` escapes figure titles itself."""
    return shorten(token, most)


def token_label(index: int, token: str) -> str:
    """A label that stays unique when a token repeats: '3 · the'."""
    return f"{index} · {token}"


def token_labels(tokens) -> list[str]:
    """``token_label`` of every token: ['0 · The', '1 · animal', …]."""
    return [token_label(i, tok) for i, tok in enumerate(tokens)]


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def number_text(x: float) -> str:
    """A size for running text: 3 significant digits from 0.001 to 999 (0.0675, 235), else
    7.47 × 10³ or 2.59 × 10⁻¹³ (plain text, no LaTeX)."""
    mantissa, exponent = f"{x:.2e}".split("e")
    if x == 0 or -3 <= int(exponent) < 3:
        return f"{x:.3g}"
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"
