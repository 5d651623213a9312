"""What the officer's queue reads: possible duplicates, waiting days, counts by status."""

import math
from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Min
from django.utils import timezone

from .models import OPEN_STATUSES, Application, ApplicationPlot, ApplicationStatus

# Two typed points closer than this are taken for the same plot (a phone's GPS is good to some
# tens of metres on a hillside; 100 m also catches a point typed with one decimal less care).
NEAR_METRES = 100
EARTH_RADIUS_METRES = 6_371_000


def distance_metres(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance (haversine), enough for plots a few hundred metres apart."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(a))


def _shape(boundary):
    import shapely

    from growers.geometry import GeometryError, validate_boundary

    try:
        clean = validate_boundary(boundary)
    except GeometryError:
        return None
    polygons = [clean["coordinates"]] if clean["type"] == "Polygon" else clean["coordinates"]
    return shapely.MultiPolygon([shapely.Polygon(p[0], p[1:]) for p in polygons])


def plots_overlap(plot: ApplicationPlot, other: ApplicationPlot) -> bool:
    """Two plots are the same land when their typed points lie within NEAR_METRES, or when their
    boundaries intersect (shapely, on longitude/latitude: exact enough to say "they touch")."""
    points = (plot.latitude, plot.longitude, other.latitude, other.longitude)
    if None not in points and distance_metres(*points) <= NEAR_METRES:
        return True
    if plot.boundary and other.boundary:
        mine, theirs = _shape(plot.boundary), _shape(other.boundary)
        if mine is not None and theirs is not None and mine.intersects(theirs):
            return True
    return False


def _degrees_around(latitude, metres: float) -> tuple[float, float]:
    d_lat = metres / 111_320
    d_lon = metres / (111_320 * max(math.cos(math.radians(float(latitude))), 0.01))
    return d_lat, d_lon


def possible_duplicates(application: Application) -> list[Application]:
    """Other applications that may be this one asked twice: the same phone in the same village,
    or a plot on the same land (see plots_overlap). Points are first narrowed in the database to
    a box around each plot; boundaries are compared in Python (applications are few)."""
    others = Application.objects.exclude(pk=application.pk)
    found = {}
    if application.phone:
        for other in others.filter(phone=application.phone, village__iexact=application.village):
            found[other.pk] = other
    plots = list(application.plots.all())
    if plots:
        candidates = ApplicationPlot.objects.exclude(application=application).select_related("application")
        with_point = [p for p in plots if p.latitude is not None and p.longitude is not None]
        with_boundary = [p for p in plots if p.boundary]
        checked = []
        for plot in with_point:
            d_lat, d_lon = _degrees_around(plot.latitude, NEAR_METRES * 1.5)
            checked += list(
                candidates.filter(
                    latitude__range=(float(plot.latitude) - d_lat, float(plot.latitude) + d_lat),
                    longitude__range=(float(plot.longitude) - d_lon, float(plot.longitude) + d_lon),
                )
            )
        if with_boundary:
            checked += list(candidates.exclude(boundary=None))
        for candidate in checked:
            if candidate.application_id in found:
                continue
            if any(plots_overlap(plot, candidate) for plot in plots):
                found[candidate.application_id] = candidate.application
    return sorted(found.values(), key=lambda a: a.received_at)


def duplicate_ids(applications) -> set[int]:
    """The ids, among `applications`, of those with a possible duplicate (the list's flag): the
    same rules as possible_duplicates, in two queries for a whole page of the list (the
    applications with the same phones, and the plots), each boundary's shape made once."""
    applications = list(applications)
    if not applications:
        return set()
    found = set()
    by_phone_and_village = defaultdict(set)
    phones = {application.phone for application in applications if application.phone}
    rows = Application.objects.filter(phone__in=phones).values_list("pk", "phone", "village")
    for pk, phone, village in rows:
        by_phone_and_village[(phone, village.casefold())].add(pk)
    for application in applications:
        if application.phone and by_phone_and_village[(application.phone, application.village.casefold())] - {
            application.pk
        }:
            found.add(application.pk)

    plots = list(ApplicationPlot.objects.only("pk", "application_id", "latitude", "longitude", "boundary"))
    shapes = {plot.pk: _shape(plot.boundary) if plot.boundary else None for plot in plots}

    def same_land(plot, other) -> bool:
        points = (plot.latitude, plot.longitude, other.latitude, other.longitude)
        if None not in points and distance_metres(*points) <= NEAR_METRES:
            return True
        mine, theirs = shapes[plot.pk], shapes[other.pk]
        return mine is not None and theirs is not None and mine.intersects(theirs)

    wanted = {application.pk for application in applications} - found
    for plot in plots:
        if plot.application_id in wanted and any(
            other.application_id != plot.application_id and same_land(plot, other) for other in plots
        ):
            found.add(plot.application_id)
            wanted.discard(plot.application_id)
    return found


def waiting_days(application: Application, now: datetime | None = None) -> int | None:
    """Days since the application was received while it waits for the officer; for a decided
    one, the days it took; None before it is saved."""
    if application.received_at is None:
        return None
    end = application.decided_at or now or timezone.now()
    return max((end - application.received_at).days, 0)


def counts_by_status(queryset=None) -> dict[str, int]:
    """{status: how many}, every status present (0 where none)."""
    queryset = Application.objects.all() if queryset is None else queryset
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in ApplicationStatus.values}


def oldest_waiting(queryset=None, limit: int = 5) -> list[Application]:
    """The open applications that have waited longest (received first)."""
    queryset = Application.objects.all() if queryset is None else queryset
    return list(queryset.filter(status__in=OPEN_STATUSES).order_by("received_at")[:limit])


def oldest_waiting_since(queryset=None):
    queryset = Application.objects.all() if queryset is None else queryset
    return queryset.filter(status__in=OPEN_STATUSES).aggregate(oldest=Min("received_at"))["oldest"]


def application_point_or_none(application: Application):
    """Where a granted code would be placed without the officer typing it (services.grant)."""
    from .exceptions import ApplicationRefused
    from .services import application_point

    try:
        return application_point(application)
    except ApplicationRefused:  # an invalid boundary: the grant says so; the form asks for the point
        return None
