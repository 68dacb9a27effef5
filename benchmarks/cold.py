"""Cold start: a fresh server's first visit to the home page, as a ratio to the bare one-slider page.

For the app and for benchmarks/floor_app.py alike, in alternating rounds: start `streamlit run` (time to
a healthy server), then open "/" in a new browser context and time until the page is drawn and idle
(the first script run of a fresh process: every import the page needs happens here). Prints one line per
round and the medians, with the ratio of first renders; also whether the app's server process has
loaded PyTorch after the home page (it must not: only the training page imports it). Usage:

    python benchmarks/cold.py              # 5 rounds (about a minute)
    python benchmarks/cold.py --rounds 9
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.browser import IDLE_JS, launch  # noqa: E402
from benchmarks.server import streamlit_server  # noqa: E402

FLOOR_APP = ROOT / "benchmarks" / "floor_app.py"
APP = ROOT / "app.py"


def torch_loaded(pid: int) -> bool:
    """Whether process ``pid`` has PyTorch's shared library mapped (imported torch)."""
    return "libtorch" in Path(f"/proc/{pid}/maps").read_text()


def cold_visit(browser, script: Path) -> dict:
    """Seconds from `streamlit run` to healthy, and from the first visit of "/" to a drawn, idle page."""
    t0 = time.perf_counter()
    with streamlit_server(script, cwd=ROOT) as server:
        healthy = time.perf_counter() - t0
        ctx = browser.new_context(viewport={"width": 1440, "height": 900})
        page = ctx.new_page()
        t1 = time.perf_counter()
        page.goto(f"{server.url}/")
        page.wait_for_function(IDLE_JS, timeout=120_000, polling="raf")
        first = time.perf_counter() - t1
        torch = torch_loaded(server.pid)
        ctx.close()
    return {"start_s": round(healthy, 2), "first_render_s": round(first, 2), "torch": torch}


def main() -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="fresh servers per app (default 5)")
    args = ap.parse_args()
    runs: dict[str, list[dict]] = {"floor": [], "app": []}
    with sync_playwright() as p:
        browser = launch(p)
        for i in range(args.rounds):
            for name, script in (("floor", FLOOR_APP), ("app", APP)):
                r = cold_visit(browser, script)
                runs[name].append(r)
                print(f"round {i + 1} {name:5} start {r['start_s']:5.2f} s  first render {r['first_render_s']:5.2f} s",
                      flush=True)  # fmt: skip
        browser.close()
    median = {
        k: {m: statistics.median(r[m] for r in v) for m in ("start_s", "first_render_s")} for k, v in runs.items()
    }
    result = {
        "floor": median["floor"],
        "app": median["app"],
        "ratio_first_render": round(median["app"]["first_render_s"] / median["floor"]["first_render_s"], 2),
        "app_loaded_torch": any(r["torch"] for r in runs["app"]),
        "rounds": args.rounds,
    }
    print(
        f"median first render: app {median['app']['first_render_s']:.2f} s, bare page "
        f"{median['floor']['first_render_s']:.2f} s, ratio {result['ratio_first_render']}; "
        f"torch loaded by the home page: {'yes' if result['app_loaded_torch'] else 'no'}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
