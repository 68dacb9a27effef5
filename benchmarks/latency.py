"""Latency of a slider change on a page, as a ratio to a bare one-slider Streamlit page.

Runs benchmarks/latency_probe.py --baseline once per page and prints one line per page with p50/p95
and the p50 ratio to the floor page (benchmarks/floor_app.py) measured in the same probe run: a ratio
survives a noisy machine, seconds do not. Usage:

    python benchmarks/latency.py                       # the scaled-dot-product page (about a minute)
    python benchmarks/latency.py --all                 # every registered page with a slider
    python benchmarks/latency.py why-scaling vision    # some pages
    python benchmarks/latency.py --all -n 30           # more key presses per page (default 20)
    python benchmarks/latency.py language-model --slider 3   # the page's 4th slider (there: the layer)
    python benchmarks/latency.py learn --click learn_train   # train first, then move the snapshot slider
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PROBE = ROOT / "benchmarks" / "latency_probe.py"
DEFAULT_PAGE = "scaled-dot-product"
FIRST_CLICK = {"learn": "learn_train"}  # pages whose charts and slider appear only after this button
NO_SLIDER = ("summary", "glossary")  # pages with nothing to press: --all leaves them out


def main() -> None:
    from ui.registry import PAGES

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", nargs="*", help=f"url paths (default: {DEFAULT_PAGE})")
    ap.add_argument("--all", action="store_true", help="every registered page")
    ap.add_argument("-n", type=int, default=20, help="key presses per page and for the floor (default 20)")
    ap.add_argument("--slider", type=int, default=0, help="which slider of each page to press, 0-based (default 0)")
    ap.add_argument("--click", help="key of a button to press first; --slider then counts the sliders it brings")
    args = ap.parse_args()
    pages = [s.url_path for s in PAGES if s.url_path not in NO_SLIDER] if args.all else args.pages or [DEFAULT_PAGE]
    print(f"{'page':28} {'p50 ms':>8} {'p95 ms':>8} {'floor p50':>10} {'ratio p50':>10}", flush=True)
    failed = False
    for page in pages:
        cmd = [
            sys.executable,
            str(PROBE),
            "--app",
            str(ROOT / "app.py"),
            "--page",
            page,
            "--baseline",
            "-n",
            str(args.n),
            "--slider",
            str(args.slider),
            *(["--click", click] if (click := args.click or FIRST_CLICK.get(page)) else []),
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            failed = True
            print(f"{page:28} failed: {out.stderr.strip().splitlines()[-1:]}", flush=True)
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        page_ms, floor_ms = r["page"], r["floor"]
        print(
            f"{page:28} {page_ms['p50_ms']:8.0f} {page_ms['p95_ms']:8.0f} {floor_ms['p50_ms']:10.0f} {r['ratio_p50']:10.2f}",
            flush=True,
        )
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
