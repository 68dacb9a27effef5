"""Synthetic tasks a tiny Transformer learns on the "watch attention learn" page, and what is measured on its heads.

Four tasks, each a batch generator (seeded, NumPy) plus the targets the model is scored on:

    copy        y_i = x_i                      every position predicts the token it holds
    reverse     y_i = x_{n−1−i}                position i needs the token at the mirrored position
    sort        y_i = the i-th smallest x      position i needs a count over the whole sequence
    induction   s = r_1 … r_m r_1 … r_m r_1 …   m distinct tokens repeated to n tokens, m random per sequence;
                                               next-token prediction: once the pattern repeats, the next token
                                               is found only by looking up the earlier occurrence of the current
                                               token and copying the token that followed it (Olsson et al. 2022)

copy, reverse and sort are read at every position at once (one forward pass, loss at every position);
induction is a causal language model (position i predicts token i + 1). Measures on the attention
weights (``weights``: (L, h, n, n) or (B, L, h, n, n)) are NumPy, so they can be checked without torch.
NumPy only: no torch, Streamlit or Plotly here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TASKS = ("copy", "reverse", "sort", "induction")
PE_KINDS = ("sinusoidal", "learned", "none")  # how the model is told positions (core.tiny_transformer)
DIGITS = tuple("0123456789")
LETTERS = tuple("abcdefghijklmnopqrst")  # 20 letters: a repeated pattern of up to 10 distinct letters
MIN_PERIOD = 4  # induction: the pattern is 4 … n/2 tokens long, so its length is never given by position


@dataclass(frozen=True)
class TaskSpec:
    """A task's vocabulary, sequence length and how it is read."""

    name: str
    vocab: tuple[str, ...]
    length: int  # tokens the model reads
    causal_needed: bool  # the task is next-token prediction: without the mask the answer is in the input
    causal_breaks: bool  # a causal mask removes information the task needs (later tokens)

    @property
    def half(self) -> int:
        return self.length // 2


SPECS = {
    "copy": TaskSpec("copy", DIGITS, 8, causal_needed=False, causal_breaks=False),
    "reverse": TaskSpec("reverse", DIGITS, 8, causal_needed=False, causal_breaks=True),
    "sort": TaskSpec("sort", DIGITS, 8, causal_needed=False, causal_breaks=True),
    "induction": TaskSpec("induction", LETTERS, 20, causal_needed=True, causal_breaks=False),
}


def spec(task: str) -> TaskSpec:
    if task not in SPECS:
        raise ValueError(f"task must be one of {TASKS}; got {task!r}")
    return SPECS[task]


def targets(task: str, x: np.ndarray) -> np.ndarray:
    """(B, n) → (B, n) the token each position must predict; −1 where nothing is asked (induction's last token)."""
    x = np.asarray(x)
    if task == "copy":
        return x.copy()
    if task == "reverse":
        return x[:, ::-1].copy()
    if task == "sort":
        return np.sort(x, axis=1)
    if task == "induction":
        y = np.full_like(x, -1)
        y[:, :-1] = x[:, 1:]  # position i predicts token i + 1
        return y
    raise ValueError(f"task must be one of {TASKS}; got {task!r}")


