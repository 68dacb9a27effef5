"""Lessons: a page's step-through for a classroom, with predict-then-reveal questions and teacher notes.

A page declares its lesson on the skeleton (``Page(..., lesson=Lesson(steps=(...)))``); the skeleton
then gives it, with no code in the page:

- a "start the lesson" button under the title; while a lesson runs, a panel with the step's text,
  "step 3 of 8", previous / next buttons that a presentation clicker drives (PageUp / PageDown, and
  ← / → ), the teacher's notes (a drawer on the right) and a button that ends the lesson;
- the step in the address (``?lesson=1&step=3``): one link restores a step; a value the page cannot
  use (``step=99``, ``step=abc``, ``lesson=`` on a page without one) is clamped or dropped, the
  address shows what is on screen and a notice in the user's language says what was changed;
- on entering a step (and after a language switch), its controls set and its tab opened
  (``Page.preset``); the controls it ``locks`` are held at the step's values and greyed out;
- a step's ``Question``: the learner commits to an answer (pills, reachable by keyboard) before the
  views it ``hides`` are drawn; then the right answer, computed from the engine for the state on
  screen, and a one-line why. Answers live in session state only; a tally per lesson.

Words live in the catalogues: ``<page>.lesson.<step>`` (what the step says),
``<page>.lesson.<step>_notes`` (talking points), ``<page>.question.<name>`` (the question),
``<page>.question.<name>_<option>`` (a fixed option's label) and ``<page>.question.<name>_<why>``
(the why of the computed answer); the panel's own words in the ``[lesson]`` table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from core.tokens import shorten
from ui.i18n import current_language, t
from ui.text import md_escape

if TYPE_CHECKING:  # ui.page imports this module
    from ui.page import Page, PageContext, View

PARAMS = ("lesson", "step")  # the address keys this module reads and writes
DRAWER_SHEET = Path(__file__).resolve().parent.parent / "assets" / "notes_drawer.css"
_APPLIED, _NOTES, _ANSWERS, _OPEN_NOTES = "_lesson_applied", "_lesson_notes", "_lesson_answers", "_lesson_open_notes"
_REVEALED = "_lesson_revealed"  # (page, step) whose answer has been drawn


@dataclass(frozen=True)
class Answer:
    """The right option for the state on screen, and what the why line says: catalogue name and values."""

    option: Any
    why: str = "why"  # <page>.question.<question>_<why>
    values: Mapping[str, Any] = field(default_factory=dict, hash=False)  # numbers and words the texts quote


@dataclass(frozen=True, kw_only=True)
class Question:
    """Predict, then reveal: ``options`` (fixed names with catalogue labels, or computed from the state with
    ``label``), ``answer`` computed from the engine (None: no question for this state, e.g. no sentence),
    the views it ``hides`` until answered."""

    name: str
    options: tuple[str, ...] | Callable[[PageContext, Any], Sequence[Any]]
    answer: Callable[[PageContext, Any], Answer | None]
    label: Callable[[PageContext, Any], str] | None = None  # a computed option's label (plain text)
    hides: tuple[str, ...] = ()

    def choices(self, ctx: PageContext, run: Any) -> list[Any]:
        return list(self.options if isinstance(self.options, tuple) else self.options(ctx, run))

    def option_label(self, ctx: PageContext, option: Any) -> str:
        if self.label is not None:
            return md_escape(self.label(ctx, option))
        return ctx.t(f"question.{self.name}_{option}")


@dataclass(frozen=True, kw_only=True)
class Step:
    """One step: its text (``<page>.lesson.<name>``), the controls it sets (by name as in ``ctx.key``;
    ``"mask_{lang}"`` for a key with the language in it), the tab it opens, the controls it locks (each
    one it sets) and a question."""

    name: str
    sets: Mapping[str, Any] = field(default_factory=dict, hash=False)
    tab: str | None = None
    locks: tuple[str, ...] = ()
    question: Question | None = None

    def __post_init__(self) -> None:
        if unset := [name for name in self.locks if name not in self.sets]:
            raise ValueError(f"step {self.name!r} locks {unset} without setting them; add them to sets=")

    def controls(self, lang: str) -> dict[str, Any]:
        """The controls this step sets, by the name ``ctx.key`` takes, in language ``lang``."""
        return {name.format(lang=lang): value for name, value in self.sets.items()}


@dataclass(frozen=True)
class Lesson:
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        names = [s.name for s in self.steps]
        if not names or len(set(names)) != len(names):
            raise ValueError(f"a lesson needs steps with distinct names, got {names}")

    def questions(self) -> list[Step]:
        return [s for s in self.steps if s.question is not None]


# --- the address -----------------------------------------------------------------------------------------


def read_link(lesson: str | None, step: str | None, n_steps: int) -> tuple[int | None, list[tuple[str, dict]]]:
    """The step (0-based; None: no lesson on screen) a link's ``?lesson=&step=`` asks for on a page whose
    lesson has ``n_steps`` steps (0: the page has none), and notes ``(catalogue name, values)`` on what
    was changed."""
    notes: list[tuple[str, dict]] = []
    if lesson is None:
        if step is not None:
            notes.append(("step_without_lesson", {"step": step}))
        return None, notes
    if n_steps == 0:
        return None, [("no_lesson", {"lesson": lesson})]
    if lesson != "1":
        notes.append(("lesson_unknown", {"lesson": lesson}))
    if step is None:
        return 0, notes
    try:
        k = int(step)
    except ValueError:
        return 0, [*notes, ("step_not_number", {"step": step, "n": n_steps})]
    if not 1 <= k <= n_steps:
        shown = min(max(k, 1), n_steps)
        return shown - 1, [*notes, ("step_clamped", {"step": k, "n": n_steps, "shown": shown})]
    return k - 1, notes


def _param(name: str) -> str | None:
    values = st.query_params.get_all(name)
    return values[-1] if values else None


def _write_link(step: int | None) -> None:
    """Put the step on screen into the address (or take the lesson out of it)."""
    wanted = {} if step is None else {"lesson": "1", "step": str(step + 1)}
    for name in PARAMS:
        if name not in wanted and name in st.query_params:
            del st.query_params[name]
        elif name in wanted and st.query_params.get_all(name) != [wanted[name]]:
            st.query_params[name] = wanted[name]


def current_step(page: Page) -> int | None:
    """The step of the page's lesson on screen (0-based), from the address; None: no lesson."""
    lesson = page.lesson
    step, notes = read_link(_param("lesson"), _param("step"), len(lesson.steps) if lesson else 0)
    if notes:
        st.session_state[_NOTES] = notes
    if step is not None or any(name in st.query_params for name in PARAMS):
        _write_link(step)
    return step


