"""Exports in a real Chromium, parsed back: the chart toolbar's PNG (twice the drawn size) and SVG, the
matrices as CSV and NPY equal to the engine's arrays, the settings JSON and the shared link reopening the
same controls. Screenshots of the menus in both languages at 1440 × 900 and 1024 × 768."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from core.demos.scaled_dot_product import ToyConfig, toy_attention
from core.tokens import tokenize
from tests.e2e import selectors as sel
from tests.e2e.conftest import SHOTS, open_page, rerun
from ui import formats
from ui.i18n import t

pytestmark = pytest.mark.e2e

CAMERA = ".modebar-btn[data-attr='toImage'], .modebar-btn[data-title^='Download plot']"


def popover(page, label: str):
    """Open the popover whose button says ``label``; returns its body."""
    page.get_by_role("button", name=label).first.click()
    body = page.locator(sel.POPOVER_BODY).last
    body.wait_for(state="visible", timeout=30_000)
    return body


def camera_download(page, chart: str, tmp_path):
    page.locator(chart).first.hover()
    with page.expect_download(timeout=60_000) as download:
        page.locator(chart).first.locator("xpath=ancestor::*[contains(@class,'stPlotlyChart')][1]").locator(
            CAMERA
        ).first.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return download.value.suggested_filename, path.read_bytes()


def test_the_camera_button_saves_png_at_twice_the_size_and_svg(page, server, tmp_path):
    open_page(page, server, "scaled-dot-product")
    page.wait_for_selector(sel.CHART, timeout=60_000)
    width = page.evaluate(f"() => document.querySelector('{sel.CHART}')._fullLayout.width")
    name, png = camera_download(page, sel.CHART, tmp_path)
    assert name.startswith("scaled-dot-product_qkv_The-animal") and name.endswith(".png"), name
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">I", png[16:20])[0] == 2 * width  # IHDR width: twice the drawn chart

    body = popover(page, t("share.pictures", "en"))
    with rerun(page):
        body.get_by_text(t("share.format_svg", "en"), exact=True).click()
    page.keyboard.press("Escape")
    name, svg = camera_download(page, sel.CHART, tmp_path)
    assert name.startswith("scaled-dot-product_qkv_") and name.endswith(".svg"), name
    assert ET.fromstring(svg).tag.endswith("svg")


def test_the_weights_download_as_csv_and_npy_equal_to_the_engine(page, server, tmp_path):
    open_page(page, server, "scaled-dot-product?sdp_tab=weights&sdp_d_k=16&sdp_mask=causal")
    page.wait_for_selector(sel.CHART, timeout=60_000)
    tokens = tuple(tokenize(t("sidebar.default_sentence", "en")))
    expected = toy_attention(tokens, ToyConfig(d_k=16, mask="causal")).result.weights
    body = popover(page, t("export.data", "en"))
    files = {}
    for kind in ("CSV", "NPY"):
        with page.expect_download(timeout=60_000) as download:
            body.get_by_role("button", name=kind).nth(1).click()  # the second matrix: the weights
        download.value.save_as(tmp_path / kind)
        files[kind] = (download.value.suggested_filename, (tmp_path / kind).read_bytes())
    csv_name, csv_data = files["CSV"]
    z, rows, cols = formats.from_csv(csv_data)
    np.testing.assert_allclose(z, expected, rtol=0, atol=0)
    assert rows == cols and rows[0] == f"0 · {tokens[0]}" and len(rows) == len(tokens)
    assert csv_name.startswith("scaled-dot-product_weights_") and csv_name.endswith(".csv")
    np.testing.assert_array_equal(formats.from_npy(files["NPY"][1]), expected)


def test_the_settings_file_and_the_link_reopen_the_same_controls(page, server, tmp_path):
    open_page(page, server, "scaled-dot-product?sdp_d_k=24&sdp_scaling=0&sdp_tab=output&text=the+cat+sat")
    page.wait_for_selector(sel.CHART, timeout=60_000)
    body = popover(page, t("share.menu", "en"))
    link = body.locator(sel.CODE).inner_text().strip()
    assert "sdp_d_k=24" in link and "sdp_scaling=0" in link and "lang=en" in link
    page.keyboard.press("Escape")
    body = popover(page, t("share.settings", "en"))
    with page.expect_download(timeout=60_000) as download:
        body.get_by_role("button", name=t("share.save", "en")).click()
    download.value.save_as(tmp_path / "settings.json")
    page_key, params = formats.state_from_json((tmp_path / "settings.json").read_bytes())
    assert page_key == "sdp" and params["sdp_d_k"] == "24" and params["sdp_tab"] == "output"

    other = page.context.new_page()
    other.goto(link)
    other.wait_for_selector(sel.CHART, timeout=60_000)
    assert other.locator(sel.SLIDER_VALUE).nth(1).inner_text() == "24"  # d_k, after d_model
    other.get_by_role("tab", name=t("sdp.tab_output", "en"), selected=True).wait_for(timeout=60_000)
    other.close()

    open_page(page, server, "scaled-dot-product", "zh")  # a fresh page in Chinese: load the file there
    body = popover(page, t("share.settings", "zh"))
    with rerun(page):
        body.locator("input[type=file]").set_input_files(str(tmp_path / "settings.json"))
    # the file's tab and controls, in the reader's language
    page.get_by_role("tab", name=t("sdp.tab_output", "zh"), selected=True).wait_for(timeout=60_000)
    page.get_by_text(t("share.loaded", "zh")).wait_for(timeout=60_000)
    assert page.locator(sel.SLIDER_VALUE).nth(1).inner_text() == "24"
    assert page.locator(sel.SENTENCE_BOX).input_value() == "the cat sat"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(1440, 900), (1024, 768)])
def test_screenshots_of_the_share_and_download_menus(page, server, lang, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_page(page, server, "scaled-dot-product?sdp_tab=weights", lang)
    page.wait_for_selector(sel.CHART, timeout=60_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for menu in ("menu", "settings", "pictures"):
        body = popover(page, t(f"share.{menu}", lang))
        body.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"share_{menu}_{lang}_{size[0]}.png"))
        page.keyboard.press("Escape")
    body = popover(page, t("export.data", lang))
    body.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"data_menu_{lang}_{size[0]}.png"))
