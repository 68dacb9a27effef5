"""What sinusoidal PE does and does not give: no direction, no offset structure after random projections,
the wavelengths the texts quote, and the k-back attention a rotation makes possible."""

import numpy as np
import pytest

from core.positional import (
    K_BACK_SCALE,
    k_back_attention,
    offset_spread,
    pe_similarity,
    projected_similarity,
    relative_rotation,
    row_cosine,
    sinusoidal_encoding,
    wavelengths,
)
from ui.i18n import catalog


def test_raw_dot_product_has_no_direction():
    S = pe_similarity(200, 64)
    assert np.allclose(S, S.T)  # k before and k after score the same: cos is even
    assert np.allclose(S[100, 100 - 7], S[100, 100 + 7])


def test_random_projections_break_the_offset_pattern():
    """PE·W_Q·W_Kᵀ·PEᵀ with random W (page defaults: 128 positions, d_model 128, seed 0)."""
    S = projected_similarity(128, 128, seed=0)
    spread, total = offset_spread(S), float(np.ptp(S))
    assert spread == pytest.approx(25.69, abs=0.01) and total == pytest.approx(29.13, abs=0.01)
    assert spread / total > 0.85  # a diagonal varies almost as much as the whole matrix
    assert offset_spread(pe_similarity(128, 128)) < 1e-9  # without the projections: offset only
    for seed in range(1, 4):
        S = projected_similarity(128, 128, seed=seed)
        assert offset_spread(S) / np.ptp(S) > 0.7


def test_longest_wavelength_is_almost_two_pi_base():
    lam = wavelengths(128)
    assert np.all(lam[::2] == lam[1::2])  # one wavelength per sin/cos pair
    assert lam[-1] == pytest.approx(2 * np.pi * 10000 ** (1 - 2 / 128)) and round(lam[-1]) == 54410
    assert round(2 * np.pi * 10000) == 62832
    for lang in ("en", "zh"):
        assert "54,410" in catalog(lang)["positional.base_help"]


def test_cosine_of_the_sinusoidal_table_is_the_dot_product_over_half_d():
    PE = sinusoidal_encoding(50, 16)
    assert np.allclose(row_cosine(PE), PE @ PE.T / 8)


@pytest.mark.parametrize("n,d,k", [(128, 128, 3), (128, 128, 0), (128, 128, 127), (64, 16, 5), (300, 512, 40)])
def test_k_back_attends_exactly_k_tokens_back(n, d, k):
    kb = k_back_attention(n, k, d)
    assert kb.hits
    PE = sinusoidal_encoding(n, d)
    assert np.allclose(PE[k:] @ relative_rotation(-k, d), PE[:-k] if k else PE)  # PE(p)·M(−k) = PE(p − k)
    assert np.allclose(kb.weights.sum(axis=1), 1.0)


def test_k_back_weight_at_the_default_scale():
    kb = k_back_attention(128, 3, 128)  # the page's defaults
    assert K_BACK_SCALE == 32.0
    assert kb.target_weight.min() >= 0.99 and kb.target_weight.min() == pytest.approx(0.9910, abs=1e-4)
    assert k_back_attention(128, 3, 128, scale=1.0).target_weight.min() < 0.1  # argmax right, weight spread out
    assert k_back_attention(128, 3, 128, scale=1.0).hits
