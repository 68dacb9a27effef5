"""Every control of a page in the address bar: a link restores them all, defaults stay out of it.

A page written on the skeleton gets this without a line of its own. ``PageContext.key(name)`` records the
widget key's *address name* ``<page>_<name>``: without the language or sentence suffix of
``translated=``/``per_sentence=`` keys, so a link made in English opens the same controls in Chinese.
After the page's controls and views are drawn (``sync``), every widget drawn under such a key is written
to the address as its option id (never a translated label): a control at its default is left out.

Opening a link (``restore``, at the start of the page's body): the page is first drawn with its
defaults, which tells what each named control accepts (its range and options, read from the widget as
Streamlit registered it, ``_spec``); the link's values are then checked against that (``ui.formats``)
and applied, and the page is drawn again. A value that is exactly right is applied first; one that must
be clamped or dropped waits until nothing else changes (its range may depend on a control the same link
sets, e.g. the query patch on the patch size), then it is clamped or dropped and named in the link notice
(``ui.links``), as is a name no control of the page answers to. A control in a tab that the link opens
is found on the next pass. (A value a crafted websocket message sends for a widget is not a link's:
Streamlit replaces a slider's or float number box's NaN or out-of-range value with the default, and
``ui.widget_guard`` the values Streamlit itself cannot read.)

Streamlit keeps what a widget accepts in private objects (its ``serde``);
``tests/ui/test_state.py`` fails if an upgrade moves them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.runtime.state import get_session_state

from core.tokens import shorten
from ui import formats
from ui.formats import CLAMPED, DROPPED, OK, Spec
from ui.i18n import t
from ui.text import md_escape

__all__ = [
    "CLAMPED",
    "DROPPED",
    "answers",
    "choices",
    "default",
    "describe",
    "load",
    "name",
    "notes",
    "pending",
    "put",
    "restore",
    "sync",
]

_NAMES = "_url_names"  # widget key -> address name
_CHOICES = "_url_choices"  # widget key -> {option id: the widget's value} (a tab bar's translated labels)
_SPECS = "_url_specs"  # widget key -> Spec, as last drawn
_PENDING = "_url_pending"  # page -> {address name: raw value} a link gave and that is not applied yet
_PASSES = "_url_passes"  # page -> how many runs the link has taken so far
_NOTES = "_url_notes"  # [(status, name, raw, now)] for ui.links
_READ = "_url_read"  # address names the link gave that this module answers for
_SEEN = "_url_seen"  # page -> link names that had a widget at the last pass
_DEFAULTS = "_url_defaults"  # widget key -> its default, where the page sets the value itself (``default``)
_SETTLE = "_url_settle"  # page -> the names its link gave, until the controls it left out are checked
_CARRY = "_url_carry"  # widget keys that take the address's value when they first appear (``name``)
_EXTRA = "_url_extra"  # address name -> text, for controls that are not a single widget (the custom mask)
MAX_PASSES = 6  # a link is applied within this many runs of the page (a tab, then a control in it, ...)


def _running() -> bool:
    return get_script_run_ctx(suppress_warning=True) is not None


def name(key: str, address_name: str, *, carry: bool = False) -> None:
    """Record that widget ``key`` is written to the address as ``address_name`` (``PageContext.key``).
    ``carry``: a new key for the same control (a translated widget after a language switch) takes the
    value the address holds for it, so switching the language keeps the mask, the head, the tab."""
    if _running():
        st.session_state.setdefault(_NAMES, {})[key] = address_name
        if carry:
            st.session_state.setdefault(_CARRY, set()).add(key)


def choices(key: str, by_id: Mapping[str, Any]) -> None:
    """Widget ``key``'s values are not ids (a tab bar's labels): the address shows ``by_id``'s ids instead."""
    st.session_state.setdefault(_CHOICES, {})[key] = dict(by_id)


def address_name(key: str) -> str:
    """The name widget ``key`` has in the address (the key itself if ``PageContext.key`` did not make it)."""
    return st.session_state.get(_NAMES, {}).get(key, key)


def default(key: str, value: Any) -> None:
    """The value of widget ``key`` when nothing chose another, for a widget whose value the page sets
    itself (Streamlit's default would be its first option): what the address leaves out."""
    st.session_state.setdefault(_DEFAULTS, {})[key] = value


def put(address_name: str, text: str | None) -> None:
    """A control the module cannot read from a widget (None: at its default)."""
    st.session_state.setdefault(_EXTRA, {})[address_name] = text


def pending(address_name: str) -> str | None:
    """The raw value a link gave for a control that reads it itself (``put``), once; None if none."""
    for values in st.session_state.get(_PENDING, {}).values():
        if address_name in values:
            st.session_state.setdefault(_READ, set()).add(address_name)
            return values.pop(address_name)
    return None


def note(status: str, address_name: str, raw: str, now: Any) -> None:
    st.session_state.setdefault(_NOTES, []).append((status, address_name, raw, now))


def notes() -> list[tuple[str, str, str, Any]]:
    return st.session_state.get(_NOTES, [])


