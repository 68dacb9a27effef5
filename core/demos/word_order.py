"""Page pipeline of the word-order demo ("Positional encoding"): without PE, attention ignores order.

For a permutation P (shuffled = P·tokens) and X' = P·X, the weights are softmax(P·X·W_Q·W_Kᵀ·Xᵀ·Pᵀ)
= P·weights·Pᵀ: the very same numbers, moved around. Adding PE breaks that, because the shuffled
tokens get different position vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.inputs import toy_inputs
from core.multihead import multi_head_attention, random_params


def shuffle_order(n: int, seed: int = 0) -> np.ndarray:
    """A seeded permutation of 0 … n−1 that moves something whenever n ≥ 2 (never the identity)."""
    perm = np.random.default_rng([int(seed), n]).permutation(n)
    if n >= 2 and np.array_equal(perm, np.arange(n)):
        perm = perm[::-1].copy()
    return perm


@dataclass(frozen=True)
class OrderDemo:
    tokens: tuple[str, ...]
    perm: np.ndarray  # (n,) shuffled token i is tokens[perm[i]]
    shuffled: tuple[str, ...]
    weights_plain: np.ndarray  # (n, n) weights of the sentence, no PE
    weights_plain_shuffled: np.ndarray  # (n, n) weights of the shuffled copy, no PE
    weights_pe: np.ndarray  # (n, n) weights of the sentence with PE
    weights_pe_shuffled: np.ndarray  # (n, n) weights of the shuffled copy with PE
    aligned_plain: np.ndarray  # (n, n) weights_plain_shuffled put back in the original order
    aligned_pe: np.ndarray  # (n, n) weights_pe_shuffled put back in the original order
    gap_plain: float  # max |unshuffled(weights of shuffled copy) − weights|, no PE: ≈ 0
    gap_pe: float  # the same with PE: clearly > 0


def unshuffle(weights_shuffled: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """Put the rows and columns of the shuffled copy's weights back in the original token order."""
    inv = np.argsort(perm)  # original token t sits at shuffled position inv[t]
    return weights_shuffled[np.ix_(inv, inv)]


def order_demo(
    tokens: Sequence[str], d_model: int, seed: int = 0, shuffle_seed: int = 0, base: float = 10000.0
) -> OrderDemo:
    """One-head self-attention weights of the sentence and of a shuffled copy, without and with PE."""
    tokens = tuple(tokens)
    if not tokens:
        raise ValueError("order_demo needs at least one token")
    perm = shuffle_order(len(tokens), shuffle_seed)
    shuffled = tuple(tokens[i] for i in perm)
    params = random_params(d_model, 1, seed)

    def weights(toks, positional):
        inputs = toy_inputs(toks, d_model, seed, base=base)
        X = inputs.X if positional else inputs.E  # (n, d_model)
        return multi_head_attention(X, X, params, 1).weights[0]  # (n, n)

    plain, plain_s = weights(tokens, False), weights(shuffled, False)
    pe, pe_s = weights(tokens, True), weights(shuffled, True)
    return OrderDemo(
        tokens=tokens,
        perm=perm,
        shuffled=shuffled,
        weights_plain=plain,
        weights_plain_shuffled=plain_s,
        weights_pe=pe,
        weights_pe_shuffled=pe_s,
        aligned_plain=unshuffle(plain_s, perm),
        aligned_pe=unshuffle(pe_s, perm),
        gap_plain=float(np.abs(unshuffle(plain_s, perm) - plain).max()),
        gap_pe=float(np.abs(unshuffle(pe_s, perm) - pe).max()),
    )
