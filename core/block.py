"""One Transformer encoder block (Vaswani et al. 2017, section 3.1), post-norm, every stage kept.

    Z = LayerNorm(X + MultiHead(X, X, X))          # sublayer 1: Add & Norm
    Y = LayerNorm(Z + FFN(Z))                      # sublayer 2: Add & Norm
    FFN(z) = act(z·W_1 + b_1)·W_2 + b_2            # act = ReLU or GELU
    LayerNorm(x) = γ ⊙ (x − μ) / √(σ² + ε) + β     # μ, σ² over the d_model features of one token

Shapes: X (n, d_model), W_Q/W_K/W_V/W_O (d_model, d_model), W_1 (d_model, d_ff), W_2 (d_ff, d_model).
Row vectors (x·W), so a torch ``nn.Linear`` weight is our W transposed. ``residual=False`` drops the
"X +" of both sublayers and ``layer_norm=False`` replaces LayerNorm by the identity: the page uses
these switches to show what each part does to the size of the token vectors.

The attention sublayer is ``core.multihead.multi_head_attention`` with X_q = X_kv = X.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.multihead import MultiHeadResult, MultiHeadWeights, multi_head_attention

ACTIVATIONS = ("relu", "gelu")
LN_EPS = 1e-5  # torch.nn.LayerNorm's default


@dataclass(frozen=True)
class LayerNormResult:
    mean: np.ndarray  # (n, 1) μ of each token
    var: np.ndarray  # (n, 1) σ² of each token (biased, as in the paper and torch)
    normalized: np.ndarray  # (n, d) (x − μ) / √(σ² + ε)
    output: np.ndarray  # (n, d) γ ⊙ normalized + β


def layer_norm(x, gamma=None, beta=None, eps: float = LN_EPS) -> LayerNormResult:
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


def relu(x) -> np.ndarray:
    """ReLU(x) = max(0, x)."""
    return np.maximum(x, 0.0)


def gelu(x) -> np.ndarray:
    """GELU(x) = x · Φ(x) = x · ½(1 + erf(x / √2)), the exact form torch uses by default."""
    x = np.asarray(x, dtype=np.float64)
    return x * 0.5 * (1.0 + np.vectorize(math.erf, otypes=[np.float64])(x / math.sqrt(2.0)))


@dataclass(frozen=True)
class FFNResult:
    pre_activation: np.ndarray  # (n, d_ff) z·W_1 + b_1
    hidden: np.ndarray  # (n, d_ff) act(pre_activation)
    output: np.ndarray  # (n, d_model) hidden·W_2 + b_2


def feed_forward(Z, W_1, b_1, W_2, b_2, activation: str = "relu") -> FFNResult:
    """FFN(z) = act(z·W_1 + b_1)·W_2 + b_2, applied to every token (row) separately.

    Z: (n, d_model), W_1: (d_model, d_ff), b_1: (d_ff,), W_2: (d_ff, d_model), b_2: (d_model,).
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}; got {activation!r}")
    pre = np.asarray(Z, dtype=np.float64) @ W_1 + b_1  # (n, d_ff)
    hidden = relu(pre) if activation == "relu" else gelu(pre)
    return FFNResult(pre, hidden, hidden @ W_2 + b_2)


@dataclass(frozen=True)
class BlockWeights:
    attention: MultiHeadWeights
    W_1: np.ndarray  # (d_model, d_ff)
    b_1: np.ndarray  # (d_ff,)
    W_2: np.ndarray  # (d_ff, d_model)
    b_2: np.ndarray  # (d_model,)
    gamma_1: np.ndarray  # (d_model,) LayerNorm 1 scale γ
    beta_1: np.ndarray  # (d_model,) LayerNorm 1 shift β
    gamma_2: np.ndarray  # (d_model,)
    beta_2: np.ndarray  # (d_model,)


def block_weights(d_model: int, d_ff: int, seed: int = 0, gain: float = 1.0) -> BlockWeights:
    """Seeded weights for one block: matrices ~ N(0, gain²/fan_in), biases ~ N(0, 0.02²), γ = 1, β = 0.

    gain = 1 keeps the variance of a linear map's output near its input's; gain > 1 inflates it.
    """
    rng = np.random.default_rng([seed, d_model, d_ff])

    def matrix(fan_in: int, fan_out: int) -> np.ndarray:
        return rng.standard_normal((fan_in, fan_out)) * (gain / math.sqrt(fan_in))

    def bias(size: int) -> np.ndarray:
        return rng.standard_normal(size) * 0.02

    d = d_model
    attention = MultiHeadWeights(
        matrix(d, d), matrix(d, d), matrix(d, d), matrix(d, d), bias(d), bias(d), bias(d), bias(d)
    )
    ones, zeros = np.ones(d), np.zeros(d)
    return BlockWeights(attention, matrix(d, d_ff), bias(d_ff), matrix(d_ff, d), bias(d), ones, zeros, ones, zeros)


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


