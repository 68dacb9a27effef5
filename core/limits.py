"""The documented limits of what the pages compute, in one place (README "Limits" lists them; a test
keeps the two equal). Pages keep input inside them with a notice in the user's language; the core
functions that take such input raise a ValueError naming the limit when called beyond it.
"""

from __future__ import annotations

from collections.abc import Sized

SENTENCE_MAX_CHARS = 2000  # characters (code points) a sentence box keeps
TOY_MAX_TOKENS = 64  # tokens a toy page draws: n × n heatmaps beyond 64 have unreadable labels
MODEL_MAX_TOKENS = 128  # tokens the real model reads, [CLS] and [SEP] included
TOY_MAX_D_MODEL = 64  # the width of the toy embeddings on the step, multi-head and block pages
PE_MAX_POSITIONS = 2048  # rows of the positional-encoding table
PE_MAX_D_MODEL = 1024  # columns of the positional-encoding table
UPLOAD_MAX_BYTES = 5 * 1024 * 1024  # 5 MB as Streamlit counts them (MiB): .streamlit/config.toml maxUploadSize
UPLOAD_MAX_SIDE = 4096  # pixels per side of an uploaded picture
UPLOAD_KEPT_SIDE = 448  # the longest side an upload is shrunk to before it is kept (2 × the working side)


def check_at_most(name: str, value: int, limit: int) -> int:
    """``value`` if 1 ≤ value ≤ limit, else a ValueError that names the limit."""
    if not 1 <= int(value) <= limit:
        raise ValueError(f"{name} must be between 1 and {limit}; got {value}")
    return int(value)


def check_tokens(tokens: Sized, limit: int = TOY_MAX_TOKENS) -> None:
    """A toy page's tokens: at most ``limit`` (the sidebar cuts longer sentences, with a notice)."""
    if len(tokens) > limit:
        raise ValueError(f"at most {limit} tokens; got {len(tokens)} (the page cuts longer sentences)")
