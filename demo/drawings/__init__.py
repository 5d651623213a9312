"""Illustrations for the demo data, drawn with Pillow so that seeding needs no network and
ships no binary files. Each picture is a simple, recognisable motif with the product's
Vietnamese name and a line saying it is an illustration, so nobody mistakes it for a photo
of goods on sale."""

import math
import random
from functools import cache

from demo.drawings.canvas import HEIGHT, LOGO_SIZE, WIDTH, Canvas, Colour, caption_band, leaf, mountains
from demo.drawings.motifs import MOTIFS

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
