"""The input of the first layer: token embedding plus position (Vaswani et al. 2017, sections 3.4-3.5).

    X = E + PE        E (n, d_model) token embeddings, PE (n, d_model) sinusoidal positions

A token's embedding E does not depend on where it stands; PE(pos) does. Every toy page starts here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.embeddings import token_embeddings
from core.limits import PE_MAX_D_MODEL, check_at_most, check_tokens
from core.positional import sinusoidal_encoding


@dataclass(frozen=True)
class ToyInputs:
    E: np.ndarray  # (n, d_model) token embeddings
    PE: np.ndarray  # (n, d_model) positional encoding of positions 0 … n−1 (zeros when switched off)
    X: np.ndarray  # (n, d_model) E + PE


def toy_inputs(
    tokens: Sequence[str], d_model: int, seed: int = 0, positional: bool = True, base: float = 10000.0
) -> ToyInputs:
    """X = E + PE for a token list: seeded embeddings plus (optionally) sinusoidal positions.

    At most TOY_MAX_TOKENS tokens and PE_MAX_D_MODEL columns (core.limits), else a ValueError.
    """
    check_tokens(tokens)
    check_at_most("d_model", d_model, PE_MAX_D_MODEL)
    E = token_embeddings(tokens, d_model, seed)  # (n, d_model)
    PE = sinusoidal_encoding(len(E), d_model, base) if positional else np.zeros_like(E)  # (n, d_model)
    return ToyInputs(E, PE, E + PE)
