from django.conf import settings
from django.core.paginator import Paginator

from .filters import CatalogueFilter
from .selectors import catalogue_products, product_cards, shows_product_cards

# Typed by the buyer, with values without end (any words, any price).
TYPED_PARAMETERS = ("q", "min_price", "max_price")
# The tick box's value as the filter form sends it, and as a hand-written link usually says it.
TICKED = ("on", "1", "true")


def catalogue_parameters() -> tuple[str, ...]:
    """Every query parameter the catalogue reads: its filters (DESIGN.md §4) and the page number."""
    return (*CatalogueFilter.base_filters, "page")


def catalogue_worth_keeping(request, context) -> bool:
    """Whether the page cache (website/page_cache.py) keeps this catalogue page: only for values
    from the form's own lists (a category, cooperative, certification, OCOP rating or order that
    exists, the tick box as the form sends it) and the page number actually shown, so the copies
    are at most the combinations of what the site offers, however many addresses strangers make
    up. A search or a price is answered fresh and not kept: their values have no end, so keeping
    one copy per value would let anyone decide how many copies Redis holds, while a search costs
    no more than any page missing from the cache and is rare next to browsing."""
    query = request.GET
    if any(query.get(name) for name in TYPED_PARAMETERS) or context["catalogue"].form.errors:
        return False
    if query.get("in_stock") and query.get("in_stock") not in TICKED:
        return False
    page = query.get("page")
    return page is None or page == str(context["products_page"].number)


def catalogue_context(request) -> dict:
    """The shop's filtered, sorted, paginated product list. Parameters that do not validate
    are reported on the form and left out of the filtering, so a bad link still lists
    products instead of failing."""
    catalogue = CatalogueFilter(request.GET, queryset=catalogue_products())
    products = catalogue.qs
    paginator = Paginator(products, settings.CATALOGUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = product_cards(page.object_list)
    shows_product_cards(request, page.object_list)
    refining = set(request.GET) - {"q", "page"}
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "catalogue": catalogue,
        "products_page": page,
        "query_without_page": query.urlencode(),
        # The refinements fold away on a phone; open them when the buyer is using them.
        "filters_open": bool(refining) or bool(catalogue.form.errors),
    }
