"""A tampered link on every page: values out of range, of the wrong type, unknown, repeated. Nothing raises,
every control keeps a value it accepts, and the notice (in the user's language) names what was not used.
Every control of every tab of every page gets a hostile value (``test_every_control_of_every_page_...``)."""

from __future__ import annotations

import math

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, ok, open_page
from tests.pages.linkstate import KEY_OF, controls, open_address, tab_key
from ui.formats import Spec
from ui.i18n import t
from ui.links import MAX_NOTES
from ui.registry import PAGES
from ui.text import md_escape

EVERY_PAGE = ["pages/home.py", *(spec.path for spec in PAGES)]
HUGE = "x" * 5000


def open_link(page: str, **params) -> AppTest:
    """Open ``page`` as the first request of a session, with ``params`` in its address."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return ok(at.run())


def notice(at: AppTest) -> str:
    return "\n".join(w.value for w in at.sidebar.warning)


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_unknown_repeated_and_absurd_values_on_every_page(page):
    at = open_link(page, lang=["zh", "xx"], text=["a", HUGE], unknown_key="1e309", **{"<b>": "<script>"})
    assert at.session_state["lang"] == "en" and len(at.session_state["text"]) <= 2000
    text = notice(at)
    assert t("link.repeated", "en", name="lang", n=2) in text and t("link.repeated", "en", name="text", n=2) in text
    assert t("link.unknown", "en", name="unknown\\_key") in text  # escaped: markdown shows it as typed
    assert "<b>" not in text and "\\<b\\>" in text
    # the page still answers: dismiss the notice, then a normal sentence
    at.button(key="link_dismiss").click().run()
    assert t("link.notice", "en") not in notice(ok(at))
    at.sidebar.text_input(key="text").set_value("the cat sat").run()
    assert ok(at).session_state["text"] == "the cat sat"


def test_a_link_of_hundreds_of_names_gets_a_short_notice():
    at = open_link("pages/scaled-dot-product.py", **{f"sdp_made_up_{i}": "1" for i in range(300)})
    lines = notice(at).splitlines()
    assert len([line for line in lines if line.startswith("- ")]) == 13
    assert lines[-1] == "- " + t("link.more", "en", n=288)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_valid_link_says_nothing_and_the_notice_speaks_the_users_language(lang):
    assert not notice(open_link("pages/home.py", lang=lang, text="hello"))
    at = open_link("pages/home.py", lang=lang, nonsense="1")
    assert t("link.unknown", lang, name="nonsense") in notice(at)


POSITIONAL = "pages/positional-encoding.py"


@pytest.mark.parametrize(
    "key,value,shown",
    [
        ("positional_positions", "abc", 128),
        ("positional_positions", "nan", 128),
        ("positional_positions", "inf", 128),
        ("positional_positions", "1e309", 128),
        ("positional_positions", "-3", 2),  # out of range: the nearest value it takes, and the notice says so
        ("positional_positions", "5000", 2048),
        ("positional_positions", HUGE, 128),
        ("positional_positions", "3.7", 3),
        ("positional_d_model", "0", 1),
        ("positional_d_model", "1025", 1024),
        ("positional_d_model", "１２", 12),  # full-width digits: read as 12, and the notice says so
    ],
)
def test_sliders_keep_a_value_they_accept_and_say_so(key, value, shown):
    at = open_link(POSITIONAL, **{key: value})
    assert at.session_state[key] == shown
    assert f"“{key.replace('_', chr(92) + '_')}=" in notice(at)
    assert at.get("plotly_chart")  # the page drew its figures with the value it kept


def test_valid_slider_values_from_a_link_are_used_silently():
    at = open_link(POSITIONAL, positional_positions="300", positional_d_model="64")
    assert (at.session_state["positional_positions"], at.session_state["positional_d_model"]) == (300, 64)
    assert not notice(at)


def hostile(spec: Spec, n: int) -> str:
    """A value ``spec``'s control cannot take as it is, varied by ``n``."""
    if spec.kind == "number":
        return ["nan", "1e309", "-1e12", "abc", HUGE, "1e12", "-inf"][n % 7]
    if spec.kind == "bool":
        return ["maybe", "2", HUGE][n % 3]
    if spec.kind == "multi":
        return ["<b>x</b>,9999", "99-99", ",".join(["x"] * 1000)][n % 3]
    return ["<script>alert(1)</script>", "\u202eevil", HUGE, "none-such"][n % 4]


def accepted(at: AppTest, key: str, spec: Spec) -> bool:
    value = at.session_state[key]
    labels = at.session_state["_url_choices"].get(key) if "_url_choices" in at.session_state else None
    if labels:  # a tab bar holds its label
        value = {label: name for name, label in labels.items()}.get(value)
    if spec.kind == "number":
        return math.isfinite(value) and spec.lo <= value <= spec.hi
    if spec.kind == "choice":
        return value in spec.options
    if spec.kind == "multi":
        return set(value) <= set(spec.options)
    return spec.kind != "bool" or isinstance(value, bool)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", EVERY_PAGE)
def test_every_control_of_every_page_survives_a_hostile_link(path, lang):
    page = KEY_OF[path]
    start = open_page(path, lang=lang)
    tab = tab_key(start, page)
    for name in list(tab[1]) if tab else [None]:
        if name is not None:
            start.session_state[tab[0]] = tab[1][name]
            ok(start.run())
        bad = {control: hostile(spec, n) for n, (control, (_, spec)) in enumerate(controls(start, page).items())}
        params = {"lang": lang, **bad, f"{page}_no_such_control": "1"}
        twice = next(iter(bad), None)
        if twice is not None:
            params[twice] = [bad[twice], bad[twice]]  # given twice
        if name is not None:
            params[f"{page}_tab"] = name
        at = open_address(path, params)
        drawn = controls(at, page)
        for control, (key, spec) in drawn.items():
            assert accepted(at, key, spec), (name, control, at.session_state[key])
        text = notice(at)
        assert t("link.notice", lang) in text and "<script>" not in text
        if twice is not None:  # the link's first parameter: the notice's first line
            assert t("link.repeated", lang, name=md_escape(twice), n=2) in text
        bullets = [line for line in text.splitlines() if line.startswith("- ")]
        if bullets[-1].startswith("- " + t("link.more", lang, n=0).split("0")[0]):
            assert len(bullets) == MAX_NOTES + 1  # a long notice: the first notes and how many more
            continue
        assert t("link.unknown", lang, name=md_escape(f"{page}_no_such_control")) in text
        for control in set(bad) & set(drawn):
            if drawn[control][1].kind != "text":  # any text is a search term: only its length is checked
                assert f"“{md_escape(control)}=" in text, control
