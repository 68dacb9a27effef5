"""The views of "watch attention learn": training status, attention over training, head measures, try it.

Kept apart from the page file so it reads top to bottom; every number drawn is the training run's own.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import toy_tasks as tasks
from core.attention import causal_mask
from ui import learn
from ui.i18n import t
from ui.page import PageContext
from ui.text import md_escape, token_labels
from viz.learn import measure_curves, prediction_table, training_curve
from viz.multihead import head_grid

POLL_SECONDS = 0.5  # how often a running training's progress is redrawn
SQUARE_UP_TO = 10  # sequences this short get square cells; longer ones rows tall enough for their labels


def layer_head_names(ctx: PageContext, layers: int, heads: int) -> list[str]:
    return [ctx.t("head_name", layer=layer + 1, head=head + 1) for layer in range(layers) for head in range(heads)]


def curve(ctx: PageContext, run, *, marker: int | None = None, phase: bool = False, live: bool = False):
    extra = (
        ((ctx.t("fresh_name"), run.fresh_loss), (ctx.t("repeated_name"), run.eval_loss))
        if run.config.task == "induction"
        else ()
    )
    step = run.phase_change if phase else None
    return training_curve(
        run.loss, run.eval_steps, run.accuracy, ctx.t("fig_curve"),
        names=(ctx.t("loss_name"), ctx.t("acc_name")), axis_titles=(ctx.t("step_axis"), ctx.t("loss_axis"), ctx.t("acc_axis")),
        extra=extra, marker=marker, phase=(step, ctx.t("phase_label", step=step)) if step is not None else None,
        total_steps=run.config.steps if live else None,
    )  # fmt: skip


def progress_view(ctx: PageContext) -> None:
    """While this session's training runs: a progress bar and the curve so far, redrawn every POLL_SECONDS;
    when it ends, the whole page reruns to show the results."""
    job = learn.current_job()
    if job is None:
        return
    if job.done:
        st.rerun()
    steps = job.config.steps
    if job.waiting:
        st.info(ctx.t("waiting"))
    st.progress(job.step / steps, text=ctx.t("progress", step=job.step, steps=steps))
    if job.run is not None:
        ctx.chart("live", curve(ctx, job.run, live=True))


def status(ctx: PageContext, config) -> object | None:
    """Train / stop, the session's training and what it says; the run to draw (None: nothing yet)."""
    left, right, _ = st.columns([1, 1, 4])
    left.button(ctx.t("train"), key=ctx.key("train"), type="primary", icon=":material/play_arrow:",
                on_click=learn.press_train, args=(config,))  # fmt: skip
    job = learn.current_job()
    right.button(ctx.t("stop"), key=ctx.key("stop"), icon=":material/stop:", on_click=learn.press_stop,
                 disabled=job is None or job.done)  # fmt: skip
    if st.session_state.pop(learn.SESSION_REFUSED, None):
        st.warning(ctx.t("busy"))
    if job is None:
        st.info(ctx.t("left") if st.session_state.pop(learn.SESSION_LEFT, None) else ctx.t("press_train"))
        return None
    if job.error:
        st.error(ctx.t("failed", error=md_escape(job.error)))
        return None
    if not job.done:
        st.fragment(progress_view, run_every=POLL_SECONDS)(ctx)
        return None
    run = job.run
    if run is None:  # stopped while it waited for a free place: nothing was trained
        st.info(ctx.t("press_train"))
        return None
    if not run.finished:
        st.warning(ctx.t("stopped", step=len(run.loss), steps=run.config.steps))
    else:
        st.success(
            ctx.t(
                "trained",
                steps=run.config.steps,
                seconds=f"{run.seconds:.1f}",
                acc=f"{100 * run.accuracy[-1]:.1f}",
                kept=learn.MAX_KEPT,
            )
        )
    if run.config != config:
        st.caption(ctx.t("stale"))
    return run


def snapshot_view(ctx: PageContext, run) -> None:
    """The snapshot slider, the curve with its step marked, and every head's attention on the probe then."""
    steps = run.snapshot_steps
    key = ctx.key("snapshot")
    if st.session_state.get(key) not in steps:
        st.session_state[key] = steps[-1]
    step = st.select_slider(ctx.t("snapshot"), steps, key=key, help=ctx.t("snapshot_help"))
    ctx.chart("curve", curve(ctx, run, marker=step, phase=True))
    weights = run.snapshots[steps.index(step)]
    attention_grid(ctx, weights, run.probe, run.config, ctx.t("fig_snapshot", step=step), "snapshot_grid")


