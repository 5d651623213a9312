"""Boundaries of growing areas: read from GeoJSON or KML, checked, kept as a GeoJSON
Polygon/MultiPolygon geometry (positions are [longitude, latitude]). Shapes are checked by
shapely (GEOS): a boundary of the allowed 5,000 points is checked in milliseconds, where a plain
Python comparison of every edge with every other took 24 s. KML is parsed by defusedxml: a
boundary never needs XML entities, and an entity bomb or a reference to a file is refused."""

import json
import re

import shapely
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from shapely.validation import explain_validity

from django.utils.translation import gettext as _

from .codes import in_vietnam

MAX_POINTS = 5000
# explain_validity's answer ends with the place of the problem: "Self-intersection[103.27 22.62]".
PROBLEM_AT = re.compile(r"\[\s*(?P<x>[-+0-9.eE]+)\s+(?P<y>[-+0-9.eE]+)")


class GeometryError(ValueError):
    """A boundary that cannot be used; the message says what is wrong, for the officer."""


def _crossing_edges(points: list[list[float]]) -> tuple[int, int] | None:
    """The numbers (from 1) of two edges of a closed ring that cross or touch although they are
    not neighbours, or None. Only called for a ring GEOS found not simple; an R-tree of the edges
    finds the pair without comparing every edge with every other."""
    # Edges of no length (a point repeated) are skipped, so their neighbours count as neighbours.
    edges = [(number, a, b) for number, (a, b) in enumerate(zip(points, points[1:], strict=False)) if a != b]
    lines = shapely.linestrings([[a, b] for _number, a, b in edges])
    left, right = shapely.STRtree(lines).query(lines, predicate="intersects")
    last = len(edges) - 1
    for i, j in sorted(zip(left.tolist(), right.tolist(), strict=True)):
        if j <= i + 1 or (i == 0 and j == last):
            continue  # the same edge, or neighbours meeting at their shared corner
        return edges[i][0] + 1, edges[j][0] + 1
    return None


def _problem_place(geometry) -> tuple[float, float] | None:
    """(latitude, longitude) of the problem GEOS reports for an invalid shape."""
    match = PROBLEM_AT.search(explain_validity(geometry))
    if match is None:
        return None
    return round(float(match["y"]), 6), round(float(match["x"]), 6)


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
    if not shapely.LinearRing(points).is_simple:
        edges = _crossing_edges(points)
        if edges is not None:
            raise GeometryError(
                _("%(where)s crosses itself (edges %(a)d and %(b)d).")
                % {"where": where, "a": edges[0], "b": edges[1]}
            )
    return points


def _check_shape(clean: list) -> None:
    """Each polygon valid as a whole (rings neither crossing nor touching each other, holes
    inside their area), and the polygons of a MultiPolygon not overlapping."""
    polygons = []
    for p_number, rings in enumerate(clean, start=1):
        polygon = shapely.Polygon(rings[0], rings[1:])
        if not polygon.is_valid:
            place = _problem_place(polygon)
            raise GeometryError(
                _(
                    "Polygon %(p)d is not a valid area: its rings cross or touch each other, or a hole "
                    "lies outside it (near %(lat)s, %(lon)s)."
                )
                % {"p": p_number, "lat": place[0] if place else "?", "lon": place[1] if place else "?"}
            )
        polygons.append(polygon)
    if len(polygons) > 1:
        shape = shapely.MultiPolygon(polygons)
        if not shape.is_valid:
            place = _problem_place(shape)
            raise GeometryError(
                _("The polygons of the boundary overlap (near %(lat)s, %(lon)s); draw each area once.")
                % {"lat": place[0] if place else "?", "lon": place[1] if place else "?"}
            )


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
    # Counted before anything else is checked: the checks' cost grows with the points.
    total = sum(
        len(ring) for rings in polygons if isinstance(rings, list) for ring in rings if isinstance(ring, list)
    )
    if total > MAX_POINTS:
        raise GeometryError(
            _("The boundary has %(n)d points; simplify it to at most %(max)d.")
            % {"n": total, "max": MAX_POINTS}
        )
    clean = []
    for p_number, rings in enumerate(polygons, start=1):
        if not isinstance(rings, list) or not rings:
            raise GeometryError(_("Polygon %(n)d has no rings.") % {"n": p_number})
        clean_rings = []
        for r_number, ring in enumerate(rings, start=1):
            where = _("Polygon %(p)d, ring %(r)d") % {"p": p_number, "r": r_number}
            clean_rings.append(_check_ring(ring, where))
        clean.append(clean_rings)
    _check_shape(clean)
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": clean[0]}
    return {"type": "MultiPolygon", "coordinates": clean}


def boundary_from_kml(text: str | bytes) -> dict:
    """The first Polygon of a KML document (outer and inner rings) as GeoJSON."""
    try:
        root = SafeElementTree.fromstring(text)
    except DefusedXmlException as error:
        raise GeometryError(
            _(
                "The KML file declares XML entities or refers to other files, which a boundary never "
                "needs, so it was not read. Export the boundary again from the map application."
            )
        ) from error
    except SafeElementTree.ParseError as error:
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
