"""core.gradients against torch autograd (float64, ≤ 1e-10), and the gradient view's teaching claim."""

import numpy as np
import pytest
import torch

from core.attention import causal_mask
from core.block import block_params, encoder_block, encoder_stack, layer_norm, stack_params
from core.gradients import (
    attention_vjp,
    feed_forward_vjp,
    layer_norm_vjp,
    readout,
    softmax_vjp,
    stack_gradients,
)
from core.multihead import multi_head_attention

TOL = 1e-10


def t(x) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(x))


def torch_attention(X, a, num_heads, mask=None):
    """MultiHead(X, X, X) written out in torch from our parameters (row vectors, heads = column slices)."""
    n, d = X.shape
    d_k = d // num_heads

    def heads(M):
        return M.reshape(n, num_heads, d_k).transpose(0, 1)

    Q, K, V = heads(X @ t(a.W_Q) + t(a.b_Q)), heads(X @ t(a.W_K) + t(a.b_K)), heads(X @ t(a.W_V) + t(a.b_V))
    scores = Q @ K.transpose(1, 2) / d_k**0.5
    if mask is not None:
        scores = scores.masked_fill(~t(mask), float("-inf"))
    out = torch.softmax(scores, dim=-1) @ V
    return out.transpose(0, 1).reshape(n, d) @ t(a.W_O) + t(a.b_O)


def torch_block(X, w, num_heads, activation, residual, norm, mask=None):
    d = X.shape[1]
    act = torch.relu if activation == "relu" else torch.nn.functional.gelu

    def ln(x, g, b):
        return torch.nn.functional.layer_norm(x, (d,), t(g), t(b), eps=1e-5) if norm else x

    a = torch_attention(X, w.attention, num_heads, mask)
    Z = ln(X + a if residual else a, w.gamma_1, w.beta_1)
    f = act(Z @ t(w.W_1) + t(w.b_1)) @ t(w.W_2) + t(w.b_2)
    return ln(Z + f if residual else f, w.gamma_2, w.beta_2)


def torch_stack_gradients(X, params, num_heads, activation, residual, norm, R, mask=None):
    """∂(Σ R ⊙ H_N)/∂H_ℓ for every ℓ by autograd."""
    H = [t(X).requires_grad_()]
    for w in params:
        H[-1].retain_grad()
        H.append(torch_block(H[-1], w, num_heads, activation, residual, norm, mask))
    H[-1].retain_grad()
    (H[-1] * t(R)).sum().backward()
    return [h.grad.numpy() for h in H]


CONFIGS = [  # n, d_model, heads, d_ff, activation, layers, gain, residual, layer_norm
    (5, 8, 2, 32, "relu", 3, 1.0, True, True),
    (7, 16, 4, 64, "gelu", 4, 1.3, True, True),
    (6, 8, 1, 16, "gelu", 3, 1.0, False, True),
    (4, 12, 3, 24, "relu", 2, 0.7, True, False),
    (6, 16, 4, 64, "relu", 5, 1.0, False, False),
    (1, 4, 1, 4, "gelu", 2, 2.0, True, True),
    (12, 16, 4, 64, "gelu", 8, 1.0, False, True),
]


@pytest.mark.parametrize(("n", "d_model", "heads", "d_ff", "activation", "layers", "gain", "residual", "norm"), CONFIGS)
def test_stack_gradients_match_torch_autograd(n, d_model, heads, d_ff, activation, layers, gain, residual, norm):
    X = np.random.default_rng(n).standard_normal((n, d_model))
    seed = n + layers
    run = encoder_stack(X, layers, heads, d_ff, activation, residual=residual, layer_norm=norm, seed=seed, gain=gain)
    params = stack_params(layers, d_model, d_ff, seed, gain)
    R = readout((n, d_model), seed)
    ours = stack_gradients(run, params, R, activation)
    ref = torch_stack_gradients(X, params, heads, activation, residual, norm, R)
    assert len(ours) == layers + 1 and np.allclose(ours[-1], R)
    for g, r in zip(ours, ref):
        scale = max(1.0, np.abs(r).max())
        assert np.abs(g - r).max() <= TOL * scale


