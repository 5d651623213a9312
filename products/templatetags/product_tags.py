"""What products offers other apps' templates ({% load product_tags %}): the home page's featured
products, the grid of product cards, a cooperative's products and the products citing a
growing-area code, each with the queries it needs."""

from django import template
from django.db.models import F

from growers.models import original_page
from website.i18n import default_language, locale_id
from website.page_queries import reachable

from ..models import ProductPage
from ..selectors import catalogue_products, product_cards, shows_product_cards

register = template.Library()


@register.simple_tag(takes_context=True)
def featured_products(context, count: int = 6) -> list[ProductPage]:
    """The catalogue's best-rated products (OCOP stars first, then by name), ready for
    {% product_grid %} (`{% featured_products as products %}`). Only the
    originals carry prices and stock; each shows its translation's title and address where one
    is live."""
    products = product_cards(
        catalogue_products().order_by(F("ocop_stars").desc(nulls_last=True), "title")[:count]
    )
    # Declared even when there are none: the first product published must appear.
    shows_product_cards(context.get("request"), products)
    return products


@register.inclusion_tag("products/includes/product_grid.html", takes_context=True)
def product_grid(context, products):
    """Product cards as products lays them out (`{% product_grid products %}`), so other apps'
    pages show them without including products' templates."""
    shows_product_cards(context.get("request"), products)
    return {"request": context.get("request"), "products": products}


@register.inclusion_tag("products/includes/cooperative_products.html", takes_context=True)
def cooperative_products(context, cooperative):
    """A cooperative's product cards. Only the original cooperative's products carry packs and
    prices; each card borrows its translation's title and address (products.selectors)."""
    products = product_cards(catalogue_products().child_of(original_page(cooperative)).order_by("title"))
    return {"request": context.get("request"), "products": products}


@register.inclusion_tag("products/includes/area_products.html", takes_context=True)
def area_products(context, area):
    """The products on sale labelled with a growing-area code, in a fixed number of queries
    whatever their number. The originals cite the code; a translation is another copy of the
    same product."""
    products = reachable(area.products.live()).order_by("title")
    if (originals := locale_id(default_language())) is not None:
        products = products.filter(locale_id=originals)
    return {"request": context.get("request"), "products": product_cards(products)}
