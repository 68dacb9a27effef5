"""Choosing the next token from the logits: temperature, top-k, top-p (nucleus), greedy or sampled.

    p_i = softmax(z / T)_i                          T < 1 sharpens, T > 1 flattens, T → 0 is greedy
    top-k: keep the k most probable tokens, renormalise
    top-p: keep the fewest most probable tokens whose probabilities add up to at least p, renormalise

Applied in that order (as Hugging Face transformers' generate does). Float64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.attention import softmax


def temperature_softmax(logits: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(z / T) over the vocabulary."""
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0; got {temperature}")
    return softmax(np.asarray(logits, dtype=np.float64) / float(temperature))


def top_k_filter(probs: np.ndarray, k: int) -> np.ndarray:
    """Zero all but the k most probable tokens and renormalise; k = 0 keeps all."""
    probs = np.asarray(probs, dtype=np.float64)
    if k <= 0 or k >= probs.size:
        return probs
    keep = np.argsort(-probs, kind="stable")[:k]
    out = np.zeros_like(probs)
    out[keep] = probs[keep]
    return out / out.sum()


def top_p_filter(probs: np.ndarray, p: float) -> np.ndarray:
    """Keep the smallest set of most probable tokens whose total is ≥ p (at least one), renormalise; p = 1 keeps all."""
    probs = np.asarray(probs, dtype=np.float64)
    if p >= 1.0:
        return probs
    order = np.argsort(-probs, kind="stable")
    before = np.cumsum(probs[order]) - probs[order]  # probability of the tokens ranked above each one
    keep = order[before < p]
    out = np.zeros_like(probs)
    out[keep] = probs[keep]
    return out / out.sum()


@dataclass(frozen=True)
class NextToken:
    """The next-token distribution at each stage of the sampler, (vocab,) each."""

    plain: np.ndarray  # softmax(z): the model's own probabilities (T = 1)
    tempered: np.ndarray  # softmax(z / T)
    final: np.ndarray  # after top-k and top-p: what sampling draws from

    @property
    def kept(self) -> int:
        """How many tokens can still be drawn."""
        return int(np.count_nonzero(self.final))


def next_token_distribution(
    logits: np.ndarray, temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0
) -> NextToken:
    """The sampler's stages for one position's logits."""
    tempered = temperature_softmax(logits, temperature)
    return NextToken(plain=temperature_softmax(logits, 1.0), tempered=tempered,
                     final=top_p_filter(top_k_filter(tempered, top_k), top_p))  # fmt: skip


def choose_token(dist: NextToken, greedy: bool, seed: int, step: int) -> int:
    """Greedy: the most probable token (argmax z). Sampled: a draw from ``final`` with a generator seeded by
    (seed, step), so the same settings give the same text in every session."""
    if greedy:
        return int(np.argmax(dist.plain))
    rng = np.random.default_rng([int(seed), int(step)])
    return int(rng.choice(dist.final.size, p=dist.final))
