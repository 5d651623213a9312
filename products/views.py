from django.conf import settings
from django.core.paginator import Paginator

from .filters import CatalogueFilter
from .selectors import catalogue_products, product_cards, shows_product_cards


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
