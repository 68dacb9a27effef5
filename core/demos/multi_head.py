"""Page pipeline of "Multi-head attention": h heads against one head on the same input, every step kept.

tokens → X = E + PE → multi_head_attention with h heads, and the same parameters used as ONE head of
width d_model, so the two can be compared on identical parameters and input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.attention import build_mask
from core.entropy import entropy, max_entropy
from core.inputs import ToyInputs, toy_inputs
from core.multihead import MultiHeadParams, MultiHeadResult, head_similarity, multi_head_attention, random_params


@dataclass(frozen=True, kw_only=True)
class MultiHeadConfig:
    d_model: int = 64  # width of each token vector
    num_heads: int = 8  # h; must divide d_model
    seed: int = 0  # seeds the embeddings and W_Q, W_K, W_V, W_O
    mask: str = "none"  # "none" or "causal"
    scaling: bool = True  # divide each head's scores by √d_k (False: scale = 1)

    @property
    def d_k(self) -> int:
        """Width of one head: d_model / h."""
        return self.d_model // self.num_heads


@dataclass(frozen=True)
class ToyMultiHead:
    tokens: tuple[str, ...]
    inputs: ToyInputs
    params: MultiHeadParams  # W_Q, W_K, W_V, W_O and biases
    mask: np.ndarray | None  # (n, n) bool, True = may attend
    multi: MultiHeadResult  # h heads of width d_k = d_model / h
    single: MultiHeadResult  # the same W_Q, W_K, W_V, W_O as one head of width d_model
    entropy: np.ndarray  # (h, n) bits, per head and query
    single_entropy: np.ndarray  # (n,) bits
    entropy_mean: np.ndarray  # (h,) mean over queries of entropy
    single_entropy_mean: float  # mean over queries of single_entropy
    max_entropy: float  # log₂ n: the entropy of a uniform row
    similarity: np.ndarray  # (h, h) head_similarity of the h heads
    num_parameters: int  # 4·d_model² + 4·d_model, the same for 1 head and h heads
    contributions: np.ndarray  # (h, n, d_model) head_i · W_O[S_i]: Σ_i contributions + b_O = output
    contribution_norms: np.ndarray  # (h, n) ‖head_i · W_O[S_i]‖ per token: how much each head writes

    @property
    def d_k(self) -> int:
        """Width of one head: d_model / h."""
        return self.multi.d_k

    @property
    def masked(self) -> np.ndarray | None:
        """(n, n) bool, True = masked (the complement of ``mask``); None without a mask."""
        return None if self.mask is None else ~self.mask


def head_contributions(result: MultiHeadResult, W_O: np.ndarray) -> np.ndarray:
    """Concat(head_1 … head_h)·W_O = Σ_i head_i·W_O[S_i]: each head writes through its own rows of W_O.

    (h, n, d_k) heads and (d_model, d_model) W_O → (h, n, d_model).
    """
    h, _, d_k = result.head_outputs.shape
    W_O_rows = W_O.reshape(h, d_k, -1)  # (h, d_k, d_model)
    return result.head_outputs @ W_O_rows  # (h, n, d_model)


def toy_multi_head(tokens: Sequence[str], config: MultiHeadConfig = MultiHeadConfig()) -> ToyMultiHead:
    """Run h-head and 1-head attention on the same X and parameters and keep every intermediate."""
    inputs = toy_inputs(tokens, config.d_model, config.seed, positional=True)
    params = random_params(config.d_model, config.num_heads, config.seed)
    mask = build_mask(config.mask, len(inputs.X))
    scale = None if config.scaling else 1.0
    multi = multi_head_attention(inputs.X, inputs.X, params, config.num_heads, mask=mask, scale=scale)
    single = multi_head_attention(inputs.X, inputs.X, params, 1, mask=mask, scale=scale)
    contributions = head_contributions(multi, params.W_O)  # (h, n, d_model)
    H, single_H = entropy(multi.weights), entropy(single.weights)[0]  # (h, n), (n,)
    return ToyMultiHead(
        tokens=tuple(tokens),
        inputs=inputs,
        params=params,
        mask=mask,
        multi=multi,
        single=single,
        entropy=H,
        single_entropy=single_H,
        entropy_mean=H.mean(axis=-1),
        single_entropy_mean=float(single_H.mean()),
        max_entropy=max_entropy(len(inputs.X)),
        similarity=head_similarity(multi.weights),
        num_parameters=4 * config.d_model**2 + 4 * config.d_model,
        contributions=contributions,
        contribution_norms=np.linalg.norm(contributions, axis=-1),
    )
