"""The image page through AppTest: samples, controls at their extremes, and uploads good and bad."""

import io
import json

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from core.images import KEEP_SIDE, MAX_BYTES
from tests.core.test_images import png_header_only
from tests.pages.apptest import LazyTabs, chart_spec, charts, ok, open_page

PAGE = "pages/vision.py"
K = "vision_"  # the page's widget and chart keys: K + name
QUERY_CHARTS = [f"{K}overlay"]  # the tab a visitor lands on; the tabs are lazy


open_tab = LazyTabs("vision", {"query": QUERY_CHARTS, "matrix": [f"{K}matrix"], "vectors": [f"{K}vectors"]}).open


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_vectors_tab_draws_the_patch_vectors(lang):
    at = open_page(PAGE, lang=lang)
    open_tab(at, "vectors", lang)
    assert [c.key for c in charts(at)] == [f"{K}vectors"]
    ok(at.slider(key=f"{K}colour").set_value(3.0).run())
    assert [c.key for c in charts(at)] == [f"{K}vectors"] and at.info  # the honesty note stays under the tabs
    open_tab(at, "query", lang)
    assert [c.key for c in charts(at)] == QUERY_CHARTS


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_matrix_tab_outlines_the_query_chosen_on_the_picture(lang):
    at = open_page(PAGE, lang=lang)
    ok(at.slider(key=f"{K}row").set_value(2).run())
    ok(at.slider(key=f"{K}col").set_value(5).run())
    open_tab(at, "matrix", lang)
    assert [c.key for c in charts(at)] == [f"{K}matrix"]
    spec = json.loads(chart_spec(at, f"{K}matrix"))
    cols = 224 // 28  # the default sample (224 × 168) and patch size: a 6 × 8 grid
    (outline,) = spec["layout"]["shapes"]
    assert (outline["y0"], outline["y1"]) == (2 * cols + 5 - 0.5, 2 * cols + 5 + 0.5)
    ok(at.select_slider(key=f"{K}patch").set_value(56).run())  # a 3 × 4 grid: the query is clamped to (2, 3)
    (outline,) = json.loads(chart_spec(at, f"{K}matrix"))["layout"]["shapes"]
    assert outline["y0"] == 2 * 4 + 3 - 0.5
    open_tab(at, "query", lang)  # back on the picture: the same query, not the centre
    assert (at.slider(key=f"{K}row").value, at.slider(key=f"{K}col").value) == (2, 3)


