"""Sinusoidal positional encoding (Vaswani et al. 2017, section 3.5).

PE(pos, 2i)   = sin(pos / base^(2i / d_model))
PE(pos, 2i+1) = cos(pos / base^(2i / d_model))

The table is a formula: it has no parameters. What a model learns is how its projections read it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from core.attention import softmax
from core.limits import PE_MAX_D_MODEL, PE_MAX_POSITIONS, check_at_most

K_BACK_SCALE = 32.0  # c in W_Q·W_Kᵀ = c·M(−k): at d_model = 128 every row's weight on p − k is ≥ 0.99


def sinusoidal_encoding(num_positions: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """(num_positions, d_model) float64; column j uses i = j // 2: sin for even j, cos for odd j."""
    if num_positions < 0 or d_model < 1:
        raise ValueError(f"need num_positions ≥ 0 and d_model ≥ 1; got {num_positions}, {d_model}")
    pos = np.arange(num_positions, dtype=np.float64)[:, None]  # (n, 1)
    i = np.arange(d_model) // 2  # (d_model,)
    angle = pos / np.power(float(base), 2 * i / d_model)  # (n, d_model)
    even = (np.arange(d_model) % 2) == 0
    return np.where(even, np.sin(angle), np.cos(angle))


def frequencies(d_model: int, base: float = 10000.0) -> np.ndarray:
    """(d_model,) angular frequency of each column: ω_j = 1 / base^(2·(j // 2) / d_model)."""
    i = np.arange(d_model) // 2
    return 1.0 / np.power(float(base), 2 * i / d_model)


def wavelengths(d_model: int, base: float = 10000.0) -> np.ndarray:
    """(d_model,) period in positions of each column: λ_j = 2π / ω_j, shared by a sin/cos pair, from 2π up to
    2π·base^(1 − 2/d_model) for the last pair (even d_model): almost, never quite, 2π·base."""
    return 2 * np.pi / frequencies(d_model, base)


def relative_rotation(offset: float, d_model: int, base: float = 10000.0) -> np.ndarray:
    """M(k), (d_model, d_model), with PE(pos + k) = PE(pos)·M(k) for every pos (row vectors).

    Block-diagonal: columns (2i, 2i+1) hold (sin θ, cos θ) with θ = pos·ω_i, and
        [sin(θ + kω), cos(θ + kω)] = [sin θ, cos θ] · [[cos kω, −sin kω], [sin kω, cos kω]],
    so shifting every position by k is one fixed linear map that does not depend on pos.
    """
    if d_model % 2:
        raise ValueError(f"the rotation needs sin/cos pairs, so an even d_model; got d_model={d_model}")
    angle = offset * frequencies(d_model, base)[::2]  # (d_model/2,)  k·ω_i
    c, s = np.cos(angle), np.sin(angle)
    M = np.zeros((d_model, d_model))
    even = np.arange(0, d_model, 2)
    M[even, even], M[even, even + 1] = c, -s
    M[even + 1, even], M[even + 1, even + 1] = s, c
    return M


def rotation_error(num_positions: int, offset: int, d_model: int, base: float = 10000.0) -> float:
    """max over pos of |PE(pos)·M(k) − PE(pos + k)|, for pos = 0 … num_positions − 1 − k."""
    PE = sinusoidal_encoding(num_positions, d_model, base)  # (n, d_model)
    if offset >= num_positions:
        return 0.0
    M = relative_rotation(offset, d_model, base)
    shifted = PE[: num_positions - offset] @ M  # (n − k, d_model)
    return float(np.abs(shifted - PE[offset:]).max())


def check_pe_size(num_positions: int, d_model: int) -> None:
    """The page-sized (n, n) computations below: n ≤ PE_MAX_POSITIONS, d_model ≤ PE_MAX_D_MODEL (core.limits)."""
    check_at_most("num_positions", num_positions, PE_MAX_POSITIONS)
    check_at_most("d_model", d_model, PE_MAX_D_MODEL)


def pe_similarity(num_positions: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """PE·PEᵀ, (n, n): entry (p, q) = Σ_j PE(p)_j·PE(q)_j = Σ_i cos((p − q)·ω_i) for an even d_model."""
    check_pe_size(num_positions, d_model)
    PE = sinusoidal_encoding(num_positions, d_model, base)
    return PE @ PE.T  # (n, n)


def offset_spread(similarity: np.ndarray) -> float:
    """Largest (max − min) along any diagonal of an (n, n) matrix: 0 when it depends on p − q only."""
    n = similarity.shape[0]
    spread = 0.0
    for k in range(-(n - 1), n):
        d = np.diagonal(similarity, k)
        spread = max(spread, float(d.max() - d.min()))
    return spread


def row_cosine(P: np.ndarray) -> np.ndarray:
    """(n, n) cosine similarity of the rows of P (n, d): P̂·P̂ᵀ with every non-zero row scaled to length 1."""
    U = np.asarray(P, dtype=np.float64)
    norm = np.linalg.norm(U, axis=1, keepdims=True)
    U = U / np.where(norm > 0, norm, 1.0)  # a zero row (PE(0) when d_model = 1) has cosine 0 with everything
    return U @ U.T


def projected_similarity(num_positions: int, d_model: int, base: float = 10000.0, seed: int = 0) -> np.ndarray:
    """PE·W_Q·W_Kᵀ·PEᵀ, (n, n): the positional part of the attention scores, with random W_Q, W_K ~ N(0, 1/d_model).

    Unlike PE·PEᵀ it is not a function of p − q: W_Q·W_Kᵀ is no longer made of rotations, so the pairs
    mix. Only special (learned) projections keep, or use, the offset structure.
    """
    rng = np.random.default_rng(seed)
    W_Q, W_K = rng.normal(0.0, d_model**-0.5, (2, d_model, d_model))
    check_pe_size(num_positions, d_model)
    PE = sinusoidal_encoding(num_positions, d_model, base)
    return PE @ (W_Q @ W_K.T) @ PE.T


class KBack(NamedTuple):
    """Attention on pure PE inputs with W_Q·W_Kᵀ = c·M(−k)."""

    scores: np.ndarray  # (n, n) c·PE·M(−k)·PEᵀ / √d_model
    weights: np.ndarray  # (n, n) softmax of each row
    k: int

    @property
    def target_weight(self) -> np.ndarray:
        """(n − k,) the weight row p puts on p − k, for p = k … n − 1."""
        p = np.arange(self.k, len(self.weights))
        return self.weights[p, p - self.k]

    @property
    def hits(self) -> bool:
        """Every row p ≥ k puts its largest weight on p − k."""
        p = np.arange(self.k, len(self.weights))
        return bool(np.all(self.weights[p].argmax(axis=1) == p - self.k))


def k_back_attention(
    num_positions: int, k: int, d_model: int, base: float = 10000.0, scale: float = K_BACK_SCALE
) -> KBack:
    """A = softmax(c·PE·M(−k)·PEᵀ / √d_model): every position attends k tokens back.

    PE(p)·M(−k) = PE(p − k), so row p scores key q with c·Σ_i cos((p − k − q)·ω_i)/√d_model, largest at
    q = p − k; a larger c puts more of the weight there.
    """
    check_pe_size(num_positions, d_model)
    PE = sinusoidal_encoding(num_positions, d_model, base)
    scores = scale * (PE @ relative_rotation(-k, d_model, base) @ PE.T) / np.sqrt(d_model)
    return KBack(scores, softmax(scores), int(k))
