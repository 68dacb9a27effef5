"""Page pipeline of "Why divide by √d_k" (Vaswani et al. 2017, section 3.2.1, footnote 4), as an experiment.

If the components of q and k are independent with mean 0 and variance 1, then

    q · k = Σ_{m=1}^{d_k} q_m k_m    has mean 0 and variance d_k,

so raw scores spread out like √d_k. The softmax of widely spread scores puts almost all weight on
one key (saturation), and its Jacobian J = diag(p) − p pᵀ, the factor every gradient passes through,
goes to 0. Dividing by √d_k brings the variance back to 1 at every d_k.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from core.attention import softmax
from core.entropy import entropy, max_entropy

D_K_VALUES = tuple(2**p for p in range(11))  # 1, 2, 4, …, 1024
CHUNK = 32  # trials drawn at once


def softmax_jacobian(p: ArrayLike) -> np.ndarray:
    """J = diag(p) − p pᵀ, the exact Jacobian ∂softmax(s)/∂s at p = softmax(s); p (n,) → J (n, n)."""
    p = np.asarray(p, dtype=np.float64).reshape(-1)
    return np.diag(p) - np.outer(p, p)


def jacobian_norm(p: ArrayLike) -> float:
    """‖diag(p) − p pᵀ‖_F, the Frobenius norm of the exact Jacobian."""
    return float(np.linalg.norm(softmax_jacobian(p)))


def _jacobian_norms(P: np.ndarray) -> np.ndarray:
    """Row-wise ‖diag(p) − p pᵀ‖_F for P (t, n) → (t,). J is formed explicitly: the closed form
    Σ p²(1 − 2p) + (Σ p²)² cancels catastrophically when p is nearly one-hot, exactly the case we show."""
    n = P.shape[-1]
    J = -P[:, :, None] * P[:, None, :]  # (t, n, n)
    J[:, np.arange(n), np.arange(n)] += P
    return np.linalg.norm(J, axis=(1, 2))


def random_scores(d_k: int, n_keys: int, trials: int, seed: int = 0) -> np.ndarray:
    """(trials, n_keys) raw scores q · k_j with q, k_j ~ N(0, I_{d_k}), one fresh q per trial.

    Seeded by (seed, d_k): the same seed always gives the same scores at a given d_k. Drawn in
    blocks of CHUNK trials so that d_k = 1024 never holds more than CHUNK · n · d_k numbers at once.
    """
    rng = np.random.default_rng([seed, d_k])
    blocks = []
    for start in range(0, trials, CHUNK):
        c = min(CHUNK, trials - start)
        q = rng.standard_normal((c, 1, d_k))  # (c, 1, d_k)
        k = rng.standard_normal((c, n_keys, d_k))  # (c, n, d_k)
        blocks.append(np.einsum("tod,tnd->tn", q, k))  # (c, n)
    return np.concatenate(blocks)


@dataclass(frozen=True)
class ScalingSweep:
    """Statistics of random attention scores over d_k, without (raw) and with 1/√d_k scaling."""

    d_k: np.ndarray  # (m,) the key widths tried
    n_keys: int  # scores per softmax
    trials: int  # softmaxes per d_k
    var_raw: np.ndarray  # (m,) measured Var(q·k); theory d_k
    var_scaled: np.ndarray  # (m,) measured Var(q·k/√d_k); theory 1
    max_weight_raw: np.ndarray  # (m,) mean over trials of max_j p_j
    max_weight_scaled: np.ndarray  # (m,)
    jac_norm_raw: np.ndarray  # (m,) mean ‖diag(p) − p pᵀ‖_F
    jac_norm_scaled: np.ndarray  # (m,)
    entropy_raw: np.ndarray  # (m,) mean −Σ p log₂ p (bits); log₂ n = uniform
    entropy_scaled: np.ndarray  # (m,)

    @property
    def max_entropy(self) -> float:
        """log₂ n_keys bits: the entropy of a uniform softmax, the ceiling of both entropy curves."""
        return max_entropy(self.n_keys)

    @property
    def uniform_weight(self) -> float:
        """1 / n_keys: every weight of a uniform softmax, the floor of both top-weight curves."""
        return 1.0 / self.n_keys


def scaling_sweep(
    n_keys: int = 16, trials: int = 400, seed: int = 0, d_k_values: Sequence[int] = D_K_VALUES
) -> ScalingSweep:
    """For each d_k: ``trials`` softmaxes of ``n_keys`` random scores, raw and divided by √d_k."""
    if n_keys < 2 or trials < 2:
        raise ValueError(f"need n_keys ≥ 2 and trials ≥ 2; got n_keys={n_keys}, trials={trials}")
    rows = []
    for d_k in d_k_values:
        S = random_scores(d_k, n_keys, trials, seed)  # (t, n)
        stats = []
        for scaled in (S, S / np.sqrt(d_k)):
            P = softmax(scaled, axis=-1)  # (t, n)
            stats.append((scaled.var(), P.max(axis=-1).mean(), _jacobian_norms(P).mean(), entropy(P).mean()))
        rows.append([x for pair in zip(*stats) for x in pair])
    a = np.array(rows, dtype=np.float64).T  # (8, m)
    return ScalingSweep(np.array(d_k_values), n_keys, trials, *a)


@dataclass(frozen=True)
class ScalingExample:
    """One softmax of n random scores at one d_k, without and with the 1/√d_k scaling."""

    d_k: int
    scores: np.ndarray  # (n,) raw q · k_j
    weights_raw: np.ndarray  # (n,) softmax(scores)
    weights_scaled: np.ndarray  # (n,) softmax(scores / √d_k)
    jac_norm_raw: float  # ‖J‖_F at weights_raw
    jac_norm_scaled: float
    entropy_raw: float  # bits
    entropy_scaled: float  # bits
    samples_raw: np.ndarray  # (trials·n,) many raw scores at this d_k, for the histogram
    samples_scaled: np.ndarray  # (trials·n,) the same divided by √d_k


def scaling_example(d_k: int, n_keys: int = 16, trials: int = 400, seed: int = 0) -> ScalingExample:
    """The first trial of ``random_scores`` at d_k (the same numbers the sweep uses), both ways."""
    S = random_scores(d_k, n_keys, trials, seed)  # (t, n)
    s = S[0]
    p_raw, p_scaled = softmax(s), softmax(s / np.sqrt(d_k))
    return ScalingExample(
        d_k,
        s,
        p_raw,
        p_scaled,
        jacobian_norm(p_raw),
        jacobian_norm(p_scaled),
        float(entropy(p_raw)),
        float(entropy(p_scaled)),
        S.reshape(-1),
        S.reshape(-1) / np.sqrt(d_k),
    )
