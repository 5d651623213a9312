"""Stock: locking packs in one order, taking units for an order and putting them back."""

from django.db.models import F
from django.utils.translation import gettext as _

from products.models import ProductVariant
from products.selectors import CATALOGUE, availability_tag
from website import page_cache

from ..exceptions import OrderError, OutOfStock
from ..models import Order


def lock_variants(variant_ids) -> None:
    """Lock these variants' rows, always in one order (by primary key) and in one query, so that
    two checkouts sharing some packs queue up instead of deadlocking. Every change of stock takes
    these locks first, before any order's row. FOR NO KEY UPDATE: order lines may still be
    inserted that point at the variant."""
    ids = sorted({variant_id for variant_id in variant_ids if variant_id})
    if ids:
        list(
            ProductVariant.objects.select_for_update(no_key=True)
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def reserve_stock(*, variant_id: int, quantity: int) -> None:
    """Take `quantity` units, or none: a conditional UPDATE that can never go below zero,
    whatever other checkouts run at the same moment. Cached pages say whether a pack is in
    stock, not how many (website/page_cache.py): only the sale that sells it out changes them."""
    if quantity <= 0:
        raise OrderError(_("The quantity must be at least 1."))
    packs = ProductVariant.objects.filter(pk=variant_id, is_active=True)
    if packs.filter(stock__gt=quantity).update(stock=F("stock") - quantity):
        return
    if not packs.filter(stock=quantity).update(stock=0):
        raise OutOfStock(_("Not enough left in stock."))
    packs_now_on_sale_or_sold_out([variant_id])


def release_stock(*, order: Order) -> None:
    back_on_sale = []
    for line in order.lines.all():
        if not line.variant_id:
            continue
        packs = ProductVariant.objects.filter(pk=line.variant_id)
        if not packs.filter(stock__gt=0).update(stock=F("stock") + line.quantity):
            packs.update(stock=F("stock") + line.quantity)
            back_on_sale.append(line.variant_id)
    packs_now_on_sale_or_sold_out(back_on_sale)


def packs_now_on_sale_or_sold_out(variant_ids) -> None:
    """The cached pages that show these packs as in stock or sold out, and the product lists."""
    if variant_ids:
        products = ProductVariant.objects.filter(pk__in=variant_ids).values_list("page_id", flat=True)
        page_cache.invalidate(CATALOGUE, *(availability_tag(product) for product in set(products)))
