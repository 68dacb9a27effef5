"""A tiny Transformer in PyTorch, trained on the page on a toy task, with its attention photographed as it learns.

The only module of core/ that imports torch (the "watch attention learn" page imports it lazily; no other
page loads torch). The model is built from the equations the other pages show:

    X_0 = E[tokens] + PE                                   PE: sinusoidal (core.positional), learned, or none
    per layer ℓ:  X ← X + MultiHead(LN(X))                  MultiHead as core.multihead (row vectors, X·W_Q + b_Q)
                  X ← X + FFN(LN(X))                        only "with FFN": ReLU(x·W_1 + b_1)·W_2 + b_2, d_ff = 4·d_model
    logits = LN(X)·W_U

The norm comes first in each sublayer ("pre-norm", as in GPT-2): training a tiny model from scratch is
steadier that way than with the original paper's post-norm. The causal mask is core.attention's
(True = may attend). Training is deterministic on the CPU: a seeded generator for the parameters, a seeded
NumPy generator for the data, ``torch.use_deterministic_algorithms`` and one thread.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import torch
from torch import nn

from core import toy_tasks as tasks
from core.attention import causal_mask
from core.multihead import MultiHeadParams
from core.positional import sinusoidal_encoding

PE_KINDS = tasks.PE_KINDS
THREADS = 1  # one training never takes more than one core of the server
BATCH = 64
EVAL_BATCH = 256
EVALUATIONS = 40  # loss, accuracy and head measures at 41 evenly spaced steps (0 … steps)
SNAPSHOT_EVERY = 2  # attention on the probe at every other evaluation: 21 snapshots


@dataclass(frozen=True, kw_only=True)
class TrainConfig:
    """Everything a training depends on; equal configs train to identical results (the cache key)."""

    task: str = "reverse"
    layers: int = 1
    heads: int = 1
    d_model: int = 32
    ffn: bool = False
    pe: str = "learned"
    causal: bool = False
    lr: float = 3e-3
    steps: int = 600
    seed: int = 0

    def __post_init__(self) -> None:
        tasks.spec(self.task)
        if self.pe not in PE_KINDS:
            raise ValueError(f"pe must be one of {PE_KINDS}; got {self.pe!r}")
        if self.d_model % self.heads:
            raise ValueError(f"d_model={self.d_model} is not divisible by h={self.heads}")
        if not (1 <= self.layers <= 4 and 1 <= self.heads <= 8 and 4 <= self.d_model <= 256):
            raise ValueError("need 1 ≤ layers ≤ 4, 1 ≤ heads ≤ 8, 4 ≤ d_model ≤ 256")
        if not (0 < self.lr <= 1 and 1 <= self.steps <= 20_000):
            raise ValueError("need 0 < lr ≤ 1 and 1 ≤ steps ≤ 20000")


DEFAULTS = {  # each converges in a few seconds on one CPU core (tests/core/test_tiny_transformer.py)
    "copy": TrainConfig(task="copy", lr=1e-3, steps=200),
    "reverse": TrainConfig(task="reverse", lr=5e-3, steps=600),
    "sort": TrainConfig(task="sort", ffn=True, lr=3e-3, steps=800),
    "induction": TrainConfig(task="induction", layers=2, heads=2, pe="sinusoidal", causal=True, lr=3e-3, steps=600),
}


def prepare_torch() -> None:
    """One thread (a training never takes more than one core of the server) and deterministic algorithms."""
    if torch.get_num_threads() != THREADS:
        torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)


class Attention(nn.Module):
    """MultiHead(X) = Concat(head_1 … head_h)·W_O + b_O, head_i = softmax(Q_i·K_iᵀ/√d_k, mask)·V_i."""

    def __init__(self, d_model: int, heads: int, generator: torch.Generator):
        super().__init__()
        self.heads, self.d_k = heads, d_model // heads
        std = d_model**-0.5
        for name in ("W_Q", "W_K", "W_V", "W_O"):
            setattr(self, name, nn.Parameter(torch.randn(d_model, d_model, generator=generator) * std))
        for name in ("b_Q", "b_K", "b_V", "b_O"):
            setattr(self, name, nn.Parameter(torch.zeros(d_model)))

    def split(self, M: torch.Tensor) -> torch.Tensor:
        B, n, _ = M.shape
        return M.view(B, n, self.heads, self.d_k).transpose(1, 2)  # (B, h, n, d_k)

    def forward(self, X: torch.Tensor, mask: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """X (B, n, d_model) → (output (B, n, d_model), weights (B, h, n, n))."""
        Q, K, V = (self.split(X @ W + b) for W, b in ((self.W_Q, self.b_Q), (self.W_K, self.b_K), (self.W_V, self.b_V)))
        scaled = Q @ K.transpose(-1, -2) / math.sqrt(self.d_k)  # (B, h, n, n)
        if mask is not None:
            scaled = scaled.masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scaled, dim=-1)
        heads = weights @ V  # (B, h, n, d_k)
        concat = heads.transpose(1, 2).reshape(X.shape)  # (B, n, d_model)
        return concat @ self.W_O + self.b_O, weights

    def params(self) -> MultiHeadParams:
        """The same projections for core.multihead.multi_head_attention (float64)."""
        p = {
            k: getattr(self, k).detach().double().numpy()
            for k in ("W_Q", "W_K", "W_V", "W_O", "b_Q", "b_K", "b_V", "b_O")
        }
        return MultiHeadParams(**p)


class Layer(nn.Module):
    def __init__(self, d_model: int, heads: int, ffn: bool, generator: torch.Generator):
        super().__init__()
        self.norm_1 = nn.LayerNorm(d_model)
        self.attention = Attention(d_model, heads, generator)
        self.ffn = None
        if ffn:
            self.norm_2 = nn.LayerNorm(d_model)
            d_ff = 4 * d_model
            self.W_1 = nn.Parameter(torch.randn(d_model, d_ff, generator=generator) * d_model**-0.5)
            self.b_1 = nn.Parameter(torch.zeros(d_ff))
            self.W_2 = nn.Parameter(torch.randn(d_ff, d_model, generator=generator) * d_ff**-0.5)
            self.b_2 = nn.Parameter(torch.zeros(d_model))
            self.ffn = True

    def forward(self, X: torch.Tensor, mask: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        out, weights = self.attention(self.norm_1(X), mask)
        X = X + out
        if self.ffn:
            X = X + torch.relu(self.norm_2(X) @ self.W_1 + self.b_1) @ self.W_2 + self.b_2
        return X, weights


class TinyTransformer(nn.Module):
    """tokens (B, n) → (logits (B, n, V), weights (B, L, h, n, n))."""

    def __init__(self, config: TrainConfig):
        super().__init__()
        s = tasks.spec(config.task)
        g = torch.Generator().manual_seed(config.seed)
        d = config.d_model
        self.config = config
        self.E = nn.Parameter(torch.randn(len(s.vocab), d, generator=g))
        if config.pe == "learned":
            self.PE = nn.Parameter(torch.randn(s.length, d, generator=g) * 0.5)
        else:
            table = sinusoidal_encoding(s.length, d) if config.pe == "sinusoidal" else np.zeros((s.length, d))
            self.register_buffer("PE", torch.tensor(table, dtype=torch.float32))
        self.layers = nn.ModuleList(Layer(d, config.heads, config.ffn, g) for _ in range(config.layers))
        self.norm = nn.LayerNorm(d)
        self.W_U = nn.Parameter(torch.randn(d, len(s.vocab), generator=g) * d**-0.5)
        self.register_buffer("mask", torch.tensor(causal_mask(s.length)) if config.causal else None)

    def forward(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        n = tokens.shape[1]
        X = self.E[tokens] + self.PE[:n]
        mask = None if self.mask is None else self.mask[:n, :n]
        weights = []
        for layer in self.layers:
            X, w = layer(X, mask)
            weights.append(w)
        return self.norm(X) @ self.W_U, torch.stack(weights, dim=1)

    def ov_circuits(self) -> np.ndarray:
        """(L, h, V, V) W_E·W_V^i·W_O^i·W_U for every head i: what attending to a token writes into the logits."""
        E, U = self.E.detach().double(), self.W_U.detach().double()
        out = []
        for layer in self.layers:
            a = layer.attention
            W_V, W_O, dk = a.W_V.detach().double(), a.W_O.detach().double(), a.d_k
            out.append(
                [(E @ W_V[:, i * dk : (i + 1) * dk] @ W_O[i * dk : (i + 1) * dk] @ U).numpy() for i in range(a.heads)]
            )
        return np.array(out)


@dataclass
class TrainingRun:
    """What one training recorded (plain NumPy, so it can be cached and shown without torch)."""

    config: TrainConfig
    loss: list[float] = field(default_factory=list)  # training loss at every step 1 … steps
    eval_steps: list[int] = field(default_factory=list)  # steps of the evaluations (0 = before training)
    accuracy: list[float] = field(default_factory=list)  # token accuracy on the held-out batch, scored positions
    eval_loss: list[float] = field(default_factory=list)  # loss on the held-out batch, scored positions
    fresh_loss: list[float] = field(default_factory=list)  # induction: loss where the next token is new (unpredictable)
    measures: dict[str, list[np.ndarray]] = field(default_factory=dict)  # name → per evaluation (L, h)
    snapshot_steps: list[int] = field(default_factory=list)
    snapshots: list[np.ndarray] = field(default_factory=list)  # (L, h, n, n) float32 attention on the probe
    state: dict[str, np.ndarray] = field(default_factory=dict)  # the trained parameters
    seconds: float = 0.0
    finished: bool = False  # False: stopped before the last step

    def progress_copy(self) -> TrainingRun:
        """A copy whose curves no longer grow: what another thread may draw while training goes on."""
        lists = ("loss", "eval_steps", "accuracy", "eval_loss", "fresh_loss", "snapshot_steps", "snapshots")
        return replace(
            self, measures={k: list(v) for k, v in self.measures.items()}, **{k: list(getattr(self, k)) for k in lists}
        )

    @property
    def probe(self) -> np.ndarray:
        return tasks.probe(self.config.task)

    def measure(self, name: str) -> np.ndarray:
        """(evaluations, L, h)."""
        return np.array(self.measures[name])

    @property
    def phase_change(self) -> int | None:
        """The step where the task's head measure (best head at the end) is halfway from its start to its end."""
        name = MEASURES[self.config.task][0]
        m = self.measure(name).reshape(len(self.eval_steps), -1)
        return tasks.midpoint_step(np.array(self.eval_steps), m[:, m[-1].argmax()])


