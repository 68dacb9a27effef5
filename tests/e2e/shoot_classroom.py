"""Screenshots of classroom mode: four pages in projector mode at 1024 × 768, light and dark, English and Chinese.

    python -m tests.e2e.shoot_classroom                 # into a new temporary folder (printed)
    python -m tests.e2e.shoot_classroom --commit        # into assets/screenshots/classroom/, to commit

``tests/e2e/test_classroom_shots.py`` runs the same shots on the test server (into a temporary folder unless
``ATTENTION_LAB_CLASSROOM_SHOTS`` names a folder). Each file is ``<page>_projector_<theme>_<lang>.png``: the
page from its title down (at most ``MAX_HEIGHT`` pixels); a file that would exceed ``MAX_BYTES`` is saved in
256 colours (see ``_save``).
"""

from __future__ import annotations

import argparse
import io
import tempfile
from pathlib import Path

from benchmarks.browser import IDLE_JS
from benchmarks.server import APP, ROOT, streamlit_server
from tests.e2e import selectors as sel
from tests.e2e.conftest import TWO_FRAMES_JS

COMMITTED = ROOT / "assets" / "screenshots" / "classroom"
SIZE = {"width": 1024, "height": 768}
MAX_HEIGHT = 2400  # pixels of page: the title, the controls and the first figures
MAX_BYTES = 300_000
MAX_COLOUR_ERROR = 20  # of 255 per channel, for a screenshot saved in 256 colours

# name -> address (projector mode on): the views a class sees first
VIEWS = {
    "scaled_dot_product": "scaled-dot-product?sdp_mask=causal&sdp_tab=weights&present=1",
    "multi_head": "multi-head?present=1",
    "real_model": "real-model?present=1",
    "learn": "learn?present=1",
}
THEMES = ("light", "dark")
# every chart Streamlit placed has been drawn by Plotly (the learning page draws none before training)
CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .every(c => c.querySelector('.js-plotly-plot .main-svg'))"""
LANGS = ("en", "zh")


def _save(png: bytes, path: Path) -> None:
    """Write ``png``; a file over ``MAX_BYTES`` is saved in 256 colours (an octree palette: the large uniform
    areas of heatmaps keep their colour within ``MAX_COLOUR_ERROR`` per channel, where a median-cut palette
    turned a viridis cell orange), or, if even that strays further, loses rows at the bottom until it fits."""
    import numpy as np
    from PIL import Image

    path.write_bytes(png)
    if path.stat().st_size <= MAX_BYTES:
        return
    image = Image.open(io.BytesIO(png)).convert("RGB")
    fewer = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    error = np.abs(np.asarray(image, dtype=int) - np.asarray(fewer.convert("RGB"), dtype=int)).max()
    if error <= MAX_COLOUR_ERROR:
        fewer.save(path, optimize=True)
    height = image.height
    while path.stat().st_size > MAX_BYTES and height > SIZE["height"]:
        height -= 100
        image.crop((0, 0, image.width, height)).save(path, optimize=True)


def shoot_one(browser, server: str, address: str, scheme: str, lang: str, path: Path) -> list[str]:
    """Screenshot one view into ``path``; returns the error texts drawn on the page (none expected)."""
    ctx = browser.new_context(viewport=SIZE, color_scheme=scheme, device_scale_factor=1)
    page = ctx.new_page()
    try:
        page.goto(f"{server}/{address}&lang={lang}")
        page.wait_for_selector(sel.TITLE, timeout=180_000)
        page.wait_for_function(IDLE_JS, timeout=180_000)
        page.wait_for_function(CHARTS_DRAWN_JS, timeout=180_000)
        height = min(page.evaluate(f"() => document.querySelector('{sel.MAIN}').scrollHeight"), MAX_HEIGHT)
        page.set_viewport_size({"width": SIZE["width"], "height": max(height, SIZE["height"])})
        page.wait_for_function(IDLE_JS, timeout=180_000)
        page.evaluate(TWO_FRAMES_JS)
        _save(page.screenshot(), path)
        return [e.inner_text() for e in page.locator(f"{sel.EXCEPTION}, {sel.ERROR}").all()]
    finally:
        ctx.close()


def shoot(browser, server: str, out: Path) -> dict[Path, list[str]]:
    """Every view, theme and language into ``out``; returns each file with the errors its page showed."""
    out.mkdir(parents=True, exist_ok=True)
    done = {}
    for name, address in VIEWS.items():
        for scheme in THEMES:
            for lang in LANGS:
                path = out / f"{name}_projector_{scheme}_{lang}.png"
                done[path] = shoot_one(browser, server, address, scheme, lang, path)
    return done


def main() -> None:
    from playwright.sync_api import sync_playwright

    from benchmarks.browser import launch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", action="store_true", help=f"write into {COMMITTED.relative_to(ROOT)}")
    out = COMMITTED if parser.parse_args().commit else Path(tempfile.mkdtemp(prefix="classroom_"))
    with streamlit_server(APP, cwd=ROOT) as server, sync_playwright() as pw:
        browser = launch(pw)
        for path, errors in shoot(browser, server.url, out).items():
            print(f"{path}  {path.stat().st_size // 1000} KB" + (f"  ERRORS: {errors}" if errors else ""))
        browser.close()


if __name__ == "__main__":
    main()
