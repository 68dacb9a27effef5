"""Lessons driven by the keyboard alone in a real Chromium, on every page that has one.

After the page is opened by its address, only keys are pressed: PageDown (a presentation clicker's
"next") steps from step 1 to the last, PageUp and → (the arrow twin some clickers send) step back and
forth once, and every predict-then-reveal question met on the way is answered with Tab (into the
answers), ← / → (between them), Tab / Shift+Tab (out and back) and Enter or Space. The address's
``step=`` and the progress text follow each key; the verdict names the answer the lesson's own question
computes from the engine for that state; the figure the question hid appears.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
import streamlit as st

from core.demos.multi_head import MultiHeadConfig, toy_multi_head
from core.demos.scaled_dot_product import ToyConfig, toy_attention
from core.demos.transformer_block import BlockConfig
from core.demos.why_scaling import scaling_sweep
from core.tokens import tokenize
from tests.e2e import selectors as sel
from tests.e2e.conftest import browser_page, open_page, rerun, screenshot
from tests.pages.test_lessons import LESSONS, needs_model
from ui.i18n import t
from ui.lessons import Lesson
from ui.page import PageContext
from ui.text import token_labels

pytestmark = pytest.mark.e2e

QUESTION = ".st-key-lesson_question"
PROGRESS = f".st-key-lesson_panel {sel.PROGRESS}"
STEP_JS = "() => new URLSearchParams(location.search).get('step')"
ACTIVE_IN_QUESTION_JS = f"() => !!document.activeElement?.closest('{QUESTION}')"
# the answer that has the focus: its place among the question's answers, and its text
ACTIVE_ANSWER_JS = f"""() => {{
  const buttons = [...document.querySelectorAll('{QUESTION} button[role="radio"]')];
  const i = buttons.indexOf(document.activeElement);
  return [i, i < 0 ? '' : buttons[i].innerText.trim()];
}}"""

# the chart each question hides until it is answered (one of the views in its ``hides``)
REVEALS = {
    "colder": "intuition_focus",
    "row_zero": "sdp_weights",
    "top_key": "sdp_trace_bars",
    "sharper": "why_scaling_max_weight",
    "narrower": "multihead_entropy",
    "shuffle": "positional_order_plain_original",
    "residual": "block_gradients",
    "previous": "real_model_grid",
    "next": "language_model_next",
}
WRONG = {"row_zero", "shuffle", "sharper"}  # questions answered wrong on purpose; the others right


@dataclass(frozen=True)
class Case:
    page: str  # the page file's stem, its address
    lang: str
    size: tuple[int, int]
    shot: bool = False  # a screenshot of the first revealed answer


CASES = [
    Case("intuition", "en", (1440, 900)),
    Case("scaled-dot-product", "en", (1024, 768), shot=True),
    Case("why-scaling", "en", (1440, 900)),
    Case("multi-head", "en", (1440, 900), shot=True),
    Case("positional-encoding", "en", (1024, 768)),
    Case("transformer-block", "en", (1440, 900)),
    Case("real-model", "en", (1440, 900)),
    Case("language-model", "en", (1440, 900)),
    Case("scaled-dot-product", "zh", (1440, 900), shot=True),
    Case("why-scaling", "zh", (1024, 768), shot=True),
]


# --- what the page has on screen at a question step, from the lesson's own data ---------------------------


def lesson_values(lesson: Lesson, k: int, lang: str) -> dict:
    """The controls steps 1 … k+1 have set, later steps over earlier ones (the page reached from step 1)."""
    values: dict = {}
    for step in lesson.steps[: k + 1]:
        values.update(step.controls(lang))
    return values


@contextlib.contextmanager
def sidebar(lang: str):
    """The default sentence and ``lang`` in the session state some questions read (outside a Streamlit run:
    a process-wide dict, so put back as it was)."""
    saved = {name: st.session_state[name] for name in ("text", "lang") if name in st.session_state}
    st.session_state["text"], st.session_state["lang"] = t("sidebar.default_sentence", lang), lang
    try:
        yield st.session_state["text"]
    finally:
        for name in ("text", "lang"):
            st.session_state.pop(name, None)
        st.session_state.update(saved)


def on_screen(key: str, lang: str, values: dict, text: str) -> tuple[PageContext, object]:
    """The question's ``(ctx, run)`` for the page ``key`` with its controls at ``values``."""
    tokens = tuple(tokenize(text))
    ctx = PageContext(key, lang, tokens, tuple(token_labels(tokens)))
    v = values
    if key == "intuition":
        return PageContext(key, lang), None
    if key == "sdp":
        cfg = ToyConfig(d_model=v["d_model"], d_k=v["d_k"], seed=v["seed"], positional=v["pe"], scaling=v["scaling"],
                        projection=v[f"projection_{lang}"], temperature=v["tau"], mask=v[f"mask_{lang}"])  # fmt: skip
        return ctx, toy_attention(tokens, cfg)
    if key == "why_scaling":
        return ctx, scaling_sweep(v["n_keys"], v["trials"], v["seed"])
    if key == "multihead":
        cfg = MultiHeadConfig(d_model=v["d_model"], num_heads=v["h"], seed=v["seed"],
                              mask="causal" if v["causal"] else "none", scaling=v["scaling"])  # fmt: skip
        return PageContext(key, lang, ctx.tokens, ctx.labels, cfg), toy_multi_head(tokens, cfg)
    if key == "positional":
        cfg = SimpleNamespace(d_model=v["d_model"], seed=v["seed"], base=v["base"])
        return PageContext(key, lang, ctx.tokens, ctx.labels, cfg), None
    if key == "block":
        cfg = BlockConfig(d_model=v["d_model"], num_heads=v["heads"], d_ff=v["d_ff"], activation=v[f"act_{lang}"],
                          residual=v["residual"], layer_norm=v["ln"], num_layers=v["layers"], seed=v["seed"],
                          gain=v["gain"], positional=v["pe"])  # fmt: skip
        return PageContext(key, lang, ctx.tokens, ctx.labels, cfg), None
    if key == "real_model":
        import ui.model as ui_model

        return ctx, ui_model.model_trace(text, tuple(v["heads_off"]), v["causal"])
    if key == "language_model":
        return ctx, None
    raise AssertionError(f"no state for the lesson of {key!r}")


