"""Deterministic toy embeddings: a lookup table we never have to store.

A real model learns one vector per vocabulary entry. Here each token's vector is drawn from a
normal distribution seeded by a stable digest of (token, seed), so "cat" has the same vector at any
position, in any sentence, in any process: the same property a learned lookup table has.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np


def _token_seed(token: str, seed: int) -> int:
    # blake2b, not hash(): Python salts str hashes per process
    digest = hashlib.blake2b(f"{seed}\x1f{token}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def token_embeddings(tokens: Sequence[str], d_model: int, seed: int = 0) -> np.ndarray:
    """(n, d_model) float64; row i ~ N(0, 1)^d_model seeded by a digest of (tokens[i], seed)."""
    if d_model < 1:
        raise ValueError(f"d_model must be ≥ 1; got {d_model}")
    rows = [np.random.default_rng(_token_seed(tok, seed)).standard_normal(d_model) for tok in tokens]
    return np.array(rows, dtype=np.float64).reshape(len(rows), d_model)
