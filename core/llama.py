"""A causal decoder block of the Llama family, one function per equation (SmolLM2 uses it unchanged).

    x̂     = RMSNorm(x) = x / √(mean(x²) + ε) ⊙ γ                                   (per token)
    q, k, v = x̂·W_Q, x̂·W_K, x̂·W_V                 h_q = 9 query heads, h_kv = 3 key/value heads, d_head = 64
    q', k' = RoPE(q, pos), RoPE(k, pos)           each pair (x_2i, x_2i+1) turned by the angle pos·θ_i
    head_j = softmax(q'_j·k'_{g(j)}ᵀ / √d_head, causal) · v_{g(j)}     g(j) = j // (h_q / h_kv): grouped-query
    a     = x + Concat(head_1 … head_hq)·W_O
    y     = a + (SiLU(â·W_gate) ⊙ (â·W_up))·W_down                       â = RMSNorm(a): the SwiGLU feed-forward

Row vectors; float32 parameters, float32 activations in the app (float64 when given float64 inputs, for the
tests); the attention itself goes
through core.attention.scaled_dot_product_attention (float64) with core.attention.causal_mask.
RoPE is written as in the RoFormer paper, on adjacent pairs (2i, 2i + 1): llama.cpp's GGUF files store
W_Q and W_K in that order; Hugging Face permutes the columns so that pairs are (i, i + d_head/2). The
dot products, and so every attention weight, are the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.attention import AttentionResult, causal_mask, scaled_dot_product_attention


@dataclass(frozen=True)
class DecoderParams:
    """One block's learned matrices, in our row-vector convention (x·W)."""

    attn_norm: np.ndarray  # (d_model,) γ of the RMSNorm before attention
    W_Q: np.ndarray  # (d_model, h_q·d_head)
    W_K: np.ndarray  # (d_model, h_kv·d_head)
    W_V: np.ndarray  # (d_model, h_kv·d_head)
    W_O: np.ndarray  # (h_q·d_head, d_model)
    ffn_norm: np.ndarray  # (d_model,) γ of the RMSNorm before the feed-forward
    W_gate: np.ndarray  # (d_model, d_ff)
    W_up: np.ndarray  # (d_model, d_ff)
    W_down: np.ndarray  # (d_ff, d_model)


def _float(x) -> np.ndarray:
    """float32 unless already float64."""
    x = np.asarray(x)
    return x if x.dtype == np.float64 else x.astype(np.float32, copy=False)


def rms_norm(x: np.ndarray, gamma: np.ndarray, eps: float) -> np.ndarray:
    """RMSNorm(x) = x / √(mean(x²) + ε) ⊙ γ, per row. No mean is subtracted and there is no β (LayerNorm has both)."""
    x = _float(x)
    inv_rms = 1.0 / np.sqrt(np.mean(np.square(x), axis=-1, keepdims=True) + x.dtype.type(eps))  # (n, 1)
    return (gamma * (x * inv_rms)).astype(x.dtype)  # in the reference's order of float32 operations


def rope_frequencies(d_head: int, base: float) -> np.ndarray:
    """θ_i = base^(−2i / d_head), i = 0 … d_head/2 − 1: pair i turns θ_i radians per position (float32, as trained)."""
    if d_head % 2:
        raise ValueError(f"RoPE turns pairs of coordinates: d_head must be even; got {d_head}")
    return (1.0 / (np.float32(base) ** (np.arange(0, d_head, 2, dtype=np.float32) / np.float32(d_head)))).astype(
        np.float32
    )


def rope_angles(positions: np.ndarray, d_head: int, base: float) -> np.ndarray:
    """(n, d_head/2) angles pos·θ_i, in float32 like the reference implementation (it matters at 1e-5)."""
    pos = np.asarray(positions, dtype=np.float32).reshape(-1, 1)  # (n, 1)
    return (pos * rope_frequencies(d_head, base)[None, :]).astype(np.float32)  # (n, d_head/2)


def rope_rotate(x: np.ndarray, positions: np.ndarray, base: float) -> np.ndarray:
    """RoPE: rotate every pair (x_2i, x_2i+1) of each vector by the angle pos·θ_i; returns the rotated vectors.

    x: (..., n, d_head), positions: (n,). [x'_2i, x'_2i+1] = [[cos, −sin], [sin, cos]]·[x_2i, x_2i+1].
    A rotation keeps lengths, and R(a)ᵀR(b) = R(b − a): q'·k' depends on the two positions only through
    their offset.
    """
    x = _float(x)
    ang = rope_angles(positions, x.shape[-1], base)  # (n, d/2)
    ang = ang.astype(np.float64)  # cos and sin of the float32 angles, correctly rounded
    cos, sin = np.cos(ang).astype(x.dtype), np.sin(ang).astype(x.dtype)
    even, odd = x[..., 0::2], x[..., 1::2]  # (..., n, d/2) each
    out = np.empty_like(x)
    out[..., 0::2] = even * cos - odd * sin
    out[..., 1::2] = even * sin + odd * cos
    return out


