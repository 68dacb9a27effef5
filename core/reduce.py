"""Block averages that shrink a large matrix for display without aliasing.

small[r, c] = mean of z over the block of fr × fc cells whose top-left corner is (r·fr, c·fc)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

MAX_SIDE = 256  # cells per axis sent to the browser; 2048 × 1024 would be 8 MB of JSON


def block_mean(
    z: ArrayLike, max_rows: int = MAX_SIDE, max_cols: int = MAX_SIDE
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int]]:
    """Average z over blocks so it has at most max_rows × max_cols cells.

    Returns (small, row_centres, col_centres, (fr, fc)) with fr × fc the block size; centres are in
    the original coordinates, so axes and hover keep showing real positions and dimensions.
    A block mean, not every k-th row: striding would alias fast sine columns into fake slow waves.
    """
    z = np.asarray(z, dtype=np.float32)
    n, m = z.shape
    fr, fc = max(1, -(-n // max_rows)), max(1, -(-m // max_cols))
    rows, cols = -(-n // fr), -(-m // fc)
    padded = np.full((rows * fr, cols * fc), np.nan, dtype=np.float32)
    padded[:n, :m] = z
    small = np.nanmean(padded.reshape(rows, fr, cols, fc), axis=(1, 3))  # (rows, cols)
    rc = np.minimum(np.arange(rows) * fr + (fr - 1) / 2, n - 1)
    cc = np.minimum(np.arange(cols) * fc + (fc - 1) / 2, m - 1)
    return small, rc, cc, (fr, fc)
