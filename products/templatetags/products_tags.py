"""What products offers other apps' templates: {% load products_tags %}."""

from django import template
from django.db.models import F

from ..models import ProductPage
from ..selectors import catalogue_products, product_cards

register = template.Library()


@register.simple_tag
def featured_products(count: int = 6) -> list[ProductPage]:
    """The catalogue's best-rated products (OCOP stars first, then by name), ready for
    products/includes/product_grid.html (`{% featured_products as products %}`). Only the
    originals carry prices and stock; each shows its translation's title and address where one
    is live."""
    return product_cards(
        catalogue_products().order_by(F("ocop_stars").desc(nulls_last=True), "title")[:count]
    )
