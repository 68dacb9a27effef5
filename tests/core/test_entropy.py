"""core.entropy: bits, against a direct formula and torch's Categorical entropy (nats / ln 2)."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from core.entropy import entropy, max_entropy


def direct_bits(row) -> float:
    """H = −Σ p log₂ p written out term by term, skipping p = 0."""
    return -sum(p * math.log2(p) for p in row if p > 0)


@given(st.lists(st.floats(0, 10), min_size=1, max_size=30).filter(lambda v: sum(v) > 1e-3))
def test_entropy_equals_the_direct_formula_in_bits(values):
    p = np.array(values) / sum(values)
    assert entropy(p) == pytest.approx(direct_bits(p), abs=1e-12)
    assert entropy(p) == pytest.approx(
        torch.distributions.Categorical(probs=torch.tensor(p)).entropy().item() / math.log(2), abs=1e-12
    )
    assert -1e-12 <= entropy(p) <= max_entropy(len(p)) + 1e-12


def test_known_values_and_zero_rows():
    assert entropy([1.0, 0.0, 0.0]) == 0.0
    assert entropy([0.25] * 4) == pytest.approx(2.0, abs=1e-15)  # log₂ 4: bits, not nats (1.386)
    assert entropy([0.5, 0.5, 0.0]) == pytest.approx(1.0, abs=1e-15)
    assert entropy(np.zeros(5)) == 0.0  # an all-masked row
    assert max_entropy(5) == pytest.approx(2.321928094887362, abs=1e-15)
    assert max_entropy(1) == 0.0
    with pytest.raises(ValueError, match="n ≥ 1"):
        max_entropy(0)


def test_entropy_reduces_the_chosen_axis_only():
    w = np.random.default_rng(0).dirichlet(np.ones(6), size=(3, 4))  # (3, 4, 6), rows sum to 1
    H = entropy(w)
    assert H.shape == (3, 4)
    assert H[2, 1] == pytest.approx(direct_bits(w[2, 1]), abs=1e-12)
    cols = entropy(np.swapaxes(w, -1, -2), axis=-2)
    np.testing.assert_allclose(cols, H, atol=1e-15)
