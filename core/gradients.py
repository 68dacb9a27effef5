"""Exact gradients through the encoder block, by hand: one vector-Jacobian product (VJP) per equation.

Backpropagation sends ∂L/∂(output) of a function back to ∂L/∂(input) = ∂L/∂(output) · J, where J is
the function's Jacobian; it never builds J. Each function below is that product for one equation of
``core.block`` (row vectors, G = ∂L/∂output of the same shape as the output):

    LayerNorm   y = γ ⊙ x̂ + β, x̂ = (x − μ)/s, s = √(σ² + ε):  ∂L/∂x = (g − mean(g) − x̂ · mean(g ⊙ x̂)) / s,  g = G ⊙ γ
    FFN         y = act(z·W_1 + b_1)·W_2 + b_2:  ∂L/∂z = ((G·W_2ᵀ) ⊙ act′(z·W_1 + b_1))·W_1ᵀ
    softmax     p = softmax(s) per row:  ∂L/∂s = p ⊙ (G − Σ_j G_j p_j)
    attention   ∂L/∂X through the three paths X → Q, X → K and X → V of MultiHead(X, X, X)
    residual    y = x + f(x):  ∂L/∂x = G + VJP_f(G)      ← the short path: G itself goes straight through

The block page uses them for a gradient view: a fixed scalar readout L = Σ R ⊙ H_N of the last block's
output H_N (R seeded, ‖R‖_F = 1, so ‖∂L/∂H_N‖ = 1) is sent back through the N blocks, and the
Frobenius norm ‖∂L/∂H_ℓ‖ is reported for every block boundary ℓ = N, …, 0 (H_0 = X). Why a readout and
not the full Jacobian ∂H_N/∂H_ℓ: the gradient that reaches block ℓ is exactly what its weights learn
from during training, one backward pass gives it for every ℓ at the cost of a forward pass (the full
Jacobian has (n·d_model)² entries: 16 M for 64 tokens of width 64), and because ‖∂L/∂H_N‖ = 1 each
number reads directly as "the fraction of the gradient that is left". For R random, the mean of
‖∂L/∂H_ℓ‖² is ‖∂H_N/∂H_ℓ‖_F² / (n·d_model): one readout is one sample of the Jacobian's RMS gain, and
on the page's default sentence the full Jacobians give the same picture (both within a factor 2.5,
no-residual settings far below 1, residual-only far above). Equal to torch autograd in float64
(tests/core/test_gradients.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from core.block import LN_EPS, BlockParams, BlockResult, LayerNormResult
from core.multihead import MultiHeadParams, MultiHeadResult, concat_heads, split_heads

__all__ = [
    "activation_derivative",
    "attention_vjp",
    "encoder_block_vjp",
    "feed_forward_vjp",
    "layer_norm_vjp",
    "readout",
    "softmax_vjp",
    "stack_gradients",
]

_erf = np.frompyfunc(math.erf, 1, 1)


def layer_norm_vjp(G: ArrayLike, result: LayerNormResult, gamma: ArrayLike, eps: float) -> np.ndarray:
    """∂L/∂x of y = LayerNorm(x) for ∂L/∂y = G: (g − mean(g) − x̂ · mean(g ⊙ x̂)) / √(σ² + ε), g = G ⊙ γ.

    The two means are what LayerNorm's Jacobian removes: the direction that shifts every feature
    equally (μ absorbs it) and the direction that stretches x̂ (σ absorbs it). G: (n, d).
    """
    g = np.asarray(G, dtype=np.float64) * np.asarray(gamma, dtype=np.float64)
    x_hat, s = result.normalized, np.sqrt(result.var + eps)
    return (g - g.mean(axis=-1, keepdims=True) - x_hat * (g * x_hat).mean(axis=-1, keepdims=True)) / s


def activation_derivative(pre: ArrayLike, activation: str) -> np.ndarray:
    """act′(x): ReLU′ = 1 where x > 0, else 0 (torch's choice at 0); GELU′ = Φ(x) + x·φ(x) (exact GELU)."""
    x = np.asarray(pre, dtype=np.float64)
    if activation == "relu":
        return (x > 0).astype(np.float64)
    cdf = 0.5 * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))
    return cdf + x * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def feed_forward_vjp(G: ArrayLike, pre: ArrayLike, W_1: ArrayLike, W_2: ArrayLike, activation: str) -> np.ndarray:
    """∂L/∂Z of FFN(Z) = act(Z·W_1 + b_1)·W_2 + b_2 for ∂L/∂FFN = G: ((G·W_2ᵀ) ⊙ act′(pre))·W_1ᵀ.

    G: (n, d_model), pre: (n, d_ff) the pre-activation Z·W_1 + b_1. Row by row: the FFN is position-wise.
    """
    hidden = np.asarray(G, dtype=np.float64) @ np.asarray(W_2).T  # (n, d_ff)
    return (hidden * activation_derivative(pre, activation)) @ np.asarray(W_1).T