def encoder_block(
    X,
    weights: BlockWeights,
    num_heads: int,
    activation: str = "relu",
    *,
    residual: bool = True,
    layer_norm_on: bool = True,
    mask=None,
    eps: float = LN_EPS,
) -> BlockResult:
    """Y = LN(Z + FFN(Z)), Z = LN(X + MultiHead(X, X, X)): torch's TransformerEncoderLayer, norm_first=False.

    X: (n, d_model) → Y: (n, d_model). residual=False: Z = LN(MultiHead(X)), Y = LN(FFN(Z)).
    layer_norm_on=False: LN is the identity.
    """
    X = np.asarray(X, dtype=np.float64)
    w = weights
    attention = multi_head_attention(X, X, w.attention, num_heads, mask=mask)
    add_1 = X + attention.output if residual else attention.output
    norm_1 = layer_norm(add_1, w.gamma_1, w.beta_1, eps) if layer_norm_on else _identity_norm(add_1)
    Z = norm_1.output
    ffn = feed_forward(Z, w.W_1, w.b_1, w.W_2, w.b_2, activation)
    add_2 = Z + ffn.output if residual else ffn.output
    norm_2 = layer_norm(add_2, w.gamma_2, w.beta_2, eps) if layer_norm_on else _identity_norm(add_2)
    return BlockResult(X, attention, add_1, norm_1, ffn, add_2, norm_2, residual, layer_norm_on)


STAGES = ("input", "attention", "add_1", "norm_1", "ffn", "add_2", "norm_2")  # order of block_stages


def block_stages(result: BlockResult) -> tuple[np.ndarray, ...]:
    """The (n, d_model) tensor after each stage, in the order of STAGES."""
    r = result
    return (r.X, r.attention.output, r.add_1, r.norm_1.output, r.ffn.output, r.add_2, r.norm_2.output)


def token_norms(M) -> np.ndarray:
    """‖m_i‖₂ for every row (token): (n, d) → (n,)."""
    return np.linalg.norm(np.asarray(M, dtype=np.float64), axis=-1)


def encoder_stack(
    X,
    num_layers: int,
    num_heads: int,
    d_ff: int,
    activation: str = "relu",
    *,
    residual: bool = True,
    layer_norm_on: bool = True,
    seed: int = 0,
    gain: float = 1.0,
) -> tuple[BlockResult, ...]:
    """N blocks in a row, layer ℓ with its own seeded weights (seed + ℓ): X → block_1 → … → block_N."""
    results = []
    H = np.asarray(X, dtype=np.float64)
    for layer in range(num_layers):
        w = block_weights(H.shape[-1], d_ff, seed + layer, gain)
        r = encoder_block(H, w, num_heads, activation, residual=residual, layer_norm_on=layer_norm_on)
        results.append(r)
        H = r.output
    return tuple(results)


@dataclass(frozen=True)
class BlockConfig:
    d_model: int = 16  # width of every token vector
    num_heads: int = 4  # h; d_k = d_model / h
    d_ff: int = 64  # width of the feed-forward hidden layer (the paper uses 4 · d_model)
    activation: str = "relu"  # one of ACTIVATIONS
    residual: bool = True  # keep the "X +" of both Add & Norm steps
    layer_norm: bool = True  # keep both LayerNorms
    num_layers: int = 1  # N blocks stacked
    seed: int = 0  # seeds embeddings and weights
    gain: float = 1.0  # weight scale: std = gain / √fan_in
    positional: bool = True  # add sinusoidal PE to the embeddings


@dataclass(frozen=True)
class BlockRun:
    tokens: tuple[str, ...]
    E: np.ndarray  # (n, d_model) token embeddings
    PE: np.ndarray  # (n, d_model) positional encoding (zeros when off)
    layers: tuple[BlockResult, ...]  # one per block; layers[0].X = E + PE
    norms: np.ndarray  # (num_layers, len(STAGES), n) ‖token vector‖ after each stage

    @property
    def mean_norms(self) -> np.ndarray:
        """(num_layers, len(STAGES)): the norms averaged over tokens."""
        return self.norms.mean(axis=-1)


def block_walkthrough(tokens, config: BlockConfig = BlockConfig()) -> BlockRun:
    """tokens → X = E + PE → N encoder blocks, with every stage's tensor and token norms kept."""
    from core.walkthrough import toy_inputs  # local: walkthrough imports attention only, no cycle

    inputs = toy_inputs(tokens, config.d_model, config.seed, config.positional)
    c = config
    layers = encoder_stack(
        inputs.X, c.num_layers, c.num_heads, c.d_ff, c.activation,
        residual=c.residual, layer_norm_on=c.layer_norm, seed=c.seed, gain=c.gain,
    )  # fmt: skip
    norms = np.array([[token_norms(s) for s in block_stages(r)] for r in layers])  # (N, stages, n)
    return BlockRun(tuple(tokens), inputs.E, inputs.PE, layers, norms)


def mean_norm_trajectory(norms: np.ndarray) -> np.ndarray:
    """Mean token norm along the stack: the input, then every stage after it in each layer.

    norms: (N, len(STAGES), n) → (1 + N·(len(STAGES) − 1),).
    """
    means = norms.mean(axis=-1)  # (N, stages)
    return np.concatenate([means[0, :1], means[:, 1:].reshape(-1)])


VARIANTS = ((True, True), (False, True), (True, False), (False, False))  # (residual, layer_norm)


def compare_variants(tokens, config: BlockConfig) -> dict[tuple[bool, bool], np.ndarray]:
    """mean_norm_trajectory for each (residual, layer_norm) switch setting, all else equal."""
    from dataclasses import replace

    return {
        (res, ln): mean_norm_trajectory(block_walkthrough(tokens, replace(config, residual=res, layer_norm=ln)).norms)
        for res, ln in VARIANTS
    }
