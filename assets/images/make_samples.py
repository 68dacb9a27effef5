"""Draw the sample images of the "Attention over images" page (run from anywhere; writes PNGs here).

Made by us with Pillow so they carry no licence questions: python assets/images/make_samples.py
"""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
W, H = 256, 192


def gradient(top, bottom, height=H, width=W) -> Image.Image:
    t = np.linspace(0, 1, height)[:, None, None]
    rows = (1 - t) * np.array(top) + t * np.array(bottom)  # (H, 1, 3)
    return Image.fromarray(np.repeat(rows, width, axis=1).astype(np.uint8))


def landscape() -> Image.Image:
    img = gradient((90, 150, 230), (200, 225, 250))
    d = ImageDraw.Draw(img)
    d.ellipse((185, 20, 235, 70), fill=(255, 205, 40))  # sun
    d.polygon([(0, 130), (70, 95), (150, 125), (256, 100), (256, 192), (0, 192)], fill=(70, 150, 70))  # hills
    d.rectangle((40, 120, 100, 165), fill=(200, 60, 50))  # house
    d.polygon([(32, 122), (70, 92), (108, 122)], fill=(120, 40, 30))  # roof
    d.rectangle((62, 140, 78, 165), fill=(90, 50, 20))  # door
    return img


def shapes() -> Image.Image:
    img = Image.new("RGB", (W, H), (245, 245, 240))
    d = ImageDraw.Draw(img)
    d.ellipse((20, 30, 100, 110), fill=(220, 40, 40))
    d.rectangle((150, 20, 230, 100), fill=(30, 80, 200))
    d.polygon([(60, 180), (110, 120), (160, 180)], fill=(40, 160, 70))
    d.ellipse((180, 130, 220, 170), fill=(220, 40, 40))
    return img


def ball_on_checkers() -> Image.Image:
    yy, xx = np.mgrid[0:H, 0:W]
    board = ((yy // 32 + xx // 32) % 2).astype(np.uint8)
    arr = np.where(board[..., None] == 1, (60, 60, 60), (230, 230, 230)).astype(np.uint8)
    img = Image.fromarray(arr)
    d = ImageDraw.Draw(img)
    d.ellipse((100, 60, 170, 130), fill=(240, 120, 20))  # ball
    return img


SAMPLES = {"landscape": landscape, "shapes": shapes, "ball": ball_on_checkers}

if __name__ == "__main__":
    for name, draw in SAMPLES.items():
        path = HERE / f"{name}.png"
        draw().save(path, optimize=True)
        print(path, path.stat().st_size, "bytes")
