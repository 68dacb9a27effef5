"""The engine against PyTorch: multi-head attention with every intermediate vs torch.nn.MultiheadAttention.

    python benchmarks/engine.py            # n = 16, 128, 512; d_model 512, h 8; float64
    python benchmarks/engine.py -r 50

Ours is core.multihead.multi_head_attention, which returns Q, K, V, the scores, the scaled scores, the
softmax weights, every head's output, the concatenation and the output. Theirs is
``torch.nn.MultiheadAttention(need_weights=True, average_attn_weights=False)`` (per-head weights, no
other intermediate), in float64 with the same parameters (core.multihead.from_torch) and the same
input, in the same process, timed alternately (ours, theirs, ours, …) so that both see the same machine
state; the median of each is reported with their ratio. Every page computes in float64, so float32 is
not measured. Needs torch (a test dependency).
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

TARGET = 1.5  # ours may cost at most this many times torch's time


def blas() -> dict:
    """Which BLAS NumPy and torch use, and with how many threads."""
    import numpy as np
    import torch
    from threadpoolctl import threadpool_info

    pools = [
        {k: p.get(k) for k in ("internal_api", "version", "num_threads", "filepath")}
        for p in threadpool_info()
        if p.get("user_api") == "blas"
    ]
    return {
        "numpy": np.__version__,
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "blas": pools,
    }


def measure(n: int, d_model: int = 512, heads: int = 8, repeats: int = 30) -> dict:
    import numpy as np
    import torch

    from core.multihead import from_torch, multi_head_attention

    torch.manual_seed(0)
    module = torch.nn.MultiheadAttention(d_model, heads, dtype=torch.float64, batch_first=True).eval()
    params = from_torch(module)
    X = np.random.default_rng(n).standard_normal((n, d_model))
    x = torch.from_numpy(X)[None]

    def ours():
        return multi_head_attention(X, X, params, heads)

    def theirs():
        with torch.no_grad():
            return module(x, x, x, need_weights=True, average_attn_weights=False)

    # same numbers first: a benchmark of two different computations would mean nothing
    out, w = theirs()
    r = ours()
    assert np.allclose(r.output, out[0].numpy(), atol=1e-10) and np.allclose(r.weights, w[0].numpy(), atol=1e-12)
    for f in (ours, theirs):  # warm-up: first calls allocate and load
        f()
    t_ours, t_theirs = [], []
    for _ in range(repeats):
        for f, times in ((ours, t_ours), (theirs, t_theirs)):
            t = time.perf_counter()
            f()
            times.append(time.perf_counter() - t)
    a, b = statistics.median(t_ours), statistics.median(t_theirs)
    return {"n": n, "ours_ms": round(1000 * a, 3), "torch_ms": round(1000 * b, 3), "ratio": round(a / b, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-r", "--repeats", type=int, default=30)
    ap.add_argument("-n", type=int, nargs="*", default=[16, 128, 512])
    args = ap.parse_args()
    rows = [measure(n, repeats=args.repeats) for n in args.n]
    print(
        json.dumps(
            {"d_model": 512, "heads": 8, "dtype": "float64", "target_ratio": TARGET, "rows": rows, **blas()}, indent=2
        )
    )


if __name__ == "__main__":
    main()
