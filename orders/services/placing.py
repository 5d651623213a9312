"""Placing orders: a cart becomes one order per cooperative, its stock reserved, each buyer
within their share."""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from products.models import ProductVariant
from products.selectors import for_sale_variants

from ..exceptions import OrderError, OrderLimitExceeded, OutOfStock
from ..models import Checkout, Order, OrderEvent, OrderLine, OrderStatus
from .expiry import _expire, _overdue_orders_holding
from .retries import run_atomically_with_retries
from .stock import lock_variants, reserve_stock


def order_share_limit(pool: int) -> int:
    """The most units of one pack a buyer may hold unpaid, out of `pool` (what is in stock plus
    what this buyer already holds): ORDER_MAX_SHARE of it, but never fewer than
    ORDER_SHARE_FLOOR units, so small shops and small stocks stay simple."""
    return max(settings.ORDER_SHARE_FLOOR, int(pool * settings.ORDER_MAX_SHARE))


@dataclass(frozen=True)
class Buyer:
    name: str
    phone: str
    email: str
    delivery_method: str
    delivery_address: str
    note: str
    payment_method: str
    # The language the buyer checked out in; "" means the site's default.
    language: str = ""
    # buyer_client_key() of the client address the checkout came from; "" when unknown.
    client: str = ""
    # No confirmation mail to the buyer (the client has had too many): Order.buyer_mail_held.
    mail_held: bool = False


def buyer_client_key(address: str) -> str:
    """A keyed hash of a client's address (HMAC-SHA256 under SECRET_KEY, 64 hex digits): the same
    address gives the same key, but the address cannot be read back from it. "" for none."""
    if not address:
        return ""
    return salted_hmac("orders.buyer_client", address, algorithm="sha256").hexdigest()


def _new_order_number() -> str:
    """DH + yymmdd + 6 random digits: short enough to read out on the phone."""
    import secrets

    return f"DH{timezone.localdate():%y%m%d}{secrets.randbelow(10**6):06d}"


def place_orders(*, items: dict[int, int], buyer: Buyer, checkout_id: uuid.UUID) -> list[Order]:
    """Turn a cart ({variant id: quantity}) into one order per cooperative, reserving stock.

    Prices come from the database, never from the form. Placing the same checkout_id twice
    (a double-submitted form) returns the orders of the first time. Any shortage, or a quantity
    beyond the buyer's share (order_share_limit), cancels the whole checkout: nothing is
    reserved and nothing is written. Unpaid orders past their deadline that hold these packs
    are expired first, so their units are on sale again even where no cron runs. A deadlock is
    retried; if it keeps coming, CheckoutBusy (nothing done)."""
    return run_atomically_with_retries(_place_orders, items=items, buyer=buyer, checkout_id=checkout_id)


