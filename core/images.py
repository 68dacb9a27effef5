"""Checked image loading for uploads: only small PNG/JPEG files are ever decoded.

Order of checks (cheapest first, nothing decoded before the header is trusted):
bytes present → bytes ≤ MAX_BYTES → Pillow can read a header → format PNG/JPEG → width, height ≤
MAX_SIDE → decode (a decompression bomb is refused by Pillow itself above MAX_IMAGE_PIXELS), shrunk
to KEEP_SIDE on the longest side: a 59 KB PNG of 4096 × 4096 would otherwise be a 48 MiB array.
Errors carry a ``code`` and values, never text: the page words them in the user's language.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

import numpy as np
from PIL import Image

from core.limits import UPLOAD_KEPT_SIDE, UPLOAD_MAX_BYTES, UPLOAD_MAX_SIDE

MAX_BYTES = UPLOAD_MAX_BYTES  # 5 MB as Streamlit counts them (MiB); .streamlit/config.toml server.maxUploadSize = 5
MAX_SIDE = UPLOAD_MAX_SIDE  # pixels, each side
FORMATS = ("PNG", "JPEG")
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "assets" / "images"  # bundled PNGs
SAMPLES = ("landscape", "shapes", "ball")  # drawn by assets/images/make_samples.py
WORK_SIDE = 224  # the longest side of the image the attention works on (ViT's input size)
KEEP_SIDE = UPLOAD_KEPT_SIDE  # a decoded image is shrunk to this longest side (2 × WORK_SIDE) before it is kept

# Pillow warns above this many pixels and raises above twice as many; no accepted image comes close
Image.MAX_IMAGE_PIXELS = MAX_SIDE * MAX_SIDE


class ImageRejected(Exception):
    """Why an upload was refused. code ∈ {empty, too_big, not_image, bomb, format, too_large, corrupt}.

    Not a dataclass: a frozen dataclass cannot be raised (Python sets ``__traceback__`` on it).
    """

    def __init__(self, code: str, values: dict | None = None) -> None:
        super().__init__(f"{code}: {values or {}}")
        self.code = code
        self.values = dict(values or {})


def load_image(
    data: bytes, max_bytes: int = MAX_BYTES, max_side: int = MAX_SIDE, keep_side: int | None = KEEP_SIDE
) -> np.ndarray:
    """Validate and decode PNG/JPEG bytes → (H, W, 3) uint8 RGB, longest side ≤ ``keep_side`` (None: as
    stored). Raises ImageRejected."""
    if not data:
        raise ImageRejected("empty")
    if len(data) > max_bytes:
        raise ImageRejected("too_big", {"mb": round(len(data) / 2**20, 1), "max_mb": max_bytes // 2**20})
    try:
        with warnings.catch_warnings():
            # above MAX_IMAGE_PIXELS Pillow only warns here; the size check just below refuses it
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))  # reads the header only
    except Image.DecompressionBombError as err:  # header claims > 2 × MAX_IMAGE_PIXELS
        raise ImageRejected("bomb", {"max_side": max_side}) from err
    except (OSError, SyntaxError, ValueError) as err:
        raise ImageRejected("not_image") from err
    if img.format not in FORMATS:
        raise ImageRejected("format", {"format": img.format or "?"})
    width, height = img.size
    if width > max_side or height > max_side or width < 1 or height < 1:
        raise ImageRejected("too_large", {"width": width, "height": height, "max_side": max_side})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if keep_side is not None and max(width, height) > keep_side:
                # a JPEG is decoded at a reduced scale straight away (draft); a PNG in full, then shrunk
                img.thumbnail((keep_side, keep_side), Image.Resampling.BILINEAR)
            img.load()
            rgb = img.convert("RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError) as err:
        raise ImageRejected("corrupt") from err
    return np.asarray(rgb, dtype=np.uint8)


def load_image_file(path: str | os.PathLike[str]) -> np.ndarray:
    """A bundled sample image → (H, W, 3) uint8 RGB, through the same checks as an upload."""
    with open(path, "rb") as f:
        return load_image(f.read())


def fit_to_patches(image: np.ndarray, patch: int, work_side: int = WORK_SIDE) -> np.ndarray:
    """Resize so the longest side is ≈ work_side and both sides are whole multiples of ``patch``.

    (H, W, 3) uint8 → (rows·P, cols·P, 3) uint8 with rows, cols ≥ 1; the aspect ratio is kept to
    within one patch.
    """
    h, w = image.shape[:2]
    s = work_side / max(h, w)
    rows, cols = max(1, round(h * s / patch)), max(1, round(w * s / patch))
    resized = Image.fromarray(image).resize((cols * patch, rows * patch), Image.Resampling.BILINEAR)
    return np.asarray(resized, dtype=np.uint8)
