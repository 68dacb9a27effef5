"""Cached wrappers around core: pages call these, never core directly for anything costly.

Bounded caches (max_entries): a classroom of users moving sliders must not grow the server's memory.
"""

from __future__ import annotations

import streamlit as st

from core.walkthrough import ToyAttention, ToyConfig, toy_attention


@st.cache_data(max_entries=256, show_spinner=False)
def toy_attention_cached(tokens: tuple[str, ...], config: ToyConfig) -> ToyAttention:
    return toy_attention(tokens, config)
