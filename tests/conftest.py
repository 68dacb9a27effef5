"""Shared test set-up: the project root on sys.path, and a fixed Hypothesis profile."""

import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

settings.register_profile("lab", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("lab")
