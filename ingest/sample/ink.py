"""The images a signed paper document carries: a blue handwritten signature and a red seal.

Both are RGBA with a transparent background (NĐ30 Phụ lục I asks for PNG with transparency),
drawn with Pillow from a seed only, so the same inputs give the same pixels.
"""

from __future__ import annotations

import functools
import math
import random

from PIL import Image, ImageDraw

from ingest.sample.typeface import pillow_font

SIGNATURE_BLUE = (22, 48, 168)
SEAL_RED = (208, 24, 32)
_SUPERSAMPLE = 4  # draw large and shrink, for smooth anti-aliased strokes


@functools.lru_cache(maxsize=64)
def signature_image(seed: str, width: int = 600, height: int = 300) -> Image.Image:
    """A handwriting-like blue flourish: a few looping strokes and an underline."""
    rng = random.Random(f"signature/{seed}")
    big = Image.new("RGBA", (width * _SUPERSAMPLE, height * _SUPERSAMPLE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    stroke = max(2, int(height * _SUPERSAMPLE * 0.018))
    for part in range(rng.randint(2, 3)):
        x0 = (0.08 + part * 0.3) * width
        points = []
        loops = rng.randint(2, 4)
        amplitude = rng.uniform(0.18, 0.3) * height
        wobble = [rng.uniform(0.6, 1.3) for _ in range(loops + 1)]  # uneven loop heights
        slant = rng.uniform(0.02, 0.06) * width
        for i in range(120):
            t = i / 119
            phase = t * loops * 2 * math.pi
            size = wobble[int(t * loops)]
            x = x0 + t * width * 0.32 + math.sin(phase) * slant
            y = height * 0.45 - math.cos(phase) * amplitude * size * (1 - 0.4 * t)
            points.append((x * _SUPERSAMPLE, y * _SUPERSAMPLE))
        draw.line(points, fill=(*SIGNATURE_BLUE, 255), width=stroke, joint="curve")
    underline = []
    bend = rng.uniform(0.8, 1.6)
    for i in range(40):
        t = i / 39
        x = width * (0.1 + 0.8 * t)
        y = height * (0.75 + 0.05 * math.sin(t * math.pi * bend) - 0.08 * t)
        underline.append((x * _SUPERSAMPLE, y * _SUPERSAMPLE))
    draw.line(underline, fill=(*SIGNATURE_BLUE, 255), width=stroke, joint="curve")
    return big.resize((width, height), Image.Resampling.LANCZOS)


@functools.lru_cache(maxsize=64)
def seal_image(agency_name: str, parent_name: str = "", size: int = 500) -> Image.Image:
    """A round red seal: two rings, the names around the edge and a star in the middle."""
    big_size = size * _SUPERSAMPLE
    big = Image.new("RGBA", (big_size, big_size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    red = (*SEAL_RED, 255)
    centre = big_size / 2
    outer = big_size / 2 - big_size * 0.01
    inner = outer * 0.68
    for radius, width in ((outer, 0.022), (outer * 0.95, 0.008), (inner, 0.012)):
        box = (centre - radius, centre - radius, centre + radius, centre + radius)
        draw.ellipse(box, outline=red, width=int(big_size * width))
    _star(draw, centre, inner * (0.4 if parent_name else 0.55), red)
    text = (parent_name or agency_name).upper()
    _text_on_circle(big, text, centre, (outer * 0.95 + inner) / 2, int(big_size * 0.075), red)
    if parent_name:
        name = agency_name.upper()
        font_size = int(big_size * 0.05)
        while pillow_font(True, font_size).getlength(name) > inner * 1.5:
            font_size -= 2
        font = pillow_font(True, font_size)
        draw.text((centre, centre + inner * 0.62), name, font=font, fill=red, anchor="mm")
    return big.resize((size, size), Image.Resampling.LANCZOS)


def _star(draw: ImageDraw.ImageDraw, centre: float, radius: float, fill: tuple[int, ...]) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.4
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((centre + r * math.cos(angle), centre + r * math.sin(angle)))
    draw.polygon(points, fill=fill)


def _text_on_circle(
    canvas: Image.Image,
    text: str,
    centre: float,
    radius: float,
    size: int,
    fill: tuple[int, ...],
) -> None:
    """Letters along the upper arc, each rotated to stand on the circle."""
    font = pillow_font(True, size)
    arc = min(1.8 * math.pi, len(text) * size * 0.8 / radius)
    for index, letter in enumerate(text):
        angle = -math.pi / 2 - arc / 2 + arc * (index + 0.5) / len(text)
        tile = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((size, size), letter, font=font, fill=fill, anchor="mm")
        tile = tile.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        x = centre + radius * math.cos(angle) - size
        y = centre + radius * math.sin(angle) - size
        canvas.alpha_composite(tile, (int(x), int(y)))
