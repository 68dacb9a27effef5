"""The glossary's entries: a term's symbol and the page that shows it here; its words in the catalogues.

Each entry ``id`` has ``glossary.term_<id>`` (the term) and ``glossary.def_<id>`` (one line) in both
catalogues, so the table can show the term in the other language beside it (中英术语对照).
"""

from __future__ import annotations

from dataclasses import dataclass

from ui.i18n import LANGUAGES, t
from ui.registry import PAGES, find_key


@dataclass(frozen=True)
class Entry:
    id: str  # glossary.term_<id>, glossary.def_<id>
    symbol: str  # as the formulas write it ("" when there is none)
    page: str  # catalogue key of the page that shows it


ENTRIES = (
    Entry("attention", "Attention(Q, K, V)", "intuition"),
    Entry("token", "x_i", "sdp"),
    Entry("embedding", "E", "sdp"),
    Entry("query", "q, Q = X·W_Q", "sdp"),
    Entry("key", "k, K = X·W_K", "sdp"),
    Entry("value", "v, V = X·W_V", "sdp"),
    Entry("d_model", "d_model", "sdp"),
    Entry("d_k", "d_k", "sdp"),
    Entry("score", "S = Q·Kᵀ", "sdp"),
    Entry("scaling", "1/√d_k", "why_scaling"),
    Entry("temperature", "τ", "intuition"),
    Entry("softmax", "softmax", "sdp"),
    Entry("weights", "w_ij", "sdp"),
    Entry("mask", "M", "sdp"),
    Entry("causal_mask", "M_ij = −∞ (j > i)", "sdp"),
    Entry("padding_mask", "M_ij = −∞ (j padding)", "sdp"),
    Entry("output", "o_i = Σ_j w_ij v_j", "sdp"),
    Entry("jacobian", "J = diag(p) − p pᵀ", "why_scaling"),
    Entry("head", "head_i", "multihead"),
    Entry("multi_head", "h", "multihead"),
    Entry("w_o", "W_O", "multihead"),
    Entry("entropy", "H = −Σ w log₂ w", "multihead"),
    Entry("positional_encoding", "PE", "positional"),
    Entry("wavelength", "λ_i = 2π·base^(2i/d_model)", "positional"),
    Entry("residual", "X + f(X)", "block"),
    Entry("layer_norm", "LayerNorm, γ, β", "block"),
    Entry("ffn", "FFN, W_1, W_2, d_ff", "block"),
    Entry("encoder_block", "N", "block"),
    Entry("rnn", "h_t = tanh(W h_{t−1} + U x_t)", "rnn_cnn"),
    Entry("cnn", "k", "rnn_cnn"),
    Entry("path_length", "O(1), O(n), O(log_k n)", "rnn_cnn"),
    Entry("vanishing_gradient", "‖∂h_t/∂x_1‖", "rnn_cnn"),
    Entry("patch", "P × P", "vision"),
    Entry("pretrained", "all-MiniLM-L6-v2", "real_model"),
    Entry("special_tokens", "[CLS], [SEP]", "real_model"),
    Entry("rollout", "R_l = Ã_l ⋯ Ã_1", "real_model"),
    Entry("next_token", "softmax(z / T)", "language_model"),
    Entry("rope", "R(pos·θ_i)", "language_model"),
    Entry("gqa", "h_q = 9, h_kv = 3", "language_model"),
    Entry("kv_cache", "K, V", "language_model"),
    Entry("attention_sink", "w_i0", "language_model"),
    Entry("logit_lens", "RMSNorm(x_l)·Eᵀ", "language_model"),
    Entry("induction_head", "[a][b] … [a] → [b]", "learn"),
    Entry("prefix_matching", "w(i → k), x_{k−1} = x_i", "learn"),
)


def other_language(lang: str) -> str:
    return next(other for other in LANGUAGES if other != lang)


def by_page(table: list[dict[str, str]]) -> list[tuple[str, list[dict[str, str]]]]:
    """The rows grouped by the page that shows them, pages in the order of ``ui.registry.PAGES``."""
    order = [spec.key for spec in PAGES]
    groups: dict[str, list[dict[str, str]]] = {}
    for row in table:
        groups.setdefault(row["key"], []).append(row)
    return sorted(groups.items(), key=lambda item: order.index(item[0]))


def rows(lang: str, query: str = "") -> list[dict[str, str]]:
    """The table in ``lang``, keeping the rows where ``query`` occurs (in either language, any column)."""
    other, needle = other_language(lang), query.strip().casefold()
    table = []
    for entry in ENTRIES:
        spec = find_key(entry.page)
        row = {
            "term": t(f"glossary.term_{entry.id}", lang),
            "other": t(f"glossary.term_{entry.id}", other),
            "symbol": entry.symbol,
            "definition": t(f"glossary.def_{entry.id}", lang),
            "page": t(f"{entry.page}.nav", lang) if spec else "",
            "key": entry.page,
        }
        if not needle or any(needle in row[name].casefold() for name in ("term", "other", "symbol", "definition")):
            table.append(row)
    return table
