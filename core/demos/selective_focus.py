"""Page pipeline of "Intuition": attention as selective focus, in two dimensions (eq. 1 with d_k = 2).

A handful of words are key points k_j in the plane, each carrying a value point v_j. A query q scores
every key by a dot product, the softmax turns the scores into weights, and the output is the weighted
average of the values:

    s_j = q · k_j,    w = softmax(s / τ),    output = Σ_j w_j v_j

No 1/√d_k here (d_k = 2 is fixed): the temperature τ is the knob that makes the focus sharp or diffuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from core.attention import scaled_dot_product_attention
from core.demos.scaled_dot_product import ToyConfig, toy_attention
from core.entropy import entropy

# Five words, each a key direction (what it "offers") and a value (what it passes on). Keys point to
# well-separated angles so that turning the query sweeps the focus from word to word.
WORD_KEYS = 1.6 * np.array(
    [
        [1.0, 0.15],  # 0: cat
        [0.55, 0.85],  # 1: dog
        [-0.6, 0.8],  # 2: car
        [-0.95, -0.25],  # 3: road
        [0.2, -1.0],  # 4: sleep
    ]
)  # (n, 2)
WORD_VALUES = np.array(
    [
        [1.6, 1.2],
        [0.4, 1.8],
        [-1.7, 1.0],
        [-1.4, -1.3],
        [0.9, -1.6],
    ]
)  # (n, 2)
NUM_WORDS = len(WORD_KEYS)


@dataclass(frozen=True)
class Focus2D:
    """One query against the word keys; every stage kept for the figures."""

    query: np.ndarray  # (2,)
    keys: np.ndarray  # (n, 2)
    values: np.ndarray  # (n, 2)
    scores: np.ndarray  # (n,) q · k_j
    weights: np.ndarray  # (n,) softmax(scores / τ)
    output: np.ndarray  # (2,) Σ_j w_j v_j
    temperature: float
    entropy: float  # −Σ w log₂ w, in bits: 0 = one word, log₂ n = all words equally


def query_vector(angle_deg: float, length: float) -> np.ndarray:
    """q = length · (cos θ, sin θ), shape (2,)."""
    theta = np.deg2rad(float(angle_deg))
    return float(length) * np.array([np.cos(theta), np.sin(theta)])


def focus_2d(
    query: ArrayLike, keys: ArrayLike = WORD_KEYS, values: ArrayLike = WORD_VALUES, temperature: float = 1.0
) -> Focus2D:
    """scores = K·q, weights = softmax(scores / τ), output = weights · V for one query q (2,)."""
    q = np.asarray(query, dtype=np.float64).reshape(1, -1)  # (1, 2)
    K, V = np.asarray(keys, dtype=np.float64), np.asarray(values, dtype=np.float64)
    r = scaled_dot_product_attention(q, K, V, scale=1.0, temperature=temperature)
    w = r.weights[0]
    return Focus2D(q[0], K, V, r.scores[0], w, r.output[0], float(temperature), float(entropy(w)))


@dataclass(frozen=True)
class ReadingFocus:
    """How much one chosen word attends to every word of a sentence (one row of the weights)."""

    tokens: tuple[str, ...]
    i: int  # the chosen (query) word
    weights: np.ndarray  # (n,) row i of softmax(Q·Kᵀ/√d_k / τ); sums to 1
    skip_self: bool  # the word's own column was masked out


# The reading panel's default seed. With seed 0 the untrained toy happened to give "it" -> "animal" the
# largest weight in the default English sentence (0.39), which looks like coreference and is chance;
# with seed 1 "it" and "它" look mostly at their neighbours, as an untrained toy should (tests pin it).
READING_SEED = 1


def reading_focus(
    tokens: Sequence[str],
    i: int,
    temperature: float = 1.0,
    skip_self: bool = False,
    d_model: int = 16,
    seed: int = READING_SEED,
) -> ReadingFocus:
    """Row i of a toy self-attention over ``tokens``: Q = K = V = X = E + PE (identity projections).

    Untrained seeded embeddings: a word matches itself and repeats of itself most, and its
    neighbours a little (through the positional encoding). skip_self masks the diagonal cell (i, i).
    """
    tokens = tuple(tokens)
    if not 0 <= i < len(tokens):
        raise ValueError(f"word index i={i} is outside the sentence of {len(tokens)} tokens")
    skip = skip_self and len(tokens) > 1  # a one-word sentence has nothing else to look at
    config = ToyConfig(
        d_model=d_model,
        d_k=d_model,
        seed=seed,
        projection="identity",
        temperature=temperature,
        mask="custom" if skip else "none",
        blocked=((i, i),) if skip else (),
    )
    run = toy_attention(tokens, config)
    return ReadingFocus(tokens, i, run.result.weights[i], skip)
