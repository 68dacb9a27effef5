"""ui.text.number_text: sizes in running text, plain digits in the middle and × 10ⁿ outside."""

import pytest

from ui.text import number_text


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0.0, "0"),
        (1.0052, "1.01"),
        (0.0674641, "0.0675"),
        (234.889, "235"),
        (999.6, "1.00 × 10³"),
        (7469.1, "7.47 × 10³"),
        (2.59e-13, "2.59 × 10⁻¹³"),
        (-0.5, "-0.5"),
    ],
)
def test_number_text(x, text):
    assert number_text(x) == text
