"""A real pretrained Transformer: every head of all-MiniLM-L6-v2 on the sidebar sentence, and interventions."""

import streamlit as st

from core.block import encoder_block
from core.interpret import attention_rollout, head_entropy
from ui.i18n import t
from ui.model import (
    COMPARE_HEAD,
    GRID_MAX_TOKENS,
    SHOW_VALUES_UP_TO,
    get_minilm,
    head_name,
    input_notes,
    model_trace,
    similarity,
    trace_summary,
)
from ui.sidebar import MAX_CHARS
from ui.text import token_label
from ui.widgets import chart, show_code
from viz import palette
from viz.bars import weight_bars
from viz.heatmaps import token_heatmap
from viz.model_views import head_view, layer_head_heatmap, model_grid

st.title(t("real_model.title"))
st.write(t("real_model.intro"))

model = get_minilm()
if model is None:
    st.stop()
cfg = model.config
text = st.session_state.get("text") or ""
if len(model.tokenize(text, max_tokens=3)[0]) <= 2:  # nothing but [CLS] [SEP]: blank or control characters
    st.info(t("input.empty"))
    st.stop()
q_name, k_name, layer_word, head_word = t("common.query"), t("common.key"), t("real_model.layer"), t("real_model.head")
layer_labels = [t("real_model.layer_n", i=i + 1) for i in range(cfg.num_layers)]
head_labels = [t("real_model.head_n", i=i + 1) for i in range(cfg.num_heads)]

with st.container(border=True):
    st.markdown(f"**{t('real_model.interventions')}**")
    c1, c2, c3 = st.columns([2.2, 1.4, 1.2])
    all_heads = [(layer, head) for layer in range(cfg.num_layers) for head in range(cfg.num_heads)]
    heads_off = tuple(
        sorted(
            c1.multiselect(
                t("real_model.heads_off"),
                all_heads,
                format_func=lambda lh: head_name(*lh),
                key="rm_heads_off",
                placeholder=t("real_model.heads_off_placeholder"),
                help=t("real_model.heads_off_help"),
            )
        )
    )
    causal = c2.toggle(t("real_model.causal"), False, key="rm_causal", help=t("real_model.causal_help"))
    cos = similarity(text, text, heads_off_b=heads_off, causal_b=causal)
    c3.metric(t("real_model.cosine"), f"{cos:.4f}", help=t("real_model.cosine_help"))

trace = model_trace(text, heads_off, causal)
summary = trace_summary(text, heads_off, causal)
input_notes(trace, text)
tokens, n = trace.tokens, len(trace.tokens)
labels = [token_label(i, tok) for i, tok in enumerate(tokens)]
st.caption(t("real_model.shapes", n=n, L=cfg.num_layers, h=cfg.num_heads, d_model=cfg.d_model, d_k=cfg.d_k))

st.subheader(t("real_model.grid_header"))
st.write(t("real_model.grid_text"))
g = min(n, GRID_MAX_TOKENS)
if n > g:
    st.caption(t("real_model.grid_cropped", g=g, n=n))
grid_hover = t("real_model.grid_hover", query=q_name, key_word=k_name)
fig = model_grid(
    trace.weights[:, :, :g, :g], t("real_model.fig_grid"), layer_labels=layer_labels, head_labels=head_labels,
    hover=grid_hover,
)  # fmt: skip
chart(fig, "rm_grid")


@st.fragment
def focus_panel() -> None:
    """Only this panel reruns when the focused layer, head or query changes: nothing is recomputed."""
    st.subheader(t("real_model.focus_header"))
    c1, c2 = st.columns(2)
    layer = c1.slider(layer_word, 1, cfg.num_layers, 3, key="rm_layer") - 1
    head = c2.slider(head_word, 1, cfg.num_heads, 1, key="rm_head") - 1
    name = head_name(layer, head)
    if (layer, head) in heads_off:
        st.info(t("real_model.head_is_off", head=name))
    # lazy tabs: only the open tab's charts are built and drawn, so moving a slider redraws one view
    lines_tab, scores_tab, qk_tab = st.tabs(
        [t("real_model.tab_lines"), t("real_model.tab_scores"), t("real_model.tab_qk")], key="rm_tab", on_change="rerun"
    )
    if lines_tab.open:
        with lines_tab:
            left, right = st.columns([3, 2])
            query = right.selectbox(
                t("real_model.lines_from"), [None, *range(n)], key="rm_query",
                format_func=lambda i: t("real_model.all_tokens") if i is None else labels[i],
            )  # fmt: skip
            others = [h for h in range(cfg.num_heads) if h != head]
            overlay = right.multiselect(
                t("real_model.overlay"), others, format_func=lambda h: head_name(layer, h), key="rm_overlay",
                max_selections=7, placeholder=t("real_model.overlay_placeholder"),
            )  # fmt: skip
            right.caption(t("real_model.lines_text"))
            heads = [head, *[h for h in overlay if h != head]]
            weights = {head_name(layer, h): trace.weights[layer, h] for h in heads}
            colors = {head_name(layer, h): palette.CATEGORICAL[i] for i, h in enumerate(heads)}
            with left:
                chart(head_view(weights, tokens, t("real_model.fig_lines"), colors=colors, query=query), "rm_lines")
    if scores_tab.open:
        with scores_tab:
            st.latex(rf"w_{{ij}} = \mathrm{{softmax}}_j\!\left(\frac{{q_i \cdot k_j}}{{\sqrt{{{trace.d_k}}}}}\right)")
            st.write(t("real_model.focus_text"))
            for col, M, kind, fig_key in zip(
                st.columns(2), (trace.scaled, trace.weights), ("signed", "prob"), ("scores", "weights")
            ):
                with col:
                    fig = token_heatmap(
                        M[layer, head], labels, labels, t(f"real_model.fig_{fig_key}", head=name), kind=kind,
                        row_title=q_name, col_title=k_name, show_text=n <= SHOW_VALUES_UP_TO,
                    )  # fmt: skip
                    chart(fig, f"rm_{fig_key}")
    if qk_tab.open:
        with qk_tab:
            for col, vectors, kind in zip(st.columns(2), (trace.Q, trace.K), "qk"):
                with col:
                    fig = token_heatmap(
                        vectors[layer, head], labels, range(cfg.d_k), t(f"real_model.fig_{kind}", head=name),
                        row_title=t("common.token"), col_title=t("common.dimension"), show_text=False,
                    )  # fmt: skip
                    chart(fig, f"rm_{kind}")
    show_code(encoder_block)


