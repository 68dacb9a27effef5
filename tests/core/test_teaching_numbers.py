"""The numbers the teaching texts quote, recomputed from the engine at the pages' own settings.

Each test names the catalogue key whose sentence depends on it: if the engine or a page default
changes, the test fails and the sentence has to be checked again (in en.toml and zh.toml).
"""

import numpy as np
import pytest

from core.complexity import layer_costs, rnn_gradient
from core.demos.scaled_dot_product import ToyConfig, toy_attention
from core.demos.transformer_block import BlockConfig, block_walkthrough, compare_variants
from core.demos.why_scaling import scaling_example, scaling_sweep
from core.tokens import tokenize
from ui.i18n import t

SENTENCE = tokenize(t("sidebar.default_sentence", "en"))
SEEDS = range(10)


def _rnn_median_final(gain: float, length: int = 40, d: int = 16) -> float:
    """Median over 10 seeds of ‖∂h_t/∂x₁‖ at the last position (the page's default length 40, d = 16)."""
    return float(np.median([rnn_gradient(length, d, gain, seed).norms[-1] for seed in SEEDS]))


def test_rnn_gain_help_vanishing_up_to_about_2_exploding_above():
    """rnn_cnn.gain_help: decays up to gain ≈ 2 (1.5e-9 at 1, 0.07 at 2), grows above (31 at 2.5)."""
    start = float(np.median([rnn_gradient(40, 16, 2.0, seed).norms[0] for seed in SEEDS]))
    assert _rnn_median_final(1.0) == pytest.approx(1.5e-9, rel=0.05)
    assert _rnn_median_final(2.0) == pytest.approx(0.073, rel=0.05)
    assert _rnn_median_final(2.0) < start  # still smaller than at distance 0: vanishing
    assert _rnn_median_final(2.5) == pytest.approx(31.5, rel=0.05)
    assert _rnn_median_final(3.0) > _rnn_median_final(2.5) > 10  # exploding
    for low, high in [(1.0, 1.5), (1.5, 2.0)]:
        assert _rnn_median_final(low) < _rnn_median_final(high) < 1


def test_toy_layer_norm_length_is_sqrt_d_model():
    """block.norms_text_11, block.ln_text: with γ = 1, β = 0 every LayerNorm output has length √d_model."""
    run = block_walkthrough(SENTENCE, BlockConfig(num_layers=3, gain=1.7))
    last = run.norms[:, -1, :]  # after the second Add & Norm of each block
    np.testing.assert_allclose(last, np.sqrt(16), rtol=1e-4)  # eps in the variance: not exactly


def test_trained_layer_norm_lengths_are_8_to_11_5_not_sqrt_384(minilm_model):
    """block.norms_text_11: in the trained MiniLM the mean token length after each LayerNorm is 8–11.5."""
    model = minilm_model
    for text in (t("real_model.preset_a", "en"), t("real_model.preset_b", "en")):
        means = np.linalg.norm(model.trace(text).hidden_states, axis=-1).mean(axis=-1)  # (L + 1,)
        assert 7.9 < means.min() and means.max() < 11.6
        assert means.max() < np.sqrt(384) / 1.5  # nowhere near 19.6


def test_real_model_compare_head_does_not_move_to_street(minilm_model):
    """real_model.compare_text: L4·H2 "it" → "animal" 0.68 / 0.28, "it" → "street" 0.05 / 0.12."""
    model = minilm_model
    got = []
    for text in (t("real_model.preset_a", "en"), t("real_model.preset_b", "en")):
        tr = model.trace(text)
        row = tr.weights[3, 1, tr.tokens.index("it")]  # layer 4, head 2, counted from 1 on the page
        got.append((row[tr.tokens.index("animal")], row[tr.tokens.index("street")]))
    (animal_a, street_a), (animal_b, street_b) = got
    assert (round(animal_a, 2), round(animal_b, 2)) == (0.68, 0.28)
    assert (round(street_a, 2), round(street_b, 2)) == (0.05, 0.12)


@pytest.mark.parametrize("d_k", [8, 64])
def test_step_page_scaled_score_variance_is_about_2(d_k):
    """sdp.scaled_text: on the step page's toy (E + PE, random W) the scaled scores have variance ≈ 2, not 1."""
    runs = [toy_attention(SENTENCE, ToyConfig(d_model=16, d_k=d_k, seed=seed)).result for seed in range(30)]
    scaled = np.concatenate([r.scaled.ravel() for r in runs])
    assert 1.7 < scaled.var() < 2.6


def test_why_scaling_jacobian_is_not_monotone():
    """why_scaling.gradient_text, saturation_text: raw ‖J‖_F rises from d_k = 1 to 4, then falls; a uniform
    softmax has a smaller ‖J‖_F than the scaled ones; the variance follows d_k closely, not exactly."""
    sweep = scaling_sweep(16, 400, 0)
    raw = sweep.jac_norm_raw
    assert raw[0] < raw[1] < raw[2]  # d_k = 1, 2, 4
    assert raw[2] == raw.max() and raw[-1] < 0.1
    uniform = np.sqrt(15) / 16  # √(n − 1)/n = 0.242: ‖J‖_F of a flat softmax over 16 keys
    assert uniform < raw[0] and uniform < sweep.jac_norm_scaled.min()
    ratio = sweep.var_raw / sweep.d_k
    assert 0.9 < ratio.min() < 0.99 and 1.01 < ratio.max() < 1.15


def test_why_scaling_close_up_default_shows_the_vanishing_gradient():
    """pages/why-scaling.py CLOSE_UP_D_K = 256: raw ‖J‖ ≈ 0.013 vs 0.31 scaled; at 64 a single draw is the
    other way round (0.34 vs 0.29), which is why 64 is not the default."""
    at_256 = scaling_example(256, 16, 400, 0)
    assert at_256.jac_norm_raw < 0.02 and at_256.jac_norm_scaled > 0.3
    at_64 = scaling_example(64, 16, 400, 0)
    assert at_64.jac_norm_raw > at_64.jac_norm_scaled


def test_attention_and_recurrence_are_equal_at_n_equals_d():
    """rnn_cnn.attention_equal: at n = d the attention and recurrent terms are equal (1.34e8 at 512)."""
    ops = layer_costs(512, 512).operations
    assert ops[0] == ops[1] == 512**3 == pytest.approx(1.34e8, rel=1e-2)


def test_without_residual_or_layer_norm_lengths_still_shrink_at_scale_1():
    """block.norms_text_00: at weight scale 1 the mean length shrinks 4.87 → 0.22 over 8 blocks; at 1.1 it
    still shrinks, from 1.2 it grows."""

    def trajectory(gain):
        return compare_variants(SENTENCE, BlockConfig(num_layers=8, gain=gain))[(False, False)]

    at_1 = trajectory(1.0)
    assert (round(at_1[0], 2), round(at_1[-1], 2)) == (4.87, 0.22)
    assert trajectory(1.1)[-1] < at_1[0] < trajectory(1.2)[-1]


def test_longest_wavelength_is_almost_2_pi_base():
    """positional.base_help: the longest wavelength is 2π·base^(1−2/d), 54,410 at d = 128, not 2π·10⁴."""
    d, base = 128, 10_000.0
    longest = 2 * np.pi * base ** ((d - 2) / d)
    assert longest == pytest.approx(54_410, rel=1e-4) and longest < 2 * np.pi * base