def _go(page_key: str, step: int | None) -> None:
    """A button's callback: show ``step`` (None: end the lesson)."""
    st.session_state.pop(_NOTES, None)
    st.session_state[_OPEN_NOTES] = False
    _write_link(step)


# --- the panel under the title ---------------------------------------------------------------------------


def _apply(page: Page, k: int, lang: str) -> None:
    """Set the step's controls and open its tab, once per step and language."""
    mark = (page.key, k, lang)
    if st.session_state.get(_APPLIED) != mark:
        step = page.lesson.steps[k]
        page.preset(step.controls(lang), step.tab)
        st.session_state[_APPLIED] = mark


def _shown(value: Any) -> str:
    """A link's value as a notice quotes it: at most 40 characters, markup escaped."""
    return md_escape(shorten(str(value), 40))


def _notices() -> None:
    notes = st.session_state.get(_NOTES)
    if notes:
        lines = "\n".join(
            f"- {t(f'lesson.{name}', **{k: _shown(v) for k, v in values.items()})}" for name, values in notes
        )
        st.warning(f"{t('lesson.link_notice')}\n\n{lines}", icon=":material/link_off:")


def panel(page: Page) -> bool:
    """Under the title: a "start the lesson" button, or the running lesson's step, progress and buttons;
    True while a lesson runs."""
    k = current_step(page)
    _notices()
    lesson, lang = page.lesson, current_language()
    if lesson is None:
        return False
    if k is None:
        st.session_state.pop(_APPLIED, None)  # a lesson started again applies its step again
        st.button(t("lesson.start", n=len(lesson.steps)), key="lesson_start", icon=":material/school:",
                  on_click=_go, args=(page.key, 0))  # fmt: skip
        return False
    _apply(page, k, lang)
    step, n = lesson.steps[k], len(lesson.steps)
    with st.container(border=True, key="lesson_panel"):
        with st.container(horizontal=True, vertical_alignment="bottom", wrap=False):
            st.progress((k + 1) / n, text=t("lesson.progress", k=k + 1, n=n))
            st.button(t("lesson.notes"), key="lesson_notes", icon=":material/speaker_notes:", type="tertiary",
                      on_click=lambda: st.session_state.__setitem__(_OPEN_NOTES, True))  # fmt: skip
            st.button(t("lesson.end"), key="lesson_end", on_click=_go, args=(page.key, None), icon=":material/close:",
                      type="tertiary")  # fmt: skip
        st.markdown(f"#### {t(f'{page.key}.lesson.{step.name}')}")
        with st.container(horizontal=True, key="lesson_buttons"):
            _buttons(page.key, k, n)
    if step.locks:
        _grey_out(page, step, lang)
    return True


