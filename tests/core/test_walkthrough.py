"""The toy pipeline and the per-cell trace agree with a direct computation."""

import numpy as np
import pytest

from core.attention import build_mask, softmax
from core.demos.scaled_dot_product import ToyConfig, toy_attention, trace_cell
from core.embeddings import token_embeddings
from core.positional import sinusoidal_encoding
from core.projection import projection_params

TOKENS = ["The", "cat", "sat", "on", "the", "mat", "."]


def test_pipeline_equals_the_formula():
    cfg = ToyConfig(d_model=12, d_k=4, seed=5, temperature=0.7)
    run = toy_attention(TOKENS, cfg)
    X = token_embeddings(TOKENS, 12, 5) + sinusoidal_encoding(7, 12)
    W = projection_params(12, 4, 5)
    Q, K, V = X @ W.W_Q, X @ W.W_K, X @ W.W_V
    expected = softmax(Q @ K.T / np.sqrt(4) / 0.7) @ V
    assert np.abs(run.result.output - expected).max() <= 1e-12


def test_identity_projection_and_no_scaling():
    run = toy_attention(TOKENS, ToyConfig(d_model=6, d_k=6, projection="identity", scaling=False, positional=False))
    assert np.array_equal(run.Q, run.inputs.E) and run.result.scale == 1.0
    with pytest.raises(ValueError, match="d_k = d_model"):
        toy_attention(TOKENS, ToyConfig(d_model=6, d_k=3, projection="identity"))


def test_masks_by_kind():
    assert build_mask("none", 3) is None
    assert (build_mask("causal", 3) == np.tril(np.ones((3, 3), bool))).all()
    pad = build_mask("padding", 4, pad_last=1)
    assert pad[:, 3].sum() == 0 and pad[:, :3].all()
    custom = build_mask("custom", 3, blocked=((0, 1), (2, 2), (9, 9)))
    assert not custom[0, 1] and not custom[2, 2] and custom.sum() == 7
    with pytest.raises(ValueError):
        build_mask("diagonal", 3)


def test_padding_everything_gives_zero_rows():
    run = toy_attention(TOKENS, ToyConfig(mask="padding", pad_last=len(TOKENS)))
    assert (run.result.weights == 0).all() and (run.result.output == 0).all()


@pytest.mark.parametrize("mask", ["none", "causal"])
def test_trace_cell_reproduces_weight_and_output(mask):
    run = toy_attention(TOKENS, ToyConfig(mask=mask, d_k=5))
    for i, j in [(0, 0), (3, 1), (6, 6), (2, 5)]:
        c = trace_cell(run, i, j)
        assert np.isclose(c.score, run.result.scores[i, j])
        assert np.isclose(c.weight, run.result.weights[i, j])
        assert np.isclose(c.exp_row[j] / c.exp_sum if c.exp_sum else 0.0, c.weight)
        assert np.allclose(c.contributions.sum(0), run.result.output[i])
        assert c.allowed == (mask == "none" or j <= i)


def test_configs_are_keyword_only():
    """Reordering two fields must not silently swap values: positional construction is refused."""
    from core.demos.multi_head import MultiHeadConfig
    from core.demos.transformer_block import BlockConfig
    from core.minilm import MiniLMConfig

    for config in (ToyConfig, MultiHeadConfig, BlockConfig, MiniLMConfig):
        with pytest.raises(TypeError):
            config(16)
    assert MultiHeadConfig(d_model=12, num_heads=3).d_k == 4 and BlockConfig(d_model=16, num_heads=2).d_k == 8


def test_masked_is_the_complement_of_the_mask():
    from core.demos.multi_head import MultiHeadConfig, toy_multi_head
    from core.demos.scaled_dot_product import ToyConfig, toy_attention

    tokens = ("a", "b", "c")
    causal = toy_attention(tokens, ToyConfig(mask="causal"))
    assert causal.masked.tolist() == [[False, True, True], [False, False, True], [False, False, False]]
    assert toy_attention(tokens, ToyConfig()).masked is None
    multi = toy_multi_head(tokens, MultiHeadConfig(d_model=4, num_heads=2, mask="causal"))
    assert (multi.masked == ~multi.mask).all() and multi.masked[0, 1]
