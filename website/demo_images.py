"""Illustrations for the demo data, drawn with Pillow so that seeding needs no network and
ships no binary files. Each picture is a simple, recognisable motif with the product's
Vietnamese name and a line saying it is an illustration, so nobody mistakes it for a photo
of goods on sale.

Drawing happens at twice the output size and is scaled down once, which is the cheapest way
to get smooth edges from ImageDraw (it has no anti-aliasing of its own)."""

import math
import random
from collections.abc import Callable
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


# Motifs: each draws on a 960×720 canvas above the caption band (y < 588).


def draw_cardamom(canvas: Canvas, rng: random.Random) -> None:
    # A woven bamboo drying tray (nia) heaped with dried pods.
    cx, cy = 480, 330
    canvas.ellipse((cx - 330, cy - 200, cx + 330, cy + 200), fill=(196, 160, 98))
    for r in range(0, 180, 18):
        canvas.ellipse(
            (cx - 330 + r * 1.65, cy - 200 + r, cx + 330 - r * 1.65, cy + 200 - r),
            fill=None,
            outline=(160, 122, 70),
            width=3,
        )
    for _ in range(34):
        angle = rng.uniform(0, math.tau)
        dist = rng.uniform(0, 1) ** 0.6
        x = cx + math.cos(angle) * dist * 250
        y = cy + math.sin(angle) * dist * 140
        tilt = rng.uniform(0, math.pi)
        shade = rng.randint(-18, 18)
        body = (122 + shade, 42 + shade // 2, 34 + shade // 2)
        canvas.rotated_ellipse((x, y), 46, 28, tilt, fill=body, outline=(70, 22, 18), width=2)
        # The long ridges that make thảo quả pods recognisable.
        for k in (-1, 0, 1):
            ox, oy = -math.sin(tilt) * k * 10, math.cos(tilt) * k * 10
            canvas.line(
                [
                    (x - math.cos(tilt) * 36 + ox, y - math.sin(tilt) * 36 + oy),
                    (x + math.cos(tilt) * 36 + ox, y + math.sin(tilt) * 36 + oy),
                ],
                fill=(84, 26, 22, 170),
                width=2,
            )


def draw_tea(canvas: Canvas, rng: random.Random) -> None:
    # A branch of old Shan tuyết tea: dark leaves and a pale bud covered in white down.
    canvas.line([(150, 520), (420, 380), (700, 300), (850, 180)], fill=(92, 64, 40), width=14)
    for base, length, angle in [
        ((260, 470), 190, -2.2),
        ((330, 430), 210, 0.9),
        ((470, 360), 220, -1.9),
        ((540, 340), 200, 1.2),
        ((650, 310), 190, -1.6),
        ((720, 280), 170, 0.5),
    ]:
        shade = rng.randint(-12, 12)
        leaf(canvas, base, length, angle, fill=(46 + shade, 118 + shade, 56 + shade))
    leaf(canvas, (840, 186), 120, -0.8, fill=(168, 204, 120), width_ratio=0.3)
    for _ in range(60):
        t = rng.uniform(0.1, 0.9)
        x = 840 + math.cos(-0.8) * 120 * t + rng.uniform(-10, 10)
        y = 186 + math.sin(-0.8) * 120 * t + rng.uniform(-10, 10)
        canvas.circle((x, y), 2.5, fill=(255, 255, 255, 220))
    # A cup of tea.
    canvas.ellipse((560, 430, 800, 470), fill=(250, 246, 236))
    canvas.polygon([(560, 450), (800, 450), (770, 560), (590, 560)], fill=(250, 246, 236))
    canvas.ellipse((572, 436, 788, 464), fill=(196, 150, 48))


def draw_ginseng(canvas: Canvas, rng: random.Random) -> None:
    # Sâm Lai Châu: a knobbly rhizome and root, a stem of palmate leaves, red berries.
    canvas.line([(480, 380), (480, 150)], fill=(98, 120, 60), width=8)
    for k in range(5):
        angle = -math.pi / 2 + (k - 2) * 0.55
        leaf(canvas, (480, 150), 150, angle, fill=(56, 128, 60), width_ratio=0.34)
    for _ in range(14):
        canvas.circle((480 + rng.uniform(-26, 26), 118 + rng.uniform(-22, 22)), 11, fill=(206, 30, 36))
    rhizome = [(400, 372), (440, 362), (480, 370)]
    canvas.line(rhizome, fill=(196, 158, 110), width=30)
    for x, y in rhizome:
        canvas.circle((x, y - 4), 9, fill=(170, 130, 86))
    # A tapering main root with two forked legs and hair roots.
    outline = []
    for i in range(21):
        t = i / 20
        outline.append((480 + 46 * math.sin(math.pi * (0.15 + 0.85 * t)) * (1 - 0.4 * t), 372 + 150 * t))
    for i in range(20, -1, -1):
        t = i / 20
        outline.append((480 - 46 * math.sin(math.pi * (0.15 + 0.85 * t)) * (1 - 0.4 * t), 372 + 150 * t))
    canvas.polygon(outline, fill=(226, 196, 148), outline=(160, 120, 76), width=2)
    for start, end, width in [
        ((466, 500), (418, 576), 14),
        ((494, 500), (548, 572), 12),
        ((446, 430), (372, 486), 7),
        ((514, 440), (590, 470), 6),
    ]:
        canvas.line([start, end], fill=(214, 180, 130), width=width)
    for y in range(392, 510, 18):
        canvas.line([(454, y), (506, y + 5)], fill=(170, 130, 86, 150), width=2)
    for _ in range(10):
        x, y = rng.uniform(400, 560), rng.uniform(470, 580)
        canvas.line(
            [(x, y), (x + rng.uniform(-30, 30), y + rng.uniform(10, 30))], fill=(200, 166, 120), width=2
        )


def draw_angelica(canvas: Canvas, rng: random.Random) -> None:
    # Đương quy: umbels of small white flowers above dried root slices.
    for cx, cy, r in [(280, 150, 90), (480, 110, 110), (690, 160, 85)]:
        canvas.line([(cx, cy), (cx + rng.randint(-20, 20), 330)], fill=(104, 132, 70), width=6)
        for k in range(12):
            angle = math.pi + k * math.pi / 11
            tip = (cx + math.cos(angle) * r, cy + math.sin(angle) * r * 0.55)
            canvas.line([(cx, cy + 20), tip], fill=(120, 150, 80), width=3)
            for _ in range(5):
                canvas.circle(
                    (tip[0] + rng.uniform(-9, 9), tip[1] + rng.uniform(-9, 9)), 5, fill=(252, 250, 240)
                )
    for _ in range(16):
        x, y = rng.uniform(150, 810), rng.uniform(360, 540)
        rx, ry = rng.uniform(46, 66), rng.uniform(30, 42)
        canvas.ellipse(
            (x - rx, y - ry, x + rx, y + ry), fill=(232, 212, 170), outline=(150, 110, 60), width=3
        )
        canvas.ellipse(
            (x - rx * 0.6, y - ry * 0.6, x + rx * 0.6, y + ry * 0.6),
            fill=None,
            outline=(190, 150, 96),
            width=2,
        )
        canvas.circle((x, y), 5, fill=(150, 110, 60))


def draw_honey(canvas: Canvas, rng: random.Random) -> None:
    # A jar of honey in front of a honeycomb.
    r = 46
    for row in range(-1, 8):
        for col in range(-1, 13):
            x = col * r * 1.75 + (row % 2) * r * 0.87
            y = row * r * 1.5
            hexagon = [
                (
                    x + r * math.cos(math.pi / 6 + k * math.pi / 3),
                    y + r * math.sin(math.pi / 6 + k * math.pi / 3),
                )
                for k in range(6)
            ]
            canvas.polygon(hexagon, fill=(236, 176, 52, 90), outline=(200, 130, 30, 140), width=3)
    canvas.rectangle((350, 190, 610, 560), fill=(224, 140, 20), radius=44, outline=(150, 86, 10), width=4)
    canvas.rectangle((370, 210, 420, 520), fill=(255, 214, 120, 110), radius=20)
    canvas.rectangle((380, 140, 580, 200), fill=(140, 92, 52), radius=12)
    canvas.rectangle((390, 320, 570, 420), fill=(252, 244, 220), radius=10)
    canvas.text((480, 370), "MẬT ONG", 30, fill=(120, 70, 10), bold=True, anchor="mm")
    for bx, by in [(720, 180), (230, 250)]:
        canvas.ellipse(
            (bx - 26, by - 16, bx + 26, by + 16), fill=(240, 190, 40), outline=(40, 30, 20), width=2
        )
        for k in (-8, 4):
            canvas.line([(bx + k, by - 15), (bx + k, by + 15)], fill=(40, 30, 20), width=5)
        canvas.ellipse((bx - 20, by - 44, bx + 4, by - 12), fill=(255, 255, 255, 170))
        canvas.ellipse((bx - 2, by - 40, bx + 24, by - 12), fill=(255, 255, 255, 170))


def draw_bamboo_shoots(canvas: Canvas, rng: random.Random) -> None:
    # Fresh shoots with their layered sheaths, and a bundle of dried strips.
    for cx, h, w in [(250, 300, 130), (420, 360, 150), (600, 280, 120)]:
        base = 540
        for k in range(5):
            top = base - h + k * h * 0.16
            shade = 20 * k
            canvas.polygon(
                [(cx - w / 2 + k * 6, base), (cx + w / 2 - k * 6, base), (cx + k * 4, top)],
                fill=(150 + shade // 2, 120 + shade, 60 + shade // 2),
                outline=(96, 74, 36),
                width=2,
            )
    for k in range(14):
        x = 700 + k * 12
        canvas.line([(x, 560), (x + rng.uniform(-20, 20), 330)], fill=(200 - k * 3, 160 - k * 2, 90), width=9)
    canvas.rectangle((690, 420, 880, 446), fill=(170, 40, 40), radius=6)


def draw_landscape(canvas: Canvas, rng: random.Random) -> None:
    # Terraced hillsides under the mountains: the place itself.
    canvas.circle((760, 130), 60, fill=(255, 236, 170))
    for step in range(8):
        y = 360 + step * 30
        canvas.line(
            [(0, y + 20), (240, y - 10), (520, y + 14), (760, y - 16), (960, y + 8)],
            fill=(120 + step * 8, 160 + step * 4, 70, 200),
            width=12,
        )
    for _ in range(26):
        x, y = rng.uniform(20, 940), rng.uniform(300, 560)
        canvas.polygon([(x, y - 40), (x - 18, y + 6), (x + 18, y + 6)], fill=(36, 90, 48))
        canvas.line([(x, y + 6), (x, y + 18)], fill=(80, 60, 40), width=4)


MOTIFS: dict[str, Callable[[Canvas, random.Random], None]] = {
    "cardamom": draw_cardamom,
    "tea": draw_tea,
    "ginseng": draw_ginseng,
    "angelica": draw_angelica,
    "honey": draw_honey,
    "bamboo": draw_bamboo_shoots,
    "landscape": draw_landscape,
}

SKIES: dict[str, tuple[Colour, Colour]] = {
    "cardamom": ((250, 226, 196), (232, 190, 150)),
    "tea": ((222, 238, 214), (180, 212, 170)),
    "ginseng": ((236, 240, 222), (200, 214, 178)),
    "angelica": ((232, 236, 244), (206, 216, 190)),
    "honey": ((255, 240, 200), (250, 214, 140)),
    "bamboo": ((232, 242, 222), (196, 220, 170)),
    "landscape": ((190, 222, 244), (236, 240, 220)),
}

ILLUSTRATION_NOTE = "Ảnh minh hoạ · dữ liệu mẫu (sample data)"


@cache
def illustration(motif: str, title: str, seed: int | str = 0) -> bytes:
    """A 960×720 PNG of `motif` captioned with `title`. The same arguments always give the
    same picture, which is what makes caching it safe (test suites seed many times)."""
    rng = random.Random(f"{motif}:{seed}")
    top, bottom = SKIES[motif]
    canvas = Canvas((WIDTH, HEIGHT), top, bottom)
    mountains(
        canvas,
        rng,
        [
            (tuple(max(0, c - 30) for c in bottom) + (120,), 300),
            (tuple(max(0, c - 60) for c in bottom) + (110,), 420),
        ],
    )
    MOTIFS[motif](canvas, rng)
    caption_band(canvas, title, ILLUSTRATION_NOTE)
    return canvas.encode()


@cache
def logo(initials: str, name: str, colour: Colour, seed: int | str = 0) -> bytes:
    """A 960×540 emblem (it is shown cropped to 16:9) with the cooperative's initials."""
    rng = random.Random(f"logo:{name}:{seed}")
    canvas = Canvas(LOGO_SIZE, (250, 248, 240), (236, 232, 218))
    cx, cy, r = 480, 220, 150
    canvas.circle((cx, cy), r + 12, fill=colour)
    canvas.circle((cx, cy), r, fill=(250, 248, 240))
    # Three peaks inside the emblem: Sì Lở Lầu sits high in the Phong Thổ mountains.
    peaks = [(cx - 120, cy + 70), (cx - 50, cy - 40), (cx, cy + 20), (cx + 60, cy - 70), (cx + 120, cy + 70)]
    canvas.polygon(peaks, fill=tuple(min(255, c + 40) for c in colour))
    for k in range(3):
        leaf(
            canvas,
            (cx - 20 + k * 20, cy + 60),
            70 + rng.randint(0, 20),
            -math.pi / 2 + (k - 1) * 0.5,
            fill=(60, 130, 60),
        )
    canvas.text((cx, cy + 100), initials, 44, fill=colour, bold=True, anchor="mm")
    size = 40
    while canvas.text_width(name, size, bold=True) > 900 and size > 20:
        size -= 2
    canvas.text((cx, 430), name, size, fill=(40, 40, 40), bold=True, anchor="mm")
    canvas.text((cx, 486), "Xã Sì Lở Lầu · Phong Thổ · Lai Châu", 24, fill=(90, 90, 80), anchor="mm")
    return canvas.encode()
