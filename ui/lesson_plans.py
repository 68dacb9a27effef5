"""The lessons of the pages (``ui.lessons``): steps, the controls they set, and questions whose right answer is
computed from the engine for the state on screen. Each page passes its own to ``Page(lesson=...)``.

Texts live in the catalogues (``<page>.lesson.*``, ``<page>.question.*``); a step's control names are
the page's ``ctx.key`` names; ``tests/pages/test_lessons.py`` applies every step of every lesson.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from core.interpret import previous_token_weight
from ui.lessons import Answer, Lesson, Question, Step
from ui.page import PageContext
from ui.text import md_escape, quoted

# --- intuition -------------------------------------------------------------------------------------------

WARM, COLD = 1.0, 0.2  # the temperatures of the intuition lesson's before and after


def focus_when_colder(ctx: PageContext, run) -> Answer:
    """Top weight and entropy of the focus panel at τ = WARM against τ on screen (the step sets COLD)."""
    from ui.compute import focus_cached

    angle, length, tau = ctx.value("angle", 30), ctx.value("length", 1.0), ctx.value("tau", COLD)
    warm, cold = focus_cached(angle, length, WARM), focus_cached(angle, length, tau)
    top_warm, top_cold = float(warm.weights.max()), float(cold.weights.max())
    if top_cold > top_warm and cold.entropy < warm.entropy:
        option = "sharper"
    elif top_cold < top_warm and cold.entropy > warm.entropy:
        option = "flatter"
    else:
        option = "same"
    values = {"warm": WARM, "cold": tau, "top_warm": top_warm, "top_cold": top_cold, "h_warm": warm.entropy,
              "h_cold": cold.entropy, "word": ctx.t(f"word_{int(cold.weights.argmax())}")}  # fmt: skip
    return Answer(option, why=f"why_{option}", values=values)


INTUITION = Lesson((
    Step(name="focus", sets={"angle": 30, "length": 1.0, "tau": WARM}),
    Step(name="colder", sets={"angle": 30, "length": 1.0, "tau": COLD}, locks=("angle", "length", "tau"),
         question=Question(name="colder", options=("sharper", "flatter", "same"), answer=focus_when_colder,
                           hides=("focus",))),
    Step(name="reading", sets={"reading_tau": 1.0, "skip_self": True}),
))  # fmt: skip

# --- scaled dot-product ----------------------------------------------------------------------------------

SDP_DEFAULTS = {"projection_{lang}": "random", "d_model": 16, "d_k": 8, "seed": 0, "pe": True, "scaling": True,
                "tau": 1.0, "mask_{lang}": "none"}  # fmt: skip


def row_zero_under_a_causal_mask(ctx: PageContext, run) -> Answer:
    """What the first query's weights are: all on itself, spread evenly, or anything else."""
    w0 = run.result.weights[0]
    if np.isclose(w0[0], 1.0, rtol=0, atol=1e-12):
        option = "itself"
    elif np.allclose(w0, 1 / len(w0), rtol=0, atol=1e-12):
        option = "even"
    else:
        option = "spread"
    return Answer(option, why=f"why_{option}", values={"token": md_escape(quoted(ctx.tokens[0])), "w": float(w0[0])})


def query_index(ctx: PageContext) -> int:
    """The traced query: the trace tab's choice, else its default (the pronoun of the default sentence)."""
    i = ctx.value("i")
    return i if isinstance(i, int) and 0 <= i < ctx.n else ctx.pronoun()


def top_key_of_the_query(ctx: PageContext, run) -> Answer:
    i = query_index(ctx)
    j = int(np.argmax(run.result.weights[i]))
    values = {"query": md_escape(quoted(ctx.tokens[i])), "top": md_escape(quoted(ctx.tokens[j])),
              "score": float(run.result.scaled[i, j]), "w": float(run.result.weights[i, j])}  # fmt: skip
    return Answer(j, values=values)


SDP = Lesson((
    Step(name="x", sets=SDP_DEFAULTS, tab="inputs"),
    Step(name="qkv", sets={"d_k": 8}, tab="inputs"),
    Step(name="scores", sets={"scaling": True}, tab="scores"),
    Step(name="scale", sets={"d_k": 64, "scaling": False}, tab="scores", locks=("d_k", "scaling")),
    Step(name="mask", sets={"d_k": 8, "scaling": True, "mask_{lang}": "causal"}, tab="weights",
         locks=("mask_{lang}",),
         question=Question(name="row_zero", options=("itself", "even", "spread"), answer=row_zero_under_a_causal_mask,
                           hides=("weights",))),
    Step(name="softmax", sets={"mask_{lang}": "none"}, tab="weights"),
    Step(name="output", tab="output"),
    Step(name="trace", sets={"mask_{lang}": "none", "projection_{lang}": "random"}, tab="trace",
         locks=("mask_{lang}", "projection_{lang}"),
         question=Question(name="top_key", options=lambda ctx, run: range(ctx.n), label=lambda ctx, j: ctx.labels[j],
                           answer=top_key_of_the_query, hides=("trace",))),
))  # fmt: skip

