"""The page skeleton: every page is its catalogue key, a controls function, a compute function and views.

A page file declares one ``Page`` and runs it::

    def controls(ctx: PageContext) -> ToyConfig:        # widgets -> a keyword-only config
        return ToyConfig(d_model=st.slider(ctx.t("d_model"), 2, 64, 16, key=ctx.key("d_model")), ...)

    def compute(ctx: PageContext, config: ToyConfig):   # config -> everything the views draw
        return toy_attention_cached(ctx.tokens, config)

    def scores_tab(ctx: PageContext, run) -> None:      # one view (ctx.config: the controls' config)
        ctx.chart("scores", heatmap_row(...))            # drawn under the chart key "sdp_scores"

    Page(key="sdp", formulas=(r"...",), controls=controls, compute=compute,
         tabs=(View("scores", scores_tab, heading="step_scores", text="scores_text",
                    code=(scaled_dot_product_attention,)), ...)).run()

What ``Page.run`` does, once for every page:

1. leaves Streamlit's legacy ``pages/`` mode (``ui.legacy_pages.ensure_router``);
2. title, the step of the guided path, introduction (``<key>.title``, ``<key>.intro``), the page's
   formulas and the notation panel (``ui.path``);
3. the sidebar sentence as tokens and labels (``uses_sentence``): empty -> a message, and the page stops;
   so does a ``ready`` check that fails (a model that is not installed);
4. one fragment around controls, compute and views: a control change reruns the page's body, not the
   router and the sidebar;
5. ``header`` views, then ``tabs`` as one lazy tab bar (only the open tab's view runs, so a control
   change redraws its figures, not every tab's), then ``footer`` views; each view's heading, formula
   and text come first (teaching text kept as data), the core functions behind it are shown under a
   "show the code" expander, links to the pages in ``see_also`` follow, and a ``fragment`` view reruns
   on its own when a widget inside it changes; the page's "try this" suggestions (``try.<key>_<k>``)
   sit under the notation panel, above the controls;
6. previous / next step of the guided path, with progress, at the bottom.

Widget keys start with the page's catalogue key (``ctx.key("d_model")`` -> ``"sdp_d_model"``), so
widgets, catalogue tables and tests line up. A widget whose option labels are translated takes the
language into its key (``ctx.key("mask", translated=True)`` -> ``"sdp_mask_en"``): checked in Chromium
with Streamlit 1.67, a selectbox, multiselect or tab bar keeps showing the old language's labels
under an unchanged key. ``ctx.t`` is bound to the run's language, so it is safe inside ``format_func``
(AppTest calls it outside the script run).

Presets (``Page.preset``) set controls and open a tab before the page draws: the hook a lesson step uses.

Around the body (``ui.state``, ``ui.export``): a link's values are applied before the controls are drawn
and every control is written to the address after; the share menus sit above the controls; each view
ends with a "Download data" menu for the matrices behind its charts.

A page's ``lesson`` (``ui.lessons``: steps that set controls, open a tab, lock controls and ask a
question) gets its panel under the title, its step in the address and its questions before the views.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field, replace
from typing import Any

import streamlit as st

from ui import export, lessons, path, state
from ui.i18n import current_language, t
from ui.legacy_pages import ensure_router
from ui.sidebar import sentence_tokens
from ui.text import token_labels
from ui.widgets import chart, show_code

TAB_GROUP = "tab"  # the page's main tab bar: widget key "<page>_tab_<lang>", labels "<page>.tab_<name>"


@dataclass(frozen=True)
class PageContext:
    """What every part of a page is given: its catalogue key, the language and the sentence."""

    page: str  # catalogue table and widget-key prefix
    lang: str
    tokens: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # "0 · The", "1 · animal": unique even when a token repeats
    config: Any = None  # what the page's controls returned (views read it; None before the controls)

    @property
    def n(self) -> int:
        return len(self.tokens)

    def t(self, name: str, **values: Any) -> str:
        """The page's own text ``<page>.<name>`` in the run's language."""
        return t(f"{self.page}.{name}", self.lang, **values)

    def pronoun(self, fallback: int = 7) -> int:
        """The default query of a trace: the pronoun of the default sentence ("it" / "它", the
        ``intuition.default_word`` of the run's language) when the sentence has it, else token ``fallback``
        (or the last)."""
        word = t("intuition.default_word", self.lang)
        return self.tokens.index(word) if word in self.tokens else min(fallback, self.n - 1)

    def value(self, name: str, default: Any = None) -> Any:
        """The current value of the page's widget ``name``: for display-only controls that are not part
        of the config (e.g. "numbers in the cells")."""
        return st.session_state.get(self.key(name), default)

    def chart(self, name: str, fig: Any) -> None:
        """Draw a figure under the chart key ``<page>_<name>``."""
        chart(fig, self.key(name))

    def charts(self, figures: Mapping[str, Any], widths: Sequence[float] | None = None) -> None:
        """Draw figures side by side, one column each (``widths``: relative, default equal), keyed by name."""
        for col, (name, fig) in zip(st.columns(widths or len(figures)), figures.items()):
            with col:
                self.chart(name, fig)

    def key(self, name: str, *, translated: bool = False, per_sentence: bool = False) -> str:
        """The widget key ``<page>_<name>``; with the language and/or a digest of the sentence appended
        for widgets whose option labels are translated or are the sentence's tokens."""
        key = f"{self.page}_{name}"
        if translated:
            key += f"_{self.lang}"
        if per_sentence:
            digest = hashlib.blake2b("\x1f".join(self.tokens).encode("utf-8", "surrogatepass"), digest_size=4)
            key += f"_{digest.hexdigest()}"
        # the address names it without the suffixes; a translated control keeps its value across languages
        state.name(key, f"{self.page}_{name}", carry=translated and not per_sentence)
        return key


@dataclass(frozen=True)
class View:
    """One named part of a page: ``draw(ctx, run)`` draws it from the computed run.

    In a tab bar its label is ``<page>.tab_<name>``. Before ``draw`` the skeleton writes the view's
    teaching text, kept as data: ``heading`` and ``text`` (catalogue names of the page's table) and a
    ``formula`` (LaTeX), each where given. ``code`` are the core functions shown under it;
    ``fragment``: reruns on its own when a widget inside it changes.
    """

    name: str
    draw: Callable[[PageContext, Any], None]
    _: KW_ONLY
    heading: str | None = None
    formula: str | None = None
    text: str | None = None
    code: tuple[Callable, ...] = ()
    fragment: bool = False
    see_also: tuple[str, ...] = ()  # catalogue keys of pages that show this concept from another side


def draw_view(ctx: PageContext, view: View, run: Any) -> None:
    """Draw one view (as its own fragment if it asks to be one), then its code."""

    def body() -> None:
        export.start_view()
        if view.heading:
            st.subheader(ctx.t(view.heading))
        if view.formula:
            st.latex(view.formula)
        if view.text:
            st.write(ctx.t(view.text))
        view.draw(ctx, run)
        export.view_downloads(ctx.key(f"view_{view.name}"))
        if view.fragment:
            state.sync(ctx.page, full=False)

    if view.fragment:
        st.fragment(body, key=ctx.key(f"fragment_{view.name}"))()
    else:
        body()
    # the code and the links never change with the view's widgets: outside its fragment, a slider's rerun
    # does not resend them (a highlighted source listing made a layer switch ≈40 % slower)
    if view.code:
        show_code(*view.code)
    path.see_also(view.see_also)


def lazy_tabs(ctx: PageContext, views: Sequence[View], run: Any, group: str = TAB_GROUP) -> None:
    """A tab bar that runs only the open tab's view."""
    key = ctx.key(group, translated=True)
    state.choices(key, {v.name: ctx.t(f"tab_{v.name}") for v in views})  # the address names the tab, not its label
    tabs = st.tabs([ctx.t(f"tab_{v.name}") for v in views], key=key, on_change="rerun")
    for tab, view in zip(tabs, views):
        if tab.open:
            with tab:
                draw_view(ctx, view, run)


def sentence_context(page: str, lang: str) -> PageContext | None:
    """The context with the sidebar sentence's tokens; None (after a message) when there are none."""
    tokens = sentence_tokens()
    if not tokens:
        return None
    return PageContext(page, lang, tuple(tokens), tuple(token_labels(tokens)))


@dataclass(frozen=True, kw_only=True)
class Page:
    """A page of the app; see the module docstring for what ``run`` draws, in which order."""

    key: str  # the page's catalogue table (ui.registry.PageSpec.key)
    formulas: tuple[str, ...] = ()  # LaTeX under the introduction
    uses_sentence: bool = True  # works on the sidebar sentence's tokens
    ready: Callable[[PageContext], bool] | None = None  # False (after saying why): nothing more is drawn
    controls: Callable[[PageContext], Any] | None = None  # drawn in a bordered box; returns a config
    compute: Callable[[PageContext, Any], Any] | None = None  # config -> run (a cached ui.compute call)
    header: tuple[View, ...] = ()
    tabs: tuple[View, ...] = ()
    footer: tuple[View, ...] = ()
    lesson: lessons.Lesson | None = None  # the step-through for a classroom (ui.lessons)
    tab_names: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "tab_names", tuple(v.name for v in self.tabs))

    def context(self) -> PageContext | None:
        lang = current_language()
        return sentence_context(self.key, lang) if self.uses_sentence else PageContext(self.key, lang)

    def run(self) -> None:
        ensure_router()
        st.title(t(f"{self.key}.title"))
        path.step_caption(self.key)
        # a lesson's step, from the address, its controls set before they are drawn; while it runs, the step
        # says what the introduction and the suggestions would, and the figure moves up the screen
        in_lesson = lessons.panel(self)
        if not in_lesson:
            st.write(t(f"{self.key}.intro"))
        for formula in self.formulas:
            st.latex(formula)
        if not in_lesson:
            path.notation_panel()
            path.try_this(self.key)  # outside the body's fragment: a control change does not redraw it
        ctx = self.context()
        if ctx is not None and (self.ready is None or self.ready(ctx)):
            st.fragment(self.body, key=f"{self.key}_body")(ctx)
        path.footer(self.key)

    def body(self, ctx: PageContext) -> None:
        """Controls -> compute -> views; then every control into the address (``ui.state``)."""
        state.restore(self.key)
        share = export.share_menu() if self.controls is not None or self.tabs else None  # not on reading pages
        self.draw_body(ctx)
        state.sync(self.key, full=True)
        if share is not None:
            export.fill_share(share, self.key)

    def draw_body(self, ctx: PageContext) -> None:
        config = None
        lessons.hold_locks(self, ctx)
        if self.controls is not None:
            with lessons.controls_box(self):
                config = self.controls(ctx)
            ctx = replace(ctx, config=config)
        run = self.compute(ctx, config) if self.compute is not None else config
        if run is None and self.compute is not None:
            return  # compute said there is nothing to draw (and why)
        header, tabs, footer = lessons.before_views(self, ctx, run)  # a lesson step's question first
        for view in header:
            draw_view(ctx, view, run)
        if tabs:
            lazy_tabs(ctx, tabs, run)
        for view in footer:
            draw_view(ctx, view, run)

    def preset(self, controls: Mapping[str, Any] | None = None, tab: str | None = None) -> None:
        """Set controls (by name: ``{"d_k": 64}`` sets widget ``<page>_d_k``) and open a tab by name,
        before the page draws: what a lesson step or a shared state applies."""
        lang = current_language()
        ctx = PageContext(self.key, lang)
        for name, value in (controls or {}).items():
            st.session_state[ctx.key(name)] = value
        if tab is not None:
            if tab not in self.tab_names:
                raise ValueError(f"page {self.key!r} has no tab {tab!r}; its tabs are {self.tab_names}")
            st.session_state[ctx.key(TAB_GROUP, translated=True)] = ctx.t(f"tab_{tab}")
