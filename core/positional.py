"""Sinusoidal positional encoding (Vaswani et al. 2017, section 3.5).

PE(pos, 2i)   = sin(pos / base^(2i / d_model))
PE(pos, 2i+1) = cos(pos / base^(2i / d_model))
"""

from __future__ import annotations

import numpy as np


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
    """(d_model,) period in positions of each column: λ_j = 2π / ω_j, from 2π up to 2π·base."""
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


def pe_similarity(num_positions: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """PE·PEᵀ, (n, n): entry (p, q) = Σ_j PE(p)_j·PE(q)_j = Σ_i cos((p − q)·ω_i) for an even d_model."""
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