def _place_orders(*, items: dict[int, int], buyer: Buyer, checkout_id: uuid.UUID) -> list[Order]:
    # The first request inserts the checkout's row; a copy arriving at the same moment waits on
    # that insert (unique key) and then finds the orders the first one placed.
    _checkout, created = Checkout.objects.get_or_create(id=checkout_id)
    if not created:
        return list(Order.objects.filter(checkout_id=checkout_id).order_by("pk"))
    if not items:
        raise OrderError(_("Your cart is empty."))
    if any(quantity <= 0 for quantity in items.values()):
        raise OrderError(_("The quantity must be at least 1."))

    now = timezone.now()
    # Every pack this checkout changes is locked first, in one order, before any order's row.
    overdue = _overdue_orders_holding(items, now=now)
    lock_variants([*items, *OrderLine.objects.filter(order__in=overdue).values_list("variant_id", flat=True)])
    _expire(overdue)

    # Only packs for sale: active, of a live product a visitor can reach (no view restriction on
    # it or above it, no unpublished cooperative above it). A pack hidden since it was put in the
    # cart is refused here too, whatever the view checked before.
    variants = {v.pk: v for v in for_sale_variants().filter(pk__in=items).select_related("page")}
    missing = set(items) - set(variants)
    if missing:
        raise OrderError(_("Some products in your cart are no longer for sale; please check your cart."))

    from growers.models import CooperativePage

    by_cooperative: dict[int, list[tuple[ProductVariant, int]]] = {}
    cooperatives = {}
    for variant_id, quantity in sorted(items.items()):
        variant = variants[variant_id]
        cooperative = CooperativePage.objects.ancestor_of(variant.page).first()
        if cooperative is None or not variant.page.live:
            raise OrderError(_("%(product)s is not for sale right now.") % {"product": variant.page.title})
        cooperatives[cooperative.pk] = cooperative
        by_cooperative.setdefault(cooperative.pk, []).append((variant, quantity))

    _check_share(variants=variants, items=items, buyer=buyer, now=now)

    expires_at = now + datetime.timedelta(seconds=settings.ORDER_PAYMENT_TIMEOUT)
    orders = []
    for cooperative_pk, lines in by_cooperative.items():
        for variant, quantity in lines:
            try:
                reserve_stock(variant_id=variant.pk, quantity=quantity)
            except OutOfStock as error:
                raise OutOfStock(
                    _("Only %(left)d left of %(product)s (%(pack)s).")
                    % {
                        "left": _current_stock(variant.pk),
                        "product": variant.page.title,
                        "pack": variant.pack_label,
                    }
                ) from error
        subtotal = sum(variant.price * quantity for variant, quantity in lines)
        order = _create_order(
            cooperative=cooperatives[cooperative_pk],
            buyer=buyer,
            checkout_id=checkout_id,
            subtotal=subtotal,
            expires_at=expires_at,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                variant=variant,
                product_title=variant.page.title,
                pack_label=variant.pack_label,
                sku=variant.sku,
                unit_price=variant.price,
                quantity=quantity,
                line_total=variant.price * quantity,
            )
            for variant, quantity in lines
        )
        OrderEvent.objects.create(order=order, to_status=order.status, source="buyer")
        orders.append(order)
    return orders


def _check_share(*, variants, items: dict[int, int], buyer: Buyer, now) -> None:
    """No buyer may hold more of a pack, unpaid, than order_share_limit allows: this order's
    quantity and the unpaid orders (still within their deadline) of the same phone or from the
    same client address count together (phone numbers are not verified: a new one each checkout
    must not take a new share)."""
    same_buyer = Q(order__buyer_phone=buyer.phone)
    if buyer.client:
        same_buyer |= Q(order__buyer_client=buyer.client)
    held = dict(
        OrderLine.objects.filter(
            same_buyer,
            variant_id__in=items,
            order__status=OrderStatus.PENDING_PAYMENT,
            order__expires_at__gt=now,
        )
        .values("variant_id")
        .annotate(units=Sum("quantity"))
        .values_list("variant_id", "units")
    )
    for variant_id, quantity in sorted(items.items()):
        variant, already = variants[variant_id], held.get(variant_id, 0)
        limit = order_share_limit(variant.stock + already)
        if already + quantity <= limit:
            continue
        words = {"limit": limit, "held": already, "product": variant.page.title, "pack": variant.pack_label}
        if already:
            raise OrderLimitExceeded(
                _(
                    "At most %(limit)d of %(product)s (%(pack)s) per buyer while orders wait for "
                    "payment, and your unpaid orders (from this phone number or this connection) already "
                    "hold %(held)d."
                )
                % words
            )
        raise OrderLimitExceeded(
            _(
                "At most %(limit)d of %(product)s (%(pack)s) in one order, so that other buyers "
                "can have some too."
            )
            % words
        )


def _current_stock(variant_id: int) -> int:
    return ProductVariant.objects.filter(pk=variant_id).values_list("stock", flat=True).first() or 0


def _create_order(*, cooperative, buyer: Buyer, checkout_id, subtotal: int, expires_at) -> Order:
    # Numbers and references are random; on the rare clash, draw again.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Order.objects.create(
                    number=_new_order_number(),
                    checkout_id=checkout_id,
                    cooperative=cooperative,
                    payment_method=buyer.payment_method,
                    buyer_name=buyer.name,
                    buyer_phone=buyer.phone,
                    buyer_client=buyer.client,
                    buyer_mail_held=buyer.mail_held,
                    buyer_email=buyer.email,
                    delivery_method=buyer.delivery_method,
                    delivery_address=buyer.delivery_address,
                    note=buyer.note,
                    subtotal=subtotal,
                    total=subtotal,
                    expires_at=expires_at,
                    language=buyer.language or settings.LANGUAGE_CODE,
                )
        except IntegrityError:
            continue
    raise OrderError(_("Could not number the order; please try again."))
