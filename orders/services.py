"""Changes of state for orders: placing them (with stock reservation), moving them through
their statuses, recording payments, expiring unpaid ones. Views, admin actions, webhooks and
tasks call these; nothing else writes an order's status, a payment or a variant's stock."""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from products.models import ProductVariant
from website import page_cache

from .exceptions import InvalidTransition, OrderError, OutOfStock, PaymentMismatch
from .models import (
    ORDER_TRANSITIONS,
    Checkout,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
)


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


def _new_order_number() -> str:
    """DH + yymmdd + 6 random digits: short enough to read out on the phone."""
    import secrets

    return f"DH{timezone.localdate():%y%m%d}{secrets.randbelow(10**6):06d}"


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


@transaction.atomic
def place_orders(*, items: dict[int, int], buyer: Buyer, checkout_id: uuid.UUID) -> list[Order]:
    """Turn a cart ({variant id: quantity}) into one order per cooperative, reserving stock.

    Prices come from the database, never from the form. Placing the same checkout_id twice
    (a double-submitted form) returns the orders of the first time. Any shortage cancels
    the whole checkout: nothing is reserved and nothing is written."""
    # The first request inserts the checkout's row; a copy arriving at the same moment waits on
    # that insert (unique key) and then finds the orders the first one placed.
    _checkout, created = Checkout.objects.get_or_create(id=checkout_id)
    if not created:
        return list(Order.objects.filter(checkout_id=checkout_id).order_by("pk"))
    if not items:
        raise OrderError(_("Your cart is empty."))

    variants = {
        v.pk: v for v in ProductVariant.objects.filter(pk__in=items, is_active=True).select_related("page")
    }
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

    expires_at = timezone.now() + datetime.timedelta(seconds=settings.ORDER_PAYMENT_TIMEOUT)
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


@transaction.atomic
def change_status(
    *, order: Order, to_status: str, actor=None, note: str = "", source: str = "admin"
) -> Order:
    """Move an order along ORDER_TRANSITIONS, under a row lock; anything else is refused.
    Cancelling an order that has not been packed releases its stock."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if to_status not in ORDER_TRANSITIONS[locked.status]:
        raise InvalidTransition(
            _("An order that is “%(current)s” cannot become “%(target)s”.")
            % {"current": locked.get_status_display(), "target": OrderStatus(to_status).label}
        )
    # Cancelled before anything left the cooperative: the units go back on sale. A refund may
    # follow a shipment, so it does not restock by itself.
    if to_status == OrderStatus.CANCELLED and locked.status in (
        OrderStatus.PENDING_PAYMENT,
        OrderStatus.PAID,
    ):
        release_stock(order=locked)
    OrderEvent.objects.create(
        order=locked, from_status=locked.status, to_status=to_status, note=note, actor=actor, source=source
    )
    locked.status = to_status
    if to_status == OrderStatus.PAID and locked.paid_at is None:
        locked.paid_at = timezone.now()
    locked.save(update_fields=["status", "paid_at"])
    order.status, order.paid_at = locked.status, locked.paid_at
    return locked


@transaction.atomic
def record_payment(
    *,
    order: Order,
    method: str,
    amount: int,
    provider_reference: str,
    received_at=None,
    actor=None,
    source: str,
) -> tuple[Payment, bool]:
    """Record money received and mark the order paid. Idempotent: the same provider reference
    seen again returns the first payment and changes nothing. The amount must be exact.
    Returns (payment, created)."""
    existing = Payment.objects.filter(method=method, provider_reference=provider_reference).first()
    if existing:
        return existing, False
    locked = Order.objects.select_for_update().get(pk=order.pk)
    # Looked up again under the lock: a duplicate delivery that waited on it finds the
    # payment the first one recorded, and changes nothing.
    existing = Payment.objects.filter(method=method, provider_reference=provider_reference).first()
    if existing:
        return existing, False
    if amount != locked.total:
        raise PaymentMismatch(
            _("The amount %(amount)s does not match the order total %(total)s.")
            % {"amount": amount, "total": locked.total}
        )
    if locked.status != OrderStatus.PENDING_PAYMENT:
        raise PaymentMismatch(
            _("Order %(number)s is “%(status)s”, not waiting for payment.")
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                order=locked,
                method=method,
                amount=amount,
                provider_reference=provider_reference,
                received_at=received_at or timezone.now(),
                recorded_by=actor,
            )
    except IntegrityError:
        return Payment.objects.get(method=method, provider_reference=provider_reference), False
    change_status(
        order=locked, to_status=OrderStatus.PAID, actor=actor, source=source, note=provider_reference
    )
    order.status, order.paid_at = OrderStatus.PAID, locked.paid_at
    return payment, True


def expire_unpaid_orders(*, now=None) -> int:
    """Cancel every unpaid order past its deadline, releasing its stock. Safe to run often
    and concurrently: each order is changed under its own lock, once."""
    now = now or timezone.now()
    expired = 0
    for order in Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, expires_at__lt=now).only("pk"):
        try:
            change_status(order=order, to_status=OrderStatus.CANCELLED, note="expired", source="expiry")
            expired += 1
        except InvalidTransition:
            continue  # paid or cancelled meanwhile
    return expired
