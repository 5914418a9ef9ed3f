"""Draw the demo's pictures: illustrations of cells made by code, so the demo carries no photograph of
anyone and no file the project did not make. Writes fixtures/files/default/articles/demo/*.jpg, which
the demo's rows name; run it again and the same pictures come out."""

import math
import random
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw, ImageFilter

OUT = Path(settings.BASE_DIR) / "fixtures" / "files" / "default" / "articles" / "demo"
SIZE = (1600, 900)

# name: (seed, background top, background bottom, cell colours, what it shows)
PICTURES = {
    "blood-cells": (11, "#0b3954", "#1d6fa3", ["#e4572e", "#f3a712", "#ffffff"], "blood"),
    "car-t-cell": (23, "#123c46", "#2a8a8f", ["#f5f3bb", "#dfa06e", "#ffffff"], "receptor"),
    "lupus-butterfly": (37, "#3b1f4f", "#7b4b94", ["#f1c6e7", "#ffd6a5", "#ffffff"], "butterfly"),
    "morning-light": (41, "#7a3b2e", "#e59f71", ["#fff3e2", "#ffd29d", "#ffffff"], "light"),
    "small-cells": (53, "#1f4e3d", "#4f9d69", ["#e8f5d0", "#ffe8a3", "#ffffff"], "small"),
}


def rgba(colour: str, alpha: int) -> tuple:
    return (*Image.new("RGB", (1, 1), colour).getpixel((0, 0)), alpha)


def gradient(top: str, bottom: str) -> Image.Image:
    image = Image.new("RGB", SIZE)
    a, b = Image.new("RGB", (1, 2)), None
    a.putpixel((0, 0), Image.new("RGB", (1, 1), top).getpixel((0, 0)))
    a.putpixel((0, 1), Image.new("RGB", (1, 1), bottom).getpixel((0, 0)))
    b = a.resize(SIZE, Image.Resampling.BILINEAR)
    image.paste(b)
    return image


def cell(draw, x, y, r, colour, *, receptors=0, rng=None):
    draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    draw.ellipse((x - r * 0.45, y - r * 0.45, x + r * 0.35, y + r * 0.35), fill=(255, 255, 255, 70))
    for k in range(receptors):  # Y-shaped receptors around the cell, as CAR-T diagrams draw them
        angle = 2 * math.pi * k / receptors + (rng.random() * 0.2 if rng else 0)
        bx, by = x + r * math.cos(angle), y + r * math.sin(angle)
        tx, ty = x + (r + r * 0.35) * math.cos(angle), y + (r + r * 0.35) * math.sin(angle)
        draw.line((bx, by, tx, ty), fill=colour, width=max(3, int(r * 0.07)))
        for side in (-0.5, 0.5):
            ex = tx + r * 0.2 * math.cos(angle + side)
            ey = ty + r * 0.2 * math.sin(angle + side)
            draw.line((tx, ty, ex, ey), fill=colour, width=max(3, int(r * 0.06)))


def draw(name: str) -> Image.Image:
    seed, top, bottom, colours, motif = PICTURES[name]
    rng = random.Random(seed)
    image = gradient(top, bottom).convert("RGBA")
    haze = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    hd = ImageDraw.Draw(haze)
    for _ in range(40):  # soft out-of-focus cells behind
        x, y, r = rng.randrange(SIZE[0]), rng.randrange(SIZE[1]), rng.randrange(30, 140)
        hd.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, rng.randrange(12, 40)))
    image = Image.alpha_composite(image, haze.filter(ImageFilter.GaussianBlur(18)))
    layer = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    if motif == "butterfly":
        cx, cy = SIZE[0] / 2, SIZE[1] / 2
        for side in (-1, 1):
            for k, scale in enumerate((1.0, 0.72, 0.45)):
                w, h = 330 * scale, 250 * scale
                d.ellipse((cx + side * 40 - (w if side < 0 else 0) - side * 20, cy - h - 30,
                           cx + side * 40 + (w if side > 0 else 0) - side * 20, cy + 10),
                          fill=rgba(colours[k % 2], 150 - k * 30))  # fmt: skip
                d.ellipse((cx + side * 30 - (w * 0.8 if side < 0 else 0), cy - 10,
                           cx + side * 30 + (w * 0.8 if side > 0 else 0), cy + h * 0.9),
                          fill=rgba(colours[(k + 1) % 2], 120 - k * 25))  # fmt: skip
        d.rounded_rectangle((cx - 14, cy - 200, cx + 14, cy + 200), radius=14, fill=(255, 255, 255, 200))
    elif motif == "light":
        cx, cy = SIZE[0] * 0.7, SIZE[1] * 0.35
        for k in range(6, 0, -1):
            r = 60 * k
            d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 240, 210, 28 + (6 - k) * 12))
        for _ in range(14):
            x, y, r = rng.randrange(80, 900), rng.randrange(450, 860), rng.randrange(20, 55)
            cell(d, x, y, r, rgba(rng.choice(colours), 200))
    else:
        count, sizes = {"blood": (34, (30, 70)), "receptor": (6, (60, 110)), "small": (48, (16, 40))}[motif]
        for _ in range(count):
            x, y = rng.randrange(60, SIZE[0] - 60), rng.randrange(60, SIZE[1] - 60)
            r = rng.randrange(*sizes)
            cell(d, x, y, r, rgba(rng.choice(colours[:2]), 215))
        if motif in ("receptor", "small", "blood"):
            r = {"receptor": 190, "small": 95, "blood": 120}[motif]
            cell(d, SIZE[0] * 0.5, SIZE[1] * 0.52, r, (255, 255, 255, 235), receptors=14, rng=rng)
    image = Image.alpha_composite(image, layer.filter(ImageFilter.GaussianBlur(1.2)))
    return image.convert("RGB")


class Command(BaseCommand):
    help = "Draw the demo's illustrations into fixtures/files (no metadata: Pillow writes none)."

    def handle(self, *args, **options):
        OUT.mkdir(parents=True, exist_ok=True)
        for name in PICTURES:
            path = OUT / f"{name}.jpg"
            draw(name).save(path, "JPEG", quality=84, optimize=True, progressive=True)
            self.stdout.write(str(path))
