"""core.attention against torch (float64) and its invariants."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core.attention import causal_mask, padding_mask, scaled_dot_product_attention, softmax

TOL = 1e-12


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def torch_sdpa(Q, K, V, mask=None, scale=None):
    t = [torch.tensor(a, dtype=torch.float64) for a in (Q, K, V)]
    m = None if mask is None else torch.tensor(np.asarray(mask, dtype=bool))
    return F.scaled_dot_product_attention(*t, attn_mask=m, scale=scale).numpy()


def torch_weights(Q, K, mask=None, scale=None):
    s = torch.tensor(Q) @ torch.tensor(K).transpose(-1, -2) * (scale if scale is not None else Q.shape[-1] ** -0.5)
    if mask is not None:
        s = s.masked_fill(~torch.tensor(mask), float("-inf"))
    return torch.softmax(s, dim=-1).numpy()


@pytest.mark.parametrize("n_q,n_k,d_k,d_v", [(1, 1, 1, 1), (5, 7, 4, 3), (12, 12, 64, 64), (3, 9, 17, 2)])
def test_matches_torch_unmasked(n_q, n_k, d_k, d_v):
    Q, K, V = rand(n_q, d_k, seed=1), rand(n_k, d_k, seed=2), rand(n_k, d_v, seed=3)
    r = scaled_dot_product_attention(Q, K, V)
    assert np.abs(r.output - torch_sdpa(Q, K, V)).max() <= TOL
    assert np.abs(r.weights - torch_weights(Q, K)).max() <= TOL
    assert np.abs(r.scores - Q @ K.T).max() <= TOL


def test_matches_torch_causal_and_unscaled():
    Q, K, V = rand(8, 16, seed=4), rand(8, 16, seed=5), rand(8, 16, seed=6)
    m = causal_mask(8)
    for scale in (None, 1.0):
        r = scaled_dot_product_attention(Q, K, V, mask=m, scale=scale)
        assert np.abs(r.output - torch_sdpa(Q, K, V, m, scale)).max() <= TOL
        assert np.abs(r.weights - torch_weights(Q, K, m, scale)).max() <= TOL
    assert np.isneginf(r.masked[0, 1:]).all() and r.scale == 1.0


def test_matches_torch_batched_with_broadcast_padding_mask():
    Q, K, V = rand(2, 3, 6, 8, seed=7), rand(2, 3, 6, 8, seed=8), rand(2, 3, 6, 5, seed=9)
    m = padding_mask([True, True, True, True, False, False])
    r = scaled_dot_product_attention(Q, K, V, mask=m)
    assert r.output.shape == (2, 3, 6, 5)
    assert np.abs(r.output - torch_sdpa(Q, K, V, np.broadcast_to(m, (2, 3, 6, 6)))).max() <= TOL
    assert (r.weights[..., 4:] == 0).all()


def test_fully_masked_row_is_zero_not_nan():
    Q, K, V = rand(3, 4), rand(3, 4, seed=1), rand(3, 2, seed=2)
    m = np.ones((3, 3), dtype=bool)
    m[1] = False
    r = scaled_dot_product_attention(Q, K, V, mask=m)
    assert np.isfinite(r.weights).all() and np.isfinite(r.output).all()
    assert (r.weights[1] == 0).all() and (r.output[1] == 0).all()
    assert np.allclose(r.weights[[0, 2]].sum(-1), 1)


def test_softmax_is_stable_at_extremes():
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [-np.inf, 3.0, -np.inf]])
    p = softmax(x)
    assert np.isfinite(p).all()
    assert np.allclose(p[0], [1, 0, 0]) and np.allclose(p[1], 1 / 3) and np.allclose(p[2], [0, 1, 0])
    assert np.abs(p - torch.softmax(torch.tensor(x), -1).numpy()).max() <= TOL


def test_temperature_and_scale_are_applied():
    Q, K, V = rand(4, 9), rand(4, 9, seed=1), rand(4, 3, seed=2)
    r = scaled_dot_product_attention(Q, K, V, temperature=2.5)
    assert np.allclose(r.scaled, r.scores / 3.0 / 2.5)
    assert np.isclose(r.scale, 1 / 3.0)


@pytest.mark.parametrize(
    "shapes,match",
    [(((2, 4), (3, 5), (3, 5)), "d_k"), (((2, 4), (3, 4), (2, 4)), "n_k"), (((4,), (3, 4), (3, 4)), r"\(4,\)")],
)
def test_shape_errors_name_the_shapes(shapes, match):
    with pytest.raises(ValueError, match=match):
        scaled_dot_product_attention(*(np.zeros(s) for s in shapes))


def test_bad_mask_and_temperature_raise():
    with pytest.raises(ValueError, match="mask"):
        scaled_dot_product_attention(rand(3, 2), rand(3, 2), rand(3, 2), mask=np.ones((2, 2), bool))
    with pytest.raises(ValueError, match="temperature"):
        scaled_dot_product_attention(rand(3, 2), rand(3, 2), rand(3, 2), temperature=0)


def test_masks():
    assert (causal_mask(3) == np.array([[1, 0, 0], [1, 1, 0], [1, 1, 1]], bool)).all()
    m = padding_mask([True, False, True], n_queries=2)
    assert m.shape == (2, 3) and (m == [[1, 0, 1], [1, 0, 1]]).all()


finite = st.floats(-50, 50, allow_nan=False)


@st.composite
def qkv_and_mask(draw):
    n_q, n_k, d = draw(st.integers(1, 6)), draw(st.integers(1, 6)), draw(st.integers(1, 8))
    Q = draw(arrays(np.float64, (n_q, d), elements=finite))
    K = draw(arrays(np.float64, (n_k, d), elements=finite))
    V = draw(arrays(np.float64, (n_k, d), elements=finite))
    mask = draw(arrays(np.bool_, (n_q, n_k)))
    return Q, K, V, mask


@given(qkv_and_mask())
def test_rows_sum_to_one_or_zero_and_masked_weights_vanish(data):
    Q, K, V, mask = data
    r = scaled_dot_product_attention(Q, K, V, mask=mask)
    assert np.isfinite(r.weights).all() and np.isfinite(r.output).all()
    sums = r.weights.sum(-1)
    expected = np.where(mask.any(-1), 1.0, 0.0)
    assert np.allclose(sums, expected, atol=1e-9)
    assert (r.weights[~mask] == 0).all()
    assert (r.weights >= 0).all()


@given(qkv_and_mask(), st.randoms(use_true_random=False))
def test_permutation_equivariance(data, rnd):
    """Without positions, permuting the tokens permutes the output rows the same way."""
    _, K, V, _ = data
    n = len(K)
    Q = K  # self-attention on one sequence
    perm = list(range(n))
    rnd.shuffle(perm)
    r = scaled_dot_product_attention(Q, K, V)
    rp = scaled_dot_product_attention(Q[perm], K[perm], V[perm])
    assert np.allclose(rp.output, r.output[perm], atol=1e-8)
    assert np.allclose(rp.weights, r.weights[np.ix_(perm, perm)], atol=1e-9)


@given(qkv_and_mask(), st.floats(0.05, 20))
def test_scaled_scores_scale_with_inverse_temperature(data, tau):
    Q, K, V, _ = data
    base = scaled_dot_product_attention(Q, K, V)
    hot = scaled_dot_product_attention(Q, K, V, temperature=tau)
    assert np.allclose(hot.scaled * tau, base.scaled, rtol=1e-9, atol=1e-9)
