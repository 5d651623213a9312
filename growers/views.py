"""The public registry: the list of codes at /growing-areas/, a page per code at
/growing-areas/<code>/ and the plain "not registered" page. The routes live on
GrowingAreaIndexPage (models.py); this module builds what they render."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.models import Page

from .filters import RegistryFilter
from .links import REGISTRY_PATH
from .models import GrowingArea, GrowingAreaIndexPage, GrowingAreaStatus
from .registry import area_url, find_area, printable
from .svg import boundary_svg


def registry_page_size() -> int:
    return getattr(settings, "REGISTRY_PAGE_SIZE", 25)


def registry_context(request) -> dict:
    """Every code, filtered and paginated. A parameter that does not validate is reported on
    the form and left out of the filtering, so a bad link still lists codes."""
    registry = RegistryFilter(request.GET, queryset=GrowingArea.objects.all())
    paginator = Paginator(registry.qs, registry_page_size())
    areas_page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "registry": registry,
        "areas_page": areas_page,
        "query_without_page": query.urlencode(),
    }


def decimal_text(value) -> str:
    """A coordinate for a URL: always a dot, no trailing zeros ('22.620000' -> '22.62')."""
    return format(value.normalize(), "f")


def location_links(area: GrowingArea) -> dict:
    lat, lon = decimal_text(area.latitude), decimal_text(area.longitude)
    return {
        "geo_url": f"geo:{lat},{lon}",
        "osm_url": f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}",
        "latitude_text": lat,
        "longitude_text": lon,
    }


def area_context(request, registry: GrowingAreaIndexPage, area: GrowingArea) -> dict:
    """What a code's page shows. A fixed number of queries whatever the number of
    certifications, inspections or status changes. The products and batches citing the code
    are listed by their own apps' template tags (growers/growing_area_detail.html)."""
    changes = list(area.status_changes.all())
    # Since when (and why) the code is suspended or revoked: the last change that made it so.
    current_change = next((c for c in changes if c.to_status == area.status), None)
    return {
        "area": area,
        "status": area.effective_status,
        "current_change": current_change if area.status != GrowingAreaStatus.ACTIVE else None,
        "status_changes": changes,
        "certifications": list(area.certifications.all()),
        "latest_inspection": area.inspections.first(),
        # Declared seasons: crop, dates and standard. Not the yields: a household's harvest is
        # its own business, and the limit a borrowed code is checked against is the officer's.
        "seasons": list(area.seasons.order_by("-starts_on")[:6]),
        "canonical_url": area_url(registry, area, request, full=True),
        "boundary_svg": boundary_svg(
            area.boundary,
            area.latitude,
            area.longitude,
            title=_("Sketch of the boundary of growing area %(code)s (red dot: registered location)")
            % {"code": area.code},
        ),
        **location_links(area),
    }


def growing_area_response(registry: GrowingAreaIndexPage, request, typed: str) -> HttpResponse:
    area = find_area(typed)
    if area is None:
        response = registry.render(
            request,
            code=typed,
            template="growers/growing_area_not_found.html",
            context_overrides={"typed_code": printable(typed)},
        )
        response.status_code = 404
        return response
    return registry.render(
        request,
        code=typed,
        template="growers/growing_area_detail.html",
        context_overrides=area_context(request, registry, area),
    )


def serve_unroutable_code(request, code: str) -> HttpResponse:
    """/growing-areas/<code>/ for codes that Wagtail's page URL pattern cannot carry (it takes
    letters, digits, '-' and '_' only): codes with dots such as LC.PT.001 are valid, and a buyer
    may type spaces or anything else. Served through the registry page, with Wagtail's serve
    hooks (privacy and the like), as if Wagtail had routed it."""
    route = Page.route_for_request(request, REGISTRY_PATH.lstrip("/"))
    if route is None or not isinstance(route[0], GrowingAreaIndexPage):
        raise Http404
    registry = route[0]
    args = (registry.growing_area, [], {"code": code.removesuffix("/")})
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(registry, request, args, {})
        if isinstance(result, HttpResponse):
            return result

    def serve_chain(page, request, args, kwargs):
        return page.serve(request, *args, **kwargs)

    chain = serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        chain = fn(chain)
    return chain(registry, request, args, {})
