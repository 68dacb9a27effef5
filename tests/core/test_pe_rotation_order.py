"""Sinusoidal PE: the relative-position rotation, wavelengths, PE·PEᵀ depending on the offset only."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.demos.word_order import order_demo, shuffle_order, unshuffle
from core.positional import (
    offset_spread,
    pe_similarity,
    relative_rotation,
    rotation_error,
    sinusoidal_encoding,
    wavelengths,
)


@given(st.integers(0, 300), st.integers(1, 128).map(lambda x: 2 * x), st.sampled_from([100.0, 10000.0, 1e5]))
def test_rotation_shifts_every_position(offset, d_model, base):
    n = 64
    PE = sinusoidal_encoding(n + offset, d_model, base)
    M = relative_rotation(offset, d_model, base)
    assert np.abs(PE[:n] @ M - PE[offset:]).max() <= 1e-9


def test_rotation_is_orthogonal_block_diagonal_and_checked_at_scale():
    M = relative_rotation(5, 8)
    assert np.allclose(M @ M.T, np.eye(8))
    assert np.count_nonzero(M[:2, 2:]) == 0 and np.count_nonzero(M[2:, :2]) == 0
    assert np.allclose(relative_rotation(0, 8), np.eye(8))
    assert np.allclose(relative_rotation(3, 8) @ relative_rotation(4, 8), relative_rotation(7, 8))
    assert rotation_error(2048, 1000, 1024) <= 1e-9


def test_rotation_needs_even_d_model():
    with pytest.raises(ValueError, match="even d_model"):
        relative_rotation(1, 7)


def test_wavelengths_of_the_paper():
    lam = wavelengths(512)
    assert lam[0] == pytest.approx(2 * np.pi) and lam[1] == lam[0]
    assert lam[-1] == pytest.approx(2 * np.pi * 10000 ** (510 / 512))
    # measured from the encoding itself: column 2 changes sign every λ/2 positions
    PE = sinusoidal_encoding(5000, 8, base=100.0)
    crossings = np.nonzero(np.diff(np.sign(PE[1:, 2])))[0]
    assert np.diff(crossings).mean() == pytest.approx(wavelengths(8, base=100.0)[2] / 2, abs=0.05)


def test_similarity_depends_on_offset_only_for_even_d_model():
    S = pe_similarity(300, 64)
    assert S.shape == (300, 300) and np.allclose(np.diag(S), 32.0)  # Σ sin² + cos² over 32 pairs
    assert offset_spread(S) < 1e-9
    k = np.arange(300)
    omega = 2 * np.pi / wavelengths(64)[::2]
    assert np.allclose(S[0], np.cos(k[:, None] * omega).sum(1))
    assert offset_spread(pe_similarity(300, 63)) > 1e-3  # the unpaired sine column breaks it


def test_shuffle_is_a_real_permutation():
    for n in range(1, 20):
        p = shuffle_order(n, seed=n)
        assert sorted(p) == list(range(n))
        assert n < 2 or not np.array_equal(p, np.arange(n))


def test_without_pe_attention_only_permutes():
    tokens = "the cat sat on the mat because it was warm".split()
    d = order_demo(tokens, d_model=16, seed=2, shuffle_seed=3)
    assert d.shuffled == tuple(tokens[i] for i in d.perm)
    assert np.abs(unshuffle(d.weights_plain_shuffled, d.perm) - d.weights_plain).max() < 1e-12
    assert d.gap_plain < 1e-12 and d.gap_pe > 1e-3
    assert not np.allclose(d.weights_plain, d.weights_pe)
