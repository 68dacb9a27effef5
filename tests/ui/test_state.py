"""ui.state reads what a widget accepts from Streamlit's private widget registry (its serde): one widget of
each kind the app uses, drawn by a tiny script, must give the spec below. If a Streamlit upgrade moves
those objects, this fails first (and names the widget), before every page's link tests do."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui.formats import Spec

SCRIPT = """
import streamlit as st
from ui import state

for key in ("k_slider", "k_float", "k_number", "k_toggle", "k_select", "k_radio", "k_steps", "k_multi", "k_text",
            "k_pills", "k_tabs", "k_own"):
    state.name(key, key)
state.choices("k_tabs", {"one": "One", "two": "Two"})
st.slider("s", 1, 64, 8, key="k_slider")
st.slider("f", 0.1, 5.0, 1.0, 0.1, key="k_float")
st.number_input("n", 0, 1_000_000, 0, key="k_number")
st.toggle("t", True, key="k_toggle")
st.selectbox("sb", ["none", "causal"], key="k_select")
st.radio("r", (100, 200, 400), 2, key="k_radio")
st.select_slider("ss", (16, 28, 32, 56), 28, key="k_steps")
st.multiselect("m", [(0, 1), (2, 3)], key="k_multi", max_selections=1)
st.text_input("x", key="k_text", max_chars=30)
st.segmented_control("p", ["a", "b"], default="b", key="k_pills")
st.tabs(["One", "Two"], key="k_tabs", on_change="rerun")
st.session_state.setdefault("k_own", 4)
state.default("k_own", 4)
st.selectbox("own", [1, 2, 4, 8], key="k_own")
state.sync("k", full=True)
"""

EXPECTED = {
    "k_slider": Spec("number", 8, 1, 64, integer=True),
    "k_float": Spec("number", 1.0, 0.1, 5.0),
    "k_number": Spec("number", 0, 0, 1_000_000, integer=True),
    "k_toggle": Spec("bool", True),
    "k_select": Spec("choice", "none", options=("none", "causal")),
    "k_radio": Spec("choice", 400, options=(100, 200, 400)),
    "k_steps": Spec("choice", 28, options=(16, 28, 32, 56)),
    "k_multi": Spec("multi", [], options=((0, 1), (2, 3)), max_items=1),
    "k_text": Spec("text", "", max_items=30),
    "k_pills": Spec("choice", "b", options=("a", "b")),
    "k_tabs": Spec("choice", "one", options=("one", "two")),
    "k_own": Spec("choice", 4, options=(1, 2, 4, 8)),
}


def test_every_widget_kind_the_app_uses_gives_its_spec():
    at = AppTest.from_string(SCRIPT, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    specs = at.session_state["_url_specs"]
    for key, expected in EXPECTED.items():
        assert specs.get(key) == expected, key
    assert not dict(at.query_params)  # everything at its default: nothing in the address


def test_a_control_off_its_default_is_written_as_its_id():
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.session_state["k_select"] = "causal"
    at.session_state["k_multi"] = [(2, 3)]
    at.session_state["k_tabs"] = "Two"
    at.session_state["k_float"] = 2.5
    at.run()
    assert not at.exception
    assert dict(at.query_params) == {"k_select": "causal", "k_multi": "2-3", "k_tabs": "two", "k_float": "2.5"}
