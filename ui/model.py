"""The pretrained MiniLM behind the "Real model" page: loaded once per process, traces cached.

The model (≈130 MB in memory) is a shared resource; each trace is a few MB, so the trace cache is small.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.interpret import attention_rollout, cosine_similarity, head_entropy, mean_pooled_embedding
from core.limits import MODEL_MAX_TOKENS  # the page draws n × n heatmaps; beyond 128 labels are unreadable
from core.minilm import MODEL_DIR_ENV, MODEL_INSTALL, MODEL_PACKAGE, MiniLM, ModelNotAvailable, ModelTrace, load_minilm
from ui.i18n import t

GRID_MAX_TOKENS = 40  # the 6 × 12 overview shows at most this many tokens per head
SHOW_VALUES_UP_TO = 10  # more tokens than this: numbers in half-width heatmap cells overlap, hover instead
# L4·H2: of the 72 heads, the one whose "it" → animal / street weights differ most between the two
# preset sentences (0.68 vs 0.28 on "animal"); averaged over heads the two barely differ
COMPARE_HEAD = (3, 1)
UNKNOWN_WARNING_SHARE = 0.2  # warn when more than a fifth of the text is [UNK]

HeadsOff = tuple[tuple[int, int], ...]  # (layer, head) pairs switched off, 0-based


_MODEL: MiniLM | None = None
_MODEL_LOCK = threading.Lock()


def minilm() -> MiniLM:
    """all-MiniLM-L6-v2, loaded once per server process and kept for its life.

    A module global, not ``st.cache_resource``: any browser can send Streamlit's "clear cache" message
    (no login needed), which empties st.cache_data and st.cache_resource for every user; the model would
    then be reloaded for everybody (seconds, and a second copy in memory while old sessions still hold
    the first). Traces stay in st.cache_data: after a clear, one costs a forward pass (~0.1–0.5 s).
    """
    global _MODEL
    if _MODEL is None:
        with _MODEL_LOCK:  # 40 students opening the page at once load it once
            if _MODEL is None:
                _MODEL = load_minilm()
    return _MODEL


def get_minilm() -> MiniLM | None:
    """The model, with a spinner on the first load; None (and an install message) when it is missing."""
    try:
        with st.spinner(t("real_model.loading")):
            return minilm()
    except ModelNotAvailable:
        st.error(t("real_model.missing", package=MODEL_PACKAGE, env=MODEL_DIR_ENV))
        st.code(MODEL_INSTALL, language="bash")
        return None


@dataclass(frozen=True)
class TraceSummary:
    """The page's reading of one trace: per-head entropy, rollout and the sentence embedding."""

    entropy: np.ndarray  # (L, h) bits
    rollout: np.ndarray  # (L, n, n)
    embedding: np.ndarray  # (d_model,) unit length


@st.cache_data(max_entries=16, show_spinner=False)
def model_trace(text: str, heads_off: HeadsOff = (), causal: bool = False) -> ModelTrace:
    model = minilm()
    keep = np.ones((model.config.num_layers, model.config.num_heads))
    for layer, head in heads_off:
        keep[layer, head] = 0.0
    return model.trace(text, head_mask=keep, causal=causal, max_tokens=MODEL_MAX_TOKENS)


@st.cache_data(max_entries=16, show_spinner=False)
def trace_summary(text: str, heads_off: HeadsOff = (), causal: bool = False) -> TraceSummary:
    trace = model_trace(text, heads_off, causal)
    return TraceSummary(
        entropy=head_entropy(trace.weights),
        rollout=attention_rollout(trace.weights),
        embedding=mean_pooled_embedding(trace.hidden_states[-1]),
    )


def similarity(text_a: str, text_b: str, heads_off_a: HeadsOff = (), heads_off_b: HeadsOff = (), causal_b=False):
    """cos(e_a, e_b) of two sentence embeddings (the second one possibly under interventions)."""
    a = trace_summary(text_a, heads_off_a, False).embedding
    b = trace_summary(text_b, heads_off_b, causal_b).embedding
    return cosine_similarity(a, b)


def input_notes(trace: ModelTrace, text: str, offer_example: bool = True) -> None:
    """Truncation notice and [UNK] warning, in the user's language (with a way out when offer_example)."""
    if trace.truncated:
        st.warning(t("real_model.truncated", n=trace.total_tokens, max_tokens=len(trace.tokens)))
    if trace.unknown_share > UNKNOWN_WARNING_SHARE:
        has_cjk = any("\u3400" <= ch <= "\u9fff" for ch in text)
        share = f"{trace.unknown_share:.0%}"
        st.warning(t("real_model.unknown_cjk" if has_cjk else "real_model.unknown", share=share, n=trace.unknown))
        if offer_example:
            st.page_link("pages/scaled-dot-product.py", label=t("real_model.toy_link"), icon=":material/grid_on:")
            st.button(t("real_model.use_example"), key="real_model_use_example", on_click=_use_english_example)


def _use_english_example() -> None:
    st.session_state.text = t("sidebar.default_sentence", lang="en")


def layer_labels() -> list[str]:
    """'Layer 1' … 'Layer L' in the current language."""
    return [t("real_model.layer_n", i=i + 1) for i in range(minilm().config.num_layers)]


def head_labels() -> list[str]:
    """'Head 1' … 'Head h' in the current language."""
    return [t("real_model.head_n", i=i + 1) for i in range(minilm().config.num_heads)]


def head_name(layer: int, head: int) -> str:
    """'L3·H7' (1-based, as people count)."""
    return t("real_model.head_short", layer=layer + 1, head=head + 1)


@st.cache_data(max_entries=8, show_spinner=False)
def _learned_cosine(n: int) -> np.ndarray:
    from core.positional import row_cosine

    return row_cosine(minilm().learned_positions(n))


def learned_position_cosine(n: int) -> np.ndarray | None:
    """(n, n) cosine between MiniLM's learned position embeddings 0 … n − 1 (n ≤ 512); None when the model
    is not installed (the caller says so)."""
    try:
        with st.spinner(t("real_model.loading")):
            minilm()
    except ModelNotAvailable:
        return None
    return _learned_cosine(n)
