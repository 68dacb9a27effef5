"""Cached wrappers around core: pages call these, never core directly for anything costly.

Bounded caches (max_entries): a classroom of users moving sliders must not grow the server's memory.
"""

from __future__ import annotations

import streamlit as st

from core.walkthrough import ToyAttention, ToyConfig, toy_attention


@st.cache_data(max_entries=256, show_spinner=False)
def toy_attention_cached(tokens: tuple[str, ...], config: ToyConfig) -> ToyAttention:
    return toy_attention(tokens, config)


# the wrappers below import core lazily, so other pages' wrappers can be appended without touching
# the import block at the top of this file


@st.cache_data(max_entries=64, show_spinner=False)
def focus_cached(angle_deg: float, length: float, temperature: float):
    from core.intuition import focus_2d, query_vector

    return focus_2d(query_vector(angle_deg, length), temperature=temperature)


@st.cache_data(max_entries=128, show_spinner=False)
def reading_focus_cached(tokens: tuple[str, ...], i: int, temperature: float, skip_self: bool):
    from core.intuition import reading_focus

    return reading_focus(tokens, i, temperature, skip_self)


@st.cache_data(max_entries=32, show_spinner=False)
def scaling_sweep_cached(n_keys: int, trials: int, seed: int):
    from core.scaling import scaling_sweep

    return scaling_sweep(n_keys, trials, seed)


@st.cache_data(max_entries=64, show_spinner=False)
def scaling_example_cached(d_k: int, n_keys: int, trials: int, seed: int):
    from core.scaling import scaling_example

    return scaling_example(d_k, n_keys, trials, seed)


@st.cache_data(max_entries=64, show_spinner=False)
def long_range_cached(n: int, d: int, gain: float, seed: int):
    """(RecurrentGradient, AttentionGradient) for the same length n and width d."""
    from core.complexity import attention_gradient, rnn_gradient

    return rnn_gradient(n, d, gain, seed), attention_gradient(n, d, seed)
