"""Entropy, rollout and sentence similarity: invariants and hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.attention import softmax
from core.interpret import attention_rollout, cosine_similarity, head_entropy, mean_pooled_embedding


def random_attentions(seed: int, layers: int = 3, heads: int = 4, n: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return softmax(rng.normal(size=(layers, heads, n, n)) * 3, axis=-1)


def test_entropy_of_one_hot_and_uniform_rows():
    n = 8
    one_hot = np.eye(n)[None, None]  # every query looks at one token
    uniform = np.full((1, 1, n, n), 1 / n)
    assert head_entropy(one_hot)[0, 0] == 0.0
    assert head_entropy(uniform)[0, 0] == pytest.approx(3.0)  # log2 8


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 12))
def test_entropy_lies_between_zero_and_log2_n(seed, n):
    H = head_entropy(random_attentions(seed, n=n))
    assert H.shape == (3, 4)
    assert np.all(H >= -1e-12) and np.all(H <= np.log2(n) + 1e-12)


def test_rollout_of_one_layer_is_half_attention_half_identity():
    A = random_attentions(1, layers=1)
    R = attention_rollout(A)
    np.testing.assert_allclose(R[0], 0.5 * A[0].mean(axis=0) + 0.5 * np.eye(5))


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 10))
def test_rollout_rows_sum_to_one_and_chain_layers(seed, n):
    A = random_attentions(seed, n=n)
    R = attention_rollout(A)
    assert R.shape == (3, n, n)
    np.testing.assert_allclose(R.sum(axis=-1), 1.0)
    assert np.all(R >= 0)
    step = 0.5 * A[2].mean(axis=0) + 0.5 * np.eye(n)
    np.testing.assert_allclose(R[2], step @ R[1])


def test_rollout_rejects_wrong_shape():
    with pytest.raises(ValueError, match="layers, heads, n, n"):
        attention_rollout(np.ones((2, 3, 4)))


def test_cosine_similarity_cases():
    assert cosine_similarity([1, 0], [2, 0]) == pytest.approx(1.0)
    assert cosine_similarity([1, 0], [0, 3]) == pytest.approx(0.0)
    assert cosine_similarity([1, 1], [-1, -1]) == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="zero vector"):
        cosine_similarity([0, 0], [1, 0])
    with pytest.raises(ValueError, match="same shape"):
        cosine_similarity([1, 0], [1, 0, 0])


def test_mean_pooled_embedding_is_unit_mean():
    h = np.array([[1.0, 0.0], [3.0, 4.0]])
    e = mean_pooled_embedding(h)
    np.testing.assert_allclose(e, np.array([2.0, 2.0]) / np.sqrt(8))
    with pytest.raises(ValueError, match="n ≥ 1"):
        mean_pooled_embedding(np.zeros((0, 4)))


def test_previous_token_weight():
    """1 for a head whose every query (after the first) looks only at the token before it, 1/n for an even one."""
    import numpy as np
    import pytest

    from core.interpret import previous_token_weight

    n = 5
    previous = np.eye(n, k=-1)
    previous[0, 0] = 1.0
    even = np.full((n, n), 1 / n)
    got = previous_token_weight(np.stack([previous, even, np.eye(n)]))
    np.testing.assert_allclose(got, [1.0, 1 / n, 0.0])
    with pytest.raises(ValueError, match="n ≥ 2"):
        previous_token_weight(np.ones((1, 1)))
