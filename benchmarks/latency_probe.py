"""Time what a person feels: key press on a slider -> the chart has changed and the app is idle.

Starts `streamlit run APP` on a free local port, opens "/" once, then opens PAGE in headless
Chromium (Playwright), focuses the first slider on the page, and presses ArrowRight / ArrowLeft
N times. Each sample is the time from the key press until a Plotly chart on the page has been
redrawn and Streamlit reports the script as not running.

    python benchmarks/latency_probe.py --app app.py --page scaled-dot-product
    python benchmarks/latency_probe.py --app app.py --page scaled-dot-product --baseline

With --baseline it first times floor_app.py (beside this file: one slider, one heatmap) in the
same run and prints the ratio of medians, the figure that survives a noisy machine. Last line
printed: a JSON object with the figures. benchmarks/latency.py runs this once per page.
Needs streamlit, playwright (the Python package) and a Chromium (benchmarks/browser.py).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS, IDLE_JS  # noqa: E402
from benchmarks.server import streamlit_server  # noqa: E402

FLOOR_APP = HERE / "floor_app.py"

ARM_JS = """() => {
  window.__plotChanged = false;
  const plots = document.querySelectorAll('.js-plotly-plot');
  window.__obs = new MutationObserver(() => { window.__plotChanged = true; });
  plots.forEach(p => window.__obs.observe(p, {subtree: true, childList: true, attributes: true, characterData: true}));
  return plots.length;
}"""
THUMB = '[data-testid="stSlider"] input[type="range"], [data-testid="stSlider"] [role="slider"]'


def measure(browser, app: Path, page: str, n: int, slider: int = 0, click: str | None = None) -> dict:
    """First render (s) and key-press-to-redrawn-and-idle latencies (ms) of ``page`` served from ``app``.

    ``click``: the key of a button to press first (and wait for its chart), e.g. the training page's
    ``learn_train``: its snapshot slider and charts exist only after a training."""
    with streamlit_server(app) as server:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        # One visit to "/" first, so that first_render_s times a page visit on a server that has done its
        # first imports, for the floor and the app alike (not the process start-up)
        warm = ctx.new_page()
        warm.goto(f"{server.url}/")
        warm.wait_for_function(IDLE_JS, timeout=120_000)
        warm.close()
        tab = ctx.new_page()
        t0 = time.perf_counter()
        tab.goto(f"{server.url}/{page}")
        if click:  # press it, then time the first slider that appears after it (``slider`` counts from there)
            tab.wait_for_function(IDLE_JS, timeout=120_000)
            before = tab.locator(THUMB).count()
            tab.locator(f".st-key-{click} button").click()
            tab.wait_for_function(
                "([sel, n]) => document.querySelectorAll(sel).length > n", arg=[THUMB, before], timeout=180_000
            )
            slider += before
        tab.wait_for_selector(".js-plotly-plot", timeout=180_000)
        tab.wait_for_function(IDLE_JS, timeout=120_000)
        first = time.perf_counter() - t0
        tab.locator(THUMB).nth(slider).focus()
        samples = []
        for i in range(n):
            if tab.evaluate(ARM_JS) == 0:
                raise SystemExit("no Plotly chart on the page")
            # a slider that appears after a click may sit at its end (the last snapshot): step back first
            key = ("ArrowRight", "ArrowLeft")[(i + bool(click)) % 2]
            t = time.perf_counter()
            tab.keyboard.press(key)
            tab.wait_for_function("() => window.__plotChanged === true", timeout=60_000, polling="raf")
            tab.wait_for_function(IDLE_JS, timeout=60_000, polling="raf")
            samples.append((time.perf_counter() - t) * 1000)
        ctx.close()
    samples.sort()
    return {
        "first_render_s": round(first, 2),
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1),
        "max_ms": round(samples[-1], 1),
        "n": len(samples),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", required=True, type=Path)
    ap.add_argument("--page", default="", help="URL path of the page, e.g. scaled-dot-product")
    ap.add_argument("-n", type=int, default=30, help="key presses per page (default 30)")
    ap.add_argument("--slider", type=int, default=0, help="which slider of the page to press, 0-based (default 0)")
    ap.add_argument("--click", help="key of a button to press before timing (e.g. learn_train)")
    ap.add_argument("--baseline", action="store_true", help="also time floor_app.py and print the ratio")
    ap.add_argument("--chromium", default=CHROMIUM, help=f"browser binary (default {CHROMIUM})")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        result = {}
        if args.baseline:
            result["floor"] = measure(browser, FLOOR_APP, "", args.n)
        result["page"] = measure(browser, args.app.resolve(), args.page, args.n, args.slider, args.click)
        if args.baseline:
            result["ratio_p50"] = round(result["page"]["p50_ms"] / result["floor"]["p50_ms"], 2)
            result["ratio_first_render"] = round(
                result["page"]["first_render_s"] / result["floor"]["first_render_s"], 2
            )
        browser.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
