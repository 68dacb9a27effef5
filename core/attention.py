"""Scaled dot-product attention, step by step (Vaswani et al. 2017, eq. 1).

    Attention(Q, K, V) = softmax(Q·Kᵀ / √d_k) · V

Every stage is returned so a page can show it: scores → scaled → masked → weights → output.
Conventions: row vectors (one token per row), float64, boolean masks with True = may attend
(the same as ``torch.nn.functional.scaled_dot_product_attention``'s boolean ``attn_mask``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

MASK_KINDS = ("none", "causal", "padding", "custom")  # the masks build_mask can make


@dataclass(frozen=True)
class AttentionResult:
    """Every intermediate of one attention call; shapes for Q (..., n_q, d_k), V (..., n_k, d_v)."""

    scores: np.ndarray  # (..., n_q, n_k)  Q·Kᵀ
    scaled: np.ndarray  # (..., n_q, n_k)  scores · scale / temperature
    masked: np.ndarray  # (..., n_q, n_k)  scaled, −inf where the mask forbids
    weights: np.ndarray  # (..., n_q, n_k)  softmax over keys; all-masked rows are 0
    output: np.ndarray  # (..., n_q, d_v)  weights·V
    scale: float  # the factor actually used (1/√d_k by default)
    temperature: float


def _as_matrix(name: str, x) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim < 2:
        raise ValueError(f"{name} must have shape (..., n, d); got shape {a.shape}")
    return a


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """softmax(x)_j = exp(x_j) / Σ_k exp(x_k), stable, with −inf meaning "excluded".

    A slice that is entirely −inf gets all-zero weights instead of NaN (0/0).
    """
    x = np.asarray(x, dtype=np.float64)
    m = np.max(x, axis=axis, keepdims=True)
    # subtract the max: exp(1e4) overflows; an all −inf slice has max −inf, use 0 there
    m = np.where(np.isfinite(m), m, 0.0)
    e = np.exp(x - m)
    total = np.sum(e, axis=axis, keepdims=True)
    return e / np.where(total > 0, total, 1.0)


def causal_mask(n: int) -> np.ndarray:
    """(n, n) bool, True on and below the diagonal: token i may attend to tokens 0 … i."""
    return np.tril(np.ones((n, n), dtype=bool))


def padding_mask(valid: ArrayLike, n_queries: int | None = None) -> np.ndarray:
    """(n_queries, n_k) bool; column j is False where ``valid[j]`` is False (a padding token)."""
    valid = np.asarray(valid, dtype=bool).reshape(-1)
    n_q = len(valid) if n_queries is None else int(n_queries)
    return np.broadcast_to(valid, (n_q, len(valid))).copy()


def build_mask(kind: str, n: int, pad_last: int = 0, blocked: Iterable[tuple[int, int]] = ()) -> np.ndarray | None:
    """(n, n) bool mask (True = may attend) for one of MASK_KINDS; None for "none".

    "padding": the last ``pad_last`` tokens are padding; "custom": the (query, key) cells in
    ``blocked`` are not allowed (cells outside the n × n grid are ignored).
    """
    if kind == "none":
        return None
    if kind == "causal":
        return causal_mask(n)
    if kind == "padding":
        valid = np.arange(n) < n - max(0, int(pad_last))
        return padding_mask(valid)
    if kind == "custom":
        mask = np.ones((n, n), dtype=bool)
        for i, j in blocked:
            if 0 <= i < n and 0 <= j < n:
                mask[i, j] = False
        return mask
    raise ValueError(f"mask must be one of {MASK_KINDS}; got {kind!r}")


def scaled_dot_product_attention(
    Q: ArrayLike,
    K: ArrayLike,
    V: ArrayLike,
    mask: ArrayLike | None = None,
    scale: float | None = None,
    temperature: float = 1.0,
) -> AttentionResult:
    """softmax(Q·Kᵀ · scale / temperature, masked) · V with every stage kept.

    Q: (..., n_q, d_k), K: (..., n_k, d_k), V: (..., n_k, d_v); leading dims broadcast.
    scale: None → 1/√d_k; 1.0 → no scaling. mask: bool, broadcastable to (..., n_q, n_k),
    True = may attend.
    """
    Q, K, V = _as_matrix("Q", Q), _as_matrix("K", K), _as_matrix("V", V)
    if Q.shape[-1] != K.shape[-1]:
        raise ValueError(f"Q and K need the same last dimension d_k; got Q {Q.shape} and K {K.shape}")
    if K.shape[-2] != V.shape[-2]:
        raise ValueError(f"K and V need the same number of rows n_k; got K {K.shape} and V {V.shape}")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0; got {temperature}")
    d_k = Q.shape[-1]
    scale = 1.0 / np.sqrt(d_k) if scale is None else float(scale)
    try:
        scores = Q @ np.swapaxes(K, -1, -2)  # (..., n_q, n_k)
    except ValueError as err:
        raise ValueError(f"batch dimensions of Q {Q.shape} and K {K.shape} do not broadcast") from err
    scaled = scores * (scale / temperature)
    if mask is None:
        masked = scaled
    else:
        mask = np.asarray(mask, dtype=bool)
        try:
            mask = np.broadcast_to(mask, scaled.shape)
        except ValueError as err:
            raise ValueError(f"mask of shape {mask.shape} does not broadcast to scores {scaled.shape}") from err
        masked = np.where(mask, scaled, -np.inf)
    weights = softmax(masked, axis=-1)
    output = weights @ V  # (..., n_q, d_v)
    return AttentionResult(scores, scaled, masked, weights, output, scale, float(temperature))
