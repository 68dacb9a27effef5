"""The documented limits: one definition (core.limits), enforced by the engine, listed in the README."""

import re
from pathlib import Path

import pytest

from core import limits
from core.inputs import toy_inputs
from core.positional import k_back_attention, pe_similarity, projected_similarity

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_limits() -> dict[str, str]:
    section = README.read_text(encoding="utf-8").split("\n## Limits", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", section, flags=re.M)[1:])  # after the header row


def test_readme_lists_the_limits_the_code_uses():
    table = readme_limits()
    assert table["sentence box"].startswith(f"{limits.SENTENCE_MAX_CHARS} characters")
    assert table["tokens on a toy page"] == str(limits.TOY_MAX_TOKENS)
    assert table["tokens the real model reads"].startswith(str(limits.MODEL_MAX_TOKENS))
    assert table["d_model on the step, multi-head and block pages"] == str(limits.TOY_MAX_D_MODEL)
    assert (
        table["positional-encoding table"]
        == f"{limits.PE_MAX_POSITIONS} positions × {limits.PE_MAX_D_MODEL} dimensions"
    )
    upload = table["uploaded picture"]
    assert f"{limits.UPLOAD_MAX_BYTES // 2**20} MB" in upload
    assert f"{limits.UPLOAD_MAX_SIDE} × {limits.UPLOAD_MAX_SIDE} pixels" in upload
    assert f"kept at {limits.UPLOAD_KEPT_SIDE} pixels" in upload


def test_toy_inputs_refuse_more_tokens_than_a_page_draws():
    assert toy_inputs(["w"] * limits.TOY_MAX_TOKENS, 8).X.shape == (limits.TOY_MAX_TOKENS, 8)
    with pytest.raises(ValueError, match=f"at most {limits.TOY_MAX_TOKENS} tokens"):
        toy_inputs(["w"] * (limits.TOY_MAX_TOKENS + 1), 8)
    with pytest.raises(ValueError, match=f"between 1 and {limits.PE_MAX_D_MODEL}"):
        toy_inputs(["w"], limits.PE_MAX_D_MODEL + 1)


@pytest.mark.parametrize("compute", [pe_similarity, projected_similarity, lambda n, d: k_back_attention(n, 1, d)])
def test_positional_tables_refuse_sizes_beyond_the_page(compute):
    compute(8, 8)  # within the limits: computes
    with pytest.raises(ValueError, match=f"num_positions must be between 1 and {limits.PE_MAX_POSITIONS}"):
        compute(limits.PE_MAX_POSITIONS + 1, 8)
    with pytest.raises(ValueError, match=f"d_model must be between 1 and {limits.PE_MAX_D_MODEL}"):
        compute(8, limits.PE_MAX_D_MODEL + 1)


def test_the_real_model_reads_at_most_its_limit(minilm_model):
    trace = minilm_model.trace("word " * 300, max_tokens=limits.MODEL_MAX_TOKENS)
    assert len(trace.tokens) == limits.MODEL_MAX_TOKENS and trace.truncated


def test_upload_limits_are_the_image_checks():
    from core import images

    assert (images.MAX_BYTES, images.MAX_SIDE, images.KEEP_SIDE) == (
        limits.UPLOAD_MAX_BYTES, limits.UPLOAD_MAX_SIDE, limits.UPLOAD_KEPT_SIDE,
    )  # fmt: skip
    assert images.KEEP_SIDE >= images.WORK_SIDE
