"""Lessons (ui/lessons.py, ui/lesson_plans.py) on every page that has one: each step applies and its controls
read back as set, a link restores a step, tampered links are clamped with a notice, locks hold, the
questions' answers are the engine's, the tally counts, projector mode follows the address."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.demos.multi_head import MultiHeadConfig, toy_multi_head
from core.demos.scaled_dot_product import ToyConfig, toy_attention
from core.demos.why_scaling import scaling_sweep
from core.tokens import shorten, tokenize
from tests.conftest import ROOT
from tests.hostile import REPRESENTATIVE
from tests.pages.apptest import APP, ok
from ui import lesson_plans as plans
from ui.i18n import t
from ui.lessons import read_link
from ui.page import TAB_GROUP, PageContext
from ui.text import md_escape

LESSONS = {
    "pages/intuition.py": ("intuition", plans.INTUITION),
    "pages/scaled-dot-product.py": ("sdp", plans.SDP),
    "pages/why-scaling.py": ("why_scaling", plans.WHY_SCALING),
    "pages/multi-head.py": ("multihead", plans.MULTIHEAD),
    "pages/positional-encoding.py": ("positional", plans.POSITIONAL),
    "pages/transformer-block.py": ("block", plans.BLOCK),
    "pages/real-model.py": ("real_model", plans.REAL_MODEL),
    "pages/language-model.py": ("language_model", plans.LANGUAGE_MODEL),
}
KINDS = ("slider", "select_slider", "toggle", "selectbox", "radio", "number_input", "multiselect")


def open_lesson(page_file: str, lang: str = "en", first: dict | None = None, **params: str) -> AppTest:
    """app.py (with the query parameters ``first`` on its first run), then ``page_file`` with the query
    parameters ``params`` (as a shared link gives them)."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["lang"] = lang
    for name, value in (first or {}).items():
        at.query_params[name] = value
    ok(at.run())
    at.switch_page(page_file)
    for name, value in params.items():
        at.query_params[name] = value
    return ok(at.run())


def needs_model(page_file: str) -> None:
    if page_file.endswith("language-model.py"):
        from core.smollm import LanguageModelNotAvailable as SmolLMMissing
        from ui.language_model import smollm

        try:
            smollm()
        except SmolLMMissing as err:
            pytest.skip(f"model files absent: {err}")
    if page_file.endswith("real-model.py"):
        from core.minilm import ModelNotAvailable, load_minilm

        try:
            load_minilm()
        except ModelNotAvailable as err:
            pytest.skip(f"model files absent: {err}")


def widget_value(at: AppTest, key: str):
    for kind in KINDS:
        try:
            return getattr(at, kind)(key=key).value
        except KeyError:
            continue
    raise AssertionError(f"no widget with key {key!r} on screen")


def progress(at: AppTest) -> list[str]:
    """The texts of the progress bars on screen (the lesson's, and the guided path's)."""
    return [p.proto.text for p in at.get("progress")]


def running(at: AppTest) -> bool:
    return any(b.key == "lesson_next" for b in at.button)


def first_option(q) -> object:
    """The first option a question offers on the default English sentence."""
    if isinstance(q.options, tuple):
        return q.options[0]
    if q.name == "next":  # the language model's candidates: token ids
        import ui.language_model as lm

        p = lm.distribution(t("sidebar.default_sentence", "en"), 1.0, 0, 1.0).plain
        return sorted(int(i) for i in np.argsort(-p, kind="stable")[: plans.CANDIDATES])[0]
    return 0  # token or head indices


def answer(at: AppTest, key: str, option) -> AppTest:
    at.pills(key=key).set_value(option)
    return ok(at.run())


