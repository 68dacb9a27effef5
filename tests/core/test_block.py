"""core.block against torch (float64, ≤ 1e-12) and invariants of LayerNorm, FFN and the block."""

from dataclasses import replace

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from core.block import (
    STAGES,
    block_params,
    block_stages,
    encoder_block,
    feed_forward,
    gelu,
    layer_norm,
    token_norms,
)
from core.demos.transformer_block import BlockConfig, block_walkthrough, compare_variants, mean_norm_trajectory

TOL = 1e-12


def torch_layer(w, d_model: int, num_heads: int, d_ff: int, activation: str) -> torch.nn.TransformerEncoderLayer:
    """A TransformerEncoderLayer holding our weights (torch's Linear weight is our W transposed)."""
    layer = torch.nn.TransformerEncoderLayer(
        d_model, num_heads, d_ff, dropout=0.0, activation=activation, batch_first=True, norm_first=False
    ).double()
    a = w.attention
    t = lambda x: torch.from_numpy(np.ascontiguousarray(x))  # noqa: E731
    with torch.no_grad():
        layer.self_attn.in_proj_weight.copy_(t(np.concatenate([a.W_Q.T, a.W_K.T, a.W_V.T])))
        layer.self_attn.in_proj_bias.copy_(t(np.concatenate([a.b_Q, a.b_K, a.b_V])))
        layer.self_attn.out_proj.weight.copy_(t(a.W_O.T))
        layer.self_attn.out_proj.bias.copy_(t(a.b_O))
        layer.linear1.weight.copy_(t(w.W_1.T))
        layer.linear1.bias.copy_(t(w.b_1))
        layer.linear2.weight.copy_(t(w.W_2.T))
        layer.linear2.bias.copy_(t(w.b_2))
        layer.norm1.weight.copy_(t(w.gamma_1))
        layer.norm1.bias.copy_(t(w.beta_1))
        layer.norm2.weight.copy_(t(w.gamma_2))
        layer.norm2.bias.copy_(t(w.beta_2))
    return layer.eval()


@pytest.mark.parametrize(
    ("n", "d_model", "num_heads", "d_ff", "activation", "seed"),
    [(5, 8, 2, 32, "relu", 0), (7, 16, 4, 64, "gelu", 1), (1, 4, 1, 4, "relu", 2), (12, 24, 6, 16, "gelu", 3)],
)
def test_block_matches_torch_encoder_layer(n, d_model, num_heads, d_ff, activation, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d_model))
    w = block_params(d_model, d_ff, seed, gain=1.3)
    # non-trivial γ, β so LayerNorm's affine part is checked too
    w = replace(w, gamma_1=1 + 0.1 * rng.standard_normal(d_model), beta_2=rng.standard_normal(d_model))
    ours = encoder_block(X, w, num_heads, activation)
    layer = torch_layer(w, d_model, num_heads, d_ff, activation)
    with torch.no_grad():
        # the fast path (inference, no grad) is a different kernel: compare against both
        ref = layer(torch.from_numpy(X)[None]).numpy()[0]
        layer.train()
        ref_train = layer(torch.from_numpy(X)[None]).numpy()[0]
    assert np.abs(ours.output - ref).max() <= TOL
    assert np.abs(ours.output - ref_train).max() <= TOL


def test_block_matches_torch_with_causal_mask():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((6, 8))
    w = block_params(8, 16, 7)
    mask = np.tril(np.ones((6, 6), dtype=bool))
    ours = encoder_block(X, w, 2, "relu", mask=mask)
    layer = torch_layer(w, 8, 2, 16, "relu").train()
    with torch.no_grad():
        # torch's boolean src_mask: True = NOT allowed
        ref = layer(torch.from_numpy(X)[None], src_mask=torch.from_numpy(~mask)).numpy()[0]
    assert np.abs(ours.output - ref).max() <= TOL


@given(
    x=st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=24),
    g=st.floats(0.1, 3.0),
    b=st.floats(-2.0, 2.0),
)
def test_layer_norm_matches_torch(x, g, b):
    x = np.array([x, x[::-1]])
    d = x.shape[1]
    gamma, beta = np.full(d, g), np.full(d, b)
    ours = layer_norm(x, gamma, beta)
    ref = torch.nn.functional.layer_norm(torch.from_numpy(x), (d,), torch.from_numpy(gamma), torch.from_numpy(beta))
    # inputs up to 1e3 with a spread near √ε: the subtraction x − μ loses digits in both, so 1e-9 here
    assert np.abs(ours.output - ref.numpy()).max() <= 1e-9


