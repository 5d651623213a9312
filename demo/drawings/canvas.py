"""The drawing surface of the demo pictures and the pieces every picture shares (ridges of the
highlands, the caption band, a leaf).

Drawing happens at twice the output size and is scaled down once, which is the cheapest way
to get smooth edges from ImageDraw (it has no anti-aliasing of its own)."""

import math
import random
from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SCALE = 2
WIDTH, HEIGHT = 960, 720
LOGO_SIZE = (960, 540)

# Vietnamese needs the Latin Extended Additional block (ả, ở, ầ…); DejaVu has it and is in
# almost every Linux image. Pillow's built-in font is the last resort.
FONT_CANDIDATES = {
    True: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
        "/Library/Fonts/Arial Bold.ttf",
        "C:/Windows/Fonts/arialbd.ttf",
    ),
    False: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/Library/Fonts/Arial.ttf",
        "C:/Windows/Fonts/arial.ttf",
    ),
}

Colour = tuple[int, int, int]


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in FONT_CANDIDATES[bold]:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


class Canvas:
    """An ImageDraw wrapper taking coordinates in output pixels, so the motifs below read
    in the units of the final picture."""

    def __init__(self, size: tuple[int, int], top: Colour, bottom: Colour):
        self.width, self.height = size
        self.image = Image.new("RGB", (self.width * SCALE, self.height * SCALE))
        self.draw = ImageDraw.Draw(self.image, "RGBA")
        for y in range(self.height * SCALE):
            t = y / (self.height * SCALE - 1)
            colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
            self.draw.line([(0, y), (self.width * SCALE, y)], fill=colour)

    @staticmethod
    def _s(points):
        return [(x * SCALE, y * SCALE) for x, y in points]

    def ellipse(self, box, fill, outline=None, width=0):
        x0, y0, x1, y1 = box
        self.draw.ellipse(
            (x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE), fill=fill, outline=outline, width=width * SCALE
        )

    def circle(self, centre, radius, fill, outline=None, width=0):
        x, y = centre
        self.ellipse((x - radius, y - radius, x + radius, y + radius), fill, outline, width)

    def polygon(self, points, fill, outline=None, width=1):
        self.draw.polygon(self._s(points), fill=fill, outline=outline, width=width * SCALE)

    def line(self, points, fill, width=1):
        self.draw.line(self._s(points), fill=fill, width=round(width * SCALE), joint="curve")

    def rectangle(self, box, fill, radius=0, outline=None, width=0):
        x0, y0, x1, y1 = box
        self.draw.rounded_rectangle(
            (x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE),
            radius=radius * SCALE,
            fill=fill,
            outline=outline,
            width=width * SCALE,
        )

    def text(self, xy, text, size, fill, bold=False, anchor="la"):
        x, y = xy
        self.draw.text((x * SCALE, y * SCALE), text, font=font(size * SCALE, bold), fill=fill, anchor=anchor)

    def text_width(self, text, size, bold=False) -> float:
        return self.draw.textlength(text, font=font(size * SCALE, bold)) / SCALE

    def rotated_ellipse(self, centre, rx, ry, angle, fill, outline=None, width=0, steps=48):
        cx, cy = centre
        cos, sin = math.cos(angle), math.sin(angle)
        points = []
        for i in range(steps):
            t = 2 * math.pi * i / steps
            x, y = rx * math.cos(t), ry * math.sin(t)
            points.append((cx + x * cos - y * sin, cy + x * sin + y * cos))
        self.polygon(points, fill=fill, outline=outline, width=width or 1)

    def encode(self, fmt: str = "PNG") -> bytes:
        final = self.image.resize((self.width, self.height), Image.Resampling.LANCZOS)
        buffer = BytesIO()
        if fmt == "JPEG":
            final.save(buffer, "JPEG", quality=86, optimize=True, progressive=True)
        else:
            final.save(buffer, "PNG", optimize=True)
        return buffer.getvalue()


def mountains(canvas: Canvas, rng: random.Random, layers: list[tuple[Colour, int]]) -> None:
    """Ridge lines of the Phong Thổ highlands, farthest first."""
    for colour, base in layers:
        points = [(0, canvas.height)]
        x, y = 0, base - rng.randint(0, 60)
        while x < canvas.width + 80:
            points.append((x, y))
            x += rng.randint(60, 140)
            y = max(base - 140, min(base + 20, y + rng.randint(-70, 70)))
        points.append((x, canvas.height))
        canvas.polygon(points, fill=colour)


def caption_band(canvas: Canvas, title: str, subtitle: str) -> None:
    top = canvas.height - 132
    canvas.rectangle((0, top, canvas.width, canvas.height), fill=(24, 32, 24, 190))
    size = 50
    while canvas.text_width(title, size, bold=True) > canvas.width - 80 and size > 24:
        size -= 2
    canvas.text((40, top + 24), title, size, fill=(255, 255, 255), bold=True)
    canvas.text((40, top + 92), subtitle, 22, fill=(226, 232, 210))


def leaf(canvas: Canvas, base, length, angle, fill, vein=(255, 255, 255, 110), width_ratio=0.38):
    """A pointed leaf from `base`, pointing along `angle` (radians)."""
    bx, by = base
    dx, dy = math.cos(angle), math.sin(angle)
    nx, ny = -dy, dx
    half = length * width_ratio / 2
    outline = []
    for i in range(21):
        t = i / 20
        w = half * math.sin(math.pi * t) ** 0.8
        outline.append((bx + dx * length * t + nx * w, by + dy * length * t + ny * w))
    for i in range(20, -1, -1):
        t = i / 20
        w = half * math.sin(math.pi * t) ** 0.8
        outline.append((bx + dx * length * t - nx * w, by + dy * length * t - ny * w))
    canvas.polygon(outline, fill=fill)
    canvas.line([(bx, by), (bx + dx * length * 0.92, by + dy * length * 0.92)], fill=vein, width=3)
    for t in (0.3, 0.5, 0.7):
        px, py = bx + dx * length * t, by + dy * length * t
        for sign in (1, -1):
            canvas.line(
                [
                    (px, py),
                    (px + (dx * 0.5 + sign * nx) * half * 0.8, py + (dy * 0.5 + sign * ny) * half * 0.8),
                ],
                fill=vein,
                width=2,
            )