MEASURES = {  # per task: the head measures recorded at each evaluation; the first names the phase change
    "copy": ("diagonal",),
    "reverse": ("mirror",),
    "sort": ("answer",),
    "induction": ("prefix", "previous", "copying"),
}


def build(config: TrainConfig) -> TinyTransformer:
    prepare_torch()
    return TinyTransformer(config)


def load(run: TrainingRun) -> TinyTransformer:
    """The trained model of a run, rebuilt from its saved parameters."""
    model = build(run.config)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in run.state.items()})
    return model.eval()


def _loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-1)


def _evaluate(model: TinyTransformer, run: TrainingRun, step: int, x: np.ndarray, y: np.ndarray) -> None:
    task = run.config.task
    with torch.no_grad():
        logits, weights = model(torch.from_numpy(x))
        _, probe_weights = model(torch.from_numpy(tasks.probe(task)[None]))
    keep = tasks.scored(task, x)
    run.eval_steps.append(step)
    run.eval_loss.append(float(_loss(logits, torch.from_numpy(np.where(keep, y, -1)))))
    pred = logits.argmax(-1).numpy()
    run.accuracy.append(float((pred == y)[keep].mean()))
    if task == "induction":
        run.fresh_loss.append(float(_loss(logits, torch.from_numpy(np.where(tasks.fresh(task, x), y, -1)))))
    w = weights.double().numpy()  # (B, L, h, n, n)
    values = {
        "diagonal": lambda: tasks.diagonal_weight(w).mean(0),
        "mirror": lambda: tasks.mirror_weight(w).mean(0),
        "answer": lambda: tasks.answer_weight(w, x, y),
        "prefix": lambda: tasks.prefix_matching_score(w, x),
        "previous": lambda: tasks.previous_token_score(w).mean(0),
        "copying": lambda: tasks.copying_score(model.ov_circuits()),
    }
    for name in MEASURES[task]:
        run.measures.setdefault(name, []).append(values[name]())
    if (len(run.eval_steps) - 1) % SNAPSHOT_EVERY == 0:
        run.snapshot_steps.append(step)
        run.snapshots.append(probe_weights[0].numpy().astype(np.float32))  # float32: a run is cached


