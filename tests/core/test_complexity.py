"""core.complexity: Table 1 formulas, and the RNN / attention Jacobians against torch autograd."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from core.complexity import (
    attention_gradient,
    conv_path_length,
    crossover_n,
    layer_costs,
    operations_curves,
    processing_schedule,
    rnn_gradient,
)


@given(st.integers(1, 100_000), st.integers(2, 9))
def test_conv_path_length_is_the_smallest_depth_that_covers_n(n, k):
    L = conv_path_length(n, k)
    assert k**L >= n
    assert L == 1 or k ** (L - 1) < n


def test_conv_path_length_exact_powers():
    # exact powers are where a floating-point log can round the wrong way (log_10 1000 = 2.9999…)
    assert [conv_path_length(k**p, k) for k in (2, 3, 10) for p in (1, 2, 3, 5)] == [1, 2, 3, 5] * 3
    with pytest.raises(ValueError, match="k must be"):
        conv_path_length(10, 1)


@given(st.integers(1, 5000), st.integers(1, 2048), st.integers(2, 9))
def test_layer_costs_are_table_1(n, d, k):
    c = layer_costs(n, d, k)
    assert c.operations == (n * n * d, n * d * d, k * n * d * d)
    assert c.sequential == (1, n, 1)
    assert c.path_length == (1, n, conv_path_length(n, k))
    np.testing.assert_allclose(operations_curves([n], d, k)[:, 0], c.operations)


def test_attention_is_cheaper_than_recurrence_exactly_below_n_equals_d():
    d = crossover_n(512)
    for n in (d // 2, d - 1):
        ops = layer_costs(n, 512).operations
        assert ops[0] < ops[1]
    ops = layer_costs(d, 512).operations
    assert ops[0] == ops[1]
    ops = layer_costs(2 * d, 512).operations
    assert ops[0] > ops[1]


def _torch_rnn_states(W, U, X):
    h = torch.zeros(W.shape[0], dtype=torch.float64)
    states = []
    for x in X:
        h = torch.tanh(W @ h + U @ x)
        states.append(h)
    return states


@pytest.mark.parametrize("gain", [0.5, 1.0, 2.5])
def test_rnn_jacobians_match_torch_autograd(gain):
    r = rnn_gradient(n=7, d=5, gain=gain, seed=2)
    W, U, X = (torch.tensor(a) for a in (r.W, r.U, r.X))
    np.testing.assert_allclose(torch.stack(_torch_rnn_states(W, U, X)).numpy(), r.H, atol=1e-12)
    for t in range(7):

        def h_t(x1, t=t):
            return _torch_rnn_states(W, U, torch.cat([x1[None], X[1:]]))[t]

        J = torch.autograd.functional.jacobian(h_t, X[0])
        np.testing.assert_allclose(r.jacobians[t], J.numpy(), atol=1e-10)
        assert r.norms[t] == pytest.approx(torch.linalg.matrix_norm(J, ord=2).item(), rel=1e-9)


def test_rnn_signal_dies_out_geometrically_with_a_small_gain():
    r = rnn_gradient(n=60, d=16, gain=0.5)
    assert r.norms[-1] < 1e-12 < r.norms[0]
    assert np.all(np.diff(np.log(r.norms[5:])) < 0)
    longer = rnn_gradient(n=80, d=16, gain=0.5)
    np.testing.assert_allclose(longer.norms[:60], r.norms)  # a longer sequence extends the shorter one


def _torch_causal_attention(X, W_Q, W_K, W_V):
    Q, K, V = X @ W_Q, X @ W_K, X @ W_V
    n = X.shape[0]
    mask = torch.ones(n, n, dtype=torch.bool).tril()
    return torch.nn.functional.scaled_dot_product_attention(Q[None], K[None], V[None], attn_mask=mask)[0]


def test_attention_jacobians_match_torch_autograd():
    a = attention_gradient(n=6, d=4, seed=1)
    X, W_Q, W_K, W_V = (torch.tensor(m) for m in (a.X, a.W_Q, a.W_K, a.W_V))
    for t in range(1, 6):

        def y_t(x1, t=t):
            return _torch_causal_attention(torch.cat([x1[None], X[1:]]), W_Q, W_K, W_V)[t]

        J = torch.autograd.functional.jacobian(y_t, X[0])
        np.testing.assert_allclose(a.jacobians[t], J.numpy(), atol=1e-10)
        assert a.norms[t] == pytest.approx(torch.linalg.matrix_norm(J, ord=2).item(), rel=1e-9)
    assert math.isnan(a.norms[0])


def test_one_attention_hop_keeps_far_more_signal_than_a_long_rnn_chain():
    n = 40
    rnn, att = rnn_gradient(n, 16, gain=1.0), attention_gradient(n, 16)
    assert att.norms[-1] > 1e3 * rnn.norms[-1]


@given(st.integers(1, 40), st.integers(0, 45), st.integers(2, 5))
def test_processing_schedule(n, step, k):
    s = processing_schedule(n, step, k)
    assert s.rnn_done.sum() == min(step, n)
    assert s.attention_done.all() == (step >= 1) and s.cnn_done.all() == (step >= 1)
    assert s.cnn_reach.sum() == (min(n, k**step) if step >= 1 else 0)
    if s.cnn_reach.any():
        assert s.cnn_reach[-1]  # the receptive field always contains the last token
    assert s.steps_needed == (1, n, conv_path_length(n, k))
    assert s.cnn_reach.all() == (step >= s.steps_needed[2])
