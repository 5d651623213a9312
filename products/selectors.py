"""Read-side queries for products: one place for what the catalogue counts as 'for sale', and
for what a product card shows in the visitor's language.

Only the Vietnamese original of a product carries packs, prices and stock, so every list is a
list of originals (filtered, sorted and priced on them); each card then borrows the title and
the address of the product's translation in the visitor's language where a live one exists."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from growers.models import CooperativePage
from website import page_cache
from website.i18n import active_language, default_language, locale_id, localized_pages
from website.page_queries import reachable

from .models import ProductPage, ProductVariant

# What cached pages showing products depend on (website/page_cache.py): `CATALOGUE`, any list
# of products for sale (what is listed, in what order, at what price, in stock or not);
# `availability_tag`, one product's packs on sale, their prices and which are in stock.
CATALOGUE = "catalogue"


def availability_tag(product_id) -> str:
    return f"availability:{product_id}"


def shows_product_cards(request, products) -> None:
    """The page being rendered for `request` lists products for sale as cards: it goes stale
    when the list may change (a product or cooperative published, a pack's price or stock) and
    when a card's picture does."""
    page_cache.depends_on(
        request,
        CATALOGUE,
        page_cache.pages_tag(ProductPage),
        page_cache.pages_tag(CooperativePage),
        *(page_cache.image_tag(product.image_id) for product in products if product.image_id),
    )


def active_variants() -> QuerySet[ProductVariant]:
    return ProductVariant.objects.filter(is_active=True)


def publicly_reachable(pages: QuerySet) -> QuerySet:
    """`pages` a visitor can reach: no view restriction (password, login, group) on them or
    above them, and no unpublished page above them (whose own live flag stays the caller's to
    check). In the same query (website.page_queries.reachable)."""
    return reachable(pages)


def for_sale_variants() -> QuerySet[ProductVariant]:
    """Active packs of live products that a visitor may see: the only ones the shop sells.
    A hidden product's pack (a password on its page, a cooperative unpublished) is not for sale
    even to someone who knows its id."""
    return active_variants().filter(page__in=publicly_reachable(ProductPage.objects.live()))


def catalogue_products() -> QuerySet[ProductPage]:
    """Live Vietnamese products (the originals) a visitor can reach (publicly_reachable: no view
    restriction, no unpublished cooperative above them; the products for_sale_variants sells),
    annotated with their 'from' price and whether any pack is in stock, with what a product card
    shows fetched in a fixed number of queries."""
    variants = active_variants().filter(page=OuterRef("pk"))
    products = publicly_reachable(ProductPage.objects.live())
    originals = locale_id(default_language())
    if originals is not None:
        products = products.filter(locale_id=originals)
    return (
        products.annotate(
            from_price=Subquery(variants.order_by("price").values("price")[:1]),
            in_stock=Exists(variants.filter(stock__gt=0)),
        )
        .select_related("image", "category")
        .prefetch_related(
            "image__renditions",
            Prefetch("variants", queryset=active_variants().order_by("price")),
        )
    )


def product_cards(products) -> list[ProductPage]:
    """What a product card needs besides the product: `product.cooperative` (its cooperative,
    named in the visitor's language where the cooperative is translated) and
    `product.translation` (the product's live translation in the visitor's language, or None).
    Two queries whatever the number of products, and one when the visitor reads Vietnamese."""
    products = list(products)
    if not products:
        return products
    attach_cooperative_pages(products)
    for product, shown in zip(products, localized_pages(products), strict=True):
        product.translation = shown if shown is not product else None
    return products


def attach_cooperative_pages(products: list[ProductPage]) -> None:
    """Set `product.cooperative` on each product from a single query, using the page tree
    path (a product's path starts with its cooperative's path). The query reads every
    cooperative page of every language, so a cooperative's translation is found without another."""
    cooperatives = list(
        CooperativePage.objects.all().only(
            "title", "path", "url_path", "depth", "translation_key", "locale_id", "live"
        )
    )
    active = locale_id(active_language())
    translated = {c.translation_key: c for c in cooperatives if c.live and c.locale_id == active}
    for product in products:
        for cooperative in cooperatives:
            if product.path.startswith(cooperative.path):
                product.cooperative = (
                    translated.get(cooperative.translation_key, cooperative)
                    if cooperative.locale_id != active
                    else cooperative
                )
                break
        else:
            product.cooperative = None
