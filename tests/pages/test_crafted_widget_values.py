"""A widget value no browser would send, as a crafted websocket message can: NaN, infinity or text for an integer
number box, a number for a select box. The page recovers on the same run, the control is back at its default,
a notice in the user's language names it, and the next runs are clean (``ui.widget_guard``).

The message is crafted as the browser's ``WidgetState`` for the widget, the form Streamlit reads it in."""

from __future__ import annotations

import math

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.session_state import WStates

from tests.pages.apptest import ok, open_page
from ui import widget_guard
from ui.i18n import t
from ui.text import md_escape

SDP = "pages/scaled-dot-product.py"


def send(element, field: str, value) -> None:
    """The next ``at.run()`` sends ``value`` in the proto field ``field`` for ``element``, whatever its kind."""

    class Crafted(type(element)):
        @property
        def _widget_state(self) -> WidgetState:
            ws = WidgetState(id=self.id)
            setattr(ws, field, value)
            return ws

    element.__class__ = Crafted


def main_warnings(at) -> list[str]:
    return [w.value for w in at.main.warning]


@pytest.mark.parametrize(
    ("field", "value"),
    [("double_value", math.nan), ("double_value", math.inf), ("double_value", -math.inf), ("string_value", "abc")],
)
def test_a_crafted_seed_resets_it_with_a_notice(field, value):
    at = open_page(SDP)
    at.number_input(key="sdp_seed").set_value(7).run()  # not at its default before
    send(at.number_input(key="sdp_seed"), field, value)
    ok(at.run())
    assert at.number_input(key="sdp_seed").value == 0  # the default
    expected = t("guard.reset", "en", name=md_escape("sdp_seed"), value=md_escape(repr(value)))
    assert any(expected in w for w in main_warnings(at)), main_warnings(at)
    assert at.get("plotly_chart")  # the page is drawn
    ok(at.run())  # the next run reads the default, with nothing to report
    assert at.number_input(key="sdp_seed").value == 0 and not any(
        t("guard.title", "en") in w for w in main_warnings(at)
    )


def test_a_number_for_a_select_box_resets_it_with_a_notice_in_chinese():
    at = open_page(SDP, lang="zh")
    mask = at.selectbox(key="sdp_mask_zh")
    default = mask.value
    send(mask, "int_value", 3)
    ok(at.run())
    assert at.selectbox(key="sdp_mask_zh").value == default
    warnings = "\n".join(main_warnings(at))
    assert t("guard.title", "zh") in warnings and t("guard.reset", "zh", name="sdp\\_mask", value="3") in warnings
    ok(at.run())
    assert t("guard.title", "zh") not in "\n".join(main_warnings(at))


def test_a_crafted_value_breaks_every_run_without_the_guard(monkeypatch):
    """What the guard is for: without it the session is broken for good (a test that proves the others can fail)."""
    monkeypatch.setattr(WStates, "__getitem__", WStates.__getitem__.__wrapped__)
    monkeypatch.setattr(widget_guard, "install", lambda: None)
    at = open_page(SDP)
    send(at.number_input(key="sdp_seed"), "double_value", math.nan)
    assert at.run().exception
    assert at.run().exception  # and again: the bad value stays in the widget's state


def test_the_guard_wraps_streamlits_widget_state_reading():
    """Fails if a Streamlit upgrade renames what ``ui.widget_guard`` wraps (then the guard reads no value)."""
    open_page(SDP)
    assert getattr(WStates.__getitem__, "_widget_guard", False)
    widget_guard.install()  # once per process: a second call does not wrap twice
    assert not getattr(WStates.__getitem__.__wrapped__, "_widget_guard", False)
