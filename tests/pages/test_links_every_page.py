"""Links restore everything, on every page and every tab: set the controls, read the address, open it in a
fresh session, find the same controls; defaults stay out of the address; a settings file loads back the
same way; a crafted number (NaN) is pulled back with a notice."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, ok, open_page
from tests.pages.linkstate import (
    EVERY_PAGE,
    KEY_OF,
    address,
    controls,
    open_address,
    open_tab_name,
    other_value,
    page_params,
    tab_key,
)
from ui import formats
from ui.i18n import t


def change_every_control(at: AppTest, page: str) -> dict[str, object]:
    """Set each drawn control of ``page`` to a value other than its default; returns name -> value set."""
    changed, labels = {}, (at.session_state["_url_choices"] if "_url_choices" in at.session_state else {})
    for name, (key, spec) in controls(at, page).items():
        value = other_value(spec)
        if value is not None:
            at.session_state[key] = labels[key][value] if key in labels else value  # a tab bar takes labels
            changed[name] = value
    ok(at.run())
    return changed


def same_controls(before: AppTest, after: AppTest, page: str) -> None:
    """Every control drawn in ``before`` has the same value in ``after`` (found by its address name)."""
    mine, theirs = controls(before, page), controls(after, page)
    assert set(mine) <= set(theirs), set(mine) - set(theirs)
    for name, (key, _) in mine.items():
        assert after.session_state[theirs[name][0]] == before.session_state[key], name
    assert open_tab_name(after, page) == open_tab_name(before, page)


def tabs(at: AppTest, page: str) -> list[str | None]:
    found = tab_key(at, page)
    return list(found[1]) if found else [None]


def open_tab(at: AppTest, page: str, name: str | None) -> None:
    if name is not None:
        key, labels = tab_key(at, page)
        at.session_state[key] = labels[name]
        ok(at.run())


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_a_link_restores_every_control_on_every_tab(path):
    page = KEY_OF[path]
    first = open_page(path)
    assert not page_params(first, page), "a page at its defaults has nothing in its address"
    for n, tab in enumerate(tabs(first, page)):
        at = open_page(path) if n else first
        open_tab(at, page, tab)
        changed = change_every_control(at, page)
        params = page_params(at, page)
        drawn = controls(at, page)
        for name, value in changed.items():  # a changed control that is still drawn is in the address
            if name in drawn and at.session_state[drawn[name][0]] != drawn[name][1].default:
                assert name in params, (tab, name, value)
        fresh = open_address(path, address(at))
        same_controls(at, fresh, page)
        assert page_params(fresh, page) == params  # the restored page writes the same address
        assert not fresh.sidebar.warning, [w.value for w in fresh.sidebar.warning]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_link_made_in_one_language_opens_the_same_controls_in_the_other(lang):
    path = "pages/scaled-dot-product.py"
    at = open_page(path, lang=lang)
    open_tab(at, "sdp", "weights")
    at.session_state[f"sdp_mask_{lang}"] = "causal"
    ok(at.run())
    assert page_params(at, "sdp") == {"sdp_mask": "causal", "sdp_tab": "weights"}  # ids, not labels
    other = "zh" if lang == "en" else "en"
    fresh = open_address(path, {**address(at), "lang": other})
    assert fresh.session_state[f"sdp_mask_{other}"] == "causal"
    assert fresh.session_state[f"sdp_tab_{other}"] == t("sdp.tab_weights", other)


def test_the_custom_mask_and_the_traced_cell_are_in_the_link():
    path = "pages/scaled-dot-product.py"
    fresh = open_address(path, {"sdp_mask": "custom", "sdp_custom": "0.1,2.0", "sdp_tab": "trace", "sdp_i": "2"})
    assert page_params(fresh, "sdp") == {
        "sdp_mask": "custom",
        "sdp_custom": "0.1,2.0",
        "sdp_tab": "trace",
        "sdp_i": "2",
    }
    assert fresh.session_state["sdp_i"] == 2
    assert not fresh.sidebar.warning


def test_a_settings_file_loads_back_the_same_controls():
    path, page = "pages/multi-head.py", "multihead"
    at = open_page(path)
    change_every_control(at, page)
    data = formats.state_to_json(page, {**address(at), "lang": "en"})  # as the share menu saves it
    fresh = open_page(path, lang="zh")
    fresh.get("file_uploader")[0].set_value(("settings.json", data, "application/json"))
    ok(fresh.run())
    same_controls(at, fresh, page)
    assert fresh.session_state["lang"] == "zh"  # the reader's language stays
    assert any(s.value == t("share.loaded", "zh") for s in fresh.get("success"))


@pytest.mark.parametrize(
    "data,code",
    [
        (b"\xff\xfe", "not_json"),
        (b'{"format": "attention-lab/state", "version": 1, "page": "sdp", "params": {"sdp_d_k": NaN}}', "not_json"),
        (b'{"format": "attention-lab/state", "version": 9, "page": "sdp", "params": {}}', "version"),
        (b'{"format": "other"}', "not_state"),
        (b"[" * 100_000, "too_big"),
    ],
)
def test_a_hostile_settings_file_is_refused_in_the_users_language(data, code):
    at = open_page("pages/scaled-dot-product.py", lang="zh")
    at.get("file_uploader")[0].set_value(("x.json", data, "application/json"))
    ok(at.run())
    assert [e.value for e in at.error] == [t(f"share.state_{code}", "zh")]


def test_a_settings_file_of_another_page_names_that_page():
    at = open_page("pages/scaled-dot-product.py")
    at.get("file_uploader")[0].set_value(("x.json", formats.state_to_json("multihead", {}), "application/json"))
    ok(at.run())
    assert [e.value for e in at.error] == [t("share.state_other_page", "en", page=t("multihead.nav", "en"))]


@pytest.mark.parametrize(
    "kind,key,crafted,kept",
    [
        ("number_input", "positional_base", float("nan"), 10000.0),
        ("number_input", "positional_base", float("inf"), 10000.0),
        ("number_input", "positional_base", -5.0, 10000.0),
        ("slider", "positional_d_model", 10**9, 128),
        ("slider", "positional_positions", -1, 128),
    ],
)
def test_a_crafted_value_sent_for_a_number_control_leaves_the_page_working(kind, key, crafted, kept):
    """What a forged websocket message can send: Streamlit puts the control back to its default before the
    app reads it, and the page draws with that (an integer box's NaN makes Streamlit itself raise before
    the app runs: not reachable from the app)."""
    at = open_page("pages/positional-encoding.py")
    getattr(at, kind)(key=key).set_value(crafted)
    ok(at.run())
    assert at.session_state[key] == kept
    assert at.get("plotly_chart")
    assert key not in at.query_params


def test_the_share_menu_shows_the_link_of_the_page_as_it_is():
    at = open_page("pages/scaled-dot-product.py")
    at.slider(key="sdp_d_k").set_value(32)
    ok(at.run())
    code = [c.value for c in at.code if "sdp_d_k=32" in c.value]
    assert code, [c.value for c in at.code]
    assert "lang=en" in code[0]


def test_a_link_never_raises_on_a_fresh_session_without_parameters():
    at = AppTest.from_file(APP, default_timeout=60)
    ok(at.run())
    assert not page_params(at, "home")


@pytest.mark.parametrize("start,other", [("en", "zh"), ("zh", "en")])
def test_switching_the_language_keeps_the_translated_controls_and_the_tab(start, other):
    at = open_page("pages/scaled-dot-product.py", lang=start)
    open_tab(at, "sdp", "weights")
    at.session_state[f"sdp_mask_{start}"] = "causal"
    at.session_state[f"sdp_projection_{start}"] = "identity"
    ok(at.run())
    at.sidebar.button_group[0].set_value(other)  # the language switch
    ok(at.run())
    assert at.session_state[f"sdp_mask_{other}"] == "causal"
    assert at.session_state[f"sdp_projection_{other}"] == "identity"
    assert at.session_state[f"sdp_tab_{other}"] == t("sdp.tab_weights", other)
    assert page_params(at, "sdp") == {"sdp_mask": "causal", "sdp_projection": "identity", "sdp_tab": "weights"}
