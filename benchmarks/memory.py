"""Server memory with the real model loaded and a classroom of sessions open, against Cloud's limits.

    python benchmarks/memory.py            # 10 sessions
    python benchmarks/memory.py -n 30
    python benchmarks/memory.py --page language-model   # both models: the sessions on SmolLM2's page

Starts `streamlit run app.py`, opens one session that visits every page (so every page's imports and
caches are in memory; SmolLM2's page only with --page language-model), then n sessions on the page
(default real-model), each with its own sentence (each its own trace in the bounded cache), all kept open. Prints the server's VmRSS after start, after the first
session, with all n open, and its peak (VmHWM). Streamlit Community Cloud gives an app between 690 MB and
2.7 GB; `tests/deploy/test_memory.py` keeps 10 sessions inside the smallest.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLOUD_MIN_MB, CLOUD_MAX_MB = 690, 2700  # Streamlit Community Cloud's memory per app, smallest and largest
SENTENCES = [
    "The cat sat on the mat because it was warm.",
    "A teacher explains attention to a curious class.",
    "Queries look for keys; values carry what is found.",
    "注意力机制让每个词都能看到句子里的其他词。",
    "Transformers read every word of a sentence at once.",
    "The river bank was flooded after the storm.",
    "She deposited the cheque at the bank on Monday.",
    "Long sentences show how far attention can reach across many tokens in a single step.",
    "1 2 3 4 5 6 7 8 9 10",
    "Why divide by the square root of d_k?",
]


def _mb(pid: int, field: str) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return round(int(next(line.split()[1] for line in status.splitlines() if line.startswith(field))) / 1024, 1)


def measure(sessions: int = 10, browser=None, page: str = "real-model") -> dict:
    """Server VmRSS (MB) at each stage; ``browser``: a Playwright browser to use (else one is launched)."""
    import contextlib
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    from benchmarks.browser import IDLE_JS, launch
    from benchmarks.server import streamlit_server
    from ui.registry import PAGES

    def open_and_wait(page, url: str, chart: bool) -> None:
        page.goto(url)
        if chart:
            page.wait_for_selector(".js-plotly-plot", timeout=180_000)
        page.wait_for_function(IDLE_JS, timeout=180_000)

    with contextlib.ExitStack() as stack:
        server = stack.enter_context(streamlit_server(ROOT / "app.py", cwd=ROOT))
        own = browser is None
        if own:
            browser = launch(stack.enter_context(sync_playwright()))
        result = {"sessions": sessions, "page": page, "started_mb": _mb(server.pid, "VmRSS:")}
        contexts = []
        try:
            first = browser.new_context()
            contexts.append(first)
            tab = first.new_page()
            for spec in PAGES:  # every page once: all imports and first caches
                if spec.url_path == "language-model" and page != "language-model":
                    continue  # SmolLM2 (515 MB) stays unloaded, as on Cloud, where it is not installed
                open_and_wait(tab, f"{server.url}/{spec.url_path}", chart=False)
            open_and_wait(tab, f"{server.url}/{page}?text={quote(SENTENCES[0])}", chart=True)
            result["one_session_mb"] = _mb(server.pid, "VmRSS:")
            for i in range(1, sessions):
                context = browser.new_context()
                contexts.append(context)
                sentence = SENTENCES[i % len(SENTENCES)] + (f" ({i})" if i >= len(SENTENCES) else "")
                open_and_wait(context.new_page(), f"{server.url}/{page}?text={quote(sentence)}", chart=True)
            result["all_sessions_mb"] = _mb(server.pid, "VmRSS:")
            result["peak_mb"] = _mb(server.pid, "VmHWM:")
            result["file_backed_mb"] = _mb(server.pid, "RssFile:")  # memory-mapped weights (SmolLM2's cache)
        finally:
            for context in contexts:
                context.close()
            if own:
                browser.close()
    result["cloud_limits_mb"] = [CLOUD_MIN_MB, CLOUD_MAX_MB]
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--sessions", type=int, default=10)
    ap.add_argument("--page", default="real-model", help="url path the sessions open (default real-model)")
    args = ap.parse_args()
    print(json.dumps(measure(args.sessions, page=args.page), indent=2))


if __name__ == "__main__":
    main()
