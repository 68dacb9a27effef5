"""Page pipeline of "Transformer block": tokens → X = E + PE → N seeded encoder blocks, every stage kept.

The blocks are ``core.block.encoder_block``, the same function that runs the trained MiniLM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from core.block import ACTIVATIONS, BlockResult, block_stages, encoder_stack, stack_params, token_norms
from core.gradients import readout, stack_gradients
from core.inputs import toy_inputs
from core.multihead import BLOCK_DEFAULT_HEADS, BLOCK_HEAD_CANDIDATES, choose_heads, head_options

__all__ = [
    "ACTIVATIONS",
    "BLOCK_DEFAULT_HEADS",
    "BLOCK_HEAD_CANDIDATES",
    "VARIANTS",
    "BlockConfig",
    "BlockGradients",
    "BlockRun",
    "block_head_options",
    "block_walkthrough",
    "choose_heads",
    "compare_variants",
    "gradient_variants",
    "mean_norm_trajectory",
]


@dataclass(frozen=True, kw_only=True)
class BlockConfig:
    d_model: int = 16  # width of every token vector
    num_heads: int = 4  # h; d_k = d_model / h
    d_ff: int = 64  # width of the feed-forward hidden layer (the paper uses 4 · d_model)
    activation: str = "relu"  # one of ACTIVATIONS
    residual: bool = True  # keep the "X +" of both Add & Norm steps
    layer_norm: bool = True  # keep both LayerNorms
    num_layers: int = 1  # N blocks stacked
    seed: int = 0  # seeds embeddings and parameters
    gain: float = 1.0  # parameter scale: std = gain / √fan_in
    positional: bool = True  # add sinusoidal PE to the embeddings

    @property
    def d_k(self) -> int:
        """Width of one head: d_model / h."""
        return self.d_model // self.num_heads


def block_head_options(d_model: int) -> list[int]:
    """The head counts the block page offers: the divisors of d_model among BLOCK_HEAD_CANDIDATES."""
    return head_options(d_model, BLOCK_HEAD_CANDIDATES)


@dataclass(frozen=True)
class BlockRun:
    tokens: tuple[str, ...]
    E: np.ndarray  # (n, d_model) token embeddings
    PE: np.ndarray  # (n, d_model) positional encoding (zeros when off)
    layers: tuple[BlockResult, ...]  # one per block; layers[0].X = E + PE
    norms: np.ndarray  # (num_layers, len(STAGES), n) ‖token vector‖ after each stage

    @property
    def mean_norms(self) -> np.ndarray:
        """(num_layers, len(STAGES)): the norms averaged over tokens."""
        return self.norms.mean(axis=-1)

    @property
    def d_k(self) -> int:
        """Width of one head: d_model / h."""
        return self.layers[0].attention.d_k


def block_walkthrough(tokens: Sequence[str], config: BlockConfig = BlockConfig()) -> BlockRun:
    """tokens → X = E + PE → N encoder blocks, with every stage's tensor and token norms kept."""
    inputs = toy_inputs(tokens, config.d_model, config.seed, config.positional)
    c = config
    layers = encoder_stack(
        inputs.X, c.num_layers, c.num_heads, c.d_ff, c.activation,
        residual=c.residual, layer_norm=c.layer_norm, seed=c.seed, gain=c.gain,
    )  # fmt: skip
    norms = np.array([[token_norms(s) for s in block_stages(r)] for r in layers])  # (N, stages, n)
    return BlockRun(tuple(tokens), inputs.E, inputs.PE, layers, norms)


def mean_norm_trajectory(norms: np.ndarray) -> np.ndarray:
    """Mean token norm along the stack: the input, then every stage after it in each layer.

    norms: (N, len(STAGES), n) → (1 + N·(len(STAGES) − 1),).
    """
    means = norms.mean(axis=-1)  # (N, stages)
    return np.concatenate([means[0, :1], means[:, 1:].reshape(-1)])


VARIANTS = ((True, True), (False, True), (True, False), (False, False))  # (residual, layer_norm)


def compare_variants(tokens: Sequence[str], config: BlockConfig) -> dict[tuple[bool, bool], np.ndarray]:
    """mean_norm_trajectory for each (residual, layer_norm) switch setting, all else equal."""
    return {
        (res, ln): mean_norm_trajectory(block_walkthrough(tokens, replace(config, residual=res, layer_norm=ln)).norms)
        for res, ln in VARIANTS
    }


@dataclass(frozen=True)
class BlockGradients:
    """‖∂L/∂H_ℓ‖_F at every block boundary ℓ = 0 … N for the four switch settings (see core.gradients).

    L = Σ R ⊙ H_N is a fixed scalar readout of the last block's output with ‖R‖_F = 1, so the last
    entry of every row is 1 and each entry is the size of the gradient left at that depth.
    """

    variants: tuple[tuple[bool, bool], ...]  # VARIANTS: (residual, layer_norm)
    norms: np.ndarray  # (len(VARIANTS), N + 1): index ℓ = 0 is the first block's input X, ℓ = N its output

    def by_variant(self) -> dict[tuple[bool, bool], np.ndarray]:
        """{(residual, layer_norm): (N + 1,) norms}."""
        return dict(zip(self.variants, self.norms))


def gradient_variants(tokens: Sequence[str], config: BlockConfig) -> BlockGradients:
    """Send ∂L/∂H_N = R back through the page's N blocks, for each (residual, layer_norm) setting.

    Same tokens, embeddings, parameters and readout R for all four: only the switches differ. The
    config's own residual and layer_norm switches are ignored (all four settings are computed).
    """
    c = config
    X = toy_inputs(tokens, c.d_model, c.seed, c.positional).X
    params = stack_params(c.num_layers, c.d_model, c.d_ff, c.seed, c.gain)
    R = readout(X.shape, c.seed)
    rows = []
    for res, ln in VARIANTS:
        layers = encoder_stack(
            X, c.num_layers, c.num_heads, c.d_ff, c.activation, residual=res, layer_norm=ln, seed=c.seed, gain=c.gain
        )
        rows.append([np.linalg.norm(g) for g in stack_gradients(layers, params, R, c.activation)])
    return BlockGradients(VARIANTS, np.array(rows))