# --- why √d_k --------------------------------------------------------------------------------------------


def softmax_as_d_k_grows(ctx: PageContext, sweep) -> Answer:
    """Sharper (the top weight grows, the entropy falls), flatter, or neither, from the smallest to the
    largest d_k of the sweep, without the division by √d_k."""
    top, h = sweep.max_weight_raw, sweep.entropy_raw
    if top[-1] > top[0] and h[-1] < h[0]:
        option = "sharper"
    elif top[-1] < top[0] and h[-1] > h[0]:
        option = "flatter"
    else:
        option = "unchanged"
    values = {"lo": int(sweep.d_k[0]), "hi": int(sweep.d_k[-1]), "top_lo": float(top[0]), "top_hi": float(top[-1]),
              "h_lo": float(h[0]), "h_hi": float(h[-1])}  # fmt: skip
    return Answer(option, why=f"why_{option}", values=values)


WHY_SCALING = Lesson((
    Step(name="spread", sets={"n_keys": 16, "trials": 400, "seed": 0, "d_k": 4}),
    Step(name="predict", sets={"d_k": 1024}, locks=("d_k",),
         question=Question(name="sharper", options=("sharper", "flatter", "unchanged"), answer=softmax_as_d_k_grows,
                           hides=("close_up", "sweep"))),
    Step(name="saturate", sets={"d_k": 256}),
    Step(name="gradient", sets={"d_k": 256}),
))  # fmt: skip

# --- multi-head ------------------------------------------------------------------------------------------


def heads_against_one(ctx: PageContext, run) -> Answer:
    """Which attends more narrowly on average (lower entropy): one head of width d_model or the h heads."""
    single, heads = run.single_entropy_mean, float(run.entropy_mean.mean())
    option = "heads" if heads < single else "single" if single < heads else "same"
    values = {"single": single, "heads": heads, "h": ctx.config.num_heads, "d_k": run.d_k}
    return Answer(option, why=f"why_{option}", values=values)


MULTIHEAD = Lesson((
    Step(name="heads", sets={"d_model": 64, "h": 8, "seed": 0, "causal": False, "scaling": True}, tab="heads"),
    Step(name="split", tab="split"),
    Step(name="detail", tab="detail"),
    Step(name="concat", tab="concat"),
    Step(name="compare", sets={"d_model": 64, "h": 8}, tab="stats", locks=("d_model", "h"),
         question=Question(name="narrower", options=("single", "heads", "same"), answer=heads_against_one,
                           hides=("stats",))),
    Step(name="one_head", sets={"h": 1}, tab="heads"),
))  # fmt: skip

# --- positional encoding ---------------------------------------------------------------------------------


def shuffled_without_pe(ctx: PageContext, table) -> Answer | None:
    """Shuffle the sentence: without PE each word's weights only move with it (gap 0), with PE they change."""
    from ui.compute import order_demo_cached
    from ui.page import sentence_context

    sentence = sentence_context(ctx.page, ctx.lang)
    if sentence is None or sentence.n < 2:
        return None
    s = ctx.config
    demo = order_demo_cached(sentence.tokens, s.d_model, s.seed, int(ctx.value("shuffle", 0)), s.base)
    option = "moves" if demo.gap_plain < 1e-9 else "changes"
    return Answer(option, why=f"why_{option}", values={"gap_plain": demo.gap_plain, "gap_pe": demo.gap_pe})


POSITIONAL = Lesson((
    Step(name="table", sets={"positions": 128, "d_model": 128, "base": 10000.0, "seed": 0}, tab="table"),
    Step(name="waves", tab="waves"),
    Step(name="distance", tab="distance"),
    Step(name="rotation", tab="rotation"),
    Step(name="order", sets={"d_model": 128}, tab="order", locks=("d_model",),
         question=Question(name="shuffle", options=("moves", "changes"), answer=shuffled_without_pe, hides=("order",))),
))  # fmt: skip

# --- transformer block -----------------------------------------------------------------------------------

BLOCK_DEFAULTS = {"d_model": 16, "heads": 2, "d_ff": 64, "act_{lang}": "relu", "pe": True, "seed": 0,
                  "residual": True, "ln": True, "layers": 1, "gain": 1.0}  # fmt: skip