def attention_grid(ctx: PageContext, weights: np.ndarray, ids: np.ndarray, config, title: str, name: str) -> None:
    """Every head's (n, n) weights, layer by layer (L1·H1, L1·H2, …); rows are queries, columns keys."""
    L, h, n, _ = weights.shape
    vocab = tasks.spec(config.task).vocab
    labels = token_labels([vocab[i] for i in ids])
    masked = ~causal_mask(n) if config.causal else None
    fig = head_grid(weights.reshape(L * h, n, n), labels, layer_head_names(ctx, L, h), title,
                    q_title=t("common.query"), k_title=t("common.key"), masked=masked)  # fmt: skip
    fig.update_layout(
        height=-(-L * h // 4) * (16 * n + 60) + 70
    )  # head_grid puts four heads in a row  # tall enough for a token label per row
    if n > SQUARE_UP_TO:
        ctx.chart(name, fig)
    else:  # square cells (the anti-diagonal stays a diagonal), at the left beside the labels; no colour bar
        # far away at the right edge: the caption gives the scale, 0 … 1 as on every weights heatmap
        fig.update_layout(yaxis_scaleanchor="x", xaxis_constrain="domain", xaxis_constraintoward="left")
        fig.update_traces(showscale=False, zmin=0.0, zmax=1.0)
        ctx.chart(name, fig)
    parts = [ctx.t("grid_caption")]
    if n <= SQUARE_UP_TO:
        parts.append(ctx.t("grid_scale"))
    if config.causal:
        parts.append(ctx.t("grid_masked"))
    st.caption("  \n".join(parts))  # one sentence a line (markdown line breaks): no spacing rule per language


def heads_view(ctx: PageContext, run) -> None:
    """Each measure per head over training; the phase change named with the head and the step."""
    cfg = run.config
    names = layer_head_names(ctx, cfg.layers, cfg.heads)
    step, measures = run.phase_change, learn_measures(cfg.task)
    marker = st.session_state.get(ctx.key("snapshot"))
    if step is None:
        st.info(ctx.t("no_phase"))
    else:
        head = names[int(run.measure(measures[0])[-1].argmax())]  # argmax over the flattened (L, h)
        st.info(ctx.t("phase_text", step=step, head=head, measure=ctx.t(f"measure_{measures[0]}")))
    for measure in measures:
        values = run.measure(measure)
        st.write(ctx.t(f"measure_{measure}_text"))
        phase = (step, ctx.t("phase_label", step=step)) if step is not None and measure == measures[0] else None
        fig = measure_curves(run.eval_steps, values, names, ctx.t(f"measure_{measure}"), x_title=ctx.t("step_axis"),
                             y_title=ctx.t("measure_axis"), marker=marker, phase=phase)  # fmt: skip
        ctx.chart(f"measure_{measure}", fig)
        final = values[-1].reshape(-1)
        best = int(final.argmax())
        st.caption(ctx.t("measure_final", head=names[best], value=f"{final[best]:.2f}"))


def learn_measures(task: str) -> tuple[str, ...]:
    from core.tiny_transformer import MEASURES

    return MEASURES[task]


def try_view(ctx: PageContext, run) -> None:
    """The learner's own sequence through the trained model: prediction, answer and every head's attention."""
    task = run.config.task
    s = tasks.spec(task)
    vocab = s.vocab
    default = "".join(vocab[i] for i in run.probe)
    length = str(s.length) if task != "induction" else f"2–{s.length}"
    text = st.text_input(ctx.t("try_input"), default, key=ctx.key(f"try_{task}"), max_chars=200,
                         help=ctx.t("try_help", symbols="".join(vocab), length=length))  # fmt: skip
    ids, problem = tasks.encode(task, text)
    if problem is not None:
        st.warning(ctx.t(f"try_{problem}", symbols=f"{vocab[0]}–{vocab[-1]}", length=length, n=len(text)))
        return
    p = learn.predict(run, run.config, tuple(int(i) for i in ids))
    symbol = lambda i: vocab[i] if i >= 0 else "·"  # noqa: E731
    rows = {ctx.t("row_input"): [symbol(i) for i in p.tokens], ctx.t("row_prediction"): [symbol(i) for i in p.predicted],
            ctx.t("row_answer"): [symbol(i) for i in p.expected]}  # fmt: skip
    st.table(prediction_table(rows, [str(i) for i in range(len(ids))]))
    keep = tasks.scored(task, p.tokens[None])[0] & (p.expected >= 0)
    st.caption(ctx.t("try_right", right=int((p.predicted == p.expected)[keep].sum()), total=int(keep.sum())))
    attention_grid(ctx, p.weights, p.tokens, run.config, ctx.t("fig_try"), "try_grid")
