"""AppTest helpers for links and settings: a page's controls as ``ui.state`` records them, values to set them
to, and a fresh session opened from an address."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, ok
from ui.formats import Spec
from ui.registry import PAGES

EVERY_PAGE = ["pages/home.py", *(spec.path for spec in PAGES)]
KEY_OF = {"pages/home.py": "home", **{spec.path: spec.key for spec in PAGES}}


def controls(at: AppTest, page: str) -> dict[str, tuple[str, Spec]]:
    """Address name -> (widget key, spec) of the page's controls drawn in the last run."""
    names, specs = at.session_state["_url_names"], at.session_state["_url_specs"]
    found = {names[key]: (key, spec) for key, spec in specs.items() if names.get(key, "").startswith(page + "_")}
    return {n: ks for n, ks in found.items() if not n.endswith("_tab")}


def tab_key(at: AppTest, page: str) -> tuple[str, dict[str, str]] | None:
    """(widget key, {tab name: label}) of the page's main tab bar in the session's language, None if none."""
    choices = at.session_state["_url_choices"] if "_url_choices" in at.session_state else {}
    key = f"{page}_tab_{at.session_state['lang']}"
    return (key, choices[key]) if key in choices else None


def open_tab_name(at: AppTest, page: str) -> str | None:
    """The name of the page's open tab (None: no tab bar)."""
    found = tab_key(at, page)
    if found is None:
        return None
    key, labels = found
    if key not in at.session_state:
        return None  # not drawn (the page stopped before its views: e.g. waiting for an upload)
    return {label: name for name, label in labels.items()}.get(at.session_state[key], next(iter(labels)))


def other_value(spec: Spec) -> Any:
    """A value the control accepts that is not its default (None if there is none)."""
    if spec.kind == "number":
        lo, hi = spec.lo, spec.hi
        value = (lo + hi) // 2 if spec.integer else round(lo + (hi - lo) * 0.75, 2)
        value = type(spec.default)(value)
        return value if value != spec.default else (type(spec.default)(lo) if lo != spec.default else None)
    if spec.kind == "bool":
        return not spec.default
    if spec.kind == "choice":  # the option after the default (a bundled picture after the first, not "upload")
        others = [o for o in spec.options[1:] + spec.options[:1] if o != spec.default]
        i = spec.options.index(spec.default) if spec.default in spec.options else -1
        after = [o for o in spec.options[i + 1 :] if o != spec.default]
        return (after or others or [None])[0]
    if spec.kind == "multi":
        for pick in (list(spec.options[:1]), list(spec.options[1:2])):
            if pick and pick != list(spec.default):
                return pick
        return None
    if spec.kind == "text":
        return "attention"
    return None


def open_address(page: str, params: dict[str, str | list[str]], timeout: int = 90) -> AppTest:
    """A new session whose first request is ``page`` with ``params`` in its address."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return ok(at.run())


def page_params(at: AppTest, page: str) -> dict[str, str]:
    return {k: v for k, v in at.query_params.items() if k.startswith(page + "_")}


def address(at: AppTest) -> dict[str, str]:
    """The address's parameters, one value each (what a copied link holds)."""
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