def batch(task: str, size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(x, y), each (size, n) int64: inputs and the targets of ``targets``.

    copy, reverse, sort: n tokens drawn uniformly (repeats allowed). induction: m distinct tokens (m drawn
    from MIN_PERIOD … n/2), repeated until n tokens: before position m nothing repeats, from there on
    everything does, and m differs between sequences, so only the tokens tell where the repeat starts.
    """
    s = spec(task)
    V = len(s.vocab)
    if task == "induction":
        pattern = np.argsort(rng.random((size, V)), axis=1)  # (B, V) a random order of the vocabulary
        m = rng.integers(MIN_PERIOD, s.half + 1, size)  # (B,) pattern length of each sequence
        x = pattern[np.arange(size)[:, None], np.arange(s.length)[None] % m[:, None]]
    else:
        x = rng.integers(0, V, (size, s.length))
    x = x.astype(np.int64)
    return x, targets(task, x).astype(np.int64)


PROBES = {  # the fixed sequences whose attention is photographed during training (the same for every run)
    "copy": "38152704",
    "reverse": "38152704",
    "sort": "38152704",
    "induction": "gdqmaktesigdqmaktesi",  # one pattern of 10 letters, repeated once
}


def probe(task: str) -> np.ndarray:
    """(n,) the task's probe sequence as token ids."""
    return np.array([spec(task).vocab.index(ch) for ch in PROBES[task]], dtype=np.int64)


def repeated(x: np.ndarray) -> np.ndarray:
    """(B, n) → (B, n) bool: token i occurred earlier in its sequence."""
    x = np.asarray(x)
    same = x[:, :, None] == x[:, None, :]  # (B, n_q, n_k)
    return np.tril(same, k=-1).any(-1)


def scored(task: str, x: np.ndarray) -> np.ndarray:
    """(B, n) bool: the positions whose predictions count for accuracy. copy, reverse, sort: all.
    induction: positions whose token occurred earlier and that have a next token, i.e. the positions
    where the next token can be read from the context."""
    x = np.asarray(x)
    if task != "induction":
        return np.ones(x.shape, dtype=bool)
    keep = repeated(x)
    keep[:, -1] = False
    return keep


def fresh(task: str, x: np.ndarray) -> np.ndarray:
    """(B, n) bool, induction: positions before the pattern repeats (the next token cannot be known)."""
    x = np.asarray(x)
    keep = ~repeated(x)
    keep[:, -1] = False
    nxt = np.zeros_like(keep)
    nxt[:, :-1] = ~repeated(x)[:, 1:]  # the next token is new too
    return keep & nxt


def encode(task: str, text: str) -> tuple[np.ndarray | None, str | None]:
    """A learner's sequence as token ids: (ids, None) or (None, reason).

    Spaces and commas are ignored; reasons: "empty", "unknown" (a symbol outside the vocabulary),
    "length" (the model reads exactly ``spec.length`` tokens for copy/reverse/sort, 2 … length for induction).
    """
    s = spec(task)
    symbols = [ch for ch in text if ch not in " ,\t\n"]
    if not symbols:
        return None, "empty"
    if any(ch not in s.vocab for ch in symbols):
        return None, "unknown"
    n = len(symbols)
    if (task == "induction" and not 2 <= n <= s.length) or (task != "induction" and n != s.length):
        return None, "length"
    return np.array([s.vocab.index(ch) for ch in symbols], dtype=np.int64), None


# --- measures on the attention weights ----------------------------------------------------------------


def mirror_weight(weights: np.ndarray) -> np.ndarray:
    """(..., n, n) → (...,) the mean weight query i puts on key n − 1 − i (reverse's mirrored position)."""
    W = np.asarray(weights, dtype=np.float64)
    n = W.shape[-1]
    return W[..., np.arange(n), np.arange(n)[::-1]].mean(axis=-1)


def mirror_rows(weights: np.ndarray) -> np.ndarray:
    """(..., n, n) → (..., n) the weight each row puts on its mirrored key."""
    W = np.asarray(weights, dtype=np.float64)
    n = W.shape[-1]
    return W[..., np.arange(n), np.arange(n)[::-1]]


def diagonal_weight(weights: np.ndarray) -> np.ndarray:
    """(..., n, n) → (...,) the mean weight query i puts on key i (its own position)."""
    W = np.asarray(weights, dtype=np.float64)
    n = W.shape[-1]
    return W[..., np.arange(n), np.arange(n)].mean(axis=-1)


def answer_weight(weights: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(B, ..., n, n) with x, y (B, n) → (...,) the mean weight a query puts on keys holding its answer y_i."""
    W = np.asarray(weights, dtype=np.float64)
    hit = np.asarray(x)[:, None, :] == np.asarray(y)[:, :, None]  # (B, n_q, n_k)
    hit = hit.reshape(hit.shape[0], *([1] * (W.ndim - 3)), *hit.shape[1:])
    return (W * hit).sum(-1).mean(axis=(0, -1))


def previous_token_score(weights: np.ndarray) -> np.ndarray:
    """(..., n, n) → (...,) mean weight query i puts on key i − 1, over i = 1 … n − 1."""
    W = np.asarray(weights, dtype=np.float64)
    n = W.shape[-1]
    return W[..., np.arange(1, n), np.arange(n - 1)].mean(axis=-1)


def prefix_matching_score(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(B, ..., n, n) with tokens x (B, n) → (...,): the weight a query at position i puts on the keys k ≤ i
    whose previous token x_{k−1} equals x_i — the tokens that followed earlier occurrences of the current
    token (Olsson et al. 2022, "prefix matching"), averaged over the queries whose token occurred before."""
    W = np.asarray(weights, dtype=np.float64)
    x = np.asarray(x)
    B, n = x.shape
    follows = np.zeros((B, n, n), dtype=bool)  # (B, n_q, n_k): x_{k−1} == x_i, 1 ≤ k ≤ i
    follows[:, :, 1:] = x[:, :, None] == x[:, None, :-1]
    follows &= np.tril(np.ones((n, n), dtype=bool))
    queries = repeated(x)  # (B, n)
    lead = (B, *([1] * (W.ndim - 3)))
    per_query = (W * follows.reshape(*lead, n, n)).sum(-1)  # (B, ..., n)
    q = queries.reshape(*lead, n)
    total = (per_query * q).sum(axis=-1).sum(axis=0)
    return total / max(int(queries.sum()), 1)


def copying_score(ov: np.ndarray) -> np.ndarray:
    """(..., V, V) OV circuits W_E·W_V·W_O·W_U → (...,): Σ Re λ / Σ |λ| over the eigenvalues λ, in [−1, 1].

    Positive: attending to a token raises that token's own logit (the head copies); Elhage et al. 2021 and
    Olsson et al. 2022 read a head's copying this way.
    """
    lam = np.linalg.eigvals(np.asarray(ov, dtype=np.float64))
    return lam.real.sum(-1) / np.maximum(np.abs(lam).sum(-1), 1e-12)


def midpoint_step(steps: np.ndarray, values: np.ndarray) -> int | None:
    """The first step at which ``values`` reaches halfway from its first to its last value (None if it
    hardly moves: less than 0.1 of change). The page calls it the phase change."""
    v = np.asarray(values, dtype=np.float64)
    if len(v) < 2 or abs(v[-1] - v[0]) < 0.1:
        return None
    mid = (v[0] + v[-1]) / 2
    crossed = v >= mid if v[-1] > v[0] else v <= mid
    return int(np.asarray(steps)[np.argmax(crossed)])


def cannot_solve(task: str, layers: int, pe: str, causal: bool) -> tuple[str, ...]:
    """Why a model of this shape cannot learn the task (empty when nothing stands in its way):

    "causal_breaks"  reverse, sort: under the causal mask position i never sees the later tokens it needs;
    "causal_needed"  induction without the mask: every position sees the token it must predict;
    "no_position"    reverse, sort without PE and without the mask: attention is permutation-equivariant, so
                     equal tokens at different positions get equal outputs, and position i cannot know it is i;
    "one_layer"      induction with one layer: an induction head reads what a previous-token head wrote,
                     so it needs a second layer (Olsson et al. 2022).
    """
    s = spec(task)
    reasons = []
    if causal and s.causal_breaks:
        reasons.append("causal_breaks")
    if not causal and s.causal_needed:
        reasons.append("causal_needed")
    if pe == "none" and not causal and task in ("reverse", "sort"):
        reasons.append("no_position")
    if task == "induction" and layers < 2:
        reasons.append("one_layer")
    return tuple(reasons)