@pytest.mark.parametrize("activation", ["relu", "gelu"])
def test_block_gradient_with_causal_mask_and_affine_layer_norm(activation):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((6, 8))
    w = block_params(8, 16, 3, gain=1.2)
    from dataclasses import replace

    w = replace(w, gamma_1=1 + 0.3 * rng.standard_normal(8), beta_1=rng.standard_normal(8),
                gamma_2=1 + 0.3 * rng.standard_normal(8))  # fmt: skip
    mask = causal_mask(6)
    r = encoder_block(X, w, 2, activation, mask=mask)
    R = readout((6, 8), 3)
    (ours, _) = stack_gradients([r], [w], R, activation)
    ref = torch_stack_gradients(X, [w], 2, activation, True, True, R, mask)[0]
    assert np.abs(ours - ref).max() <= TOL
    # causal: the last token's output depends on nothing after it, so with R only on token 0, only X_0 gets gradient
    R0 = np.zeros((6, 8))
    R0[0] = 1.0
    (g0, _) = stack_gradients([r], [w], R0, activation)
    assert np.abs(g0[1:]).max() == 0.0


def test_single_equation_vjps_match_torch():
    rng = np.random.default_rng(11)
    x, G = rng.standard_normal((5, 8)), rng.standard_normal((5, 8))
    gamma = 1 + 0.2 * rng.standard_normal(8)
    xt = t(x).requires_grad_()
    torch.nn.functional.layer_norm(xt, (8,), t(gamma), None, eps=1e-5).backward(t(G))
    assert np.abs(layer_norm_vjp(G, layer_norm(x, gamma), gamma, 1e-5) - xt.grad.numpy()).max() <= TOL

    s = rng.standard_normal((3, 5, 5))
    st_ = t(s).requires_grad_()
    Gs = rng.standard_normal((3, 5, 5))
    torch.softmax(st_, -1).backward(t(Gs))
    p = torch.softmax(t(s), -1).numpy()
    assert np.abs(softmax_vjp(Gs, p) - st_.grad.numpy()).max() <= TOL

    w = block_params(8, 20, 1)
    for activation, act in (("relu", torch.relu), ("gelu", torch.nn.functional.gelu)):
        zt = t(x).requires_grad_()
        (act(zt @ t(w.W_1) + t(w.b_1)) @ t(w.W_2)).backward(t(G))
        ours = feed_forward_vjp(G, x @ w.W_1 + w.b_1, w.W_1, w.W_2, activation)
        assert np.abs(ours - zt.grad.numpy()).max() <= TOL

    Xt = t(x).requires_grad_()
    torch_attention(Xt, w.attention, 4).backward(t(G))
    r = multi_head_attention(x, x, w.attention, 4)
    assert np.abs(attention_vjp(G, r, w.attention) - Xt.grad.numpy()).max() <= TOL


def test_gradient_variants_agree_with_one_stack_and_start_at_one():
    from core.demos.transformer_block import VARIANTS, BlockConfig, gradient_variants
    from core.inputs import toy_inputs

    config = BlockConfig(d_model=8, num_heads=2, d_ff=16, num_layers=3, activation="gelu", seed=4, gain=1.2)
    tokens = ("a", "b", "c", "a")
    g = gradient_variants(tokens, config)
    assert g.variants == VARIANTS and g.norms.shape == (4, 4)
    assert np.allclose(g.norms[:, -1], 1.0)  # ‖∂L/∂H_N‖ = ‖R‖ = 1
    X = toy_inputs(tokens, 8, 4).X
    params = stack_params(3, 8, 16, 4, 1.2)
    ref = torch_stack_gradients(X, params, 2, "gelu", False, True, readout(X.shape, 4))
    assert np.allclose(g.by_variant()[(False, True)], [np.linalg.norm(r) for r in ref], rtol=1e-12, atol=0)


def test_residuals_give_the_gradient_a_short_path():
    """The numbers the gradient view's text reads off, at the page's defaults on the English sentence, 8 blocks."""
    from core.demos.transformer_block import BlockConfig, gradient_variants
    from core.tokens import tokenize

    tokens = tuple(tokenize("The animal didn't cross the street because it was too tired."))
    g = gradient_variants(tokens, BlockConfig(num_layers=8)).by_variant()
    both, ln_only, res_only, neither = g[(True, True)], g[(False, True)], g[(True, False)], g[(False, False)]
    # residual + LayerNorm: the gradient keeps its size within a factor 2.5 through all 8 blocks
    assert 0.4 < both.min() and both.max() < 1.1
    assert both[0] == pytest.approx(1.0052, abs=1e-4)  # quoted as 1.01
    # no residuals: every path back crosses every sublayer, and the gradient at X shrinks
    assert ln_only[0] == pytest.approx(0.06746, abs=1e-5) and ln_only[0] < 0.1  # 0.0675
    assert neither[0] == pytest.approx(0.016962, abs=1e-6) and neither[0] < 0.03  # 0.017
    # residuals without LayerNorm: a short path, but nothing holds the size, and it grows
    assert res_only[0] == pytest.approx(234.889, abs=1e-3) and res_only[0] > 100  # 235
