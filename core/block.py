"""One Transformer encoder block (Vaswani et al. 2017, section 3.1), post-norm, every stage kept.

    Z = LayerNorm(X + MultiHead(X, X, X))          # sublayer 1: Add & Norm
    Y = LayerNorm(Z + FFN(Z))                      # sublayer 2: Add & Norm
    FFN(z) = act(z·W_1 + b_1)·W_2 + b_2            # act = ReLU or GELU
    LayerNorm(x) = γ ⊙ (x − μ) / √(σ² + ε) + β     # μ, σ² over the d_model features of one token

Shapes: X (n, d_model), W_Q/W_K/W_V/W_O (d_model, d_model), W_1 (d_model, d_ff), W_2 (d_ff, d_model).
Row vectors (x·W), so a torch ``nn.Linear`` weight is our W transposed. ``residual=False`` drops the
"X +" of both sublayers and ``layer_norm=False`` replaces LayerNorm by the identity: the page uses
these switches to show what each part does to the size of the token vectors.

The attention sublayer is ``core.multihead.multi_head_attention`` with X_q = X_kv = X. The same
``encoder_block`` runs the trained MiniLM (``core.minilm``: GELU, ε = 1e-12, BERT's parameters).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from core.multihead import MultiHeadParams, MultiHeadResult, multi_head_attention

ACTIVATIONS = ("relu", "gelu")
LN_EPS = 1e-5  # torch.nn.LayerNorm's default


@dataclass(frozen=True)
class LayerNormResult:
    mean: np.ndarray  # (n, 1) μ of each token
    var: np.ndarray  # (n, 1) σ² of each token (biased, as in the paper and torch)
    normalized: np.ndarray  # (n, d) (x − μ) / √(σ² + ε)
    output: np.ndarray  # (n, d) γ ⊙ normalized + β


def layer_norm(
    x: ArrayLike, gamma: ArrayLike | None = None, beta: ArrayLike | None = None, eps: float = LN_EPS
) -> LayerNormResult:
    """LayerNorm(x) = γ ⊙ (x − μ) / √(σ² + ε) + β, μ and σ² over the last axis (one token's features).

    x: (n, d); gamma, beta: (d,) (default 1 and 0).
    """
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=-1, keepdims=True)  # (n, 1)
    var = x.var(axis=-1, keepdims=True)  # (n, 1), divides by d, not d − 1
    normalized = (x - mean) / np.sqrt(var + eps)
    gamma = np.ones(x.shape[-1]) if gamma is None else np.asarray(gamma, dtype=np.float64)
    beta = np.zeros(x.shape[-1]) if beta is None else np.asarray(beta, dtype=np.float64)
    return LayerNormResult(mean, var, normalized, gamma * normalized + beta)


def relu(x: ArrayLike) -> np.ndarray:
    """ReLU(x) = max(0, x)."""
    return np.maximum(x, 0.0)


# NumPy has no erf; math.erf is the C library's, so GELU below is the exact one torch and BERT use
_erf = np.frompyfunc(math.erf, 1, 1)


def gelu(x: ArrayLike) -> np.ndarray:
    """GELU(x) = x · Φ(x) = x · ½(1 + erf(x / √2)), the exact form (not the tanh approximation)."""
    x = np.asarray(x, dtype=np.float64)
    return x * 0.5 * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))


@dataclass(frozen=True)
class FFNResult:
    pre_activation: np.ndarray  # (n, d_ff) z·W_1 + b_1
    hidden: np.ndarray  # (n, d_ff) act(pre_activation)
    output: np.ndarray  # (n, d_model) hidden·W_2 + b_2


def feed_forward(
    Z: ArrayLike, W_1: ArrayLike, b_1: ArrayLike, W_2: ArrayLike, b_2: ArrayLike, activation: str = "relu"
) -> FFNResult:
    """FFN(z) = act(z·W_1 + b_1)·W_2 + b_2, applied to every token (row) separately.

    Z: (n, d_model), W_1: (d_model, d_ff), b_1: (d_ff,), W_2: (d_ff, d_model), b_2: (d_model,).
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}; got {activation!r}")
    pre = np.asarray(Z, dtype=np.float64) @ W_1 + b_1  # (n, d_ff)
    hidden = relu(pre) if activation == "relu" else gelu(pre)
    return FFNResult(pre, hidden, hidden @ W_2 + b_2)


@dataclass(frozen=True)
class BlockParams:
    """The learned parameters of one encoder block."""

    attention: MultiHeadParams
    W_1: np.ndarray  # (d_model, d_ff)
    b_1: np.ndarray  # (d_ff,)
    W_2: np.ndarray  # (d_ff, d_model)
    b_2: np.ndarray  # (d_model,)
    gamma_1: np.ndarray  # (d_model,) LayerNorm 1 scale γ
    beta_1: np.ndarray  # (d_model,) LayerNorm 1 shift β
    gamma_2: np.ndarray  # (d_model,)
    beta_2: np.ndarray  # (d_model,)


