"""Stripe's events about Checkout Sessions: the session's orders paid, or cancelled when it expired."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ..exceptions import InvalidTransition
from ..models import Order, OrderLine, OrderStatus, Payment, PaymentMethod, StripeEvent
from ..services import change_status, lock_variants, record_payment

# The package's logger, one name for all its modules (what log filters and alerts look for).
logger = logging.getLogger("orders.payments")


STRIPE_PAID_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}


def _orders_of_session(session: dict) -> list[Order]:
    """The orders a Checkout Session was made for: from its metadata (signed by Stripe's
    webhook signature), else by the session id stored on them."""
    metadata = session.get("metadata") or {}
    ids = [part for part in str(metadata.get("order_ids") or "").split(",") if part.strip().isdigit()]
    orders = Order.objects.none()
    if ids:
        orders = Order.objects.filter(pk__in=[int(part) for part in ids])
        checkout_id = metadata.get("checkout_id") or session.get("client_reference_id")
        if checkout_id:
            orders = orders.filter(checkout_id=checkout_id)
    elif session.get("id"):
        orders = Order.objects.filter(stripe_session_id=session["id"])
    return list(orders.order_by("pk"))


def _summarise(outcomes: list[tuple[Order, str]]) -> str:
    kinds = {outcome for _order, outcome in outcomes}
    if len(kinds) == 1:
        return kinds.pop()
    return ", ".join(f"{order.number}:{outcome}" for order, outcome in outcomes)[:100]


def _pay_orders_of_session(session: dict) -> tuple[str, Order | None]:
    orders = _orders_of_session(session)
    if not orders:
        return "unknown_session", None
    if session.get("payment_status") != "paid":
        # "unpaid": a delayed method (bank debit) still on its way; async_payment_succeeded follows.
        return f"not_paid:{session.get('payment_status')}", orders[0]
    if str(session.get("currency", "vnd")).lower() != "vnd" or (
        session.get("amount_total") is not None and session["amount_total"] != sum(o.total for o in orders)
    ):
        return "amount_mismatch", orders[0]
    reference_base = session.get("payment_intent") or session.get("id")
    if isinstance(reference_base, dict):  # an expanded PaymentIntent
        reference_base = reference_base.get("id")
    outcomes = []
    for order in orders:
        locked = Order.objects.select_for_update().get(pk=order.pk)
        reference = f"{reference_base}:{locked.pk}"
        if Payment.objects.filter(method=PaymentMethod.STRIPE, provider_reference=reference).exists():
            outcomes.append((locked, "already_recorded"))
        elif locked.status == OrderStatus.CANCELLED:
            # Paid after the order was cancelled (a late event): never reopened; a person refunds.
            outcomes.append((locked, "order_closed"))
        elif locked.status != OrderStatus.PENDING_PAYMENT:
            outcomes.append((locked, "already_paid"))
        else:
            record_payment(
                order=locked,
                method=PaymentMethod.STRIPE,
                amount=locked.total,
                provider_reference=reference,
                source="stripe",
            )
            outcomes.append((locked, "paid"))
    for order, outcome in outcomes:
        if outcome in {"order_closed", "already_paid"}:
            logger.warning("Stripe paid order %s which is %s: needs review", order.number, order.status)
    return _summarise(outcomes), orders[0]


def _expire_orders_of_session(session: dict) -> tuple[str, Order | None]:
    orders = _orders_of_session(session)
    if not orders:
        return "unknown_session", None
    # Packs before orders, as checkout locks them (services.lock_variants): never in a circle.
    lock_variants(OrderLine.objects.filter(order__in=orders).values_list("variant_id", flat=True))
    outcomes = []
    for order in orders:
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != OrderStatus.PENDING_PAYMENT:
            outcomes.append((locked, "ignored"))  # paid or closed meanwhile: never moved back
        elif locked.stripe_session_id and locked.stripe_session_id != session.get("id"):
            outcomes.append((locked, "superseded"))  # a newer session of the buyer's is still open
        else:
            try:
                # Kept in the timeline in the cooperative's language; the buyer's page says it
                # in the buyer's own (orders.views.order_page._event_explanation).
                with translation.override(settings.LANGUAGE_CODE):
                    note = _("Card payment session expired")
                change_status(order=locked, to_status=OrderStatus.CANCELLED, note=note, source="stripe")
                outcomes.append((locked, "cancelled"))
            except InvalidTransition:
                outcomes.append((locked, "ignored"))
    return _summarise(outcomes), orders[0]


@transaction.atomic
def handle_stripe_event(event: dict) -> tuple[str, bool]:
    """Apply a verified Stripe event once. Returns (outcome, duplicate). The event id is
    written first, so a second delivery (even a concurrent one) finds it and does nothing."""
    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(event_id=event["id"], event_type=event.get("type", ""))
    except IntegrityError:
        return "duplicate", True
    event_type = event.get("type", "")
    session = (event.get("data") or {}).get("object") or {}
    order = None
    if event_type in STRIPE_PAID_EVENTS:
        outcome, order = _pay_orders_of_session(session)
    elif event_type == "checkout.session.async_payment_failed":
        # The order stays waiting for payment: the buyer may still pay by card or by VietQR.
        orders = _orders_of_session(session)
        order = orders[0] if orders else None
        outcome = "payment_failed"
    elif event_type == "checkout.session.expired":
        outcome, order = _expire_orders_of_session(session)
    else:
        outcome = "ignored"
    record.outcome = outcome[:100]
    record.order = order
    record.save(update_fields=["outcome", "order"])
    logger.info("Stripe event %s %s: %s", event["id"], event_type, outcome)
    return outcome, False