def shown(value: Any) -> str:
    """A value from a link as a notice quotes it: short, markdown-escaped."""
    return md_escape(shorten(str(value), 40))


def describe(status: str, address_name: str, raw: str, now: Any) -> str:
    """One line of the link notice, in the user's language."""
    if status == "unknown":
        return t("link.unknown", name=shown(address_name))
    message = "link.clamped" if status == CLAMPED else "link.dropped"
    return t(message, name=shown(address_name), value=shown(raw), now=shown(now))


def answers(address_name: str) -> bool:
    """Whether the link's parameter ``address_name`` is this module's to check (``ui.links`` skips it)."""
    return address_name in st.session_state.get(_READ, ())


def _spec(key: str) -> Spec | None:
    """What the widget drawn under ``key`` accepts, from the serde Streamlit registered it with."""
    state = get_session_state()._state
    widget_id = state._key_id_mapper.get_id_from_key(key)
    meta = state._new_widget_state.widget_metadata.get(widget_id) if widget_id else None
    serde = getattr(getattr(meta, "deserializer", None), "__self__", None)
    if serde is None:
        return None
    kind, default = type(serde).__name__, meta.deserializer(None)
    default = st.session_state.get(_DEFAULTS, {}).get(key, default)
    by_id = st.session_state.get(_CHOICES, {}).get(key)
    if by_id is not None:
        labels = {v: k for k, v in by_id.items()}
        return Spec("choice", labels.get(default), options=tuple(by_id)) if default in labels else None
    if kind in ("SliderSerde", "NumberInputSerde") and isinstance(default, int | float):
        if kind == "SliderSerde" and not serde.single_value:
            return None
        integer = isinstance(default, int) and not isinstance(default, bool)
        return Spec("number", default, serde.min_value, serde.max_value, integer=integer)
    if kind == "CheckboxSerde":
        return Spec("bool", bool(default))
    if kind in ("SelectboxSerde", "RadioSerde", "_SingleSelectButtonGroupSerde", "SelectSliderSerde"):
        if isinstance(default, tuple) and kind == "SelectSliderSerde":
            return None  # a range select slider: not used by the app
        return Spec("choice", default, options=tuple(serde.options))
    if kind == "MultiSelectSerde":
        return Spec("multi", list(default or ()), options=tuple(serde.options), max_items=meta.max_array_length)
    if kind == "TextInputSerde":
        return Spec("text", default or "", max_items=serde.max_chars)
    return None


def _value(key: str) -> Any:
    """The widget's value as its spec sees it (a tab bar's label -> the tab's name)."""
    value = st.session_state.get(key)
    by_id = st.session_state.get(_CHOICES, {}).get(key)
    if by_id is not None:
        return {v: k for k, v in by_id.items()}.get(value)
    return value


def _set(key: str, value: Any) -> None:
    by_id = st.session_state.get(_CHOICES, {}).get(key)
    st.session_state[key] = by_id[value] if by_id is not None else value


def _keys_by_name(page: str) -> dict[str, str]:
    """Address name -> widget key, for the page's widgets drawn so far (the latest key of each name)."""
    names, specs = st.session_state.get(_NAMES, {}), st.session_state.get(_SPECS, {})
    return {names[key]: key for key in specs if key in names and names[key].startswith(page + "_")}


def restore(page: str) -> None:
    """At the start of the page's body: read the link once, then apply what can be applied."""
    passes = st.session_state.setdefault(_PASSES, {})
    if page not in passes:
        passes[page] = 0
        prefix = page + "_"
        link = {key: st.query_params.get_all(key) for key in st.query_params if key.startswith(prefix)}
        st.session_state.setdefault(_PENDING, {})[page] = {key: values[-1] for key, values in link.items() if values}
        st.session_state.setdefault(_READ, set()).update(link)
        if link:
            st.session_state.setdefault(_SETTLE, {})[page] = set(link)
    for key, value in st.session_state.get(_SETTLE, {}).pop(f"{page}:fix", {}).items():
        _set(key, value)
    todo = st.session_state.get(_PENDING, {}).get(page)
    if not todo:
        return
    passes[page] += 1
    final = passes[page] > MAX_PASSES
    applied = _apply(page, todo, exact_only=True)
    st.session_state[f"_url_applied_{page}"] = applied
    if final:
        _apply(page, todo, exact_only=False)
        _unknown(todo)


def _apply(page: str, todo: dict[str, str], *, exact_only: bool) -> int:
    """Apply the pending values of widgets drawn before; only exact ones when ``exact_only``."""
    keys, specs, applied = _keys_by_name(page), st.session_state.get(_SPECS, {}), 0
    for address_name, raw in list(todo.items()):
        key = keys.get(address_name)
        if key is None:
            continue
        spec = specs[key]
        value, status = formats.decode(spec, raw)
        if exact_only and status != OK:
            continue
        del todo[address_name]
        _set(key, value)
        applied += 1
        if status != OK:
            note(status, address_name, raw, formats.option_id(value) if spec.kind != "number" else value)
    return applied