def plain(markdown: str) -> str:
    """Markdown-escaped text as the browser shows it, spaces collapsed."""
    return squeeze(re.sub(r"\\(.)", r"\1", markdown))


def squeeze(text: str) -> str:
    """Text read from the page, spaces collapsed."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Expected:
    options: list[str]  # the answers' labels, in order
    pick: int  # the answer to give
    right: bool
    verdict: str  # the verdict and the why, as shown


def expected(key: str, lang: str, lesson: Lesson, k: int) -> Expected:
    """The question of step k+1 as the engine answers it (through the question's own ``answer``)."""
    q = lesson.steps[k].question
    with sidebar(lang) as text:
        ctx, run = on_screen(key, lang, lesson_values(lesson, k, lang), text)
        answer = q.answer(ctx, run)
        options = q.choices(ctx, run)
        labels = [q.option_label(ctx, o) for o in options]
        right = q.name not in WRONG
        pick = options.index(answer.option) if right else next(i for i, o in enumerate(options) if o != answer.option)
        chosen, shown = labels[pick], q.option_label(ctx, answer.option)
        verdict = t("lesson.right" if right else "lesson.wrong", lang, answer=shown, chosen=chosen)
        why = ctx.t(f"question.{q.name}_{answer.why}", **answer.values)
    return Expected([plain(label) for label in labels], pick, right, plain(f"{verdict} {why}"))


# --- the keys ---------------------------------------------------------------------------------------------


def wait_for_step(page, k: int, n: int, lang: str) -> None:
    """The address says step k and the lesson panel says "step k of n"."""
    progress = t("lesson.progress", lang, k=k, n=n)
    page.wait_for_function(
        f"""([k, text]) => ({STEP_JS})() === k
             && document.querySelector('{PROGRESS}')?.innerText.includes(text)""",
        arg=[str(k), progress],
        timeout=60_000,
    )


def press(page, key: str, k: int, n: int, lang: str) -> None:
    """Press ``key`` (a clicker's), wait for the run, check that step k of n is on screen."""
    with rerun(page, timeout=120_000):
        page.keyboard.press(key)
    wait_for_step(page, k, n, lang)


def tab_into_question(page) -> None:
    """Tab until an answer of the question has the focus (bounded: the sidebar's links come first)."""
    for _ in range(150):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE_IN_QUESTION_JS):
            return
    pytest.fail("Tab never reached the question's answers")