def gradient_without_residuals(ctx: PageContext, run) -> Answer:
    """The gradient reaching the input through the stack, residual connections off against on (LayerNorm on)."""
    from ui.compute import gradient_variants_cached

    layers = int(ctx.value("grad_layers", 8))
    grads = gradient_variants_cached(ctx.tokens, replace(ctx.config, num_layers=layers)).by_variant()
    on, off = float(grads[(True, True)][0]), float(grads[(False, True)][0])
    option = "smaller" if off < on else "larger" if off > on else "same"
    return Answer(option, why=f"why_{option}", values={"on": on, "off": off, "N": layers})


BLOCK = Lesson((
    Step(name="flow", sets=BLOCK_DEFAULTS, tab="flow"),
    Step(name="norms", tab="norms"),
    Step(name="inside", tab="inside"),
    Step(name="gradients", sets={"residual": True, "ln": True, "grad_layers": 8}, tab="gradients",
         locks=("residual", "ln", "grad_layers"),
         question=Question(name="residual", options=("smaller", "same", "larger"), answer=gradient_without_residuals,
                           hides=("gradients",))),
    Step(name="layer_norm", tab="layer_norm"),
))  # fmt: skip

# --- a real model ----------------------------------------------------------------------------------------

QUESTION_LAYER = 1  # 1-based, as the page counts: all-MiniLM-L6-v2's first layer has a previous-token head


def previous_token_head(ctx: PageContext, trace) -> Answer:
    """The head of layer ``QUESTION_LAYER`` that puts the most weight on the token just before each query."""
    import ui.model as ui_model

    per_head = previous_token_weight(trace.weights[QUESTION_LAYER - 1])  # (h,)
    head = int(per_head.argmax())
    values = {"layer": QUESTION_LAYER, "head": ui_model.head_name(QUESTION_LAYER - 1, head),
              "w": float(per_head[head]), "others": float(np.delete(per_head, head).max())}  # fmt: skip
    return Answer(head, values=values)


def head_option(ctx: PageContext, head: int) -> str:
    import ui.model as ui_model

    return ui_model.head_name(QUESTION_LAYER - 1, head)


def heads(ctx: PageContext, trace) -> range:
    return range(trace.weights.shape[1])


REAL_MODEL = Lesson((
    Step(name="grid", sets={"heads_off": [], "causal": False}),
    Step(name="previous", sets={"heads_off": [], "causal": False, "layer": QUESTION_LAYER, "head": 1},
         locks=("heads_off", "causal"),
         question=Question(name="previous", options=heads, label=head_option, answer=previous_token_head,
                           hides=("grid", "focus"))),
    Step(name="focus", sets={"layer": QUESTION_LAYER, "head": 3}),
    Step(name="entropy", sets={"layer": 3, "head": 1}),
    Step(name="rollout"),
))  # fmt: skip

# --- a language model ------------------------------------------------------------------------------------

CANDIDATES = 4  # tokens offered as answers: the model's four most probable next tokens, in vocabulary order


def _next_tokens(ctx: PageContext, trace) -> np.ndarray:
    """The model's next-token probabilities for the sidebar text (temperature 1, no top-k / top-p)."""
    import ui.language_model as lm
    from ui.sidebar import sentence_text

    return lm.distribution(sentence_text(), 1.0, 0, 1.0).plain


def next_token_candidates(ctx: PageContext, trace) -> list[int]:
    """The four most probable next tokens, in vocabulary order (their order gives nothing away)."""
    p = _next_tokens(ctx, trace)
    return sorted(int(i) for i in np.argsort(-p, kind="stable")[:CANDIDATES])


def token_label(ctx: PageContext, token_id: int) -> str:
    import ui.language_model as lm

    return f"“{lm.visible(lm.smollm().token_text([token_id])[0])}”"


def most_probable_next_token(ctx: PageContext, trace) -> Answer:
    p = _next_tokens(ctx, trace)
    first, second = (int(i) for i in np.argsort(-p, kind="stable")[:2])
    values = {"first": md_escape(token_label(ctx, first)), "p1": float(p[first]),
              "second": md_escape(token_label(ctx, second)), "p2": float(p[second])}  # fmt: skip
    return Answer(first, values=values)


LANGUAGE_MODEL = Lesson((
    Step(name="next", sets={"temperature": 1.0, "top_k": 0, "top_p": 1.0},
         question=Question(name="next", options=next_token_candidates, label=token_label,
                           answer=most_probable_next_token, hides=("next",))),
    Step(name="sampler", sets={"temperature": 0.5, "top_k": 0, "top_p": 1.0}),
    Step(name="attention", sets={"temperature": 1.0}, tab="attention"),
    Step(name="rope", tab="rope"),
))  # fmt: skip