def split_heads(x: np.ndarray, h: int) -> np.ndarray:
    """(n, h·d_head) → (h, n, d_head)."""
    n, width = x.shape
    return x.reshape(n, h, width // h).transpose(1, 0, 2)  # (h, n, d_head)


def kv_group(h_q: int, h_kv: int) -> np.ndarray:
    """(h_q,) the key/value head g(j) = j // (h_q / h_kv) each query head reads."""
    if h_q % h_kv:
        raise ValueError(f"h_q={h_q} query heads cannot share h_kv={h_kv} key/value heads evenly")
    return np.arange(h_q) // (h_q // h_kv)


def repeat_kv(x: np.ndarray, h_q: int) -> np.ndarray:
    """Grouped-query attention: (h_kv, n, d) → (h_q, n, d), each key/value head repeated for its group."""
    return x[kv_group(h_q, x.shape[0])]


def silu(x: np.ndarray) -> np.ndarray:
    """SiLU(x) = x·σ(x) = x / (1 + e^(−x))."""
    return x / (1.0 + np.exp(-x))


def swiglu(x: np.ndarray, W_gate: np.ndarray, W_up: np.ndarray, W_down: np.ndarray) -> tuple[np.ndarray, ...]:
    """SwiGLU feed-forward: (SiLU(x·W_gate) ⊙ x·W_up)·W_down → (gate, up, hidden, output)."""
    gate = x @ W_gate  # (n, d_ff)
    up = x @ W_up  # (n, d_ff)
    hidden = silu(gate) * up  # (n, d_ff)
    return gate, up, hidden, hidden @ W_down  # output (n, d_model)


@dataclass(frozen=True)
class DecoderResult:
    """Every intermediate of one decoder block for n new tokens (t earlier ones come from the KV cache)."""

    normed: np.ndarray  # (n, d_model) RMSNorm(x)
    Q: np.ndarray  # (h_q, n, d_head) before RoPE
    K: np.ndarray  # (h_kv, n, d_head) before RoPE
    Q_rot: np.ndarray  # (h_q, n, d_head) after RoPE
    K_rot: np.ndarray  # (h_kv, n, d_head) after RoPE: what the KV cache keeps
    V: np.ndarray  # (h_kv, n, d_head): what the KV cache keeps
    attention: AttentionResult  # over h_q heads, n queries × (t + n) keys, causal
    attn_out: np.ndarray  # (n, d_model) Concat(heads)·W_O
    residual: np.ndarray  # (n, d_model) a = x + attn_out
    ffn_normed: np.ndarray  # (n, d_model) RMSNorm(a)
    gate: np.ndarray  # (n, d_ff)
    up: np.ndarray  # (n, d_ff)
    ffn_hidden: np.ndarray  # (n, d_ff) SiLU(gate) ⊙ up
    ffn_out: np.ndarray  # (n, d_model)
    output: np.ndarray  # (n, d_model) a + ffn_out


def decoder_block(
    x: np.ndarray,
    params: DecoderParams,
    positions: np.ndarray,
    *,
    h_q: int,
    h_kv: int,
    rope_base: float,
    eps: float,
    past_K: np.ndarray | None = None,
    past_V: np.ndarray | None = None,
) -> DecoderResult:
    """One causal decoder block on x (n, d_model) at ``positions`` (n,), after t cached tokens.

    past_K, past_V: (h_kv, t, d_head) rotated keys and values of the t earlier tokens (the KV cache), or
    None for t = 0. The queries see the earlier tokens and themselves up to their own position: the last
    n rows of causal_mask(t + n).
    """
    normed = rms_norm(x, params.attn_norm, eps)
    Q = split_heads(normed @ params.W_Q, h_q)  # (h_q, n, d_head)
    K = split_heads(normed @ params.W_K, h_kv)  # (h_kv, n, d_head)
    V = split_heads(normed @ params.W_V, h_kv)  # (h_kv, n, d_head)
    Q_rot, K_rot = rope_rotate(Q, positions, rope_base), rope_rotate(K, positions, rope_base)
    K_all = K_rot if past_K is None else np.concatenate([past_K, K_rot], axis=1)  # (h_kv, t + n, d_head)
    V_all = V if past_V is None else np.concatenate([past_V, V], axis=1)
    n, total = x.shape[0], K_all.shape[1]
    mask = causal_mask(total)[total - n :]  # (n, t + n)
    att = scaled_dot_product_attention(Q_rot, repeat_kv(K_all, h_q), repeat_kv(V_all, h_q), mask=mask)
    heads = att.output.astype(x.dtype).transpose(1, 0, 2).reshape(n, -1)  # (n, h_q·d_head) = Concat
    attn_out = heads @ params.W_O
    residual = x + attn_out
    ffn_normed = rms_norm(residual, params.ffn_norm, eps)
    gate, up, hidden, ffn_out = swiglu(ffn_normed, params.W_gate, params.W_up, params.W_down)
    return DecoderResult(
        normed=normed, Q=Q, K=K, Q_rot=Q_rot, K_rot=K_rot, V=V, attention=att, attn_out=attn_out,
        residual=residual, ffn_normed=ffn_normed, gate=gate, up=up, ffn_hidden=hidden, ffn_out=ffn_out,
        output=residual + ffn_out,
    )  # fmt: skip