def _buttons(page_key: str, k: int, n: int) -> None:
    previous, following = (page_key, max(k - 1, 0)), (page_key, min(k + 1, n - 1))
    st.button(t("lesson.previous"), key="lesson_prev", on_click=_go, args=previous, disabled=k == 0,
              shortcut="PageUp", icon=":material/arrow_back:")  # fmt: skip
    st.button(t("lesson.next"), key="lesson_next", on_click=_go, args=following, disabled=k == n - 1,
              shortcut="PageDown", icon=":material/arrow_forward:", type="primary")  # fmt: skip
    # a clicker that sends ← / → : twins of the two buttons above, kept out of sight (style.css)
    st.button(t("lesson.previous"), key="lesson_prev_arrow", on_click=_go, args=previous, disabled=k == 0,
              shortcut="Left")  # fmt: skip
    st.button(t("lesson.next"), key="lesson_next_arrow", on_click=_go, args=following, disabled=k == n - 1,
              shortcut="Right")  # fmt: skip


def _grey_out(page: Page, step: Step, lang: str) -> None:
    """Locked controls look disabled and take no clicks; ``hold_locks`` undoes a change made by keyboard."""
    from ui.page import PageContext

    ctx = PageContext(page.key, lang)
    selectors = ", ".join(f".st-key-{ctx.key(name)}" for name in sorted(_locked(step, lang)))
    st.html(f"<style>{selectors} {{ opacity: 0.45; pointer-events: none; }}</style>")


def _locked(step: Step, lang: str) -> set[str]:
    return {name.format(lang=lang) for name in step.locks}


# --- inside the page's body ------------------------------------------------------------------------------


def controls_box(page: Page):
    """Where the page's controls go: a bordered box, or during a lesson (whose steps set them) a folded
    expander, so that the figure comes right after the step."""
    step = active_step(page)
    if step is None:
        return st.container(border=True)
    label = t("lesson.controls_locked" if step.locks else "lesson.controls")
    return st.expander(label, icon=":material/tune:", expanded=False)


def active_step(page: Page) -> Step | None:
    """The lesson step on screen (None: no lesson running); read inside the page's body."""
    if page.lesson is None or st.session_state.get(_APPLIED, (None,))[0] != page.key:
        return None
    step, _ = read_link(_param("lesson"), _param("step"), len(page.lesson.steps))
    return None if step is None else page.lesson.steps[step]


def hold_locks(page: Page, ctx: PageContext) -> None:
    """Before the controls: the step's locked controls back at the step's values, and, until its question's
    answer has been revealed, its tab (a tab bar can echo the tab it showed before the step opened
    another one, and the figures the answer reveals are in the step's tab)."""
    step = active_step(page)
    if step is not None:
        values = step.controls(ctx.lang)
        for name in _locked(step, ctx.lang):
            st.session_state[ctx.key(name)] = values[name]
        if step.tab and step.question and (page.key, step.name) not in st.session_state.get(_REVEALED, set()):
            page.preset(tab=step.tab)


