"""Stock: locking packs in one order, taking units for an order and putting them back."""

from django.db.models import F
from django.utils.translation import gettext as _

from products.models import ProductVariant
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
    whatever other checkouts run at the same moment."""
    if quantity <= 0:
        raise OrderError(_("The quantity must be at least 1."))
    taken = ProductVariant.objects.filter(pk=variant_id, is_active=True, stock__gte=quantity).update(
        stock=F("stock") - quantity
    )
    if not taken:
        raise OutOfStock(_("Not enough left in stock."))
    page_cache.invalidate()  # cached pages show what is in stock


def release_stock(*, order: Order) -> None:
    for line in order.lines.all():
        if line.variant_id:
            ProductVariant.objects.filter(pk=line.variant_id).update(stock=F("stock") + line.quantity)
    page_cache.invalidate()