def png(width=120, height=80, fmt="PNG") -> bytes:
    buf = io.BytesIO()
    img = Image.new("RGB", (width, height), (20, 120, 200))
    img.paste((250, 200, 0), (0, 0, width // 3, height // 2))
    img.save(buf, fmt)
    return buf.getvalue()


def upload(at: AppTest, name: str, data: bytes, mime: str = "image/png", lang: str = "en") -> AppTest:
    at.radio(key=f"{K}source_{lang}").set_value("upload").run()
    picture = next(u for u in at.get("file_uploader") if u.key == f"{K}upload")  # not the settings loader
    picture.set_value((name, data, mime)).run()
    assert not at.exception
    return at


@pytest.mark.parametrize("source", ["landscape", "shapes", "ball"])
def test_each_sample(source):
    at = open_page(PAGE)
    at.radio(key=f"{K}source_en").set_value(source).run()
    assert not at.exception and [c.key for c in charts(at)] == QUERY_CHARTS


def test_controls_at_their_extremes():
    at = open_page(PAGE)
    for patch in (16, 56):
        at.select_slider(key=f"{K}patch").set_value(patch).run()
        assert not at.exception
        for key, value in ((f"{K}row", 0), (f"{K}col", 0)):
            at.slider(key=key).set_value(value).run()
        assert any(r"\alpha_{(0,0)\to" in x.value for x in at.latex)  # the formula follows the query
        rows, cols = at.slider(key=f"{K}row").max, at.slider(key=f"{K}col").max
        at.slider(key=f"{K}row").set_value(rows).run()
        at.slider(key=f"{K}col").set_value(cols).run()
        assert not at.exception and [c.key for c in charts(at)] == QUERY_CHARTS
    for key, lo, hi in ((f"{K}tau", 0.05, 3.0), (f"{K}colour", 0.0, 3.0), (f"{K}pos", 0.0, 3.0)):
        at.slider(key=key).set_value(lo).run()
        at.slider(key=key).set_value(hi).run()
        assert not at.exception
    at.slider(key=f"{K}colour").set_value(0.0)
    at.slider(key=f"{K}pos").set_value(0.0).run()  # all vectors 0: uniform weights, no NaN
    assert not at.exception and [c.key for c in charts(at)] == QUERY_CHARTS


def test_large_query_survives_a_coarser_grid():
    at = open_page(PAGE)
    at.select_slider(key=f"{K}patch").set_value(16).run()
    at.slider(key=f"{K}row").set_value(at.slider(key=f"{K}row").max).run()
    at.select_slider(key=f"{K}patch").set_value(56).run()  # the row index is clamped, not an error
    assert not at.exception
    assert at.slider(key=f"{K}row").value == at.slider(key=f"{K}row").max


def test_upload_prompt_then_a_valid_image():
    at = open_page(PAGE)
    at.radio(key=f"{K}source_en").set_value("upload").run()
    assert at.info and "PNG" in at.info[0].value and not charts(at)
    upload(at, "photo.png", png())
    assert not at.error and [c.key for c in charts(at)] == QUERY_CHARTS
    upload(at, "photo.jpg", png(fmt="JPEG"), "image/jpeg")
    assert not at.error and [c.key for c in charts(at)] == QUERY_CHARTS


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("notes.png", b"just some text, renamed\n" * 10, "not an image"),
        ("empty.png", b"", "empty"),
        ("huge.png", png_header_only(5000, 5000), "5000 × 5000"),
        ("bomb.png", png_header_only(60_000, 60_000), "gigantic"),
        ("bomb10k.png", png_header_only(10_000, 10_000), "gigantic"),  # 10⁸ pixels claimed in a 100-byte file
        ("cut.png", png()[: len(png()) // 2], "could not be decoded"),
        ("anim.png", png(fmt="GIF"), "GIF image"),  # a .gif name is refused by the uploader itself
        ("photo.png", png(fmt="WEBP"), "WEBP image"),
        ("big.png", png() + b"\0" * MAX_BYTES, "the limit is 5 MB"),
    ],
)
def test_bad_uploads_get_a_clear_message(name, data, words):
    at = upload(open_page(PAGE), name, data)
    assert at.error and words in at.error[0].value
    assert not charts(at)


def test_bad_upload_message_in_chinese():
    at = upload(open_page(PAGE, lang="zh"), "notes.png", b"not a picture", lang="zh")
    assert at.error and "无法把这个文件读成图片" in at.error[0].value


def test_chinese_page():
    at = open_page(PAGE, lang="zh")
    assert at.title[0].value == "图像上的注意力" and [c.key for c in charts(at)] == QUERY_CHARTS
    at.radio(key=f"{K}source_zh").set_value("shapes").run()
    assert not at.exception and [c.key for c in charts(at)] == QUERY_CHARTS


def test_a_large_upload_is_kept_small_and_only_in_its_own_session():
    at = upload(open_page(PAGE), "big.png", png(4096, 4096))
    assert not at.error and [c.key for c in charts(at)] == QUERY_CHARTS
    _file_id, image = at.session_state[f"{K}upload_image"]
    assert image.shape == (KEEP_SIDE, KEEP_SIDE, 3)  # 0.6 MB kept, not the 48 MiB decode
    other = open_page(PAGE)  # another student's session
    assert f"{K}upload_image" not in other.session_state
    other.radio(key=f"{K}source_en").set_value("upload").run()
    assert not charts(other) and other.info  # asked for their own file; nothing of the first student's