def block_params(d_model: int, d_ff: int, seed: int = 0, gain: float = 1.0) -> BlockParams:
    """Seeded parameters for one block: matrices ~ N(0, gain²/fan_in), biases ~ N(0, 0.02²), γ = 1, β = 0.

    gain = 1 keeps the variance of a linear map's output near its input's; gain > 1 inflates it.
    """
    rng = np.random.default_rng([seed, d_model, d_ff])

    def matrix(fan_in: int, fan_out: int) -> np.ndarray:
        return rng.standard_normal((fan_in, fan_out)) * (gain / math.sqrt(fan_in))

    def bias(size: int) -> np.ndarray:
        return rng.standard_normal(size) * 0.02

    d = d_model
    attention = MultiHeadParams(
        matrix(d, d), matrix(d, d), matrix(d, d), matrix(d, d), bias(d), bias(d), bias(d), bias(d)
    )
    ones, zeros = np.ones(d), np.zeros(d)
    return BlockParams(attention, matrix(d, d_ff), bias(d_ff), matrix(d_ff, d), bias(d), ones, zeros, ones, zeros)


@dataclass(frozen=True)
class BlockResult:
    X: np.ndarray  # (n, d_model) block input
    attention: MultiHeadResult  # output (n, d_model)
    add_1: np.ndarray  # (n, d_model) X + MultiHead(X)  (MultiHead(X) alone without the residual)
    norm_1: LayerNormResult  # output Z (n, d_model)  (= add_1 without LayerNorm)
    ffn: FFNResult  # hidden (n, d_ff), output (n, d_model)
    add_2: np.ndarray  # (n, d_model) Z + FFN(Z)
    norm_2: LayerNormResult  # output Y (n, d_model): the block's output
    residual: bool
    layer_norm: bool

    @property
    def output(self) -> np.ndarray:
        return self.norm_2.output


def _identity_norm(x: np.ndarray) -> LayerNormResult:
    # LayerNorm switched off: the "normalized" output is the input itself
    return LayerNormResult(x.mean(axis=-1, keepdims=True), x.var(axis=-1, keepdims=True), x, x)


def _add_norm_output(x: np.ndarray, gamma, beta, eps: float, on: bool) -> LayerNormResult:
    return layer_norm(x, gamma, beta, eps) if on else _identity_norm(x)


def encoder_block(
    X: ArrayLike,
    params: BlockParams,
    num_heads: int,
    activation: str = "relu",
    *,
    residual: bool = True,
    layer_norm: bool = True,
    mask: ArrayLike | None = None,
    eps: float = LN_EPS,
    keep: ArrayLike | None = None,
) -> BlockResult:
    """Y = LN(Z + FFN(Z)), Z = LN(X + MultiHead(X, X, X)): torch's TransformerEncoderLayer, norm_first=False.

    X: (n, d_model) → Y: (n, d_model). residual=False: Z = LN(MultiHead(X)), Y = LN(FFN(Z)).
    layer_norm=False: LN is the identity. mask: (n, n) bool, True = may attend.
    keep: (h,) per-head factor, 0 switches a head off (see multi_head_attention); None keeps all.
    """
    X = np.asarray(X, dtype=np.float64)
    p = params
    attention = multi_head_attention(X, X, p.attention, num_heads, mask=mask, keep=keep)
    add_1 = X + attention.output if residual else attention.output
    norm_1 = _add_norm_output(add_1, p.gamma_1, p.beta_1, eps, layer_norm)
    Z = norm_1.output
    ffn = feed_forward(Z, p.W_1, p.b_1, p.W_2, p.b_2, activation)
    add_2 = Z + ffn.output if residual else ffn.output
    norm_2 = _add_norm_output(add_2, p.gamma_2, p.beta_2, eps, layer_norm)
    return BlockResult(X, attention, add_1, norm_1, ffn, add_2, norm_2, residual, layer_norm)


STAGES = ("input", "attention", "add_1", "norm_1", "ffn", "add_2", "norm_2")  # order of block_stages


def block_stages(result: BlockResult) -> tuple[np.ndarray, ...]:
    """The (n, d_model) tensor after each stage, in the order of STAGES."""
    r = result
    return (r.X, r.attention.output, r.add_1, r.norm_1.output, r.ffn.output, r.add_2, r.norm_2.output)


def token_norms(M: ArrayLike) -> np.ndarray:
    """‖m_i‖₂ for every row (token): (n, d) → (n,)."""
    return np.linalg.norm(np.asarray(M, dtype=np.float64), axis=-1)


def stack_params(num_layers: int, d_model: int, d_ff: int, seed: int = 0, gain: float = 1.0) -> tuple[BlockParams, ...]:
    """The parameters of ``encoder_stack``'s N blocks: block ℓ (from 0) is ``block_params(..., seed + ℓ, gain)``."""
    return tuple(block_params(d_model, d_ff, seed + layer, gain) for layer in range(num_layers))


def encoder_stack(
    X: ArrayLike,
    num_layers: int,
    num_heads: int,
    d_ff: int,
    activation: str = "relu",
    *,
    residual: bool = True,
    layer_norm: bool = True,
    seed: int = 0,
    gain: float = 1.0,
) -> tuple[BlockResult, ...]:
    """N blocks in a row, layer ℓ with its own seeded parameters (seed + ℓ): X → block_1 → … → block_N."""
    results = []
    H = np.asarray(X, dtype=np.float64)
    for p in stack_params(num_layers, H.shape[-1], d_ff, seed, gain):
        r = encoder_block(H, p, num_heads, activation, residual=residual, layer_norm=layer_norm)
        results.append(r)
        H = r.output
    return tuple(results)
