"""Watch attention learn: train a tiny Transformer (PyTorch, on the server's CPU) on a toy task and see its heads form."""

import streamlit as st

import ui.learn_views as views
from core import toy_tasks as tasks
from core.toy_tasks import PE_KINDS, TASKS
from ui import learn, state
from ui.i18n import LANGUAGES, t
from ui.page import Page, PageContext, View

LR_OPTIONS = (0.0005, 0.001, 0.002, 0.003, 0.005, 0.01)
CONTROLS = ("layers", "heads", "d_model", "ffn", "pe", "causal", "lr", "steps", "seed")


def ready(ctx: PageContext) -> bool:
    """PyTorch is installed (else: how to install it; every other page works without it)."""
    if learn.torch_installed():
        return True
    st.warning(ctx.t("missing"))
    st.code(learn.TORCH_INSTALL, language="bash")
    return False


def apply_defaults(ctx: PageContext) -> None:
    """A new task sets every model control to that task's default configuration."""
    task = st.session_state[ctx.key("task", translated=True)]
    default = learn.defaults(task)
    for name in CONTROLS:
        st.session_state[ctx.key(name, translated=name == "pe")] = getattr(default, name)


def carry_over(ctx: PageContext, name: str) -> bool:
    """A control whose key holds the language takes the value it had in the other language; False if none."""
    key = ctx.key(name, translated=True)
    if key not in st.session_state:
        for lang in LANGUAGES:
            if f"{ctx.key(name)}_{lang}" in st.session_state:
                st.session_state[key] = st.session_state[f"{ctx.key(name)}_{lang}"]
    return key in st.session_state


def controls(ctx: PageContext):
    task_key = ctx.key("task", translated=True)
    if not carry_over(ctx, "task"):
        st.session_state[task_key] = "reverse"
        apply_defaults(ctx)
    carry_over(ctx, "pe")
    state.default(task_key, "reverse")
    task = st.segmented_control(ctx.t("task"), TASKS, format_func=lambda k: ctx.t(f"task_{k}"), key=task_key,
                                required=True, on_change=apply_defaults, args=(ctx,))  # fmt: skip
    st.caption(ctx.t(f"about_{task}"))
    default = learn.defaults(task)
    for name in CONTROLS:  # what a link leaves out: this task's default configuration
        state.default(ctx.key(name, translated=name == "pe"), getattr(default, name))
    c1, c2, c3 = st.columns(3)
    layers = c1.slider(ctx.t("layers"), 1, 3, key=ctx.key("layers"), help=ctx.t("layers_help"))
    heads = c1.select_slider(ctx.t("heads"), (1, 2, 4), key=ctx.key("heads"), help=ctx.t("heads_help"))
    d_model = c1.select_slider(ctx.t("d_model"), (16, 32, 64), key=ctx.key("d_model"), help=ctx.t("d_model_help"))
    pe = c2.selectbox(ctx.t("pe"), PE_KINDS, format_func=lambda k: ctx.t(f"pe_{k}"),
                      key=ctx.key("pe", translated=True), help=ctx.t("pe_help"))  # fmt: skip
    ffn = c2.toggle(ctx.t("ffn"), key=ctx.key("ffn"), help=ctx.t("ffn_help"))
    causal = c2.toggle(ctx.t("causal"), key=ctx.key("causal"), help=ctx.t("causal_help"))
    lr = c3.select_slider(ctx.t("lr"), LR_OPTIONS, key=ctx.key("lr"), help=ctx.t("lr_help"))
    steps = c3.slider(ctx.t("steps"), 50, 3000, step=50, key=ctx.key("steps"), help=ctx.t("steps_help"))
    seed = c3.number_input(t("common.seed"), 0, 10_000, key=ctx.key("seed"), help=ctx.t("seed_help"))
    for reason in tasks.cannot_solve(task, layers, pe, causal):
        st.warning(ctx.t(f"cannot_{reason}"), icon=":material/block:")
    return learn.config(task=task, layers=layers, heads=heads, d_model=d_model, ffn=ffn, pe=pe, causal=causal,
                        lr=lr, steps=steps, seed=int(seed))  # fmt: skip


def compute(ctx: PageContext, config):
    return views.status(ctx, config)


Page(
    key="learn",
    uses_sentence=False,  # the model reads its task's own symbols
    ready=ready,
    controls=controls,
    compute=compute,
    tabs=(
        View("training", views.snapshot_view, text="training_text", fragment=True, see_also=("multihead",)),
        View("heads", views.heads_view, text="heads_text"),
        View("try", views.try_view, text="try_text", fragment=True),
    ),
    footer=(View("notes", lambda ctx, run: None, heading="notes_header", text="notes"),),
).run()
