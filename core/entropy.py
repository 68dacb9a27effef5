"""Entropy of attention weights, in bits (Shannon 1948).

    H(w) = −Σ_j w_j · log₂ w_j

0 bits: the row puts all its weight on one key. log₂ n bits: it spreads evenly over all n keys.
The whole app measures entropy in bits, so every figure and sentence can be compared.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike


def entropy(weights: ArrayLike, axis: int = -1) -> np.ndarray:
    """H = −Σ_j w_j · log₂ w_j in bits along ``axis``: (..., n) → (...).

    0 · log 0 counts as 0 (the limit), so an all-masked (all-zero) row gets 0 bits.
    """
    w = np.asarray(weights, dtype=np.float64)
    # np.where alone would still evaluate log₂ 0 and warn: take log₂ 1 = 0 where w = 0
    safe = np.where(w > 0, w, 1.0)
    return -np.sum(w * np.log2(safe), axis=axis)


def max_entropy(n: int) -> float:
    """log₂ n bits: the entropy of a uniform row over n keys, the largest a row of n weights can have."""
    if n < 1:
        raise ValueError(f"max_entropy needs n ≥ 1 keys; got n={n}")
    return math.log2(n)