@given(x=st.lists(st.floats(-50, 50), min_size=3, max_size=32).filter(lambda v: np.ptp(v) > 1e-2))
def test_layer_norm_output_has_zero_mean_unit_variance(x):
    x = np.array([x])
    out = layer_norm(x).normalized
    assert abs(out.mean()) < 1e-9
    assert np.isclose(out.var(), x.var() / (x.var() + 1e-5))  # 1, pulled just under by ε
    assert np.isclose(token_norms(out)[0], np.sqrt(x.shape[1] * out.var()))


@pytest.mark.parametrize("activation", ["relu", "gelu"])
def test_feed_forward_matches_torch(activation):
    rng = np.random.default_rng(5)
    Z = rng.standard_normal((6, 8))
    w = block_params(8, 20, 5)
    ours = feed_forward(Z, w.W_1, w.b_1, w.W_2, w.b_2, activation)
    lin1, lin2 = torch.nn.Linear(8, 20).double(), torch.nn.Linear(20, 8).double()
    with torch.no_grad():
        lin1.weight.copy_(torch.from_numpy(np.ascontiguousarray(w.W_1.T)))
        lin1.bias.copy_(torch.from_numpy(w.b_1))
        lin2.weight.copy_(torch.from_numpy(np.ascontiguousarray(w.W_2.T)))
        lin2.bias.copy_(torch.from_numpy(w.b_2))
        act = torch.nn.functional.relu if activation == "relu" else torch.nn.functional.gelu
        hidden = act(lin1(torch.from_numpy(Z)))
        ref = lin2(hidden).numpy()
    assert np.abs(ours.output - ref).max() <= TOL
    assert np.abs(ours.hidden - hidden.numpy()).max() <= TOL
    assert ours.hidden.shape == (6, 20)


def test_feed_forward_rejects_unknown_activation():
    w = block_params(4, 4, 0)
    with pytest.raises(ValueError, match="activation"):
        feed_forward(np.ones((1, 4)), w.W_1, w.b_1, w.W_2, w.b_2, "tanh")


def test_gelu_matches_torch():
    x = np.linspace(-8, 8, 401)
    assert np.abs(gelu(x) - torch.nn.functional.gelu(torch.from_numpy(x)).numpy()).max() <= 1e-12


def test_switches_change_the_right_stages():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 8))
    w = block_params(8, 16, 0)
    plain = encoder_block(X, w, 2, residual=False, layer_norm=False)
    assert np.allclose(plain.add_1, plain.attention.output)
    assert np.allclose(plain.norm_1.output, plain.add_1)
    assert np.allclose(plain.output, plain.ffn.output)
    full = encoder_block(X, w, 2)
    assert np.allclose(full.add_1, X + full.attention.output)
    # with LayerNorm on (γ = 1, β = 0) every token leaves the block with norm √d_model
    assert np.allclose(token_norms(full.output), np.sqrt(8), atol=1e-4)


def test_walkthrough_shapes_and_trajectory():
    config = BlockConfig(d_model=8, num_heads=2, d_ff=16, num_layers=3)
    run = block_walkthrough(["a", "b", "c", "a"], config)
    assert run.norms.shape == (3, len(STAGES), 4)
    assert len(run.layers) == 3 and np.allclose(run.layers[1].X, run.layers[0].output)
    assert np.allclose(run.norms[0, 0], token_norms(run.E + run.PE))
    assert [s.shape for s in block_stages(run.layers[0])] == [(4, 8)] * len(STAGES)
    traj = mean_norm_trajectory(run.norms)
    assert traj.shape == (1 + 3 * (len(STAGES) - 1),)
    assert np.isclose(traj[-1], run.norms[-1, -1].mean())


def test_without_layer_norm_a_large_gain_grows_the_norms():
    variants = compare_variants(["x", "y", "z"], BlockConfig(d_model=16, num_heads=4, d_ff=64, num_layers=6, gain=1.5))
    assert set(variants) == {(True, True), (False, True), (True, False), (False, False)}
    # LayerNorm pins every block's output to ≈ √d_model; without it the residual stream keeps growing
    assert variants[(True, True)][-1] == pytest.approx(4.0, rel=1e-3)
    assert variants[(True, False)][-1] > 10 * variants[(True, False)][0]
