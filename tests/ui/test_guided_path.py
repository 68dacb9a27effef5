"""The guided path: its order, previous/next on every step, the notation panel, and "try this" boxes
whose every quoted control exists and whose every number is the engine's."""

import re

import numpy as np
import pytest

from core.complexity import crossover_n, layer_costs
from core.demos.multi_head import MultiHeadConfig, toy_multi_head
from core.demos.scaled_dot_product import ToyConfig, toy_attention
from core.demos.selective_focus import focus_2d, query_vector
from core.demos.transformer_block import BlockConfig, block_walkthrough
from core.demos.why_scaling import scaling_sweep
from core.entropy import max_entropy
from core.tokens import tokenize
from tests.pages.apptest import open_page
from ui import path
from ui.i18n import LANGUAGES, catalog
from ui.registry import PAGES

ARTICLE_ORDER = ["intuition", "sdp", "why_scaling", "multihead", "positional", "block", "rnn_cnn", "vision",
                 "real_model", "language_model", "learn", "summary"]  # fmt: skip


def sentence(lang: str) -> list[str]:
    return tokenize(catalog(lang)["sidebar.default_sentence"])


def test_the_path_follows_the_article_and_the_glossary_is_reference():
    assert [spec.key for spec in path.path()] == ARTICLE_ORDER
    assert path.step("glossary") is None and path.step("sdp") == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_step_but_the_summary_has_three_things_to_try(lang):
    texts = catalog(lang)
    for key in ARTICLE_ORDER[:-1]:
        assert [k for k in range(1, 4) if f"try.{key}_{k}" in texts] == [1, 2, 3], key
        assert f"try.{key}_4" not in texts


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_control_a_suggestion_names_exists_in_that_language(lang):
    texts = catalog(lang)
    labels = {value for key, value in texts.items() if not key.startswith("try.")}
    quoted = {q for key, value in texts.items() if key.startswith("try.") for q in re.findall(r"“([^”]+)”", value)}
    assert quoted and quoted <= labels, sorted(quoted - labels)


def test_middle_step_links_back_and_forward_and_shows_progress():
    at = open_page("pages/why-scaling.py")
    links = {link.proto.page: link.proto.label for link in at.get("page_link")}
    assert links["scaled-dot-product"] == "Previous: Scaled dot-product attention"
    assert links["multi-head"] == "Next: Multi-head attention"
    assert at.get("progress")[0].proto.value == 25  # step 3 of 12
    assert any(c.value == "Guided path · step 3 of 12" for c in at.caption)
    assert at.expander[0].label == catalog("en")["path.notation_title"]


def test_first_and_last_steps_in_chinese():
    first = {link.proto.label for link in open_page("pages/intuition.py", lang="zh").get("page_link")}
    assert "下一步：缩放点积注意力" in first and not any(label.startswith("上一步") for label in first)
    last = {link.proto.label for link in open_page("pages/summary.py", lang="zh").get("page_link")}
    assert "上一步：真实模型：all-MiniLM-L6-v2" in last or any(label.startswith("上一步") for label in last)
    assert not any(label.startswith("下一步") for label in last)


# --- the numbers the suggestions quote -------------------------------------------------------------


def test_intuition_temperature_extremes():
    cold = focus_2d(query_vector(30, 1.0), temperature=0.05).weights
    warm = focus_2d(query_vector(30, 1.0), temperature=5.0)
    assert np.sort(cold)[-2:].sum() > 0.99  # "the one or two keys nearest the query"
    assert np.allclose(warm.weights, 0.2, atol=0.07) and abs(warm.entropy - max_entropy(5)) < 0.05
    assert round(max_entropy(5), 2) == 2.32
    assert np.allclose(focus_2d(query_vector(77, 0.0)).weights, 0.2)  # length 0: all equal


@pytest.mark.parametrize("lang", LANGUAGES)
def test_unscaled_wide_keys_put_most_rows_on_one_key(lang):
    weights = toy_attention(sentence(lang), ToyConfig(d_k=64, scaling=False)).result.weights
    assert (weights.max(axis=1) > 0.9).mean() > 0.5  # "most rows … more than 0.9 on a single key"


def test_causal_row_zero_and_identity_symmetry():
    causal = toy_attention(sentence("en"), ToyConfig(mask="causal")).result.weights
    assert causal[0, 0] == 1.0 and np.allclose(np.triu(causal, 1), 0)
    scores = toy_attention(sentence("en"), ToyConfig(projection="identity", d_k=16)).result.scores
    assert np.allclose(scores, scores.T)
    heads = toy_multi_head(sentence("en"), MultiHeadConfig(mask="causal")).multi.weights
    assert np.allclose(heads[:, 0, 0], 1.0)


def test_why_scaling_quoted_numbers():
    sweep = scaling_sweep(16, 400, 0)
    j = sweep.jac_norm_raw
    assert j[0] < j[1] < j[2] > j[3] and j[-1] < j[2] / 5  # rises up to d_k = 4, then falls towards 0
    assert list(sweep.d_k[:3]) == [1, 2, 4] and round(3 * 1024**0.5) == 96
    assert sweep.max_weight_raw[-1] > 0.95 and sweep.max_weight_scaled.max() < 0.3


def test_block_lengths_without_layer_norm():
    grow = block_walkthrough(sentence("en"), BlockConfig(num_layers=8, layer_norm=False)).mean_norms[:, -1]
    shrink = block_walkthrough(sentence("en"), BlockConfig(num_layers=8, layer_norm=False, residual=False))
    assert np.all(np.diff(grow) > 0) and grow[-1] > 10 * grow[0]
    assert shrink.mean_norms[-1, -1] < shrink.mean_norms[0, 0] / 5


def test_attention_overtakes_the_rnn_at_n_equal_d():
    d = 512
    assert crossover_n(d) == d
    below, at, above = (layer_costs(n, d).operations for n in (d // 2, d, 2 * d))
    assert below[0] < below[1] and at[0] == at[1] and above[0] > above[1]


def test_pages_registered_once():
    assert len({spec.key for spec in PAGES}) == len(PAGES)