def softmax_vjp(G: ArrayLike, weights: ArrayLike) -> np.ndarray:
    """∂L/∂s of p = softmax(s) (last axis) for ∂L/∂p = G: p ⊙ (G − Σ_j G_j p_j), i.e. G·(diag(p) − p pᵀ).

    Masked entries have p = 0 and get no gradient.
    """
    G, p = np.asarray(G, dtype=np.float64), np.asarray(weights, dtype=np.float64)
    return p * (G - (G * p).sum(axis=-1, keepdims=True))


def attention_vjp(G: ArrayLike, result: MultiHeadResult, params: MultiHeadParams) -> np.ndarray:
    """∂L/∂X of self-attention MultiHead(X, X, X) for ∂L/∂output = G (n, d_model), every head and path.

    output = Concat_i(P_i·V_i)·W_O + b_O, P_i = softmax(Q_i·K_iᵀ · scale), Q = X·W_Q + b_Q (likewise K, V):
    the gradient reaches X three times, through the queries, the keys and the values.
    """
    h = result.num_heads
    dHeads = split_heads(np.asarray(G, dtype=np.float64) @ params.W_O.T, h)  # (h, n, d_k) ∂L/∂head_i
    P, Q, K, V = result.weights, result.Q, result.K, result.V
    dV = P.transpose(0, 2, 1) @ dHeads  # (h, n, d_k)
    dScores = softmax_vjp(dHeads @ V.transpose(0, 2, 1), P) * result.scale  # (h, n, n) ∂L/∂(Q·Kᵀ)
    dQ, dK = dScores @ K, dScores.transpose(0, 2, 1) @ Q  # (h, n, d_k)
    return concat_heads(dQ) @ params.W_Q.T + concat_heads(dK) @ params.W_K.T + concat_heads(dV) @ params.W_V.T


def _norm_vjp(G: np.ndarray, result: LayerNormResult, gamma: np.ndarray, eps: float, on: bool) -> np.ndarray:
    return layer_norm_vjp(G, result, gamma, eps) if on else G  # LayerNorm off: the identity


def encoder_block_vjp(
    G: ArrayLike, result: BlockResult, params: BlockParams, activation: str, eps: float
) -> np.ndarray:
    """∂L/∂X of one ``core.block.encoder_block`` (its forward ``result``) for ∂L/∂Y = G, backwards stage by stage.

    Y = LN(Z + FFN(Z)), Z = LN(X + MultiHead(X)); without residuals the "+ Z" and "+ X" (and their
    straight-through G) are gone, without LayerNorm its VJP is the identity.
    """
    r, p = result, params
    d_add_2 = _norm_vjp(np.asarray(G, dtype=np.float64), r.norm_2, p.gamma_2, eps, r.layer_norm)
    dZ = feed_forward_vjp(d_add_2, r.ffn.pre_activation, p.W_1, p.W_2, activation)
    if r.residual:
        dZ = dZ + d_add_2  # Z + FFN(Z): the gradient also passes the FFN untouched
    d_add_1 = _norm_vjp(dZ, r.norm_1, p.gamma_1, eps, r.layer_norm)
    dX = attention_vjp(d_add_1, r.attention, p.attention)
    return dX + d_add_1 if r.residual else dX


def readout(shape: tuple[int, int], seed: int = 0) -> np.ndarray:
    """R for the scalar L = Σ R ⊙ H_N: seeded standard-normal entries scaled to ‖R‖_F = 1, so ‖∂L/∂H_N‖ = 1."""
    R = np.random.default_rng([int(seed), *shape, 2017]).standard_normal(shape)
    return R / np.linalg.norm(R)


def stack_gradients(
    layers: Sequence[BlockResult],
    params: Sequence[BlockParams],
    R: ArrayLike,
    activation: str = "relu",
    eps: float = LN_EPS,
) -> tuple[np.ndarray, ...]:
    """∂L/∂H_ℓ for ℓ = 0 … N of L = Σ R ⊙ H_N, H_0 = X the first block's input, H_ℓ block ℓ's output.

    layers / params: the forward results and parameters of the N blocks in order (``core.block.encoder_stack``
    and ``core.block.stack_params``). One backward pass: ∂L/∂H_N = R, then ``encoder_block_vjp`` per block.
    """
    grads = [np.asarray(R, dtype=np.float64)]
    for r, p in zip(reversed(layers), reversed(params)):
        grads.append(encoder_block_vjp(grads[-1], r, p, activation, eps))
    return tuple(reversed(grads))
