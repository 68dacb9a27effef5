"""Linear projections into query, key and value spaces: Q = X·W_Q, K = X·W_K, V = X·W_V."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class Projections:
    """The learned projections of one attention head (here seeded or the identity)."""

    W_Q: np.ndarray  # (d_model, d_k)
    W_K: np.ndarray  # (d_model, d_k)
    W_V: np.ndarray  # (d_model, d_v)


def projection_params(d_model: int, d_k: int, seed: int = 0, kind: str = "random") -> Projections:
    """W_Q, W_K, W_V for one head.

    kind="identity" (needs d_k = d_model): Q = K = V = X, attention compares the inputs themselves.
    kind="random": entries ~ N(0, 1/d_model) (Xavier-like), so Q, K, V keep X's scale.
    """
    if kind == "identity":
        if d_k != d_model:
            raise ValueError(f"identity projections need d_k = d_model; got d_k={d_k}, d_model={d_model}")
        eye = np.eye(d_model)
        return Projections(eye, eye.copy(), eye.copy())
    if kind != "random":
        raise ValueError(f"kind must be 'random' or 'identity'; got {kind!r}")
    rng = np.random.default_rng([seed, d_model, d_k])
    W = rng.standard_normal((3, d_model, d_k)) / np.sqrt(d_model)  # (3, d_model, d_k)
    return Projections(W[0], W[1], W[2])


def project(X: ArrayLike, W: ArrayLike) -> np.ndarray:
    """X·W: (n, d_model) @ (d_model, d) → (n, d)."""
    X, W = np.asarray(X, dtype=np.float64), np.asarray(W, dtype=np.float64)
    if X.shape[-1] != W.shape[0]:
        raise ValueError(f"X {X.shape} and W {W.shape}: X's last dimension must equal W's rows")
    return X @ W