def answer_by_keys(page, exp: Expected, commit: str) -> None:
    """Move the focus to the answer ``exp.pick`` with ← / →, out with Tab and back with Shift+Tab, commit it."""
    tab_into_question(page)
    i, _ = page.evaluate(ACTIVE_ANSWER_JS)
    assert i >= 0
    for _ in range(abs(exp.pick - i)):
        page.keyboard.press("ArrowRight" if exp.pick > i else "ArrowLeft")
    page.keyboard.press("Tab")  # out of the answers (one stop for the whole group) ...
    assert not page.evaluate(ACTIVE_IN_QUESTION_JS)
    page.keyboard.press("Shift+Tab")  # ... and back to the one that had the focus
    i, label = page.evaluate(ACTIVE_ANSWER_JS)
    assert (i, squeeze(label)) == (exp.pick, exp.options[exp.pick])
    with rerun(page, timeout=120_000):
        page.keyboard.press(commit)


def check_question(page, case: Case, key: str, lesson: Lesson, k: int, commit: str, tally: list[bool]) -> None:
    """Step k+1 asks before it shows: answer it by keys, read the verdict, see the hidden figure appear;
    ``tally``: the answers given before (right or wrong), this one appended."""
    q = lesson.steps[k].question
    exp = expected(key, case.lang, lesson, k)
    tally.append(exp.right)
    page.wait_for_selector(QUESTION, timeout=60_000)
    shown = page.locator(f"{QUESTION} button[role='radio']").all_inner_texts()
    assert [squeeze(s) for s in shown] == exp.options, q.name  # the engine's options, in order
    revealed = sel.chart(REVEALS[q.name])
    assert page.locator(revealed).count() == 0, f"{q.name}: shown before the answer"
    answer_by_keys(page, exp, commit)
    alert = page.locator(f"{QUESTION} {sel.SUCCESS if exp.right else sel.ERROR}")
    alert.wait_for(timeout=60_000)
    assert squeeze(alert.inner_text()) == exp.verdict
    page.wait_for_selector(revealed, timeout=120_000)
    assert page.locator(f"{QUESTION} {sel.ERROR if exp.right else sel.SUCCESS}").count() == 0
    assert page.locator(f"{QUESTION} button[role='radio']:not([disabled])").count() == 0  # committed ...
    picked = page.locator(f"{QUESTION} button[role='radio'][aria-checked='true']").all_inner_texts()
    assert [squeeze(s) for s in picked] == [exp.options[exp.pick]]  # ... and the pick still shown
    counted = t("lesson.tally", case.lang, right=sum(tally), answered=len(tally), total=len(lesson.questions()))
    assert squeeze(page.locator(f"{QUESTION} {sel.CAPTION}").last.inner_text()) == counted


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.page}-{c.lang}")
def test_a_clicker_and_the_keyboard_drive_the_whole_lesson(browser, server, case):
    """Step 1 to the last with PageDown, back with PageUp and forward with →, every question answered by keys."""
    needs_model(f"pages/{case.page}.py")
    key, lesson = LESSONS[f"pages/{case.page}.py"]
    n, lang = len(lesson.steps), case.lang
    with browser_page(browser, *case.size) as page:
        open_page(page, server, f"{case.page}?lesson=1&step=1", lang=lang, timeout=180_000)
        wait_for_step(page, 1, n, lang)
        commits = iter(["Enter", "Space"] * n)  # both keys that press a button
        shot, tally = case.shot, []
        for k, step in enumerate(lesson.steps):
            if step.question is not None:
                check_question(page, case, key, lesson, k, next(commits), tally)
                if shot:
                    w, h = case.size
                    screenshot(page, f"lesson_answer_{key}_{lang}_{w}")
                    page.set_viewport_size({"width": w, "height": h})
                    shot = False
            if k + 1 < n:
                press(page, "PageDown", k + 2, n, lang)
        assert page.locator(".st-key-lesson_next button").is_disabled()  # the last step
        press(page, "PageUp", n - 1, n, lang)
        press(page, "ArrowRight", n, n, lang)
        assert page.locator(sel.EXCEPTION).count() == 0


# the boxes of the header, the title, the leave button and the first chart, and what is drawn at the button's centre
BOXES_JS = f"""() => {{
  const box = s => {{ const e = document.querySelector(s); if (!e) return null;
    const r = e.getBoundingClientRect(); return {{x: r.x, y: r.y, width: r.width, height: r.height}}; }};
  const exit = box('{sel.PROJECTOR_EXIT}');
  const hit = exit && document.elementFromPoint(exit.x + exit.width / 2, exit.y + exit.height / 2);
  return {{header: box('{sel.HEADER}'), title: box('{sel.TITLE}'), exit: exit, chart: box('{sel.CHART}'),
          exitOnTop: !!hit?.closest('{sel.PROJECTOR_EXIT}'),
          exitInMain: !!document.querySelector('{sel.MAIN} {sel.PROJECTOR_EXIT}')}};
}}"""
# the size of the main column's first paragraph of text (not a button's label)
TEXT_PX_JS = f"""() => parseFloat(getComputedStyle(
  [...document.querySelectorAll('{sel.MAIN} p')].find(p => !p.closest('button'))).fontSize)"""
