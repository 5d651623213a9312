"""Read-side queries for products: one place for what the catalogue counts as 'for sale'."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from growers.models import CooperativePage

from .models import ProductPage, ProductVariant


def active_variants() -> QuerySet[ProductVariant]:
    return ProductVariant.objects.filter(is_active=True)


def catalogue_products() -> QuerySet[ProductPage]:
    """Live, public products annotated with their 'from' price and whether any pack is in
    stock, with what a product card shows fetched in a fixed number of queries."""
    variants = active_variants().filter(page=OuterRef("pk"))
    return (
        ProductPage.objects.live()
        .public()
        .annotate(
            from_price=Subquery(variants.order_by("price").values("price")[:1]),
            in_stock=Exists(variants.filter(stock__gt=0)),
        )
        .select_related("image", "category")
        .prefetch_related(
            "image__renditions",
            Prefetch("variants", queryset=active_variants().order_by("price")),
        )
    )


def attach_cooperatives(products) -> list[ProductPage]:
    """Set `product.cooperative` on each product from a single query, using the page tree
    path (a product's path starts with its cooperative's path)."""
    products = list(products)
    if not products:
        return products
    cooperatives = {
        c.path: c for c in CooperativePage.objects.all().only("title", "path", "url_path", "depth")
    }
    for product in products:
        for path, cooperative in cooperatives.items():
            if product.path.startswith(path):
                product.cooperative = cooperative
                break
        else:
            product.cooperative = None
    return products
