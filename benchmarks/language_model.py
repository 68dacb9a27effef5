"""Measured figures of SmolLM2-135M in NumPy: loads, forward pass, generation with and without the KV cache.

    python benchmarks/language_model.py

1. first load: a fresh process with an empty cache directory (ATTENTION_LAB_CACHE_DIR): read the GGUF file,
   dequantize every tensor to float32, write the cache; warm load: a second fresh process on that cache
   (memory-mapped arrays and the tokenizer JSON, no GGUF parsing); and the load with no writable cache.
2. the forward pass over a 32-token prompt (every intermediate kept), median of 7.
3. one generated token: a KV-cache step after the 32-token prompt vs recomputing the whole 33-token pass.
Layer/head switch latency: `python benchmarks/latency.py language-model --slider 3`; server memory with
both models: `python benchmarks/memory.py --page language-model`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PROMPT = (
    "The quick brown fox jumps over the lazy dog while the old cat watches from the window, and then the"
    " children run out into the garden to see what all the noise is about"
)

LOAD = """
import resource, time
t0 = time.perf_counter()
from core.smollm import load_smollm
m = load_smollm()
print(time.perf_counter() - t0, m.storage, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def load(cache: str) -> tuple[float, str, float]:
    env = {**os.environ, "ATTENTION_LAB_CACHE_DIR": cache}
    out = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    seconds, storage, peak = out.stdout.split()
    return round(float(seconds), 2), storage, round(float(peak))


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(1e3 * (time.perf_counter() - t0))
    return round(statistics.median(times), 1)


def main() -> None:
    from core.smollm import load_smollm

    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        first, warm = load(f"{tmp}/cache"), load(f"{tmp}/cache")
        blocker = Path(tmp) / "file"
        blocker.write_text("")
        memory = load(f"{blocker}/cache")
    result["first_load_s"], result["first_load_storage"], result["first_load_peak_rss_mb"] = first
    result["warm_load_s"], result["warm_load_storage"], result["warm_load_peak_rss_mb"] = warm
    result["no_cache_load_s"], _, result["no_cache_peak_rss_mb"] = memory
    model = load_smollm()
    ids = model.encode(PROMPT)[:32]
    assert len(ids) == 32, len(ids)
    model.forward_ids(ids)  # touch every page of the weights once
    result["forward_32_tokens_ms"] = median_ms(lambda: model.forward_ids(ids), 7)
    cache, logits = model.prefill(ids)
    token = int(logits.argmax())

    def step():
        c = type(cache)(K=list(cache.K), V=list(cache.V))  # the same 32-token cache every time
        model.step(c, token)

    result["kv_step_ms"] = median_ms(step, 21)
    result["recompute_33_tokens_ms"] = median_ms(lambda: model.forward_ids([*ids, token]), 7)
    result["kv_speed_up"] = round(result["recompute_33_tokens_ms"] / result["kv_step_ms"], 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
