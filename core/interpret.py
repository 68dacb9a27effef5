"""Reading a trained model's attention: sentence embeddings, per-head entropy, attention rollout.

Pure NumPy over the arrays in ``core.minilm.ModelTrace``; L layers, h heads, n tokens.
"""

from __future__ import annotations

import numpy as np

from core.entropy import entropy


def mean_pooled_embedding(hidden: np.ndarray) -> np.ndarray:
    """Sentence embedding e = (1/n) Σ_i x_i over the last layer's token vectors; hidden (n, d_model) → (d_model,).

    all-MiniLM-L6-v2 was trained with this mean pooling ([CLS] and [SEP] included), then scaled to length 1.
    """
    hidden = np.asarray(hidden, dtype=np.float64)
    if hidden.ndim != 2 or hidden.shape[0] == 0:
        raise ValueError(f"hidden must have shape (n, d_model) with n ≥ 1; got {hidden.shape}")
    e = hidden.mean(axis=0)
    return e / np.linalg.norm(e)


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """cos(a, b) = a·b / (‖a‖ ‖b‖), in [−1, 1]; 1 means the same direction."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b need the same shape; got {a.shape} and {b.shape}")
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    if norm == 0:
        raise ValueError("cosine similarity is undefined for a zero vector")
    return float(np.clip(a @ b / norm, -1.0, 1.0))


def head_entropy(weights: np.ndarray) -> np.ndarray:
    """H = (1/n) Σ_i −Σ_j w_ij · log₂ w_ij: mean entropy of each head's attention rows, in bits.

    weights (..., n, n) → (...), e.g. (L, h, n, n) → (L, h). 0 bits: every query looks at one
    token; log₂ n bits: every query spreads evenly over all n tokens.
    """
    return entropy(weights).mean(axis=-1)


def mean_over_heads(weights: np.ndarray) -> np.ndarray:
    """Ā = (1/h) Σ_i A_i, the average attention of a layer's heads: (..., h, n, n) → (..., n, n)."""
    return np.asarray(weights, dtype=np.float64).mean(axis=-3)


def attention_rollout(weights: np.ndarray) -> np.ndarray:
    """Attention rollout (Abnar & Zuidema 2020) after each layer; weights (L, h, n, n) → (L, n, n).

    Ã_l = rownorm(mean_heads(A_l) + I)     the identity stands for the residual connection
    R_l = Ã_l · Ã_(l−1) · … · Ã_1          R_l[i, j]: how much of input token j reaches token i after layer l
    """
    A = np.asarray(weights, dtype=np.float64)
    if A.ndim != 4 or A.shape[-1] != A.shape[-2]:
        raise ValueError(f"weights must have shape (layers, heads, n, n); got {A.shape}")
    n = A.shape[-1]
    A_tilde = mean_over_heads(A) + np.eye(n)  # (L, n, n)
    A_tilde = A_tilde / A_tilde.sum(axis=-1, keepdims=True)
    rollout = np.empty_like(A_tilde)
    R = np.eye(n)
    for layer, a in enumerate(A_tilde):
        R = a @ R
        rollout[layer] = R
    return rollout


def previous_token_weight(weights: np.ndarray) -> np.ndarray:
    """P = (1/(n−1)) Σ_{i≥1} w_{i,i−1}: how much weight each head's queries put on the token just before
    them, on average; weights (..., n, n) → (...), e.g. (L, h, n, n) → (L, h). 1: a previous-token head."""
    A = np.asarray(weights, dtype=np.float64)
    if A.shape[-1] < 2:
        raise ValueError(f"a previous token needs n ≥ 2 tokens; got n = {A.shape[-1]}")
    return np.diagonal(A, offset=-1, axis1=-2, axis2=-1).mean(axis=-1)
