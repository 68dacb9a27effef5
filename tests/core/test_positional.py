import math

import numpy as np
import pytest

from core.positional import sinusoidal_encoding


@pytest.mark.parametrize("n,d", [(1, 1), (10, 4), (7, 5), (50, 129), (2048, 8)])
def test_matches_the_formula_elementwise(n, d):
    pe = sinusoidal_encoding(n, d)
    assert pe.shape == (n, d)
    for pos in {0, n // 2, n - 1, min(1, n - 1)}:
        for j in range(d):
            angle = pos / 10000 ** (2 * (j // 2) / d)
            expected = math.sin(angle) if j % 2 == 0 else math.cos(angle)
            assert abs(pe[pos, j] - expected) <= 1e-12


def test_base_changes_frequencies_and_position_zero_is_fixed():
    a, b = sinusoidal_encoding(20, 6, base=100.0), sinusoidal_encoding(20, 6)
    assert not np.allclose(a, b)
    assert np.allclose(a[0], [0, 1, 0, 1, 0, 1])


def test_rows_are_unique():
    pe = sinusoidal_encoding(512, 16)
    distances = np.linalg.norm(pe[:, None] - pe[None], axis=-1) + np.eye(512)
    assert distances.min() > 1e-3


def test_invalid_sizes_raise():
    with pytest.raises(ValueError):
        sinusoidal_encoding(3, 0)
