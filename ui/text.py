"""Safe display of user text: markdown and LaTeX must never interpret what the user typed."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$&:])")


def md_escape(text: str) -> str:
    """Backslash-escape markdown, HTML and LaTeX ($) characters so Streamlit shows them literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def token_label(index: int, token: str) -> str:
    """A label that stays unique when a token repeats: '3 · the'."""
    return f"{index} · {token}"


def token_labels(tokens) -> list[str]:
    """``token_label`` of every token: ['0 · The', '1 · animal', …]."""
    return [token_label(i, tok) for i, tok in enumerate(tokens)]
