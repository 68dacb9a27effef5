"""Page pipeline of "Scaled dot-product attention": the toy single-head run, every step kept.

tokens → X = E (+ PE) → Q, K, V = X·W_Q, X·W_K, X·W_V → mask → scaled_dot_product_attention,
plus ``trace_cell``: the arithmetic of one weight written out term by term.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.attention import MASK_KINDS, AttentionResult, build_mask, scaled_dot_product_attention
from core.inputs import ToyInputs, toy_inputs
from core.projection import Projections, project, projection_params

__all__ = ["MASK_KINDS", "CellTrace", "ToyAttention", "ToyConfig", "toy_attention", "trace_cell"]


@dataclass(frozen=True, kw_only=True)
class ToyConfig:
    d_model: int = 16  # width of each token vector
    d_k: int = 8  # width of queries and keys (and values here)
    seed: int = 0  # seeds the embeddings and the projections
    positional: bool = True  # add sinusoidal PE to the embeddings
    projection: str = "random"  # "random" W_Q/W_K/W_V or "identity" (needs d_k = d_model)
    scaling: bool = True  # divide by √d_k (False: scale = 1)
    temperature: float = 1.0  # softmax temperature τ: weights = softmax(scaled / τ)
    mask: str = "none"  # one of MASK_KINDS
    pad_last: int = 0  # with mask="padding": how many trailing tokens are padding
    blocked: tuple[tuple[int, int], ...] = ()  # with mask="custom": (query, key) cells not allowed


@dataclass(frozen=True)
class ToyAttention:
    tokens: tuple[str, ...]
    inputs: ToyInputs
    projections: Projections  # W_Q, W_K, W_V
    Q: np.ndarray  # (n, d_k)
    K: np.ndarray  # (n, d_k)
    V: np.ndarray  # (n, d_k)
    mask: np.ndarray | None  # (n, n) bool, True = may attend
    result: AttentionResult

    @property
    def masked(self) -> np.ndarray | None:
        """(n, n) bool, True = masked (the complement of ``mask``); None without a mask."""
        return None if self.mask is None else ~self.mask


def toy_attention(tokens: Sequence[str], config: ToyConfig = ToyConfig()) -> ToyAttention:
    """Run the whole single-head pipeline on ``tokens`` and keep every intermediate."""
    inputs = toy_inputs(tokens, config.d_model, config.seed, config.positional)
    W = projection_params(config.d_model, config.d_k, config.seed, config.projection)
    Q, K, V = project(inputs.X, W.W_Q), project(inputs.X, W.W_K), project(inputs.X, W.W_V)  # (n, d_k)
    mask = build_mask(config.mask, len(Q), config.pad_last, config.blocked)
    scale = None if config.scaling else 1.0
    result = scaled_dot_product_attention(Q, K, V, mask=mask, scale=scale, temperature=config.temperature)
    return ToyAttention(tokens=tuple(tokens), inputs=inputs, projections=W, Q=Q, K=K, V=V, mask=mask, result=result)


@dataclass(frozen=True)
class CellTrace:
    """The arithmetic behind weights[i, j] and output[i], term by term."""

    i: int
    j: int
    products: np.ndarray  # (d_k,) q_i[m] · k_j[m]
    score: float  # Σ_m products = (Q·Kᵀ)[i, j]
    scaled: float  # score · scale / temperature
    allowed: bool  # mask[i, j]
    row_max: float  # max of the allowed scaled scores in row i (subtracted before exp)
    exp_row: np.ndarray  # (n_k,) exp(masked[i] − row_max); 0 where masked
    exp_sum: float  # Σ exp_row
    weight: float  # exp_row[j] / exp_sum
    contributions: np.ndarray  # (n_k, d_v) weights[i, k] · v_k
    output: np.ndarray  # (d_v,) Σ_k contributions = output[i]


def trace_cell(run: ToyAttention, i: int, j: int) -> CellTrace:
    """Write out weights[i, j] = exp(s_ij − m) / Σ_k exp(s_ik − m) and output_i = Σ_k w_ik · v_k."""
    r = run.result
    products = run.Q[i] * run.K[j]  # (d_k,)
    row = r.masked[i]
    finite = np.isfinite(row)
    row_max = float(row[finite].max()) if finite.any() else 0.0
    exp_row = np.where(finite, np.exp(np.where(finite, row - row_max, 0.0)), 0.0)
    contributions = r.weights[i][:, None] * run.V  # (n_k, d_v)
    return CellTrace(
        i=i,
        j=j,
        products=products,
        score=float(products.sum()),
        scaled=float(r.scaled[i, j]),
        allowed=bool(finite[j]),
        row_max=row_max,
        exp_row=exp_row,
        exp_sum=float(exp_row.sum()),
        weight=float(r.weights[i, j]),
        contributions=contributions,
        output=r.output[i],
    )
