"""The public registry: the list of codes at /growing-areas/, a page per code at
/growing-areas/<code>/ and the plain "not registered" page. The routes live on
GrowingAreaIndexPage (models.py); this module builds what they render."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.models import Page

from website.i18n import default_language, in_language, locale_id
from website.page_queries import reachable

from .codes import lookup_key
from .filters import RegistryFilter
from .links import growing_area_url
from .models import GrowingArea, GrowingAreaIndexPage, GrowingAreaStatus
from .svg import boundary_svg

# The registry page's place in the tree (DESIGN §4: /growing-areas/).
REGISTRY_PATH = "growing-areas/"
# Lazy: read in the visitor's language where it is shown (the registry and the trace pages).
DEFAULT_REPORT_CONTACT = gettext_lazy(
    "The People's Committee of the commune where the product is sold (one-stop desk), or the district "
    "Crop Production and Plant Protection Station"
)
# How much of a typed code a page repeats back: enough to spot a typing mistake.
ECHO_LENGTH = 64


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


def find_area(typed: str) -> GrowingArea | None:
    """The area whose code matches what was typed, forgiving case, spaces and dashes, with
    what its page shows in one query (its cooperative, its number of households)."""
    key = lookup_key(typed)
    if not key or len(key) > GrowingArea._meta.get_field("lookup_key").max_length:
        return None
    return (
        GrowingArea.objects.by_code(typed)
        .select_related("cooperative")
        .annotate(households_count=Count("households"))
        .first()
    )


def printable(typed: str) -> str:
    """What was typed, without control characters (a NUL has no business in HTML), cut short."""
    text = "".join(ch for ch in typed if ch.isprintable())
    return text if len(text) <= ECHO_LENGTH else text[: ECHO_LENGTH - 1] + "…"


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


def localized_url(url: str, language: str | None = None) -> str:
    """A site address (relative or absolute) in the visitor's language (or `language`)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=in_language(parts.path or "/", language)))


def area_url(
    registry: GrowingAreaIndexPage, area: GrowingArea, request=None, *, full=False, language=None
) -> str:
    """A code's page in the visitor's language (or `language`), on the registry's site when
    `full` (growers.links.growing_area_url)."""
    base = registry.get_url_parts(request)[1] if full else ""
    return growing_area_url(area.code, language=language, base=base)


def live_registry() -> GrowingAreaIndexPage | None:
    return GrowingAreaIndexPage.objects.live().first()


def area_context(request, registry: GrowingAreaIndexPage, area: GrowingArea) -> dict:
    """What a code's page shows. A fixed number of queries whatever the number of
    certifications, inspections, status changes or products."""
    from products.selectors import attach_cooperatives

    changes = list(area.status_changes.all())
    # Since when (and why) the code is suspended or revoked: the last change that made it so.
    current_change = next((c for c in changes if c.to_status == area.status), None)
    products = reachable(area.products.live()).order_by("title")
    # The originals cite the code; a translation is another copy of the same product.
    if (originals := locale_id(default_language())) is not None:
        products = products.filter(locale_id=originals)
    products = attach_cooperatives(products)
    return {
        "area": area,
        "status": area.effective_status,
        "current_change": current_change if area.status != GrowingAreaStatus.ACTIVE else None,
        "status_changes": changes,
        "certifications": list(area.certifications.all()),
        "latest_inspection": area.inspections.first(),
        # Batches that cite the code come with traceability (issue 4): the template keeps a
        # block for them beside the products.
        "products": products,
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
    route = Page.route_for_request(request, REGISTRY_PATH)
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


def origin_areas_context(request, areas) -> list[dict]:
    """A product's origin codes with their registry links: one query for the registry page,
    none per code."""
    areas = list(areas)
    if not areas:
        return []
    registry = live_registry()
    return [
        {
            "area": area,
            "status": area.effective_status,
            "url": area_url(registry, area, request) if registry else "",
        }
        for area in areas
    ]
