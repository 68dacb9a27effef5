"""Cached wrappers around core: pages call these, never core directly for anything costly.

Bounded caches (max_entries): a classroom of users moving sliders must not grow the server's memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.demos.multi_head import MultiHeadConfig, ToyMultiHead, toy_multi_head
from core.demos.scaled_dot_product import ToyAttention, ToyConfig, toy_attention
from core.demos.word_order import OrderDemo, order_demo
from core.inputs import ToyInputs, toy_inputs
from core.positional import offset_spread, pe_similarity, relative_rotation, rotation_error, sinusoidal_encoding
from core.reduce import block_mean


@st.cache_data(max_entries=256, show_spinner=False)
def toy_attention_cached(tokens: tuple[str, ...], config: ToyConfig) -> ToyAttention:
    return toy_attention(tokens, config)


# --- multi-head attention and positional encoding pages ---------------------------------------------


@st.cache_data(max_entries=16, show_spinner=False)  # ~330 KB an entry, ~10 ms to recompute
def multi_head_cached(tokens: tuple[str, ...], config: MultiHeadConfig) -> ToyMultiHead:
    return toy_multi_head(tokens, config)


@st.cache_data(max_entries=8, show_spinner=False)
def pe_cached(num_positions: int, d_model: int, base: float) -> np.ndarray:
    """(n, d_model) float32: up to 2048 × 1024, so a cache hit copies 8 MB, not 16."""
    return sinusoidal_encoding(num_positions, d_model, base).astype(np.float32)


@dataclass(frozen=True)
class SimilaritySummary:
    small: np.ndarray  # PE·PEᵀ block-averaged to ≤ 256 × 256 for display
    centres: np.ndarray  # positions at the centre of each displayed block
    profile: np.ndarray  # (n,) PE(0)·PE(k) for k = 0 … n−1
    spread: float  # largest max − min along a diagonal: 0 ⇔ depends on the offset only


@st.cache_data(max_entries=4, show_spinner=False)
def pe_similarity_cached(num_positions: int, d_model: int, base: float) -> SimilaritySummary:
    """The heavy (n, n) PE·PEᵀ is computed here once; only its summary is cached (n = 2048: 32 MB)."""
    S = pe_similarity(num_positions, d_model, base)
    small, centres, _, _ = block_mean(S)
    return SimilaritySummary(small, centres, S[0].copy(), offset_spread(S))


@st.cache_data(max_entries=32, show_spinner=False)
def rotation_cached(num_positions: int, offset: int, d_model: int, base: float) -> tuple[np.ndarray, float]:
    """M(k) and the largest |PE(pos)·M(k) − PE(pos + k)| over all positions that have a partner."""
    return relative_rotation(offset, d_model, base), rotation_error(num_positions, offset, d_model, base)


@st.cache_data(max_entries=32, show_spinner=False)
def order_demo_cached(tokens: tuple[str, ...], d_model: int, seed: int, shuffle_seed: int, base: float) -> OrderDemo:
    return order_demo(tokens, d_model, seed, shuffle_seed, base)


@st.cache_data(max_entries=32, show_spinner=False)
def positioned_inputs_cached(tokens: tuple[str, ...], d_model: int, seed: int, base: float) -> ToyInputs:
    return toy_inputs(tokens, d_model, seed, positional=True, base=base)


# the wrappers below import core lazily, so other pages' wrappers can be appended without touching
# the import block at the top of this file


@st.cache_data(max_entries=64, show_spinner=False)
def focus_cached(angle_deg: float, length: float, temperature: float):
    from core.demos.selective_focus import focus_2d, query_vector

    return focus_2d(query_vector(angle_deg, length), temperature=temperature)


@st.cache_data(max_entries=128, show_spinner=False)
def reading_focus_cached(tokens: tuple[str, ...], i: int, temperature: float, skip_self: bool, seed: int):
    from core.demos.selective_focus import reading_focus

    return reading_focus(tokens, i, temperature, skip_self, seed=seed)


@st.cache_data(max_entries=32, show_spinner=False)
def scaling_sweep_cached(n_keys: int, trials: int, seed: int):
    from core.demos.why_scaling import scaling_sweep

    return scaling_sweep(n_keys, trials, seed)


@st.cache_data(max_entries=64, show_spinner=False)
def scaling_example_cached(d_k: int, n_keys: int, trials: int, seed: int):
    from core.demos.why_scaling import scaling_example

    return scaling_example(d_k, n_keys, trials, seed)


@st.cache_data(max_entries=64, show_spinner=False)
def long_range_cached(n: int, d: int, gain: float, seed: int):
    """(RecurrentGradient, AttentionGradient) for the same length n and width d."""
    from core.complexity import attention_gradient, rnn_gradient

    return rnn_gradient(n, d, gain, seed), attention_gradient(n, d, seed)


@st.cache_data(max_entries=16, show_spinner=False)
def block_walkthrough_cached(tokens: tuple[str, ...], config):
    from core.demos.transformer_block import block_walkthrough

    return block_walkthrough(tokens, config)


@st.cache_data(max_entries=64, show_spinner=False)
def compare_variants_cached(tokens: tuple[str, ...], config):
    from core.demos.transformer_block import compare_variants

    return compare_variants(tokens, config)


@st.cache_data(max_entries=64, show_spinner=False)
def gradient_variants_cached(tokens: tuple[str, ...], config):
    """‖∂L/∂H_ℓ‖ per block boundary for the four residual / LayerNorm settings (a few KB per entry)."""
    from core.demos.transformer_block import gradient_variants

    return gradient_variants(tokens, config)


@st.cache_data(max_entries=8, show_spinner=False)
def sample_image_cached(name: str):
    """A bundled sample image (assets/images/<name>.png) as (H, W, 3) uint8."""
    from core.images import SAMPLES_DIR, load_image_file

    return load_image_file(SAMPLES_DIR / f"{name}.png")


def session_upload(state_key: str, upload, decode):
    """``decode(upload.getvalue())``, kept in this session's state only, one file per ``state_key``.

    Never in st.cache_data: a cache is shared by every session (and bounded by entries, not bytes), while
    an upload belongs to the student who sent it. A failed decode raises and keeps nothing.
    """
    kept = st.session_state.get(state_key)
    if kept is not None and kept[0] == upload.file_id:
        return kept[1]
    st.session_state.pop(state_key, None)
    value = decode(upload.getvalue())
    st.session_state[state_key] = (upload.file_id, value)
    return value


@st.cache_data(max_entries=8, show_spinner=False)
def projected_spread_cached(num_positions: int, d_model: int, base: float, seed: int) -> tuple[float, float]:
    """(largest spread along a diagonal, total range) of PE·W_Q·W_Kᵀ·PEᵀ with random W_Q, W_K."""
    from core.positional import offset_spread, projected_similarity

    S = projected_similarity(num_positions, d_model, base, seed)
    return offset_spread(S), float(np.ptp(S))


@st.cache_data(max_entries=8, show_spinner=False)
def sinusoid_cosine_cached(num_positions: int, d_model: int, base: float) -> np.ndarray:
    """(n, n) cosine between the rows of the sinusoidal table (PE·PEᵀ / (d_model/2) for an even d_model)."""
    from core.positional import row_cosine

    return row_cosine(sinusoidal_encoding(num_positions, d_model, base))


@dataclass(frozen=True)
class KBackSummary:
    small: np.ndarray  # the weights block-averaged to ≤ 256 × 256 for display
    centres: np.ndarray  # positions at the centre of each displayed block
    hits: bool  # every row p ≥ k has its largest weight on p − k
    weight: float  # the smallest weight a row p ≥ k puts on p − k (nan when k ≥ n)


@st.cache_data(max_entries=16, show_spinner=False)
def k_back_cached(num_positions: int, k: int, d_model: int, base: float, scale: float) -> KBackSummary:
    from core.positional import k_back_attention

    kb = k_back_attention(num_positions, k, d_model, base, scale)
    small, centres, _, _ = block_mean(kb.weights)
    weight = float(kb.target_weight.min()) if k < num_positions else float("nan")
    return KBackSummary(small, centres, kb.hits, weight)
