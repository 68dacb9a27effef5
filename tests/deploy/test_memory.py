"""A classroom fits in Streamlit Community Cloud's smallest app: 10 sessions on the real model under 690 MB."""

from pathlib import Path

import pytest

from benchmarks.memory import CLOUD_MIN_MB, measure

pytestmark = pytest.mark.slow
REPORT = Path(__file__).with_name("memory_report.txt")


def test_ten_sessions_on_the_real_model_fit_cloud_smallest_limit(browser):
    result = measure(10, browser)
    REPORT.write_text(f"{result}\n")
    print(result)
    assert result["one_session_mb"] > result["started_mb"] + 50, "the model was not loaded: nothing was measured"
    assert result["peak_mb"] < CLOUD_MIN_MB, result
