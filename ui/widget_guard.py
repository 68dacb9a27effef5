"""A widget value the browser could never send does not break the session: it is reset, with a notice.

A crafted websocket message can send any value for any widget: NaN, infinity or a string for an integer
``st.number_input`` (its deserialiser calls ``int()`` on it), a number for a ``st.selectbox`` (which
returns it unchanged, not one of its options). Streamlit reads widget values before the script starts
(``SessionState.on_script_will_rerun``), so the first raises where no page code can catch it, and it
raises again on every later run of that session, since the bad value stays in the widget's state.

``install()`` (called by app.py) wraps the one place Streamlit turns a widget's wire value into its
value, ``WStates.__getitem__``: a value that fails to deserialise, or an option widget's value that is
neither one of its options nor text, becomes the widget's default, and is stored as such, so the next
runs read the default. ``notice()`` then tells the user which control was reset, in their language.

What cannot be guarded here is listed in CONTRIBUTING.md ("Values a browser could not send").
``tests/ui/test_widget_guard.py`` fails if a Streamlit upgrade moves what this wraps.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from typing import Any

import streamlit as st
from streamlit.elements.widgets.radio import RadioSerde
from streamlit.elements.widgets.selectbox import SelectboxSerde
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.runtime.state.session_state import Value, WStates

from core.tokens import shorten
from ui.i18n import t
from ui.text import md_escape

MAX_SESSIONS = 256  # resets waiting for their notice, at most (each is a few bytes; popped on the next run)
_RESETS: OrderedDict[str, list[tuple[str, str]]] = OrderedDict()  # session id -> [(widget key, raw value)]
_LOCK = threading.Lock()
_OPTION_SERDES = (SelectboxSerde, RadioSerde)  # one value out of ``options``; the app takes no new options


def _acceptable(deserializer: Any, value: Any) -> bool:
    serde = getattr(deserializer, "__self__", None)
    if isinstance(serde, _OPTION_SERDES) and value is not None and not isinstance(value, str):
        try:
            return any(value is option or bool(value == option) for option in serde.options)
        except (TypeError, ValueError):  # an option that does not compare to the value (an array)
            return False
    return True


def _record(widget_id: str, raw: Any) -> None:
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return
    key = user_key_from_element_id(widget_id) or widget_id
    with _LOCK:
        _RESETS.setdefault(ctx.session_id, []).append((key, repr(raw)))
        _RESETS.move_to_end(ctx.session_id)
        while len(_RESETS) > MAX_SESSIONS:
            _RESETS.popitem(last=False)


def _guarded(original):
    @functools.wraps(original)
    def getitem(self: WStates, k: str) -> Any:
        wstate, metadata = self.states.get(k), self.widget_metadata.get(k)
        try:
            value = original(self, k)
        except KeyError:
            raise
        except Exception:
            reset = _reset(self, k, wstate, metadata)
            if reset is _FAILED:
                raise
            return reset
        if metadata is not None and not isinstance(wstate, Value) and not _acceptable(metadata.deserializer, value):
            reset = _reset(self, k, wstate, metadata)
            return value if reset is _FAILED else reset
        return value

    getitem._widget_guard = True
    return getitem


_FAILED = object()


def _reset(states: WStates, k: str, wstate: Any, metadata: Any) -> Any:
    """Widget ``k`` back to its default, stored as its value, with the metadata it had before the wire value
    (whose field type Streamlit copies into it, and then serialises the default with); ``_FAILED`` if even the
    default cannot be made."""
    if metadata is None:
        return _FAILED
    try:
        default = metadata.deserializer(None)
    except Exception:
        return _FAILED
    proto = getattr(wstate, "value", None)
    field = proto.WhichOneof("value") if proto is not None else None
    _record(k, getattr(proto, field) if field else None)
    states.widget_metadata[k] = metadata
    states.states[k] = Value(default)
    return default


def install() -> None:
    """Wrap ``WStates.__getitem__`` once per process."""
    if not getattr(WStates.__getitem__, "_widget_guard", False):
        WStates.__getitem__ = _guarded(WStates.__getitem__)


def resets() -> list[tuple[str, str]]:
    """This session's widgets reset since the last call: [(widget key, the value sent, as repr)]."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return []
    with _LOCK:
        return _RESETS.pop(ctx.session_id, [])


def notice() -> None:
    """A warning naming each control reset on this run (its address name, as links name it)."""
    from ui import state

    found = resets()
    if found:
        lines = "\n".join(
            f"- {t('guard.reset', name=md_escape(state.address_name(key)), value=md_escape(shorten(raw, 40)))}"
            for key, raw in found
        )
        st.warning(f"{t('guard.title')}\n\n{lines}", icon=":material/restart_alt:")