FOCUS_ON_EXIT_JS = f"() => !!document.activeElement?.closest('{sel.PROJECTOR_EXIT}')"


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and (b["y"] < a["y"] + a["height"])
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)])
def test_projector_mode_folds_the_sidebar_and_the_notes_open_in_a_drawer(browser, server, size, lang):
    """?present=1: the sidebar folded, the figure as wide as the main column, larger type, the title below
    Streamlit's header, a visible way out of the mode in the main column (Tab and Enter take it); the
    teacher's notes (with the computed answer) open on the right only when asked for, in a drawer that
    leaves most of the screen to the figure."""
    with browser_page(browser, *size) as page:
        open_page(page, server, "why-scaling?lesson=1&step=3&present=1", lang=lang)
        page.wait_for_selector(sel.CHART, timeout=60_000)
        main = page.locator(sel.MAIN).bounding_box()
        assert main["width"] >= size[0] - 20  # no sidebar beside it
        text_px = page.evaluate(TEXT_PX_JS)
        assert text_px >= 19  # 1.2 rem, up from 16 px
        boxes = page.evaluate(BOXES_JS)
        header, title, exit_box = boxes["header"], boxes["title"], boxes["exit"]
        assert header["height"] > 0 and title["y"] >= header["y"] + header["height"], boxes  # not under the header
        assert boxes["exitInMain"] and boxes["exitOnTop"], boxes  # drawn in the main column, nothing over it
        assert exit_box["y"] >= 0 and exit_box["x"] + exit_box["width"] <= size[0], boxes  # on screen
        assert exit_box["width"] <= 320 and exit_box["height"] <= 48, boxes  # small
        assert not overlaps(exit_box, title) and not overlaps(exit_box, boxes["chart"]), boxes  # out of the way
        assert page.locator(sel.PROJECTOR_EXIT).first.inner_text().strip().endswith(t("projector.exit", lang))
        assert page.locator(sel.DIALOG).count() == 0  # notes stay off the projected view
        page.locator(".st-key-lesson_notes button").click()
        page.wait_for_selector(sel.DIALOG, timeout=30_000)
        dialog = page.locator(sel.DIALOG)
        assert t("lesson.notes_title", lang) in dialog.inner_text()
        page.wait_for_function(  # the drawer has slid in
            f"() => Math.abs(document.querySelector('{sel.DIALOG}').getBoundingClientRect().right - {size[0]}) <= 2"
        )
        box = dialog.bounding_box()
        assert box["x"] + box["width"] >= size[0] - 2  # a drawer on the right
        assert min(360, size[0]) - 1 <= box["width"] <= 0.45 * size[0] + 1, box  # it leaves the figure in view
        screenshot(page, f"lesson_projector_notes_{lang}_{size[0]}")
        # leave projector mode by keyboard alone: close the drawer, Tab to the button, Enter
        page.keyboard.press("Escape")
        page.wait_for_selector(sel.DIALOG, state="detached", timeout=30_000)
        for _ in range(120):
            page.keyboard.press("Tab")
            if page.evaluate(FOCUS_ON_EXIT_JS):
                break
        else:
            pytest.fail("Tab never reached the button that leaves projector mode")
        with rerun(page):
            page.keyboard.press("Enter")
        page.wait_for_function("() => !new URLSearchParams(location.search).has('present')", timeout=30_000)
        assert page.locator(sel.PROJECTOR_EXIT).count() == 0
        assert page.evaluate(TEXT_PX_JS) < 19  # the normal type again


ALERT_COLOUR_JS = """() => getComputedStyle(document.querySelector('[data-testid^="stAlertContent"] p')).color"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_projector_mode_keeps_an_alerts_own_text_colour(browser, server, scheme):
    """High contrast pushes the theme's text colour to black or white, not a warning's brown to red."""
    ctx = browser.new_context(viewport={"width": 1024, "height": 768}, color_scheme=scheme)
    page = ctx.new_page()
    try:
        colours = []
        for present in ("0", "1"):  # Chinese on the English-vocabulary model: a warning about [UNK] words
            open_page(page, server, f"real-model?present={present}", lang="zh", timeout=180_000)
            page.wait_for_selector('[data-testid^="stAlertContent"] p', timeout=120_000)
            colours.append(page.evaluate(ALERT_COLOUR_JS))
        assert colours[0] == colours[1], colours
    finally:
        ctx.close()
