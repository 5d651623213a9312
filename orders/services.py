"""Changes of state for orders: placing them (with stock reservation), moving them through
their statuses, recording payments, expiring unpaid ones. Views, admin actions, webhooks and
tasks call these; nothing else writes an order's status, a payment or a variant's stock."""

import contextlib
import datetime
import logging
import random
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from products.models import ProductVariant
from products.selectors import for_sale_variants
from website import page_cache

from .exceptions import (
    CheckoutBusy,
    InvalidTransition,
    OrderError,
    OrderLimitExceeded,
    OutOfStock,
    PaymentMismatch,
)
from .models import (
    ORDER_TRANSITIONS,
    Checkout,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
)

logger = logging.getLogger(__name__)

# How often a transaction the database chose as a deadlock's victim (or could not serialise) is
# run again from the start before the buyer is asked to try again.
TRANSACTION_ATTEMPTS = 5
# SQLSTATEs of PostgreSQL that mean "nothing was done, run it again": deadlock_detected,
# serialization_failure.
RETRYABLE_SQLSTATES = {"40P01", "40001"}


def is_retryable(error: OperationalError) -> bool:
    """A deadlock or serialisation failure (PostgreSQL), or a busy database file (SQLite):
    the transaction was rolled back and running it again may well succeed."""
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return code in RETRYABLE_SQLSTATES or "database is locked" in str(error)


def run_atomically_with_retries(function, /, *args, **kwargs):
    """Run function in its own transaction; when the database rolls it back as a deadlock's
    victim, run the whole of it again (a few times, after a short random pause), then raise
    CheckoutBusy. Nothing of a failed attempt remains: each is one transaction."""
    for attempt in range(1, TRANSACTION_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return function(*args, **kwargs)
        except OperationalError as error:
            if not is_retryable(error):
                raise
            logger.warning(
                "%s: attempt %d of %d rolled back: %s",
                function.__name__,
                attempt,
                TRANSACTION_ATTEMPTS,
                error,
            )
            if attempt == TRANSACTION_ATTEMPTS:
                raise CheckoutBusy(
                    _("The shop is very busy right now. Nothing was ordered; please try again.")
                ) from error
            time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 - jitter, not a secret
    raise AssertionError("unreachable")


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


@transaction.atomic
def change_status(
    *, order: Order, to_status: str, actor=None, note: str = "", source: str = "admin"
) -> Order:
    """Move an order along ORDER_TRANSITIONS, under a row lock; anything else is refused.
    Cancelling an order that has not been packed releases its stock."""
    if to_status == OrderStatus.CANCELLED:
        # Cancelling may put units back: take the packs' locks before the order's, as checkout
        # does, so that the two never wait on each other in a circle.
        lock_variants(OrderLine.objects.filter(order_id=order.pk).values_list("variant_id", flat=True))
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
    and concurrently: each order is changed under its own lock, once. Checkout does the same
    for the packs it sells (place_orders), so cron only tidies up."""
    now = now or timezone.now()
    overdue = Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, expires_at__lt=now)
    expired = 0
    for order_pk in overdue.order_by("pk").values_list("pk", flat=True):
        try:
            expired += run_atomically_with_retries(_expire, [order_pk])
        except CheckoutBusy:
            logger.warning("Order %s not expired now (database busy): left for the next run", order_pk)
    return expired


def release_expired_holds(*, variant_ids, now=None) -> int:
    """Expire the unpaid orders past their deadline that hold any of these packs (ids, or a
    query of them), so that a buyer sees their units on sale again: the product page, the cart
    and checkout call it before showing or checking stock. Best effort, never raising: should
    the database stay busy, or fail in any other way (a full disk, a lost connection), they are
    left for the next call (or for `manage.py expire_orders`), with a warning in the log, and
    the page is shown all the same. Checkout's own expiry (place_orders) is not this: there a
    failure fails the checkout."""
    now = now or timezone.now()

    def release() -> int:
        overdue = _overdue_orders_holding(variant_ids, now=now)
        # All their packs at once, in order, before any order's row (as checkout does).
        lock_variants(OrderLine.objects.filter(order__in=overdue).values_list("variant_id", flat=True))
        return _expire(overdue)

    # Inside a caller's transaction, a failed query must not break it: a savepoint around it.
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        # Looked up first outside any transaction: nearly always there is nothing to expire.
        with transaction.atomic() if in_transaction else contextlib.nullcontext():
            if not _overdue_orders_holding(variant_ids, now=now):
                return 0
        return run_atomically_with_retries(release)
    except CheckoutBusy:
        return 0
    except DatabaseError as error:
        logger.warning("Overdue unpaid orders not expired now (database error): %s", error)
        return 0


def _overdue_orders_holding(variant_ids, *, now) -> list[int]:
    overdue = Order.objects.filter(
        status=OrderStatus.PENDING_PAYMENT, expires_at__lt=now, lines__variant_id__in=variant_ids
    )
    return sorted(set(overdue.values_list("pk", flat=True)))


def _expire(order_pks) -> int:
    expired = 0
    for order_pk in order_pks:
        try:
            change_status(
                order=Order(pk=order_pk), to_status=OrderStatus.CANCELLED, note="expired", source="expiry"
            )
            expired += 1
        except (InvalidTransition, Order.DoesNotExist):
            continue  # paid or cancelled meanwhile
    return expired
