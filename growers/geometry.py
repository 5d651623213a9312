"""Boundaries of growing areas: read from GeoJSON or KML, checked, kept as a GeoJSON
Polygon/MultiPolygon geometry (positions are [longitude, latitude]). Plain Python: the
polygons are a few dozen points, not worth a GIS database."""

import json
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from .codes import in_vietnam

MAX_POINTS = 5000


class GeometryError(ValueError):
    """A boundary that cannot be used; the message says what is wrong, for the officer."""


def _segments_cross(p1, p2, p3, p4) -> bool:
    def orient(a, b, c):
        value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (value > 0) - (value < 0)

    o1, o2, o3, o4 = orient(p1, p2, p3), orient(p1, p2, p4), orient(p3, p4, p1), orient(p3, p4, p2)
    return o1 * o2 < 0 and o3 * o4 < 0


def _check_ring(ring, where: str) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeometryError(
            _("%(where)s needs at least 4 points (3 corners and the first again).") % {"where": where}
        )
    points = []
    for number, position in enumerate(ring, start=1):
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(
                isinstance(value, int | float) and not isinstance(value, bool) for value in position[:2]
            )
        ):
            raise GeometryError(
                _("%(where)s, point %(n)d is not a [longitude, latitude] pair.")
                % {"where": where, "n": number}
            )
        lon, lat = float(position[0]), float(position[1])
        if not in_vietnam(lat, lon):
            raise GeometryError(
                _(
                    "%(where)s, point %(n)d (%(lat)s, %(lon)s) is outside Vietnam; "
                    "are longitude and latitude swapped?"
                )
                % {"where": where, "n": number, "lat": lat, "lon": lon}
            )
        points.append([lon, lat])
    if points[0] != points[-1]:
        raise GeometryError(
            _("%(where)s is not closed: its last point must repeat the first.") % {"where": where}
        )
    if len({tuple(p) for p in points[:-1]}) < 3:
        raise GeometryError(_("%(where)s has fewer than 3 distinct corners.") % {"where": where})
    segments = list(zip(points, points[1:], strict=False))
    for i, (a, b) in enumerate(segments):
        for j in range(i + 2, len(segments)):
            if i == 0 and j == len(segments) - 1:
                continue  # the first and last edges meet at the closing point
            c, d = segments[j]
            if _segments_cross(a, b, c, d):
                raise GeometryError(
                    _("%(where)s crosses itself (edges %(a)d and %(b)d).")
                    % {"where": where, "a": i + 1, "b": j + 1}
                )
    return points


def validate_boundary(geometry) -> dict:
    """Return a clean GeoJSON Polygon or MultiPolygon geometry, or raise GeometryError."""
    if isinstance(geometry, str):
        try:
            geometry = json.loads(geometry)
        except json.JSONDecodeError as error:
            raise GeometryError(_("The boundary is not valid JSON: %(error)s") % {"error": error}) from error
    if not isinstance(geometry, dict):
        raise GeometryError(_("The boundary must be a GeoJSON Polygon."))
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    elif geometry.get("type") == "FeatureCollection":
        features = geometry.get("features") or []
        if len(features) != 1:
            raise GeometryError(
                _("The file holds %(n)d shapes; give one boundary per growing area.") % {"n": len(features)}
            )
        geometry = features[0].get("geometry") or {}
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        raise GeometryError(
            _("The boundary is a %(kind)s; only a Polygon or MultiPolygon can outline an area.")
            % {"kind": kind or _("shape of unknown type")}
        )
    if not isinstance(polygons, list) or not polygons:
        raise GeometryError(_("The boundary has no coordinates."))
    total = 0
    clean = []
    for p_number, rings in enumerate(polygons, start=1):
        if not isinstance(rings, list) or not rings:
            raise GeometryError(_("Polygon %(n)d has no rings.") % {"n": p_number})
        clean_rings = []
        for r_number, ring in enumerate(rings, start=1):
            where = _("Polygon %(p)d, ring %(r)d") % {"p": p_number, "r": r_number}
            clean_rings.append(_check_ring(ring, where))
            total += len(ring)
        clean.append(clean_rings)
    if total > MAX_POINTS:
        raise GeometryError(
            _("The boundary has %(n)d points; simplify it to at most %(max)d.")
            % {"n": total, "max": MAX_POINTS}
        )
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": clean[0]}
    return {"type": "MultiPolygon", "coordinates": clean}


def boundary_from_kml(text: str | bytes) -> dict:
    """The first Polygon of a KML document (outer and inner rings) as GeoJSON."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise GeometryError(_("The KML file cannot be read: %(error)s") % {"error": error}) from error
    polygons = [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "Polygon"]
    if not polygons:
        raise GeometryError(_("The KML file has no Polygon."))
    result = []
    for polygon in polygons:
        rings = []
        for el in polygon.iter():
            if el.tag.rsplit("}", 1)[-1] == "coordinates":
                ring = []
                for triple in (el.text or "").split():
                    parts = triple.split(",")
                    try:
                        ring.append([float(parts[0]), float(parts[1])])
                    except (IndexError, ValueError) as error:
                        raise GeometryError(
                            _("The KML coordinates “%(text)s” are not longitude,latitude.") % {"text": triple}
                        ) from error
                rings.append(ring)
        result.append(rings)
    geometry = (
        {"type": "Polygon", "coordinates": result[0]}
        if len(result) == 1
        else {"type": "MultiPolygon", "coordinates": result}
    )
    return validate_boundary(geometry)


def boundary_from_file(name: str, content: bytes) -> dict:
    """Read a boundary from an uploaded .geojson/.json or .kml file."""
    lowered = name.lower()
    if lowered.endswith(".kml"):
        return boundary_from_kml(content)
    if lowered.endswith((".geojson", ".json")):
        try:
            return validate_boundary(json.loads(content.decode("utf-8-sig")))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise GeometryError(_("The GeoJSON file cannot be read: %(error)s") % {"error": error}) from error
    raise GeometryError(_("A boundary file must be GeoJSON (.geojson) or KML (.kml)."))
