"""Classroom-mode screenshots (``tests/e2e/shoot_classroom.py``): four pages in projector mode at 1024 × 768,
light and dark, English and Chinese. Each page draws without an error and every file stays small enough to
commit. Written to a temporary folder, or to the folder ``ATTENTION_LAB_CLASSROOM_SHOTS`` names (e.g.
``assets/screenshots/classroom`` to refresh the committed ones)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.shoot_classroom import LANGS, MAX_BYTES, THEMES, VIEWS, shoot

pytestmark = pytest.mark.e2e


def test_classroom_screenshots(browser, server, tmp_path):
    out = Path(os.environ.get("ATTENTION_LAB_CLASSROOM_SHOTS") or tmp_path)
    done = shoot(browser, server, out)
    assert len(done) == len(VIEWS) * len(THEMES) * len(LANGS)
    errors = {path.name: found for path, found in done.items() if found}
    assert not errors, errors
    sizes = {path.name: path.stat().st_size for path in done}
    assert max(sizes.values()) <= MAX_BYTES, sizes
