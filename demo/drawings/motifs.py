"""Motifs: each draws on a 960×720 canvas above the caption band (y < 588)."""

import math
import random
from collections.abc import Callable

from demo.drawings.canvas import Canvas, leaf


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
