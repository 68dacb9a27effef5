"""multi_head_attention against torch.nn.MultiheadAttention (float64), and entropy / similarity invariants."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.attention import causal_mask
from core.demos.multi_head import MultiHeadConfig, head_contributions, toy_multi_head
from core.entropy import entropy
from core.multihead import (
    MultiHeadParams,
    check_heads,
    divisors,
    from_torch,
    head_similarity,
    multi_head_attention,
    random_params,
)

torch = pytest.importorskip("torch")

TOL = 1e-12


def torch_mha(d_model, h, bias, seed):
    torch.manual_seed(seed)
    m = torch.nn.MultiheadAttention(d_model, h, bias=bias, batch_first=True, dtype=torch.float64)
    if bias:  # torch initialises biases to 0: make them non-zero so they are really tested
        with torch.no_grad():
            m.in_proj_bias.normal_()
            m.out_proj.bias.normal_()
    return m.eval()


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize(("d_model", "h"), [(12, 1), (12, 3), (12, 4), (16, 8), (16, 16)])
def test_matches_torch(d_model, h, bias, causal):
    n = 7
    m = torch_mha(d_model, h, bias, seed=d_model * 31 + h)
    X = np.random.default_rng(h).standard_normal((n, d_model))
    mask = causal_mask(n) if causal else None
    xt = torch.from_numpy(X)[None]  # (1, n, d_model)
    attn_mask = None if mask is None else torch.from_numpy(~mask)  # torch: True = blocked
    with torch.no_grad():
        out, w = m(xt, xt, xt, attn_mask=attn_mask, need_weights=True, average_attn_weights=False)
    r = multi_head_attention(X, X, from_torch(m), h, mask=mask)
    assert r.output.shape == (n, d_model) and r.weights.shape == (h, n, n)
    assert np.abs(r.output - out[0].numpy()).max() <= TOL
    assert np.abs(r.weights - w[0].numpy()).max() <= TOL


def test_cross_attention_matches_torch():
    d_model, h, n_q, n_k = 8, 2, 3, 5
    m = torch_mha(d_model, h, True, seed=1)
    rng = np.random.default_rng(0)
    Xq, Xkv = rng.standard_normal((n_q, d_model)), rng.standard_normal((n_k, d_model))
    with torch.no_grad():
        out, w = m(torch.from_numpy(Xq)[None], torch.from_numpy(Xkv)[None], torch.from_numpy(Xkv)[None],
                   average_attn_weights=False)  # fmt: skip
    r = multi_head_attention(Xq, Xkv, from_torch(m), h)
    assert r.weights.shape == (h, n_q, n_k)
    assert np.abs(r.output - out[0].numpy()).max() <= TOL
    assert np.abs(r.weights - w[0].numpy()).max() <= TOL


def test_shapes_and_head_slices():
    W = random_params(12, 3, seed=5)
    X = np.random.default_rng(1).standard_normal((4, 12))
    r = multi_head_attention(X, X, W, 3)
    assert r.Q.shape == r.K.shape == r.V.shape == (3, 4, 4) and r.head_outputs.shape == (3, 4, 4)
    assert r.concat.shape == r.output.shape == (4, 12)
    # head 1 uses columns 4 … 7 of W_Q
    np.testing.assert_allclose(r.Q[1], X @ W.W_Q[:, 4:8])
    np.testing.assert_allclose(r.concat[:, 8:12], r.head_outputs[2])
    np.testing.assert_allclose(r.output, r.concat @ W.W_O)


def test_not_divisible_says_which_h_works():
    W = random_params(10, 1)
    with pytest.raises(ValueError, match=r"d_model=10 is not divisible by h=3; try h in \{1, 2, 5, 10\}"):
        multi_head_attention(np.zeros((2, 10)), np.zeros((2, 10)), W, 3)
    with pytest.raises(ValueError, match="not divisible"):
        random_params(10, 4)
    assert divisors(12) == [1, 2, 3, 4, 6, 12] and check_heads(12, 4) == 3


def test_weights_validate_shapes_and_default_biases():
    W = MultiHeadParams(*(np.eye(4) for _ in range(4)))
    assert all(np.array_equal(b, np.zeros(4)) for b in (W.b_Q, W.b_K, W.b_V, W.b_O))
    with pytest.raises(ValueError, match="W_K must have shape"):
        MultiHeadParams(np.eye(4), np.eye(3), np.eye(4), np.eye(4))
    with pytest.raises(ValueError, match="X_q must have shape"):
        multi_head_attention(np.zeros((2, 3)), np.zeros((2, 4)), W, 2)


def test_random_params_scale_and_independence_of_h():
    W = random_params(256, 8, seed=3)
    assert abs(W.W_Q.std() * np.sqrt(256) - 1) < 0.02  # N(0, 1/d_model)
    assert np.array_equal(W.W_Q, random_params(256, 4, seed=3).W_Q)  # h only re-cuts the same columns
    assert not np.array_equal(W.W_Q, random_params(256, 8, seed=4).W_Q)


def test_entropy_uniform_and_one_hot():
    n = 8
    assert np.allclose(entropy(np.full((3, n), 1 / n)), np.log2(n))
    assert np.allclose(entropy(np.eye(n)), 0.0)
    assert entropy(np.array([0.5, 0.5, 0.0])) == pytest.approx(1.0)
    assert entropy(np.zeros(4)) == 0.0  # an all-masked row


@given(st.integers(1, 5), st.integers(1, 9), st.integers(0, 10_000))
def test_entropy_bounds_and_similarity_properties(h, n, seed):
    logits = np.random.default_rng(seed).standard_normal((h, n, n)) * 3
    w = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    H = entropy(w)
    assert H.shape == (h, n) and (H >= -1e-12).all() and (H <= np.log2(n) + 1e-9).all()
    S = head_similarity(w)
    assert S.shape == (h, h) and np.allclose(S, S.T) and np.allclose(np.diag(S), 1.0)
    assert (S >= 0).all() and (S <= 1).all()


def test_similarity_of_disjoint_heads_is_zero():
    one = np.eye(4)[None]  # each query looks at itself
    other = np.roll(np.eye(4), 1, axis=1)[None]  # each query looks at its neighbour
    S = head_similarity(np.concatenate([one, other]))
    assert S[0, 1] == pytest.approx(0.0) and S[0, 0] == pytest.approx(1.0)


def test_toy_pipeline_identities():
    run = toy_multi_head(list("abcdefg"), MultiHeadConfig(d_model=12, num_heads=4, mask="causal"))
    # one head of width d_model sees the SUM of the h heads' unscaled scores
    assert np.abs(run.multi.scores.sum(0) - run.single.scores[0]).max() < 1e-12
    # Concat·W_O = Σ_i head_i · (rows S_i of W_O)
    contrib = head_contributions(run.multi, run.params.W_O)
    assert np.abs(contrib.sum(0) + run.params.b_O - run.multi.output).max() < 1e-12
    assert run.entropy.shape == (4, 7) and run.entropy[:, 0] == pytest.approx(0.0)  # causal: token 0 sees itself


@pytest.mark.parametrize("d_model", range(2, 65))
def test_head_options_reproduce_the_multi_head_page_policy(d_model):
    """Every divisor of d_model; a stale h moves to the nearest divisor (ties → the smaller one)."""
    from core.multihead import choose_heads, head_options

    options = head_options(d_model)
    assert options == [h for h in range(1, d_model + 1) if d_model % h == 0]
    for wanted in range(1, 65):
        got = choose_heads(options, wanted, wanted)
        assert got in options and d_model % got == 0
        if wanted in options:
            assert got == wanted
        else:
            assert all(abs(got - wanted) <= abs(h - wanted) for h in options)
    assert choose_heads([1, 2, 4, 8], 6, 6) == 4  # a tie between 4 and 8 goes to the smaller


@pytest.mark.parametrize("d_model", range(4, 65, 4))
def test_head_options_reproduce_the_block_page_policy(d_model):
    """Block page: (1, 2, 4, 8, 16) ∩ divisors; a stale h falls back to the largest option ≤ 4."""
    from core.demos.transformer_block import block_head_options
    from core.multihead import BLOCK_DEFAULT_HEADS, choose_heads

    options = block_head_options(d_model)
    assert options == [h for h in (1, 2, 4, 8, 16) if d_model % h == 0]
    for current in (1, 2, 4, 8, 16, None):
        expected = current if current in options else max(h for h in options if h <= 4)
        assert choose_heads(options, current, BLOCK_DEFAULT_HEADS) == expected


def test_keep_switches_heads_off_like_zeroing_their_rows_of_W_O():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((5, 12))
    params = random_params(12, 3, seed=1)
    keep = np.array([1.0, 0.0, 1.0])
    off = multi_head_attention(X, X, params, 3, keep=keep)
    W_O = params.W_O.copy()
    W_O[4:8] = 0  # head 2 writes through rows 4 … 7 of W_O
    zeroed = multi_head_attention(X, X, MultiHeadParams(params.W_Q, params.W_K, params.W_V, W_O), 3)
    assert np.abs(off.output - zeroed.output).max() <= 1e-15
    full = multi_head_attention(X, X, params, 3)
    np.testing.assert_array_equal(off.weights, full.weights)  # the head still attends; it just writes nothing
    assert np.all(off.head_outputs[1] == 0) and np.abs(off.output - full.output).max() > 1e-3
    with pytest.raises(ValueError, match=r"keep must have shape \(h,\) = \(3,\)"):
        multi_head_attention(X, X, params, 3, keep=np.ones(4))
