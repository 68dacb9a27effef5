"""benchmarks/engine.py runs from a clone and compares equal computations (its timing is reported, not pinned)."""

from benchmarks.engine import blas, measure


def test_engine_benchmark_runs_on_equal_outputs():
    row = measure(16, repeats=2)  # asserts our output and weights equal torch's before timing
    assert row["n"] == 16 and row["ours_ms"] > 0 and row["torch_ms"] > 0
    assert blas()["blas"], "NumPy's BLAS was not found by threadpoolctl"
