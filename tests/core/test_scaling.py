"""core.demos.why_scaling: the softmax Jacobian against torch autograd, the sweep against an independent torch pass."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core.attention import softmax
from core.demos.why_scaling import (
    D_K_VALUES,
    jacobian_norm,
    random_scores,
    scaling_example,
    scaling_sweep,
    softmax_jacobian,
)

score_vectors = arrays(np.float64, st.integers(1, 12), elements=st.floats(-30, 30))


@given(score_vectors)
def test_softmax_jacobian_matches_torch_autograd(s):
    expected = torch.autograd.functional.jacobian(lambda x: torch.softmax(x, dim=0), torch.tensor(s))
    J = softmax_jacobian(softmax(s))
    np.testing.assert_allclose(J, expected.numpy(), atol=1e-9)
    assert jacobian_norm(softmax(s)) == pytest.approx(torch.linalg.matrix_norm(expected).item(), abs=1e-9)


@given(score_vectors)
def test_jacobian_rows_sum_to_zero_and_it_is_symmetric(s):
    J = softmax_jacobian(softmax(s))
    np.testing.assert_allclose(J.sum(axis=1), 0, atol=1e-12)  # weights always sum to 1
    np.testing.assert_allclose(J, J.T)


def test_jacobian_vanishes_at_a_one_hot_distribution():
    assert jacobian_norm([1.0, 0.0, 0.0]) == 0.0
    assert jacobian_norm([0.5, 0.5]) == pytest.approx(math.sqrt(4 * 0.25**2))


def test_random_scores_are_seeded():
    a = random_scores(64, 8, 20, seed=3)
    np.testing.assert_array_equal(a, random_scores(64, 8, 20, seed=3))
    assert not np.allclose(a, random_scores(64, 8, 20, seed=4))
    assert a.shape == (20, 8)


@pytest.fixture(scope="module")
def sweep():
    return scaling_sweep(n_keys=16, trials=400, seed=0)


def test_measured_variance_follows_d_k(sweep):
    np.testing.assert_allclose(sweep.var_raw / sweep.d_k, 1.0, atol=0.15)
    np.testing.assert_allclose(sweep.var_scaled, 1.0, atol=0.15)


def test_without_scaling_softmax_saturates_and_its_gradient_vanishes(sweep):
    assert sweep.max_weight_raw[-1] > 0.9 > 0.4 > sweep.max_weight_scaled.max()
    assert sweep.jac_norm_raw[-1] < sweep.jac_norm_scaled[-1] / 3
    assert np.all(np.diff(sweep.entropy_raw) < 0)  # more d_k, less spread
    np.testing.assert_allclose(sweep.entropy_scaled, sweep.entropy_scaled[0], atol=0.15 / math.log(2))  # flat with √d_k
    assert sweep.entropy_scaled.max() <= math.log2(16) == sweep.max_entropy
    assert sweep.uniform_weight == 1 / 16 <= sweep.max_weight_raw.min()


@pytest.mark.parametrize("d_k", [1, 32, 1024])
def test_sweep_matches_an_independent_torch_pass(sweep, d_k):
    S = torch.tensor(random_scores(d_k, 16, 400, seed=0))
    at = D_K_VALUES.index(d_k)
    for scores, var, max_w, jac, ent in (
        (S, sweep.var_raw, sweep.max_weight_raw, sweep.jac_norm_raw, sweep.entropy_raw),
        (S / math.sqrt(d_k), sweep.var_scaled, sweep.max_weight_scaled, sweep.jac_norm_scaled, sweep.entropy_scaled),
    ):
        P = torch.softmax(scores, dim=-1)
        J = torch.diag_embed(P) - P[:, :, None] * P[:, None, :]
        assert var[at] == pytest.approx(scores.var(unbiased=False).item(), rel=1e-9)
        assert max_w[at] == pytest.approx(P.max(dim=-1).values.mean().item(), rel=1e-9)
        assert jac[at] == pytest.approx(torch.linalg.matrix_norm(J).mean().item(), rel=1e-6)
        bits = torch.distributions.Categorical(probs=P).entropy().mean().item() / math.log(2)  # nats → bits
        assert ent[at] == pytest.approx(bits, abs=1e-12)


def test_example_is_the_first_trial_of_the_sweep():
    ex = scaling_example(256, n_keys=16, trials=400, seed=0)
    S = random_scores(256, 16, 400, seed=0)
    np.testing.assert_allclose(ex.scores, S[0])
    np.testing.assert_allclose(ex.weights_scaled, softmax(S[0] / 16))
    assert ex.samples_raw.shape == (400 * 16,)
    assert ex.jac_norm_raw == pytest.approx(jacobian_norm(ex.weights_raw))


def test_sweep_rejects_a_single_key():
    with pytest.raises(ValueError, match="n_keys"):
        scaling_sweep(n_keys=1)