@pytest.mark.parametrize("page_file", LESSONS)
def test_every_step_applies_and_its_controls_read_back(page_file):
    """Start the lesson with its button, then Next through every step: the address follows, each step's
    tab is open, every control it sets shows that value, and its question hides, then reveals."""
    needs_model(page_file)
    key, lesson = LESSONS[page_file]
    at = open_lesson(page_file)
    assert not running(at)
    at.button(key="lesson_start").click()
    ok(at.run())
    n = len(lesson.steps)
    for k, step in enumerate(lesson.steps, start=1):
        assert t("lesson.progress", "en", k=k, n=n) in progress(at), step.name
        assert at.query_params["step"] == str(k) and at.query_params["lesson"] == "1"
        ctx = PageContext(key, "en")
        if step.tab:
            assert at.session_state[ctx.key(TAB_GROUP, translated=True)] == ctx.t(f"tab_{step.tab}")
        if step.question:
            before = len(at.get("plotly_chart"))
            assert t("lesson.answer_first", "en") in [c.value for c in at.caption]
            q = step.question
            first = first_option(q)
            answer(at, ctx.key(f"question_{q.name}", translated=True), first)
            assert t("lesson.answer_first", "en") not in [c.value for c in at.caption]
            assert len(at.success) + len(at.error) == 1
            assert len(at.get("plotly_chart")) > before, step.name  # the figures it hid are drawn now
        for name, value in step.controls("en").items():
            assert widget_value(at, ctx.key(name)) == value, (step.name, name)
        if k < n:
            at.button(key="lesson_next").click()
            ok(at.run())
    assert at.button(key="lesson_next").disabled and not at.button(key="lesson_prev").disabled
    at.button(key="lesson_end").click()
    ok(at.run())
    assert "lesson" not in at.query_params and "step" not in at.query_params and not running(at)


def test_a_link_restores_a_step_in_chinese():
    """?lesson=1&step=4 opens step 4 of the scaled dot-product lesson: its tab and controls, its text."""
    at = open_lesson("pages/scaled-dot-product.py", lang="zh", lesson="1", step="4")
    assert t("lesson.progress", "zh", k=4, n=8) in progress(at)
    assert at.markdown[0].value == f"#### {t('sdp.lesson.scale', 'zh')}"
    assert at.slider(key="sdp_d_k").value == 64 and at.toggle(key="sdp_scaling").value is False
    assert at.session_state["sdp_tab_zh"] == t("sdp.tab_scores", "zh")
    at.button(key="lesson_prev").click()
    ok(at.run())
    assert at.query_params["step"] == "3"


def test_a_locked_control_is_held_at_the_steps_value():
    at = open_lesson("pages/scaled-dot-product.py", lesson="1", step="4")
    at.slider(key="sdp_d_k").set_value(16)
    ok(at.run())
    assert at.slider(key="sdp_d_k").value == 64
    at.slider(key="sdp_tau").set_value(2.0)  # not locked: it moves
    ok(at.run())
    assert at.slider(key="sdp_tau").value == 2.0