def _unknown(todo: dict[str, str]) -> None:
    for address_name, raw in todo.items():
        note("unknown", address_name, raw, None)
    todo.clear()


def load(page: str, params: Mapping[str, str]) -> None:
    """Apply ``params`` as if the page were opened with them (a loaded settings file): every control of
    the page back to its default first, then the values as a link's (checked, applied over the next runs).
    Call from a callback (before any widget is drawn)."""
    names = st.session_state.get(_NAMES, {})
    for key, address_name in names.items():
        if address_name.startswith(page + "_"):
            st.session_state.pop(key, None)
            st.session_state.pop(f"_start_{key}", None)  # a custom mask's starting grid (ui.widgets)
    st.session_state.setdefault(_PENDING, {})[page] = {k: v for k, v in params.items() if isinstance(v, str)}
    st.session_state.setdefault(_PASSES, {})[page] = 0
    st.session_state.get(_SEEN, {}).pop(page, None)
    st.session_state.setdefault(_READ, set()).update(params)
    st.session_state.setdefault(_SETTLE, {})[page] = set(params)


def sync(page: str, *, full: bool) -> None:
    """After the page's widgets are drawn: learn what they accept; finish a link being applied, or write
    every control that is not at its default into the address. ``full``: the whole body ran (a control
    that was not drawn is no longer on the page); else only a view that reruns on its own."""
    this_run = get_script_run_ctx().shared.widget_user_keys_this_run
    names, specs = st.session_state.get(_NAMES, {}), st.session_state.setdefault(_SPECS, {})
    ours = [key for key, n in names.items() if n.startswith(page + "_")]
    drawn = [key for key in ours if key in this_run]
    if full:  # what was not drawn has left the page (and Streamlit forgets its value)
        for key in set(ours) - set(drawn):
            names.pop(key, None)
            specs.pop(key, None)
            st.session_state.get(_CARRY, set()).discard(key)
    new = [key for key in drawn if key not in specs]
    for key in drawn:
        spec = _spec(key)
        if spec is not None:
            specs[key] = spec
    todo = st.session_state.get(_PENDING, {}).get(page)
    if full and not todo and _carry(page, new):
        st.rerun()
    if todo:
        if not full:
            return  # a view inside the body: the body's own sync finishes the link
        found = {n for n in todo if n in _keys_by_name(page)}
        seen = st.session_state.setdefault(_SEEN, {})
        progress = st.session_state.pop(f"_url_applied_{page}", 0) or not found <= seen.get(page, set())
        seen[page] = found
        if not progress:
            st.session_state[_PASSES][page] = MAX_PASSES  # nothing more will change: clamp or drop the rest
        st.rerun()
    if full and _settle(page, drawn):
        st.rerun()
    _write(page, drawn, full)


def _carry(page: str, new: list[str]) -> bool:
    """Controls drawn for the first time under a key that carries a value (``name``) take the one the
    address holds for their name; True if one did (then the page is drawn again)."""
    names, specs, carry = st.session_state[_NAMES], st.session_state[_SPECS], st.session_state.get(_CARRY, ())
    fixes = {}
    for key in new:
        raw = st.query_params.get(names[key]) if key in carry and key in specs else None
        if raw is not None:
            value, status = formats.decode(specs[key], raw)
            if status == OK and value != _value(key):
                fixes[key] = value
    if fixes:
        st.session_state.setdefault(_SETTLE, {})[f"{page}:fix"] = fixes
    return bool(fixes)


def _settle(page: str, drawn: list[str]) -> bool:
    """Once a link is applied: a control the link left out shows its default (a control whose value the
    page carries over from another, such as the query patch across patch sizes, might not). True if one
    had to be set (then the page is drawn again)."""
    settle = st.session_state.get(_SETTLE, {})
    linked = settle.pop(page, None)
    if linked is None:
        return False
    names, specs = st.session_state[_NAMES], st.session_state[_SPECS]
    fixes = {}
    for key in drawn:
        spec = specs.get(key)
        if spec is not None and names[key] not in linked and _value(key) != spec.default:
            fixes[key] = spec.default
    if fixes:
        settle[f"{page}:fix"] = fixes
    return bool(fixes)


def _write(page: str, drawn: list[str], full: bool) -> None:
    names, specs = st.session_state[_NAMES], st.session_state[_SPECS]
    wanted = {names[key]: formats.encode(specs[key], _value(key)) for key in drawn if key in specs}
    wanted.update(st.session_state.pop(_EXTRA, {}) if full else st.session_state.get(_EXTRA, {}))
    for address_name, text in wanted.items():
        if text is None:
            if address_name in st.query_params:
                del st.query_params[address_name]
        elif st.query_params.get(address_name) != text:
            st.query_params[address_name] = text
    if full:
        for address_name in [k for k in st.query_params if k.startswith(page + "_") and k not in wanted]:
            del st.query_params[address_name]


def link_params() -> dict[str, str]:
    """The address's parameters now (language, sentence, the page's controls), one value each."""
    return {key: st.query_params[key] for key in st.query_params}
