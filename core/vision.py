"""Self-attention over image patches, the way a Vision Transformer reads a picture (Dosovitskiy et al. 2020).

    image (H, W, 3) → rows × cols patches of P × P pixels → one vector per patch:
    u_p = [ colour statistics of the patch (standardised over the image) · w_colour ,
            2-D sinusoidal position PE(row) ‖ PE(col) · w_position ]
    x_p = √d · u_p / ‖u_p‖                (every vector the same length, as LayerNorm makes it in a ViT)
    weights = softmax(X·Xᵀ / (√d · τ))    (Q = K = V = X: no trained projections)

Equal lengths matter: without them a patch with extreme colours has a long vector, its dot product
with itself beats every other, and it would attend only to itself.

A trained ViT learns W_Q, W_K from data; here the projections are the identity, so a patch attends
to the patches that *look* like it (similar colour) and, with w_position > 0, to the ones *near* it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.attention import AttentionResult, scaled_dot_product_attention
from core.positional import sinusoidal_encoding

COLOUR_FEATURES = ("mean_r", "mean_g", "mean_b", "std_r", "std_g", "std_b")
POSITION_DIM = 8  # 4 sinusoid channels for the row, 4 for the column


def to_patches(image: np.ndarray, patch: int) -> np.ndarray:
    """(rows·P, cols·P, 3) → (rows, cols, P·P, 3): the pixels of every patch."""
    H, W, C = image.shape
    rows, cols = H // patch, W // patch
    x = image[: rows * patch, : cols * patch].reshape(rows, patch, cols, patch, C)  # (r, P, c, P, 3)
    return x.transpose(0, 2, 1, 3, 4).reshape(rows, cols, patch * patch, C)  # (r, c, P·P, 3)


def colour_statistics(patches: np.ndarray) -> np.ndarray:
    """Mean and standard deviation of R, G, B in each patch, in [0, 1]: (rows, cols, P·P, 3) → (N, 6)."""
    p = np.asarray(patches, dtype=np.float64) / 255.0
    rows, cols = p.shape[:2]
    stats = np.concatenate([p.mean(axis=2), p.std(axis=2)], axis=-1)  # (r, c, 6)
    return stats.reshape(rows * cols, len(COLOUR_FEATURES))  # (N, 6), patch p = row·cols + col


def standardise(F: np.ndarray) -> np.ndarray:
    """(F − mean) / std per column over all patches; a constant column becomes 0 (not 0/0)."""
    std = F.std(axis=0)
    return (F - F.mean(axis=0)) / np.where(std > 1e-9, std, 1.0)


def position_encoding_2d(rows: int, cols: int, dim: int = POSITION_DIM) -> np.ndarray:
    """PE_2D(r, c) = PE_1D(r) ‖ PE_1D(c), each dim/2 wide: (rows·cols, dim), patch p = r·cols + c."""
    half = dim // 2
    pe_r = sinusoidal_encoding(rows, half, base=100.0)  # (rows, half); base 100: a grid is ≤ 14 long
    pe_c = sinusoidal_encoding(cols, half, base=100.0)  # (cols, half)
    r, c = np.divmod(np.arange(rows * cols), cols)
    return np.concatenate([pe_r[r], pe_c[c]], axis=1)  # (N, dim)


def equal_length(U: np.ndarray) -> np.ndarray:
    """x = √d · u / ‖u‖ for every row; an all-zero row stays zero (no 0/0)."""
    norms = np.linalg.norm(U, axis=1, keepdims=True)  # (N, 1)
    return np.sqrt(U.shape[1]) * U / np.where(norms > 1e-12, norms, 1.0)


@dataclass(frozen=True)
class PatchAttention:
    image: np.ndarray  # (rows·P, cols·P, 3) uint8 the picture attention works on
    patch: int  # P
    rows: int
    cols: int
    colour: np.ndarray  # (N, 6) raw colour statistics
    position: np.ndarray  # (N, POSITION_DIM) 2-D sinusoidal position
    X: np.ndarray  # (N, 6 + POSITION_DIM) patch vectors, each of length √d
    result: AttentionResult  # weights (N, N)

    def weight_map(self, row: int, col: int) -> np.ndarray:
        """The attention weights of query patch (row, col) laid out on the grid: (rows, cols)."""
        return self.result.weights[row * self.cols + col].reshape(self.rows, self.cols)

    def top_keys(self, row: int, col: int, k: int = 3) -> list[tuple[int, int, float]]:
        """The k patches (row, col, weight) that query patch (row, col) attends to most, largest first."""
        w = self.result.weights[row * self.cols + col]
        best = np.argsort(-w, kind="stable")[:k]
        return [(int(p // self.cols), int(p % self.cols), float(w[p])) for p in best]


def patch_attention(
    image: np.ndarray, patch: int, w_colour: float = 1.0, w_position: float = 0.5, temperature: float = 1.0
) -> PatchAttention:
    """Patch vectors X (N, d), each of length √d, and self-attention weights softmax(X·Xᵀ / (√d·τ)).

    image: (rows·P, cols·P, 3) uint8 (see core.images.fit_to_patches).
    """
    patches = to_patches(image, patch)  # (r, c, P·P, 3)
    rows, cols = patches.shape[:2]
    colour = colour_statistics(patches)  # (N, 6)
    position = position_encoding_2d(rows, cols)  # (N, 8)
    U = np.concatenate([w_colour * standardise(colour), w_position * position], axis=1)  # (N, 14)
    X = equal_length(U)
    result = scaled_dot_product_attention(X, X, X, temperature=temperature)
    return PatchAttention(image, patch, rows, cols, colour, position, X, result)