def eval_points(steps: int) -> list[int]:
    return sorted({round(steps * k / EVALUATIONS) for k in range(EVALUATIONS + 1)})


def train(
    config: TrainConfig,
    progress: Callable[[TrainingRun, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> TrainingRun:
    """Train a TinyTransformer with AdamW; ``progress(run, step)`` after every evaluation, ``stop()`` checked
    every step (True: return what was recorded so far, ``finished`` False)."""
    model = build(config)
    rng = np.random.default_rng([config.seed, 1])
    x_eval, y_eval = tasks.batch(config.task, EVAL_BATCH, np.random.default_rng([config.seed, 2]))
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=0.0, foreach=True)
    run = TrainingRun(config)
    points = set(eval_points(config.steps))
    t0 = time.perf_counter()
    model.eval()
    _evaluate(model, run, 0, x_eval, y_eval)
    for step in range(1, config.steps + 1):
        if stop is not None and stop():
            break
        x, y = tasks.batch(config.task, BATCH, rng)
        logits, _ = model(torch.from_numpy(x))
        loss = _loss(logits, torch.from_numpy(y))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        run.loss.append(float(loss.detach()))
        if step in points:
            _evaluate(model, run, step, x_eval, y_eval)
            if progress is not None:
                progress(run, step)
    else:
        run.finished = True
    run.seconds = time.perf_counter() - t0
    run.state = {k: v.detach().clone().numpy() for k, v in model.state_dict().items()}
    return run


@dataclass(frozen=True)
class Prediction:
    tokens: np.ndarray  # (n,) the input ids
    predicted: np.ndarray  # (n,) argmax at every position
    expected: np.ndarray  # (n,) the task's answer (−1 where none)
    weights: np.ndarray  # (L, h, n, n)


def predict(run: TrainingRun, ids: np.ndarray) -> Prediction:
    """The trained model on one sequence: its prediction at every position and every head's attention."""
    model = load(run)
    with torch.no_grad():
        logits, weights = model(torch.from_numpy(np.asarray(ids, dtype=np.int64)[None]))
    ids = np.asarray(ids)
    return Prediction(
        ids, logits[0].argmax(-1).numpy(), tasks.targets(run.config.task, ids[None])[0], weights[0].double().numpy()
    )
