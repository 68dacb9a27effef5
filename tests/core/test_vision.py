"""core.vision against an independent, loop-by-loop computation and torch's softmax."""

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st

from core.positional import sinusoidal_encoding
from core.vision import colour_statistics, patch_attention, position_encoding_2d, standardise, to_patches


def random_image(rows: int, cols: int, patch: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (rows * patch, cols * patch, 3), dtype=np.uint8)


def test_colour_statistics_match_a_loop_over_patches():
    img = random_image(3, 4, 8)
    stats = colour_statistics(to_patches(img, 8))
    for r in range(3):
        for c in range(4):
            block = img[r * 8 : (r + 1) * 8, c * 8 : (c + 1) * 8].reshape(-1, 3) / 255.0
            expected = np.concatenate([block.mean(axis=0), block.std(axis=0)])
            assert np.allclose(stats[r * 4 + c], expected, atol=1e-12)


def test_position_encoding_is_row_then_column():
    pe = position_encoding_2d(3, 5, dim=8)
    rows, cols = sinusoidal_encoding(3, 4, base=100.0), sinusoidal_encoding(5, 4, base=100.0)
    assert pe.shape == (15, 8)
    assert np.allclose(pe[2 * 5 + 3], np.concatenate([rows[2], cols[3]]))


def test_weights_match_torch_softmax():
    img = random_image(4, 5, 16, seed=1)
    run = patch_attention(img, 16, w_colour=1.3, w_position=0.7, temperature=0.4)
    X = torch.from_numpy(run.X)
    ref = torch.softmax(X @ X.T / (np.sqrt(X.shape[1]) * 0.4), dim=-1).numpy()
    assert np.abs(run.result.weights - ref).max() <= 1e-9
    U = np.concatenate([1.3 * standardise(run.colour), 0.7 * run.position], axis=1)
    assert np.allclose(run.X, U / np.linalg.norm(U, axis=1, keepdims=True) * np.sqrt(14))
    assert np.allclose(run.weight_map(2, 3).ravel(), run.result.weights[2 * 5 + 3])


def test_plain_image_without_position_attends_uniformly():
    img = np.full((64, 96, 3), 120, dtype=np.uint8)
    run = patch_attention(img, 32, w_position=0.0)
    assert np.allclose(run.result.weights, 1 / 6)  # every patch identical → every weight 1/N


def test_colour_decides_who_attends_to_whom():
    img = np.zeros((32, 64, 3), dtype=np.uint8)
    img[:, 32:] = (255, 0, 0)  # 2 × 4 patches of 16 px: left half black, right half red
    run = patch_attention(img, 16, w_position=0.0, temperature=0.5)
    w = run.weight_map(0, 3)  # a red patch
    assert w[:, 2:].min() > 2 * w[:, :2].max() and np.allclose(w[:, 2:], w[0, 2])


@given(
    rows=st.integers(1, 5),
    cols=st.integers(1, 5),
    wc=st.floats(0, 3),
    wp=st.floats(0, 3),
    tau=st.floats(0.05, 3),
    seed=st.integers(0, 99),
)
def test_weights_are_distributions(rows, cols, wc, wp, tau, seed):
    run = patch_attention(random_image(rows, cols, 4, seed), 4, wc, wp, tau)
    w = run.result.weights
    assert w.shape == (rows * cols, rows * cols) and np.isfinite(w).all() and (w >= 0).all()
    assert np.allclose(w.sum(axis=1), 1.0)


def test_top_keys_are_the_largest_weights():
    run = patch_attention(random_image(3, 3, 8, seed=4), 8)
    top = run.top_keys(1, 2, k=3)
    row = run.result.weights[1 * 3 + 2]
    assert [w for *_, w in top] == sorted(row, reverse=True)[:3]
    r, c, w = top[0]
    assert run.weight_map(1, 2)[r, c] == w
