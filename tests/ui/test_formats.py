"""ui.formats: a control's value in the address, hostile values, the settings file, CSV and NPY exports
parsed back."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui import formats
from ui.formats import CLAMPED, DROPPED, OK, Spec

INT = Spec("number", 8, 1, 64, integer=True)
FLOAT = Spec("number", 1.0, 0.1, 5.0)
BOOL = Spec("bool", True)
CHOICE = Spec("choice", "none", options=("none", "causal", "padding", "custom"))
HEADS = Spec("choice", None, options=(None, 0, 1, 2))
PAIRS = Spec("multi", [], options=((0, 1), (2, 3), (4, 5)), max_items=2)
TEXT = Spec("text", "", max_items=10)


@pytest.mark.parametrize(
    "spec,value,text",
    [
        (INT, 16, "16"),
        (FLOAT, 0.30000000000000004, "0.30000000000000004"),  # exact: a link restores the very value
        (BOOL, False, "0"),
        (CHOICE, "causal", "causal"),
        (HEADS, 2, "2"),
        (PAIRS, [(2, 3), (0, 1)], "2-3,0-1"),
        (TEXT, "猫 sat", "猫 sat"),
    ],
)
def test_a_value_round_trips_through_the_address(spec, value, text):
    assert formats.encode(spec, value) == text
    assert formats.decode(spec, text) == (value, OK)


@pytest.mark.parametrize("spec", [INT, FLOAT, BOOL, CHOICE, HEADS, PAIRS, TEXT])
def test_a_default_stays_out_of_the_address(spec):
    assert formats.encode(spec, spec.default) is None


@pytest.mark.parametrize(
    "spec,raw,value,status",
    [
        (INT, "abc", 8, DROPPED),
        (INT, "nan", 8, DROPPED),
        (INT, "inf", 8, DROPPED),
        (INT, "1e309", 8, DROPPED),
        (INT, "9" * 500, 8, DROPPED),  # longer than any value
        (INT, "-3", 1, CLAMPED),
        (INT, "1e6", 64, CLAMPED),
        (INT, "3.7", 3, CLAMPED),
        (INT, "１２", 12, DROPPED),  # read as 12, and the notice says the text was not a plain number
        (FLOAT, "-inf", 1.0, DROPPED),
        (FLOAT, "7", 5.0, CLAMPED),
        (BOOL, "maybe", True, DROPPED),
        (BOOL, "FALSE", False, OK),
        (CHOICE, "Causal", "none", DROPPED),  # a label is not an id
        (CHOICE, "<script>", "none", DROPPED),
        (HEADS, "none", None, OK),
        (PAIRS, "0-1,9-9", [(0, 1)], CLAMPED),
        (PAIRS, "0-1,2-3,4-5", [(0, 1), (2, 3)], CLAMPED),  # more than the control takes
        (PAIRS, "0-1,0-1", [(0, 1)], CLAMPED),  # once each
        (PAIRS, "x,y", [], DROPPED),
        (PAIRS, "", [], OK),
        (TEXT, "x" * 11, "x" * 10, CLAMPED),
    ],
)
def test_a_hostile_value_is_clamped_or_dropped_and_says_which(spec, raw, value, status):
    assert formats.decode(spec, raw) == (value, status)


@given(st.text(max_size=60))
def test_decoding_anything_gives_a_value_the_control_accepts(raw):
    for spec in (INT, FLOAT, BOOL, CHOICE, HEADS, PAIRS, TEXT):
        value, status = formats.decode(spec, raw)
        assert status in (OK, CLAMPED, DROPPED)
        if spec.kind == "number":
            assert math.isfinite(value) and spec.lo <= value <= spec.hi
            assert isinstance(value, int) == spec.integer
        elif spec.kind == "choice":
            assert value in spec.options
        elif spec.kind == "multi":
            assert set(value) <= set(spec.options) and len(value) <= spec.max_items
        elif spec.kind == "text":
            assert len(value) <= spec.max_items


def test_custom_mask_cells():
    assert formats.cells_to_text(()) is None
    assert formats.cells_to_text([(2, 0), (0, 1)]) == "0.1,2.0"
    assert formats.cells_from_text("0.1,2.0", 3) == (((0, 1), (2, 0)), OK)
    assert formats.cells_from_text("0.1,5.5,a.b,-1.0,１.0", 3) == (((0, 1),), CLAMPED)
    assert formats.cells_from_text("9.9", 3) == ((), DROPPED)
    assert formats.cells_from_text("0.0," * 10_000, 3) == ((), DROPPED)


def test_the_settings_file_round_trips():
    params = {"lang": "zh", "text": "猫坐在垫子上", "sdp_d_k": "16", "sdp_tab": "trace"}
    page, back = formats.state_from_json(formats.state_to_json("sdp", params))
    assert (page, back) == ("sdp", params)


@pytest.mark.parametrize(
    "data,code",
    [
        (b"x" * (formats.MAX_STATE_BYTES + 1), "too_big"),
        (b"\xff", "not_json"),
        (b"{", "not_json"),
        (b"[" * 50_000 + b"]" * 50_000, "too_big"),
        (b"[" * 30_000 + b"]" * 30_000, "not_json"),  # deeper than the parser goes
        (b'{"format": "attention-lab/state", "version": 1, "page": "sdp", "params": {"a": NaN}}', "not_json"),
        (b"[]", "not_state"),
        (b'{"format": "x"}', "not_state"),
        (b'{"format": "attention-lab/state", "version": 2, "page": "sdp", "params": {}}', "version"),
        (b'{"format": "attention-lab/state", "version": 1, "page": 3, "params": {}}', "not_state"),
        (b'{"format": "attention-lab/state", "version": 1, "page": "sdp", "params": {"a": 1}}', "not_state"),
        (b'{"format": "attention-lab/state", "version": 1, "page": "sdp", "params": []}', "not_state"),
    ],
)
def test_a_hostile_settings_file_is_refused_with_a_reason(data, code):
    with pytest.raises(formats.StateRejected) as err:
        formats.state_from_json(data)
    assert err.value.code == code


def test_a_settings_file_with_too_many_controls_is_refused():
    params = {f"sdp_{i}": "1" for i in range(formats.MAX_STATE_CONTROLS + 1)}
    data = json.dumps({"format": formats.STATE_FORMAT, "version": 1, "page": "sdp", "params": params}).encode()
    with pytest.raises(formats.StateRejected):
        formats.state_from_json(data)


LABELS = ["0 · The", '1 · "quoted", comma', "=SUM(A1)", "3 · 猫", "4 · line\nbreak"]


def test_csv_holds_the_matrix_and_its_labels_exactly():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(5, 3)) * 10.0 ** rng.integers(-12, 12, size=(5, 3))
    z[1, 2] = np.nan  # a masked cell
    data = formats.to_csv(z, LABELS, ["d0", "d1", "@d2"])
    back, rows, cols = formats.from_csv(data)
    np.testing.assert_array_equal(back, z)  # bit for bit, NaN where NaN
    assert rows == [formats.cell_text(label) for label in LABELS]
    assert rows[2] == "'=SUM(A1)" and cols == ["d0", "d1", "'@d2"]  # never run as a spreadsheet formula


def test_csv_refuses_labels_that_do_not_fit():
    with pytest.raises(ValueError, match="row and"):
        formats.to_csv(np.zeros((2, 2)), ["a"], ["b", "c"])


def test_npy_holds_the_matrix_exactly_and_no_objects():
    z = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    back = formats.from_npy(formats.to_npy(z))
    assert back.dtype == np.float64 and back.shape == (3, 4)
    np.testing.assert_array_equal(back, z.astype(np.float64))


@pytest.mark.parametrize(
    "parts,stem",
    [
        (
            ("scaled-dot-product", "scores", "The animal didn't cross"),
            "scaled-dot-product_scores_The-animal-didn-t-cross",
        ),
        (("multi-head", "heads", "猫坐在垫子上"), "multi-head_heads_猫坐在垫子上"),
        (("vision", "patch", "../../etc/passwd"), "vision_patch_etc-passwd"),
        (("", "", ""), "attention-lab"),
    ],
)
def test_file_names_say_page_figure_and_sentence_and_nothing_else(parts, stem):
    assert formats.file_stem(*parts) == stem
