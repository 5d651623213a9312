"""A small inline SVG sketch of a growing area's boundary: no map tiles, no script, a few
hundred bytes, readable on a basic phone. Positions are GeoJSON [longitude, latitude]."""

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

METRES_PER_DEGREE = 111_320
SCALE_STRIP = 16
SCALE_STEPS_M = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000)


def _rings(boundary) -> list[list[tuple[float, float]]]:
    """Every ring (outer and holes) of a Polygon or MultiPolygon as (lon, lat) pairs."""
    kind = boundary.get("type")
    if kind == "Polygon":
        polygons = [boundary["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = boundary["coordinates"]
    else:
        return []
    return [[(float(p[0]), float(p[1])) for p in ring] for rings in polygons for ring in rings if ring]


def _scale_bar_metres(width_m: float) -> int | None:
    """The largest round distance that fits in a third of the drawing."""
    fitting = [step for step in SCALE_STEPS_M if step <= width_m / 3]
    return fitting[-1] if fitting else None


def boundary_svg(
    boundary, latitude=None, longitude=None, *, title: str, size: int = 240, padding: int = 12
) -> SafeString:
    """The boundary as an SVG image `size` pixels wide, with a marker at (latitude, longitude)
    and a scale bar; an empty string when there is no usable boundary.

    Equirectangular projection: longitudes are shrunk by cos(latitude) so that, at the scale of
    a growing area, shapes keep their proportions. All rings go in one path drawn with
    fill-rule evenodd, so holes stay holes."""
    try:
        rings = _rings(boundary) if isinstance(boundary, dict) else []
        point = (
            (float(longitude), float(latitude)) if latitude is not None and longitude is not None else None
        )
    except (KeyError, IndexError, TypeError, ValueError):
        return mark_safe("")
    points = [p for ring in rings for p in ring]
    if not points:
        return mark_safe("")
    lons = [p[0] for p in points] + ([point[0]] if point else [])
    lats = [p[1] for p in points] + ([point[1]] if point else [])
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    shrink = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = (max_lon - min_lon) * shrink
    span_y = max_lat - min_lat
    span = max(span_x, span_y)
    if span <= 0 or not math.isfinite(span):
        return mark_safe("")
    inner = size - 2 * padding
    scale = inner / span
    width = size
    drawing_height = max(round(span_y * scale) + 2 * padding, 4 * padding)
    # A strip below the drawing for the scale bar, so it never sits on the shape.
    height = drawing_height + SCALE_STRIP
    # Centre the drawing in the box along the shorter side.
    offset_x = padding + (inner - span_x * scale) / 2
    offset_y = (drawing_height - span_y * scale) / 2

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (
            round(offset_x + (lon - min_lon) * shrink * scale, 1),
            round(offset_y + (max_lat - lat) * scale, 1),
        )

    commands = []
    for ring in rings:
        projected = []
        for lon, lat in ring:
            position = xy(lon, lat)
            # Points closer than a tenth of a pixel add bytes, not detail.
            if not projected or projected[-1] != position:
                projected.append(position)
        if len(projected) < 3:
            continue
        head, *tail = projected
        commands.append(f"M{head[0]} {head[1]}" + "".join(f"L{x} {y}" for x, y in tail) + "Z")
    if not commands:
        return mark_safe("")

    parts = [
        f'<svg class="boundary" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="boundary-title">',
        f'<title id="boundary-title">{escape(title)}</title>',
        f'<path d="{"".join(commands)}" fill="#cfe3c0" fill-rule="evenodd" stroke="#1d5c2e" '
        'stroke-width="2" stroke-linejoin="round"/>',
    ]
    if point:
        x, y = xy(*point)
        parts.append(f'<circle cx="{x}" cy="{y}" r="5" fill="#a11" stroke="#fff" stroke-width="2"/>')
    # One unit of the projection (a degree of latitude, or of longitude times cos(latitude)) is
    # about 111 km on the ground.
    bar_m = _scale_bar_metres(span * METRES_PER_DEGREE)
    if bar_m:
        bar_px = round(bar_m * scale / METRES_PER_DEGREE, 1)
        label = f"{bar_m // 1000} km" if bar_m >= 1000 else f"{bar_m} m"
        y = height - 4
        parts.append(
            f'<path d="M{padding} {y - 4}V{y}H{padding + bar_px}V{y - 4}" fill="none" stroke="#1b1b1b"/>'
            f'<text x="{padding + bar_px + 4}" y="{y}" font-size="11" fill="#1b1b1b">{label}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
