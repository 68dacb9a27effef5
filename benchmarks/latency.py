"""Latency of a slider change on each page, as a ratio to a bare one-slider Streamlit page.

Runs the shared latency probe (latency_probe.py --baseline) once per page and prints one line per
page with p50/p95 and the p50 ratio to the floor page measured in the same run: a ratio survives a
noisy machine, seconds do not. Usage:

    python benchmarks/latency.py                      # every registered page
    python benchmarks/latency.py scaled-dot-product   # some pages
    python benchmarks/latency.py --probe PATH -n 20   # another probe location / sample count
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PROBE_CANDIDATES = (ROOT.parent / "shared" / "tools" / "latency_probe.py", ROOT / "tools" / "latency_probe.py")


def main() -> None:
    from ui.registry import PAGES

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", nargs="*", help="url paths (default: every registered page)")
    ap.add_argument("--probe", type=Path, default=next((p for p in PROBE_CANDIDATES if p.exists()), None))
    ap.add_argument("-n", type=int, default=20)
    args = ap.parse_args()
    if args.probe is None or not args.probe.exists():
        raise SystemExit("latency_probe.py not found: pass --probe PATH")
    pages = args.pages or [spec.url_path for spec in PAGES]
    print(f"{'page':28} {'p50 ms':>8} {'p95 ms':>8} {'floor p50':>10} {'ratio p50':>10}")
    for page in pages:
        cmd = [
            sys.executable,
            str(args.probe),
            "--app",
            str(ROOT / "app.py"),
            "--page",
            page,
            "--baseline",
            "-n",
            str(args.n),
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            print(f"{page:28} failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{page:28} {r['page']['p50_ms']:8.0f} {r['page']['p95_ms']:8.0f} {r['floor']['p50_ms']:10.0f} {r['ratio_p50']:10.2f}"
        )


if __name__ == "__main__":
    main()
