"""core.images: what an upload must pass before it is decoded, and the resize to whole patches."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from core.images import (
    KEEP_SIDE,
    MAX_BYTES,
    SAMPLES,
    SAMPLES_DIR,
    WORK_SIDE,
    ImageRejected,
    fit_to_patches,
    load_image,
    load_image_file,
)


def png_bytes(width: int, height: int, colour=(200, 30, 30), fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, fmt)
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that *claims* width × height (a decompression bomb's header) with almost no pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    )


def rejected(data: bytes, **kwargs) -> ImageRejected:
    with pytest.raises(ImageRejected) as info:
        load_image(data, **kwargs)
    return info.value


def test_valid_png_and_jpeg_decode_to_rgb():
    png = load_image(png_bytes(40, 30))
    assert png.shape == (30, 40, 3) and png.dtype == np.uint8
    assert tuple(png[0, 0]) == (200, 30, 30)
    jpg = load_image(png_bytes(16, 8, fmt="JPEG"))
    assert jpg.shape == (8, 16, 3)


def test_greyscale_and_rgba_become_rgb():
    buf = io.BytesIO()
    Image.new("LA", (5, 4), (100, 50)).save(buf, "PNG")
    assert load_image(buf.getvalue()).shape == (4, 5, 3)


def test_empty_file():
    assert rejected(b"").code == "empty"


def test_text_renamed_png_is_not_an_image():
    assert rejected(b"hello, I am not a picture\n" * 20).code == "not_image"


def test_other_formats_are_refused_with_their_name():
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "GIF")
    err = rejected(buf.getvalue())
    assert err.code == "format" and err.values == {"format": "GIF"}


def test_too_many_bytes_refused_before_decoding():
    err = rejected(b"\x89PNG" + b"\0" * MAX_BYTES)
    assert err.code == "too_big" and err.values["max_mb"] == 5


def test_decompression_bomb_refused_from_the_header():
    # a 60 000 × 60 000 header: 3.6 gigapixels in a few bytes; Pillow refuses it before decoding
    assert rejected(png_header_only(60_000, 60_000)).code == "bomb"


def test_huge_dimensions_refused_from_the_header():
    err = rejected(png_header_only(5000, 5000))
    assert err.code == "too_large" and err.values["width"] == 5000 and err.values["max_side"] == 4096


def test_real_image_over_the_side_limit():
    err = rejected(png_bytes(4097, 8))
    assert err.code == "too_large" and err.values["height"] == 8
    assert load_image(png_bytes(4096, 4), keep_side=None).shape == (4, 4096, 3)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_large_images_are_shrunk_before_anyone_keeps_them(fmt):
    # a 4096 × 4096 upload compresses to a few KB but decodes to 48 MiB; what is returned (and cached) is
    # at most KEEP_SIDE on the longest side, aspect ratio kept, colours intact
    image = load_image(png_bytes(4096, 2048, colour=(10, 200, 30), fmt=fmt))
    assert image.shape == (KEEP_SIDE // 2, KEEP_SIDE, 3)
    assert image.nbytes <= KEEP_SIDE * KEEP_SIDE * 3 < 1_000_000
    assert np.abs(image.astype(int) - (10, 200, 30)).max() <= 3
    assert KEEP_SIDE >= WORK_SIDE  # the page still gets a full-resolution working image


def test_small_images_are_kept_as_they_are():
    assert load_image(png_bytes(300, 200)).shape == (200, 300, 3)


def test_truncated_image_is_corrupt():
    data = png_bytes(64, 64, colour=(1, 2, 3))
    assert rejected(data[: len(data) // 2]).code in {"corrupt", "not_image"}
    assert rejected(png_header_only(32, 32)).code == "corrupt"  # header fine, pixel data missing


@pytest.mark.parametrize("name", SAMPLES)
def test_bundled_samples_are_small_valid_pngs(name):
    path = SAMPLES_DIR / f"{name}.png"
    assert path.stat().st_size < 100_000
    image = load_image_file(path)
    assert image.ndim == 3 and image.shape[2] == 3 and image.std() > 10  # not a blank picture


@pytest.mark.parametrize(("h", "w", "patch"), [(192, 256, 16), (192, 256, 56), (10, 4000, 32), (300, 300, 28)])
def test_fit_to_patches_gives_whole_patches(h, w, patch):
    out = fit_to_patches(np.zeros((h, w, 3), dtype=np.uint8), patch)
    assert out.shape[0] % patch == 0 and out.shape[1] % patch == 0 and out.shape[0] >= patch
    assert abs(max(out.shape[:2]) - 224) <= patch / 2
