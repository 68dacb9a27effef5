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
