"""Moving an order through its statuses, and recording the money received for it (which makes
it paid)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import InvalidTransition, PaymentMismatch
from ..models import ORDER_TRANSITIONS, Order, OrderEvent, OrderLine, OrderStatus, Payment
from .stock import lock_variants, release_stock


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
