"""Every chart drawn on every page and tab, in both languages: an alt text that names what it shows, a
camera button that saves PNG at twice the size (or SVG) under a name with page, figure and sentence; a
view with matrices offers them as CSV and NPY."""

from __future__ import annotations

import json

import pytest

from tests.pages.apptest import ok, open_page
from tests.pages.linkstate import EVERY_PAGE, KEY_OF, tab_key
from tests.pages.test_learn import trained_page
from ui import formats
from ui.i18n import t
from ui.registry import PAGES

URL_PATH = {spec.key: spec.url_path for spec in PAGES}


def every_tab(at, page):
    found = tab_key(at, page)
    if found is None:
        yield None
        return
    key, labels = found
    for name, label in labels.items():
        at.session_state[key] = label
        ok(at.run())
        yield name


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", EVERY_PAGE)
def test_every_chart_has_alt_text_and_a_named_picture_download(path, lang):
    page = KEY_OF[path]
    sentence = "The cat sat on the mat" if lang == "en" else "猫 坐 在 垫子 上"
    # the training page draws its charts once a model is trained
    at = trained_page(lang, text=sentence) if page == "learn" else open_page(path, lang=lang, text=sentence)
    seen = 0
    for tab in every_tab(at, page):
        for chart in at.get("plotly_chart"):
            seen += 1
            alt = chart.proto.alt
            assert alt.strip(), (tab, chart.key)
            if lang == "zh":
                assert any("\u4e00" <= c <= "\u9fff" for c in alt), (tab, chart.key, alt)  # said in Chinese
            picture = json.loads(chart.proto.config)["toImageButtonOptions"]
            assert picture["format"] == "png" and picture["scale"] == 2, chart.key
            figure = chart.key[len(page) + 1 :]
            assert picture["filename"] == formats.file_stem(URL_PATH.get(page, page), figure, sentence)
    if page not in ("home", "glossary", "summary"):
        assert seen, "every page but the reference pages draws charts"


def test_the_alt_text_names_the_matrices_and_their_sizes():
    at = open_page("pages/scaled-dot-product.py", text="The cat sat")
    at.session_state["sdp_tab_en"] = t("sdp.tab_weights", "en")
    ok(at.run())
    alt = next(c for c in at.get("plotly_chart") if c.key == "sdp_weights").proto.alt
    assert (
        t("sdp.fig_weights", "en") in alt
        and t("alt.matrix", "en", name=t("sdp.fig_weights", "en"), rows=3, cols=3) in alt
    )


def test_the_picture_format_can_be_svg():
    at = open_page("pages/scaled-dot-product.py")
    at.session_state["image_format"] = "svg"
    ok(at.run())
    for chart in at.get("plotly_chart"):
        assert json.loads(chart.proto.config)["toImageButtonOptions"]["format"] == "svg"


def test_a_clickable_chart_keeps_its_picture_button():
    at = open_page("pages/vision.py")
    clickable = [c for c in at.get("plotly_chart") if c.proto.selection_mode]
    assert clickable
    for chart in clickable:
        config = json.loads(chart.proto.config)
        assert config["modeBarButtons"] == [["toImage"]] and config.get("displayModeBar") is not False


@pytest.mark.parametrize(
    "path,tab,n",
    [
        ("pages/scaled-dot-product.py", "inputs", 4),  # X, Q, K, V
        ("pages/scaled-dot-product.py", "weights", 2),  # masked scores, weights
        ("pages/positional-encoding.py", "table", 1),  # PE
    ],
)
def test_a_view_with_matrices_offers_each_as_csv_and_npy(path, tab, n):
    page = KEY_OF[path]
    at = open_page(path)
    key, labels = tab_key(at, page)
    at.session_state[key] = labels[tab]
    ok(at.run())
    buttons = [b for b in at.get("download_button") if b.proto.label in ("CSV", "NPY")]
    assert len(buttons) == 2 * n
    assert not any(b.proto.url for b in buttons)  # no file is made before a click
