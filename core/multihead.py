"""Multi-head attention (Vaswani et al. 2017, section 3.2.2).

    head_i = Attention(X_q·W_Q[:, S_i] + b_Q[S_i], X_kv·W_K[:, S_i] + b_K[S_i], X_kv·W_V[:, S_i] + b_V[S_i])
    MultiHead(X_q, X_kv) = Concat(head_1, …, head_h)·W_O + b_O

S_i = columns i·d_k … (i+1)·d_k − 1 with d_k = d_model / h: one (d_model, d_model) projection is
cut into h slices, so h heads cost exactly as much as one head of width d_model.
Row vectors as in the paper (Q = X·W_Q), masks with True = may attend.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from core.attention import scaled_dot_product_attention
from core.entropy import entropy

if TYPE_CHECKING:  # never imported at runtime: core does not need torch
    import torch


def divisors(n: int) -> list[int]:
    """Every h that splits d_model = n into equal heads: the positive divisors of n, ascending."""
    return [h for h in range(1, int(n) + 1) if n % h == 0]


def head_options(d_model: int, candidates: Collection[int] | None = None) -> list[int]:
    """The head counts offered for d_model: every divisor of d_model, or only those among ``candidates``.

    "Multi-head attention" offers every divisor; "Transformer block" the divisors among
    BLOCK_HEAD_CANDIDATES (a short list for a select box).
    """
    options = divisors(d_model)
    return options if candidates is None else [h for h in options if h in set(candidates)]


def choose_heads(options: Collection[int], current: int | None, fallback: int) -> int:
    """``current`` while it is still an option, else the option nearest to ``fallback`` (ties → smaller).

    Used when d_model changes under a chosen h: the multi-head page falls back towards the h it had,
    the block page towards BLOCK_DEFAULT_HEADS.
    """
    if current in options:
        return current
    return min(options, key=lambda x: (abs(x - fallback), x))


BLOCK_HEAD_CANDIDATES = (1, 2, 4, 8, 16)  # head counts the "Transformer block" page offers
BLOCK_DEFAULT_HEADS = 4  # the block page's h when the chosen one no longer divides d_model


def check_heads(d_model: int, num_heads: int) -> int:
    """d_k = d_model / h, or a ValueError naming the h that would work."""
    if num_heads < 1 or d_model < 1 or d_model % num_heads:
        raise ValueError(
            f"d_model={d_model} is not divisible by h={num_heads}; try h in {{{', '.join(map(str, divisors(max(d_model, 1))))}}}"
        )
    return d_model // num_heads


@dataclass(frozen=True)
class MultiHeadParams:
    """The learned projections of one multi-head attention layer; biases default to zeros."""

    W_Q: np.ndarray  # (d_model, d_model)  Q = X·W_Q + b_Q
    W_K: np.ndarray  # (d_model, d_model)
    W_V: np.ndarray  # (d_model, d_model)
    W_O: np.ndarray  # (d_model, d_model)  output = Concat(heads)·W_O + b_O
    b_Q: np.ndarray = field(default=None)  # (d_model,)
    b_K: np.ndarray = field(default=None)  # (d_model,)
    b_V: np.ndarray = field(default=None)  # (d_model,)
    b_O: np.ndarray = field(default=None)  # (d_model,)

    def __post_init__(self):
        d_model = np.asarray(self.W_Q).shape[0]
        for name in ("W_Q", "W_K", "W_V", "W_O"):
            W = np.asarray(getattr(self, name), dtype=np.float64)
            if W.shape != (d_model, d_model):
                raise ValueError(f"{name} must have shape ({d_model}, {d_model}); got {W.shape}")
            object.__setattr__(self, name, W)
        for name in ("b_Q", "b_K", "b_V", "b_O"):
            b = getattr(self, name)
            b = np.zeros(d_model) if b is None else np.asarray(b, dtype=np.float64)
            if b.shape != (d_model,):
                raise ValueError(f"{name} must have shape ({d_model},); got {b.shape}")
            object.__setattr__(self, name, b)

    @property
    def d_model(self) -> int:
        return self.W_Q.shape[0]


def random_params(d_model: int, num_heads: int = 1, seed: int = 0) -> MultiHeadParams:
    """W_Q, W_K, W_V, W_O with entries ~ N(0, 1/d_model) (Xavier-like: X·W keeps X's scale), zero biases.

    The matrices depend on (seed, d_model) only, not on h: changing h re-cuts the same columns into
    heads, so "1 head vs h heads" compares two ways of using identical parameters.
    """
    check_heads(d_model, num_heads)
    rng = np.random.default_rng([int(seed), int(d_model)])
    W = rng.standard_normal((4, d_model, d_model)) / np.sqrt(d_model)  # (4, d_model, d_model)
    return MultiHeadParams(W[0], W[1], W[2], W[3])


def split_heads(M: np.ndarray, num_heads: int) -> np.ndarray:
    """(n, d_model) → (h, n, d_k): head i gets columns i·d_k … (i+1)·d_k − 1."""
    n, d_model = M.shape
    d_k = check_heads(d_model, num_heads)
    return M.reshape(n, num_heads, d_k).transpose(1, 0, 2)  # (h, n, d_k)


def concat_heads(H: np.ndarray) -> np.ndarray:
    """(h, n, d_k) → (n, h·d_k): Concat(head_1, …, head_h) along the feature axis."""
    h, n, d_k = H.shape
    return H.transpose(1, 0, 2).reshape(n, h * d_k)  # (n, d_model)


@dataclass(frozen=True)
class MultiHeadResult:
    """Every intermediate of one multi-head attention call."""

    Q: np.ndarray  # (h, n_q, d_k)  per-head queries
    K: np.ndarray  # (h, n_k, d_k)
    V: np.ndarray  # (h, n_k, d_k)
    scores: np.ndarray  # (h, n_q, n_k)  Q_i·K_iᵀ (before scaling)
    scaled: np.ndarray  # (h, n_q, n_k)  scores · scale
    weights: np.ndarray  # (h, n_q, n_k)  softmax rows
    head_outputs: np.ndarray  # (h, n_q, d_k)  keep_i · weights_i·V_i (keep_i = 1 unless a head is off)
    concat: np.ndarray  # (n_q, d_model)  Concat(head_1, …, head_h)
    output: np.ndarray  # (n_q, d_model)  concat·W_O + b_O
    num_heads: int
    d_k: int
    scale: float


def multi_head_attention(
    X_q: ArrayLike,
    X_kv: ArrayLike,
    params: MultiHeadParams,
    num_heads: int,
    mask: ArrayLike | None = None,
    scale: float | None = None,
    keep: ArrayLike | None = None,
) -> MultiHeadResult:
    """MultiHead(X_q, X_kv) = Concat(keep_1·head_1 … keep_h·head_h)·W_O + b_O, every stage kept.

    X_q: (n_q, d_model), X_kv: (n_k, d_model). mask: bool (n_q, n_k) or (h, n_q, n_k), True = may
    attend. scale: None → 1/√d_k per head; 1.0 → no scaling. keep: (h,) factors, 0 switches a head
    off (its output adds nothing; its weights are still computed and returned); None keeps all.
    """
    X_q, X_kv = np.asarray(X_q, dtype=np.float64), np.asarray(X_kv, dtype=np.float64)
    d_model = params.d_model
    for name, X in (("X_q", X_q), ("X_kv", X_kv)):
        if X.ndim != 2 or X.shape[1] != d_model:
            raise ValueError(f"{name} must have shape (n, {d_model}) to match the parameters; got {X.shape}")
    d_k = check_heads(d_model, num_heads)
    Q = split_heads(X_q @ params.W_Q + params.b_Q, num_heads)  # (h, n_q, d_k)
    K = split_heads(X_kv @ params.W_K + params.b_K, num_heads)  # (h, n_k, d_k)
    V = split_heads(X_kv @ params.W_V + params.b_V, num_heads)  # (h, n_k, d_k)
    r = scaled_dot_product_attention(Q, K, V, mask=mask, scale=scale)
    heads = r.output  # (h, n_q, d_k)
    if keep is not None:
        keep = np.asarray(keep, dtype=np.float64)
        if keep.shape != (num_heads,):
            raise ValueError(f"keep must have shape (h,) = ({num_heads},); got {keep.shape}")
        heads = heads * keep[:, None, None]  # a switched-off head adds nothing
    concat = concat_heads(heads)  # (n_q, d_model)
    output = concat @ params.W_O + params.b_O  # (n_q, d_model)
    return MultiHeadResult(Q, K, V, r.scores, r.scaled, r.weights, heads, concat, output, num_heads, d_k, r.scale)


def from_torch(module: torch.nn.MultiheadAttention) -> MultiHeadParams:
    """MultiHeadParams equal to a ``torch.nn.MultiheadAttention`` (same output for the same input).

    torch applies ``in_proj_weight`` (3·d_model, d_model) as x·Wᵀ, so W_Q = in_proj_weight[:d_model]ᵀ,
    and likewise for K, V and out_proj. Its boolean ``attn_mask`` means True = *blocked*: pass
    ``~mask`` of ours. Heads are cut the same way (consecutive columns), so num_heads carries over.
    """
    if not getattr(module, "_qkv_same_embed_dim", True) or module.bias_k is not None:
        raise ValueError("only MultiheadAttention with kdim = vdim = embed_dim and add_bias_kv=False is supported")
    E = module.embed_dim

    def np64(t):
        return t.detach().to("cpu").double().numpy()

    W_in = np64(module.in_proj_weight)  # (3E, E)
    b_in = np64(module.in_proj_bias) if module.in_proj_bias is not None else np.zeros(3 * E)
    b_out = np64(module.out_proj.bias) if module.out_proj.bias is not None else np.zeros(E)
    return MultiHeadParams(
        W_Q=W_in[:E].T,
        W_K=W_in[E : 2 * E].T,
        W_V=W_in[2 * E :].T,
        W_O=np64(module.out_proj.weight).T,
        b_Q=b_in[:E],
        b_K=b_in[E : 2 * E],
        b_V=b_in[2 * E :],
        b_O=b_out,
    )


def head_similarity(weights: ArrayLike) -> np.ndarray:
    """(h, n_q, n_k) → (h, h): 1 − mean over queries of the Jensen–Shannon divergence (bits).

    JSD(p, q) = H((p + q)/2) − (H(p) + H(q))/2 lies in [0, 1] with log₂, so the similarity is 1
    for heads that put identical weights on every key and 0 for heads whose rows never overlap.
    Rows that are all zero (fully masked) in either head are left out of the mean.
    """
    w = np.asarray(weights, dtype=np.float64)  # (h, n_q, n_k)
    p, q = w[:, None], w[None, :]  # (h, 1, n_q, n_k), (1, h, n_q, n_k)
    jsd = entropy((p + q) / 2) - (entropy(p) + entropy(q)) / 2  # (h, h, n_q)
    valid = (w.sum(-1) > 0)[:, None] & (w.sum(-1) > 0)[None, :]  # (h, h, n_q)
    count = valid.sum(-1)
    mean = np.where(valid, jsd, 0.0).sum(-1) / np.maximum(count, 1)
    return np.clip(1.0 - mean, 0.0, 1.0)
