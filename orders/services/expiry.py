"""Unpaid orders past their deadline: cancelled, and their units put back on sale."""

import contextlib
import logging

from django.db import DatabaseError, transaction
from django.utils import timezone

from ..exceptions import CheckoutBusy, InvalidTransition
from ..models import Order, OrderLine, OrderStatus
from .retries import run_atomically_with_retries
from .status import change_status
from .stock import lock_variants

# The package's logger, one name for all its modules (what log filters and alerts look for).
logger = logging.getLogger("orders.services")


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
