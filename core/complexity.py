"""Self-attention vs recurrent vs convolutional layers (Vaswani et al. 2017, section 4, Table 1).

Per layer, for a sequence of n tokens of width d and a convolution kernel of width k:

    layer            operations      sequential steps   maximum path length
    self-attention   n² · d          1                  1
    recurrent        n · d²          n                  n
    convolutional    k · n · d²      1                  ⌈log_k n⌉   (dilated convolutions)

Plus the long-range demo: how strongly token 1 still moves the state at position t, through a toy
tanh RNN (a product of t − 1 Jacobians) versus through one attention hop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from core.attention import causal_mask, scaled_dot_product_attention

LAYERS = ("attention", "rnn", "cnn")


@dataclass(frozen=True)
class LayerCosts:
    """Table 1 for one (n, d, k); each field is (attention, rnn, cnn)."""

    n: int
    d: int
    k: int
    operations: tuple[float, float, float]  # n²·d, n·d², k·n·d²
    sequential: tuple[int, int, int]  # 1, n, 1
    path_length: tuple[int, int, int]  # 1, n, ⌈log_k n⌉


def conv_path_length(n: int, k: int) -> int:
    """⌈log_k n⌉ stacked dilated convolutions of width k connect any two of n tokens (at least 1)."""
    if k < 2:
        raise ValueError(f"kernel width k must be ≥ 2; got {k}")
    layers, reach = 1, k
    while reach < n:  # integer loop: math.log can round 3 = log_2(8) to 2.9999
        layers, reach = layers + 1, reach * k
    return layers


def layer_costs(n: int, d: int, k: int = 3) -> LayerCosts:
    """Operations, sequential steps and maximum path length per layer for n tokens of width d."""
    if n < 1 or d < 1:
        raise ValueError(f"need n ≥ 1 and d ≥ 1; got n={n}, d={d}")
    ops = (float(n) * n * d, float(n) * d * d, float(k) * n * d * d)
    return LayerCosts(n, d, k, ops, (1, n, 1), (1, n, conv_path_length(n, k)))


def operations_curves(n_values: ArrayLike, d: int, k: int = 3) -> np.ndarray:
    """(3, len(n_values)) operations per layer over n: rows attention n²d, RNN nd², CNN knd²."""
    n = np.asarray(n_values, dtype=np.float64)
    return np.stack([n * n * d, n * d * d, k * n * d * d])


def crossover_n(d: int) -> int:
    """n²·d = n·d² at n = d: self-attention costs fewer operations than a recurrent layer while n < d."""
    return int(d)


@dataclass(frozen=True)
class RecurrentGradient:
    """Toy tanh RNN h_t = tanh(W h_{t−1} + U x_t), h_0 = 0, and ∂h_t/∂x_1 for every t."""

    W: np.ndarray  # (d, d) recurrent weights, entries ~ N(0, gain² / d)
    U: np.ndarray  # (d, d) input weights, entries ~ N(0, 1 / d)
    X: np.ndarray  # (n, d) inputs x_1 … x_n
    H: np.ndarray  # (n, d) states h_1 … h_n
    jacobians: np.ndarray  # (n, d, d) ∂h_t/∂x_1
    norms: np.ndarray  # (n,) spectral norm ‖∂h_t/∂x_1‖₂


def rnn_gradient(n: int, d: int = 16, gain: float = 1.0, seed: int = 0) -> RecurrentGradient:
    """∂h_t/∂x_1 = D_t W D_{t−1} W ⋯ D_2 W · D_1 U with D_t = diag(1 − h_t²), exactly.

    One Jacobian per step, so the signal of token 1 is multiplied t − 1 times: it shrinks (or, for
    a large gain outside tanh's flat regions, grows) geometrically with the distance.
    """
    if n < 1 or d < 1:
        raise ValueError(f"need n ≥ 1 and d ≥ 1; got n={n}, d={d}")
    # seeded by (seed, d) and X drawn last, so a longer sequence extends a shorter one unchanged
    rng = np.random.default_rng([seed, d])
    W = rng.standard_normal((d, d)) * (gain / np.sqrt(d))
    U = rng.standard_normal((d, d)) / np.sqrt(d)
    X = rng.standard_normal((n, d))
    H = np.zeros((n, d))
    J = np.zeros((n, d, d))
    h = np.zeros(d)
    for t in range(n):
        h = np.tanh(W @ h + U @ X[t])
        H[t] = h
        D = 1.0 - h * h  # tanh'(a) = 1 − tanh(a)²
        J[t] = D[:, None] * U if t == 0 else D[:, None] * (W @ J[t - 1])  # (d, d)
    norms = np.linalg.norm(J, ord=2, axis=(1, 2))
    return RecurrentGradient(W, U, X, H, J, norms)


@dataclass(frozen=True)
class AttentionGradient:
    """Causal single-head self-attention y_t = Σ_{j≤t} p_tj v_j, and ∂y_t/∂x_1 for every t ≥ 2."""

    X: np.ndarray  # (n, d)
    W_Q: np.ndarray  # (d, d)
    W_K: np.ndarray  # (d, d)
    W_V: np.ndarray  # (d, d)
    weights: np.ndarray  # (n, n) causal softmax weights p_tj
    jacobians: np.ndarray  # (n, d, d) ∂y_t/∂x_1 (row t = 0 left at 0: there x_1 is also the query)
    norms: np.ndarray  # (n,) spectral norms; norms[0] = nan


def attention_gradient(n: int, d: int = 16, seed: int = 0) -> AttentionGradient:
    """For t ≥ 2 (x_1 is only key 1 and value 1 of query t), with g = W_K q_t / √d:

        ∂y_t/∂x_1 = p_t1 · W_Vᵀ + p_t1 (v_1 − y_t) gᵀ        (d, d), row vectors v = x W_V

    One hop: no product over the distance; it only shrinks as p_t1 is shared among t keys.
    """
    if n < 1 or d < 1:
        raise ValueError(f"need n ≥ 1 and d ≥ 1; got n={n}, d={d}")
    rng = np.random.default_rng([seed, d, 1])
    W_Q, W_K, W_V = rng.standard_normal((3, d, d)) / np.sqrt(d)
    X = rng.standard_normal((n, d))  # drawn last: a longer sequence extends a shorter one
    Q, K, V = X @ W_Q, X @ W_K, X @ W_V  # (n, d)
    r = scaled_dot_product_attention(Q, K, V, mask=causal_mask(n))
    P, Y = r.weights, r.output  # (n, n), (n, d)
    J = np.zeros((n, d, d))
    for t in range(1, n):
        g = W_K @ Q[t] / np.sqrt(d)  # ∂s_t1/∂x_1, (d,)
        J[t] = P[t, 0] * W_V.T + P[t, 0] * np.outer(V[0] - Y[t], g)
    norms = np.linalg.norm(J, ord=2, axis=(1, 2))
    norms[0] = np.nan
    return AttentionGradient(X, W_Q, W_K, W_V, P, J, norms)


@dataclass(frozen=True)
class Schedule:
    """What is computed after ``step`` sequential steps, per layer type (True = done)."""

    step: int
    rnn_done: np.ndarray  # (n,) h_1 … h_step exist
    attention_done: np.ndarray  # (n,) all outputs after step 1
    cnn_done: np.ndarray  # (n,) all positions, one layer per step
    cnn_reach: np.ndarray  # (n,) tokens inside the last token's receptive field after ``step`` layers
    steps_needed: tuple[int, int, int]  # steps until token 1 reaches token n: attention, rnn, cnn


def processing_schedule(n: int, step: int, k: int = 3) -> Schedule:
    """Sequential vs parallel: a recurrent layer computes one position per step; attention and a
    convolution compute all positions at once, a dilated convolution of width k sees k^L tokens after L layers."""
    pos = np.arange(n)
    all_done = np.full(n, step >= 1)
    reach = min(n, k**step) if step >= 1 else 0
    return Schedule(
        step,
        pos < step,
        all_done,
        all_done.copy(),
        pos >= n - reach,
        (1, n, conv_path_length(n, k)),
    )
