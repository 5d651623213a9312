"""The public registry's shared lookups: a code found from what was typed, the registry page,
a code's address on it and what a page may repeat back of a typed code. The registry's pages
(growers/views.py), its API and the pages of other apps that cite codes all use these."""

from django.db.models import Count
from django.utils.translation import gettext_lazy

from .codes import lookup_key
from .links import growing_area_url
from .models import GrowingArea, GrowingAreaIndexPage

# Lazy: read in the visitor's language where it is shown (the registry and the trace pages).
DEFAULT_REPORT_CONTACT = gettext_lazy(
    "The People's Committee of the commune where the product is sold (one-stop desk), or the district "
    "Crop Production and Plant Protection Station"
)
# How much of a typed code a page repeats back: enough to spot a typing mistake.
ECHO_LENGTH = 64


def area_tag(area_id) -> str:
    """What a cached page citing a code depends on (website/page_cache.py): the code, its status,
    its cooperative and whom it is shared with."""
    return f"area:{area_id}"


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


def area_url(
    registry: GrowingAreaIndexPage, area: GrowingArea, request=None, *, full=False, language=None
) -> str:
    """A code's page in the visitor's language (or `language`), on the registry's site when
    `full` (growers.links.growing_area_url)."""
    base = registry.get_url_parts(request)[1] if full else ""
    return growing_area_url(area.code, language=language, base=base)


def live_registry() -> GrowingAreaIndexPage | None:
    return GrowingAreaIndexPage.objects.live().first()


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
