"""core.reduce.block_mean: block averages keep the values and bound the size."""

import numpy as np
import pytest

from core.reduce import MAX_SIDE, block_mean


def test_block_mean_keeps_values_and_limits_size():
    z = np.arange(12, dtype=np.float64).reshape(3, 4)
    small, rc, cc, f = block_mean(z, 2, 2)
    assert f == (2, 2) and small.shape == (2, 2)
    assert small[0, 0] == pytest.approx(np.mean([0, 1, 4, 5])) and small[1, 1] == pytest.approx(np.mean([10, 11]))
    assert list(rc) == [0.5, 2] and list(cc) == [0.5, 2.5]
    same, *_ = block_mean(z)
    np.testing.assert_array_equal(same, z)


def test_block_mean_bounds_a_large_matrix_by_max_side():
    z = np.ones((2048, 1000))
    small, rc, cc, (fr, fc) = block_mean(z)
    assert small.shape[0] <= MAX_SIDE and small.shape[1] <= MAX_SIDE and (fr, fc) == (8, 4)
    assert rc[-1] <= 2047 and cc[-1] <= 999 and np.all(small == 1.0)
