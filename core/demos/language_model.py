"""What the "causal language model" page reads off SmolLM2's attention, RoPE, grouped-query heads and KV cache."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.llama import kv_group, rope_rotate


def sink_share(weights: np.ndarray) -> np.ndarray:
    """(L, h) mean weight each head's queries 1 … n−1 put on token 0 (the "attention sink"); query 0 sees only
    token 0 and is left out. NaN for one token."""
    W = np.asarray(weights, dtype=np.float64)  # (L, h, n, n)
    if W.shape[-1] < 2:
        return np.full(W.shape[:2], np.nan)
    return W[..., 1:, 0].mean(axis=-1)


def previous_token_score(weights: np.ndarray) -> np.ndarray:
    """(L, h) mean weight that query i puts on token i − 1, over i = 1 … n−1. NaN for one token."""
    W = np.asarray(weights, dtype=np.float64)
    n = W.shape[-1]
    if n < 2:
        return np.full(W.shape[:2], np.nan)
    return W[..., np.arange(1, n), np.arange(n - 1)].mean(axis=-1)


def previous_token_heads(weights: np.ndarray, threshold: float = 0.5) -> list[tuple[int, int, float]]:
    """(layer, head, score) of every head whose previous-token score is ≥ threshold, best first (0-based)."""
    score = previous_token_score(weights)
    found = [(int(i), int(j), float(score[i, j])) for i, j in zip(*np.nonzero(score >= threshold))]
    return sorted(found, key=lambda f: -f[2])


def rope_offset_curve(q: np.ndarray, k: np.ndarray, offsets: np.ndarray, start: int, base: float) -> np.ndarray:
    """q'·k' with the key at position ``start`` and the query ``offset`` tokens later, for each offset.

    Moving ``start`` changes nothing: RoPE makes q'·k' a function of the offset alone.
    """
    offsets = np.asarray(offsets, dtype=np.int64)
    q_rot = rope_rotate(np.tile(q, (len(offsets), 1)), start + offsets, base)  # (m, d_head)
    k_rot = rope_rotate(k[None, :], np.array([start]), base)[0]  # (d_head,)
    return q_rot.astype(np.float64) @ k_rot.astype(np.float64)


def rope_pair_path(x: np.ndarray, pair: int, positions: np.ndarray, base: float) -> np.ndarray:
    """(m, 2): coordinates (x_2i, x_2i+1) of the vector x after RoPE at each position: a circle, angle pos·θ_i."""
    rotated = rope_rotate(np.tile(x, (len(positions), 1)), np.asarray(positions), base)
    return rotated[:, 2 * pair : 2 * pair + 2].astype(np.float64)


@dataclass(frozen=True)
class KVMemory:
    """Bytes the KV cache holds for n tokens, grouped-query vs one K/V per query head (float32)."""

    per_token_gqa: int  # 2 (K and V) × L × h_kv × d_head × 4
    per_token_mha: int  # 2 × L × h_q × d_head × 4
    total_gqa: int
    total_mha: int

    @property
    def saved(self) -> float:
        """Share of the memory grouped-query attention saves: 1 − h_kv / h_q."""
        return 1.0 - self.total_gqa / self.total_mha if self.total_mha else 0.0


def kv_memory(n: int, num_layers: int, h_q: int, h_kv: int, d_head: int, bytes_per_value: int = 4) -> KVMemory:
    """KV-cache size for n tokens with h_kv shared key/value heads, and with one per query head."""
    gqa = 2 * num_layers * h_kv * d_head * bytes_per_value
    mha = 2 * num_layers * h_q * d_head * bytes_per_value
    return KVMemory(gqa, mha, gqa * n, mha * n)


def kv_groups(h_q: int, h_kv: int) -> list[list[int]]:
    """For each key/value head, the query heads that read it (0-based)."""
    g = kv_group(h_q, h_kv)
    return [[int(j) for j in np.nonzero(g == i)[0]] for i in range(h_kv)]