def before_views(page: Page, ctx: PageContext, run: Any) -> tuple[tuple[View, ...], ...]:
    """After compute: the step's question (and the teacher's notes, when asked for); returns the page's
    header, tab and footer views, those the unanswered question hides replaced by a prompt."""
    views = (page.header, page.tabs, page.footer)
    step = active_step(page)
    answer = None
    if step is not None and step.question is not None:
        answer = step.question.answer(ctx, run)
        if answer is not None and not ask(page, ctx, run, step, answer):
            views = tuple(tuple(_hidden(v) if v.name in step.question.hides else v for v in vs) for vs in views)
    if step is not None and st.session_state.get(_OPEN_NOTES):
        st.session_state[_OPEN_NOTES] = False
        _teacher_notes(ctx, step, answer)
    return views


def _hidden(view: View) -> View:
    """The view drawn as nothing (the question above says why), its code and links left out too."""
    return replace(view, draw=lambda ctx, run: None, heading=None, formula=None, text=None, code=(), fragment=False,
                   see_also=())  # fmt: skip


def ask(page: Page, ctx: PageContext, run: Any, step: Step, answer: Answer) -> bool:
    """The question as pills, then (once answered) the right answer and why; True once answered."""
    q = step.question
    answers: dict = st.session_state.setdefault(_ANSWERS, {})
    mark = (page.key, step.name)
    options = q.choices(ctx, run)
    with st.container(border=True, key="lesson_question"):
        st.markdown(f"**{t('lesson.predict')}** {ctx.t(f'question.{q.name}', **answer.values)}")
        key = ctx.key(f"question_{q.name}", translated=True)

        def commit() -> None:  # the first answer counts: the pills are disabled from then on
            if st.session_state.get(key) is not None:
                answers.setdefault(mark, (st.session_state[key], None))

        if mark in answers:
            # the committed answer stays picked: Streamlit drops the value the browser sends for a widget
            # that is disabled in the run it arrives in (and a language switch makes a new key)
            st.session_state[key] = answers[mark][0]
        st.pills(t("lesson.your_answer"), options, format_func=lambda o: q.option_label(ctx, o), key=key,
                 on_change=commit, disabled=mark in answers, label_visibility="collapsed")  # fmt: skip
        if mark not in answers:
            st.caption(t("lesson.answer_first"))
            return False
        chosen = answers[mark][0]
        right = chosen == answer.option  # for the state on screen: a control changed since is taken into account
        answers[mark] = (chosen, right)
        verdict = t("lesson.right" if right else "lesson.wrong", answer=q.option_label(ctx, answer.option),
                    chosen=q.option_label(ctx, chosen))  # fmt: skip
        why = ctx.t(f"question.{q.name}_{answer.why}", **answer.values)
        (st.success if right else st.error)(f"{verdict} {why}")
        st.session_state.setdefault(_REVEALED, set()).add(mark)
        st.caption(tally(page, answers))
    return True


def tally(page: Page, answers: Mapping) -> str:
    """'2 of 3 right' over this lesson's answered questions, and how many it has."""
    mine = [right for (key, name), (_, right) in answers.items() if key == page.key]
    return t("lesson.tally", right=sum(mine), answered=len(mine), total=len(page.lesson.questions()))


def _teacher_notes(ctx: PageContext, step: Step, answer: Answer | None) -> None:
    @st.dialog(t("lesson.notes_title"), position="right", width="medium")
    def drawer() -> None:
        with st.container(key="lesson_notes_drawer"):  # the sheet narrows the dialog that holds this key
            st.html(DRAWER_SHEET)  # only while the drawer is open: its :has() rules cost every redraw otherwise
            st.markdown(ctx.t(f"lesson.{step.name}_notes"))
            if answer is not None:
                q = step.question
                st.markdown(f"**{t('lesson.notes_answer')}** {q.option_label(ctx, answer.option)}")
                st.write(ctx.t(f"question.{q.name}_{answer.why}", **answer.values))

    drawer()
