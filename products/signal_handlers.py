"""Signal wiring for the products' models: cached pages show packs' prices and whether they are in
stock (stock taken by orders invalidates them itself) and categories name the catalogue's
filters (website/page_cache.py). A product's page shows the status of the growing-area codes it cites:
a change of one purges a CDN's copies of those pages (website/cdn.py)."""

from django.db.models.signals import post_save, pre_delete

from wagtail.models import Page

from growers.models import GrowingArea
from website import cdn
from website.signal_handlers import invalidate_on_change

from .models import Category, ProductPage, ProductVariant
from .selectors import CATALOGUE, availability_tag


def pages_of_products(batch, product_ids) -> None:
    """The products of `product_ids` in every language: the originals cite the codes, their
    translations show them (one query whatever their number)."""
    citing = ProductPage.objects.filter(pk__in=product_ids).values("translation_key")
    for page in Page.objects.live().filter(translation_key__in=citing):
        cdn.add_page(batch, page)


def pages_of_products_citing(batch, area_ids) -> None:
    pages_of_products(batch, ProductPage.objects.filter(origin_areas__in=area_ids).values("pk"))


def growing_area_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        cdn.purge_on_commit(pages_of_products_citing, instance.pk)


def growing_area_before_delete(sender, instance, **kwargs):
    """Before the rows citing it go."""
    if cdn.enabled():
        ids = ProductPage.objects.filter(origin_areas=instance).values_list("pk", flat=True)
        cdn.purge_on_commit(pages_of_products, *ids)


def register_signal_handlers() -> None:
    invalidate_on_change(ProductVariant, lambda pack: [availability_tag(pack.page_id), CATALOGUE])
    invalidate_on_change(Category, lambda category: [CATALOGUE])
    post_save.connect(growing_area_saved, sender=GrowingArea, dispatch_uid="cdn-area-saved-products")
    pre_delete.connect(
        growing_area_before_delete, sender=GrowingArea, dispatch_uid="cdn-area-delete-products"
    )
