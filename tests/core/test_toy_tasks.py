"""The toy tasks, their probe sequences, the learner's input and the head measures (NumPy, no torch)."""

from __future__ import annotations

import numpy as np
import pytest

from core import toy_tasks as tasks
from ui.i18n import LANGUAGES, catalog


def text(task: str, ids) -> str:
    return "".join(tasks.spec(task).vocab[i] for i in ids)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_examples_the_page_gives_are_the_tasks_answers(lang):
    about = catalog(lang)
    for task, answer in (("copy", "38152704"), ("reverse", "40725183"), ("sort", "01234578")):
        probe = tasks.probe(task)
        assert f"{text(task, probe)} → {answer}" in about[f"learn.about_{task}"]
        assert text(task, tasks.targets(task, probe[None])[0]) == answer
    probe = text("induction", tasks.probe("induction"))
    assert f"{probe[:10]} {probe[10:]}" in about["learn.about_induction"] and probe[:10] == probe[10:]
    assert len(set(probe[:10])) == 10 and "7 − i" in about["learn.about_reverse"] and tasks.spec("reverse").length == 8


def test_induction_batches_repeat_a_pattern_of_random_length():
    x, y = tasks.batch("induction", 500, np.random.default_rng(0))
    periods = np.argmax(tasks.repeated(x), axis=1)  # the first repeated position is the pattern's length
    assert set(periods) == set(range(tasks.MIN_PERIOD, 11))
    for row, m in zip(x, periods):
        assert len(set(row[:m])) == m and np.array_equal(row[m:], row[: len(row) - m])
    assert np.array_equal(y[:, :-1], x[:, 1:]) and (y[:, -1] == -1).all()
    keep, new = tasks.scored("induction", x), tasks.fresh("induction", x)
    assert not (keep & new).any() and keep[np.arange(500), periods].all()


def test_encode_says_what_is_wrong():
    assert tasks.encode("reverse", "") == (None, "empty")
    assert tasks.encode("reverse", " , ") == (None, "empty")
    assert tasks.encode("reverse", "1234567a")[1] == "unknown"
    assert tasks.encode("reverse", "12345678😀")[1] == "unknown"
    assert tasks.encode("reverse", "123")[1] == "length"
    assert tasks.encode("induction", "a")[1] == "length" and tasks.encode("induction", "ab" * 11)[1] == "length"
    assert tasks.encode("sort", "<b>1</b>")[1] == "unknown"
    ids, problem = tasks.encode("sort", "3, 8, 1, 5, 2, 7, 0, 4")
    assert problem is None and ids.tolist() == [3, 8, 1, 5, 2, 7, 0, 4]


def test_measures_on_hand_made_heads():
    n = 8
    mirror = np.eye(n)[::-1]
    assert tasks.mirror_weight(mirror) == 1 and tasks.diagonal_weight(mirror) == 0
    assert tasks.mirror_weight(np.full((n, n), 1 / n)) == pytest.approx(1 / n)
    prev = np.eye(n, k=-1)
    prev[0, 0] = 1
    assert tasks.previous_token_score(prev) == 1
    x = tasks.probe("induction")[None]  # 10 letters, then the same 10
    induction = np.zeros((20, 20))
    for i in range(20):
        induction[i, i - 9 if i >= 10 else i] = 1  # position 10 + j looks at j + 1
    assert tasks.prefix_matching_score(induction[None], x) == pytest.approx(1)
    assert tasks.prefix_matching_score(np.eye(20)[None], x) == 0
    assert tasks.copying_score(np.eye(5)) == 1 and tasks.copying_score(-np.eye(5)) == -1
    y = tasks.targets("sort", np.array([[2, 0, 1]]))
    assert tasks.answer_weight(np.eye(3)[None][:, None], np.array([[2, 0, 1]]), y) == pytest.approx(0)


def test_midpoint_step():
    steps = np.array([0, 10, 20, 30])
    assert tasks.midpoint_step(steps, [0.1, 0.2, 0.8, 0.9]) == 20
    assert tasks.midpoint_step(steps, [2.0, 1.9, 0.3, 0.1]) == 20
    assert tasks.midpoint_step(steps, [0.5, 0.52, 0.55, 0.55]) is None


def test_cannot_solve():
    assert tasks.cannot_solve("reverse", 1, "learned", False) == ()
    assert tasks.cannot_solve("sort", 1, "none", True) == ("causal_breaks",)
    assert tasks.cannot_solve("reverse", 1, "none", False) == ("no_position",)
    assert tasks.cannot_solve("copy", 1, "none", True) == ()
    assert tasks.cannot_solve("induction", 1, "learned", False) == ("causal_needed", "one_layer")
