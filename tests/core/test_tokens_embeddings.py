import subprocess
import sys

import numpy as np
import pytest

from core.embeddings import token_embeddings
from core.tokens import tokenize
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "The animal didn't cross the street because it was too tired.",
            ["The", "animal", "didn't", "cross", "the", "street", "because", "it", "was", "too", "tired", "."],
        ),
        ("我爱自然语言处理", list("我爱自然语言处理")),
        ("Attention 注意力!", ["Attention", "注", "意", "力", "!"]),
        ("", []),
        ("   \n\t ", []),
        ("a,b", ["a", ",", "b"]),
        ("x2 = 3.5", ["x2", "=", "3", ".", "5"]),
        ("<b>hi</b>", ["<", "b", ">", "hi", "<", "/", "b", ">"]),
        ("$\\alpha$", ["$", "\\", "alpha", "$"]),
        ("I ❤️ NLP 🤖", ["I", "❤\ufe0f", "NLP", "🤖"]),
        ("مرحبا بالعالم", ["مرحبا", "بالعالم"]),
        ("nul\x00byte", ["nulbyte"]),
        ("cafe\u0301", ["café"]),
        ("snake_case", ["snake", "_", "case"]),
    ],
)
def test_tokenize(text, expected):
    assert tokenize(text) == expected


def test_tokenize_counts_and_ends():
    toks = tokenize("The animal didn't cross the street because it was too tired.")
    assert len(toks) == 12 and toks[-1] == "."
    assert len(tokenize("我爱自然语言处理")) == 8


def test_embeddings_depend_on_token_and_seed_only():
    e = token_embeddings(["cat", "sat", "cat"], 16, seed=3)
    assert e.shape == (3, 16) and e.dtype == np.float64
    assert np.array_equal(e[0], e[2]) and not np.allclose(e[0], e[1])
    assert np.array_equal(token_embeddings(["cat"], 16, seed=3)[0], e[0])
    assert not np.allclose(token_embeddings(["cat"], 16, seed=4)[0], e[0])
    assert token_embeddings([], 8).shape == (0, 8)


def test_embeddings_are_the_same_in_another_process():
    here = token_embeddings(["attention"], 4, seed=1)[0]
    code = "from core.embeddings import token_embeddings as f; print(repr(f(['attention'], 4, seed=1)[0].tolist()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert np.array_equal(np.array(eval(out.stdout)), here)