@pytest.mark.parametrize(
    "page_file,params,shown,note",
    [
        (
            "pages/scaled-dot-product.py",
            {"lesson": "1", "step": "99"},
            8,
            ("step_clamped", {"step": 99, "n": 8, "shown": 8}),
        ),
        (
            "pages/scaled-dot-product.py",
            {"lesson": "1", "step": "-3"},
            1,
            ("step_clamped", {"step": -3, "n": 8, "shown": 1}),
        ),
        (
            "pages/scaled-dot-product.py",
            {"lesson": "1", "step": "abc"},
            1,
            ("step_not_number", {"step": "abc", "n": 8}),
        ),
        ("pages/why-scaling.py", {"lesson": "7", "step": "2"}, 2, ("lesson_unknown", {"lesson": "7"})),
        ("pages/glossary.py", {"lesson": "1", "step": "3"}, None, ("no_lesson", {"lesson": "1"})),
        ("pages/summary.py", {"lesson": "<b>x</b>"}, None, ("no_lesson", {"lesson": "<b>x</b>"})),
        ("pages/multi-head.py", {"step": "2"}, None, ("step_without_lesson", {"step": "2"})),
        (
            "pages/why-scaling.py",
            {"lesson": "1", "step": "9" * 5000},
            1,
            ("step_not_number", {"step": "9" * 5000, "n": 4}),
        ),
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_tampered_link_is_clamped_with_a_notice(page_file, params, shown, note, lang):
    at = open_lesson(page_file, lang=lang, **params)
    name, values = note
    values = {k: md_escape(shorten(str(v), 40)) for k, v in values.items()}
    assert any(t(f"lesson.{name}", lang, **values) in w.value for w in at.warning), [w.value for w in at.warning]
    if shown is None:
        assert not running(at) and "lesson" not in at.query_params and "step" not in at.query_params
    else:
        assert at.query_params["step"] == str(shown) and at.query_params["lesson"] == "1"
    assert not [w.value for w in at.warning if t("link.notice", lang) in w.value]  # one notice, not two


def test_read_link():
    assert read_link(None, None, 5) == (None, [])
    assert read_link("1", None, 5) == (0, [])
    assert read_link("1", "5", 5) == (4, [])
    assert read_link("1", "6", 5)[0] == 4 and read_link("1", "0", 5)[0] == 0
    assert read_link("1", "1e3", 5)[0] == 0 and read_link("1", "", 5)[0] == 0
    assert read_link("1", "2", 0) == (None, [("no_lesson", {"lesson": "1"})])


def test_the_tally_counts_right_and_wrong_answers():
    """Step 5 (causal mask, row 0: all on itself) answered wrong, step 8 (the top key) answered right."""
    at = open_lesson("pages/scaled-dot-product.py", lesson="1", step="5")
    answer(at, "sdp_question_row_zero_en", "even")
    assert at.error and t("sdp.question.row_zero_itself", "en") in at.error[0].value
    assert at.pills(key="sdp_question_row_zero_en").disabled  # committed
    assert at.pills(key="sdp_question_row_zero_en").value == "even"  # and still shown as the pick
    at.button(key="lesson_next").click()
    ok(at.run())
    at.button(key="lesson_next").click()
    ok(at.run())
    at.button(key="lesson_next").click()
    ok(at.run())
    tokens = tokenize(t("sidebar.default_sentence", "en"))
    run = toy_attention(tokens, ToyConfig())
    i = tokens.index("it")
    answer(at, "sdp_question_top_key_en", int(np.argmax(run.result.weights[i])))
    assert at.success
    assert t("lesson.tally", "en", right=1, answered=2, total=2) in [c.value for c in at.caption]


# --- the questions' answers, pinned against the engine --------------------------------------------------


def test_row_zero_under_a_causal_mask_is_all_on_itself():
    tokens = tokenize(t("sidebar.default_sentence", "en"))
    run = toy_attention(tokens, ToyConfig(mask="causal"))
    ctx = PageContext("sdp", "en", tuple(tokens), tuple(tokens))
    a = plans.row_zero_under_a_causal_mask(ctx, run)
    assert a.option == "itself" and a.values["w"] == 1.0
    assert plans.row_zero_under_a_causal_mask(ctx, toy_attention(tokens, ToyConfig())).option == "spread"


def test_a_colder_softmax_is_sharper():
    from core.demos.selective_focus import focus_2d, query_vector

    ctx = PageContext("intuition", "en")
    a = plans.focus_when_colder(ctx, None)  # no widget drawn: the lesson's values
    warm = focus_2d(query_vector(30, 1.0), temperature=plans.WARM)
    cold = focus_2d(query_vector(30, 1.0), temperature=plans.COLD)
    assert a.option == "sharper" and a.values["top_cold"] == cold.weights.max() > warm.weights.max()
    assert a.values["word"] == ctx.t(f"word_{int(cold.weights.argmax())}")


def test_the_unscaled_softmax_gets_sharper_as_d_k_grows():
    sweep = scaling_sweep(16, 400, 0)  # the lesson's first step sets these
    a = plans.softmax_as_d_k_grows(None, sweep)
    assert a.option == "sharper" and a.values["top_hi"] > 0.9 > a.values["top_lo"]


def test_one_wide_head_is_narrower_than_the_eight_heads_here():
    tokens = tokenize(t("sidebar.default_sentence", "en"))
    cfg = MultiHeadConfig(d_model=64, num_heads=8, seed=0, mask="none", scaling=True)
    run = toy_multi_head(tokens, cfg)
    ctx = PageContext("multihead", "en", tuple(tokens), tuple(tokens), config=cfg)
    a = plans.heads_against_one(ctx, run)
    assert a.option == "single" and a.values["single"] < a.values["heads"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_real_models_previous_token_head_is_the_one_the_next_step_shows(minilm_model, lang):
    from core.interpret import previous_token_weight

    trace = minilm_model.trace(t("sidebar.default_sentence", lang))
    per_head = previous_token_weight(trace.weights[plans.QUESTION_LAYER - 1])
    focus = next(s for s in plans.REAL_MODEL.steps if s.name == "focus")
    assert per_head.argmax() + 1 == focus.sets["head"] and focus.sets["layer"] == plans.QUESTION_LAYER
    assert per_head.max() > 0.9 and np.sort(per_head)[-2] < 0.5


def test_the_positional_and_block_answers_are_the_engines():
    """Shuffling without PE only moves the weights (gap ≈ 0), with PE they change; without residuals the
    gradient at the input of 8 blocks is smaller."""
    at = open_lesson("pages/positional-encoding.py", lesson="1", step="5")
    answer(at, "positional_question_shuffle_en", "moves")
    assert at.success and not at.error
    at = open_lesson("pages/transformer-block.py", lesson="1", step="4")
    answer(at, "block_question_residual_en", "smaller")
    assert at.success and not at.error


# --- projector mode ---------------------------------------------------------------------------------------


def test_projector_mode_follows_the_address():
    at = open_lesson("pages/scaled-dot-product.py", first={"present": "1"})
    assert at.toggle(key="present").value is True and at.query_params["present"] == "1"
    from ui.projector import FONT_FACTOR, TITLE_FACTOR
    from viz.base import FONT_SIZE, TITLE_SIZE

    spec = at.get("plotly_chart")[0].proto.spec
    big, title = f'"size":{round(FONT_SIZE * FONT_FACTOR, 1)}', f'"size":{round(TITLE_SIZE * TITLE_FACTOR, 1)}'
    assert big in spec and title in spec  # the figures' text and titles, enlarged
    at.toggle(key="present").set_value(False)
    ok(at.run())
    assert "present" not in at.query_params and big not in at.get("plotly_chart")[0].proto.spec


def test_a_bad_projector_value_is_dropped_with_a_notice():
    at = open_lesson("pages/scaled-dot-product.py", lang="zh", first={"present": "yes"})
    assert at.toggle(key="present").value is False and "present" not in at.query_params
    assert any(t("projector.bad_value", "zh", value="yes") == w.value for w in at.warning)


def test_the_style_sheets_have_no_angle_bracket_and_the_page_wide_one_no_has():
    """The browser drops a whole <style> whose text holds a "<" (Streamlit's HTML sanitizer takes it for
    markup): one "<page>" in a comment once switched off every rule of assets/style.css, the lesson's and
    projector mode's included. The sheet every page loads has no :has(): such a rule over the whole page
    made each redraw restyle the document (projector mode and the notes drawer add their own sheets)."""
    from tests.conftest import ROOT

    sheets = sorted((ROOT / "assets").glob("*.css"))
    assert {s.name for s in sheets} >= {"style.css", "projector.css", "notes_drawer.css"}
    for sheet in sheets:
        assert "<" not in sheet.read_text(encoding="utf-8"), sheet.name
    assert ":has(" not in (ROOT / "assets" / "style.css").read_text(encoding="utf-8")


def test_projector_mode_adds_its_sheet_only_while_on():
    at = open_lesson("pages/scaled-dot-product.py", first={"present": "1"})
    sheet = (ROOT / "assets" / "projector.css").read_text(encoding="utf-8")
    assert any(sheet.strip()[:60] in h.proto.body for h in at.get("html"))
    at.toggle(key="present").set_value(False)
    ok(at.run())
    assert not any(sheet.strip()[:60] in h.proto.body for h in at.get("html"))


@pytest.mark.parametrize("case", [c for c in REPRESENTATIVE if c.url], ids=lambda c: c.name)
def test_the_questions_survive_a_hostile_sentence(case):
    """The two sentence questions of the scaled dot-product lesson (row 0, the top key) on hostile text:
    no exception, and the sentence's words never become markup in a question, an option or a verdict."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["lang"] = "en"
    at.session_state["text"] = case.text
    ok(at.run())
    at.switch_page("pages/scaled-dot-product.py")
    at.query_params["lesson"] = "1"
    at.query_params["step"] = "8"
    ok(at.run())
    if not any(b.key == "sdp_question_top_key_en" for b in at.button_group):
        assert at.info  # no words, no question: the page says why
        return
    answer(at, "sdp_question_top_key_en", 0)
    for text in [m.value for m in at.markdown] + [s.value for s in at.success] + [e.value for e in at.error]:
        assert "<b>" not in text and "<script" not in text.lower()


def test_the_language_models_next_token_answer_is_its_argmax():
    """The first step's right answer is the token the model ranks first; the why quotes its probability."""
    needs_model("pages/language-model.py")
    import ui.language_model as lm

    p = lm.distribution(t("sidebar.default_sentence", "en"), 1.0, 0, 1.0).plain
    best = int(np.argmax(p))
    at = open_lesson("pages/language-model.py", lesson="1", step="1")
    answer(at, "language_model_question_next_en", best)
    assert at.success and f"{p[best]:.0%}" in at.success[0].value
