"""Cached wrappers around core: pages call these, never core directly for anything costly.

Bounded caches (max_entries): a classroom of users moving sliders must not grow the server's memory.
"""

from __future__ import annotations

import streamlit as st

from core.walkthrough import ToyAttention, ToyConfig, toy_attention


@st.cache_data(max_entries=256, show_spinner=False)
def toy_attention_cached(tokens: tuple[str, ...], config: ToyConfig) -> ToyAttention:
    return toy_attention(tokens, config)


@st.cache_data(max_entries=64, show_spinner=False)
def block_walkthrough_cached(tokens: tuple[str, ...], config):
    from core.block import block_walkthrough

    return block_walkthrough(tokens, config)


@st.cache_data(max_entries=64, show_spinner=False)
def compare_variants_cached(tokens: tuple[str, ...], config):
    from core.block import compare_variants

    return compare_variants(tokens, config)


@st.cache_data(max_entries=8, show_spinner=False)
def sample_image_cached(name: str):
    """A bundled sample image (assets/images/<name>.png) as (H, W, 3) uint8."""
    from core.images import SAMPLES_DIR, load_image_file

    return load_image_file(SAMPLES_DIR / f"{name}.png")


@st.cache_data(max_entries=8, show_spinner=False)
def uploaded_image_cached(data: bytes):
    """Checked decode of uploaded bytes (raises core.images.ImageRejected; errors are not cached)."""
    from core.images import load_image

    return load_image(data)


@st.cache_data(max_entries=32, show_spinner=False)
def patch_attention_cached(image, patch: int, w_colour: float, w_position: float, temperature: float):
    """The image resized to whole patches, then self-attention over its patches."""
    from core.images import fit_to_patches
    from core.vision import patch_attention

    return patch_attention(fit_to_patches(image, patch), patch, w_colour, w_position, temperature)