focus_panel()

st.subheader(t("real_model.entropy_header"))
st.write(t("real_model.entropy_text", max_bits=f"{trace.max_entropy:.2f}", n=n))
fig = layer_head_heatmap(
    summary.entropy, t("real_model.fig_entropy"), layer_labels=layer_labels, head_labels=head_labels, zmax=trace.max_entropy,
    unit=t("real_model.bits"),
)  # fmt: skip
chart(fig, "rm_entropy")

st.subheader(t("real_model.rollout_header"))
st.write(t("real_model.rollout_text"))
st.latex(r"\tilde A_l = \tfrac12\big(\bar A_l + I\big),\qquad R_l = \tilde A_l\,\tilde A_{l-1}\cdots\tilde A_1")
after = st.segmented_control(
    t("real_model.rollout_layer"), range(cfg.num_layers), format_func=layer_labels.__getitem__,
    default=cfg.num_layers - 1, key="rm_rollout_layer", required=True,
)  # fmt: skip
fig = token_heatmap(
    summary.rollout[after], labels, labels, t("real_model.fig_rollout", layer=after + 1), kind="prob",
    row_title=t("real_model.output_token"), col_title=t("real_model.input_token"),
)  # fmt: skip
chart(fig, "rm_rollout")
show_code(head_entropy, attention_rollout)


@st.fragment
def compare_panel() -> None:
    """Two sentences through the unmodified model, side by side; reruns alone."""
    st.subheader(t("real_model.compare_header"))
    st.write(t("real_model.compare_text"))
    c1, c2, c3 = st.columns([1, 1, 1])
    layer = c1.selectbox(
        layer_word, range(cfg.num_layers), COMPARE_HEAD[0], format_func=layer_labels.__getitem__, key="rm_cmp_layer"
    )
    head = c2.selectbox(
        head_word, [None, *range(cfg.num_heads)], COMPARE_HEAD[1] + 1, format_func=lambda h: t("real_model.mean_heads") if h is None
        else head_labels[h], key="rm_cmp_head",
    )  # fmt: skip
    columns = st.columns(2)
    texts = []
    for side, col in zip("ab", columns):
        with col:
            sentence = st.text_input(
                t(f"real_model.sentence_{side}"),
                t(f"real_model.preset_{side}"),
                key=f"rm_cmp_{side}",
                max_chars=MAX_CHARS,
            )
            if not sentence.strip():
                st.info(t("real_model.compare_empty"))
                continue
            tr = model_trace(sentence)
            texts.append(sentence)
            input_notes(tr, sentence, offer_example=False)
            default = tr.tokens.index("it") if "it" in tr.tokens else 0
            q = st.selectbox(
                t("real_model.compare_query"), range(len(tr.tokens)), default, format_func=lambda i, tk=tr.tokens: token_label(i, tk[i]),
                key=f"rm_cmp_q_{side}",
            )  # fmt: skip
            A = tr.head_weights(layer, head)
            title = t("real_model.fig_compare", token=tr.tokens[q])
            chart(
                weight_bars(A[q], [token_label(i, tk) for i, tk in enumerate(tr.tokens)], title), f"rm_cmp_bars_{side}"
            )
    if len(texts) == 2:
        c3.metric(t("real_model.compare_cosine"), f"{similarity(*texts):.4f}", help=t("real_model.compare_cosine_help"))


compare_panel()

st.subheader(t("real_model.notes_header"))
st.markdown(t("real_model.notes"))
