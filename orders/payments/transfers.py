""" "Transfer received": the cooperative records by hand a transfer it saw in its bank account."""

import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from website.money import format_vnd

from ..exceptions import PaymentMismatch
from ..models import Order, Payment, PaymentMethod
from ..services import record_payment
from .bank_notices import MAX_TRANSACTION_ID_LENGTH
from .references import normalise_bank_reference


def _whole_dong(amount) -> int:
    """120000, 120000.0 or "120000" from a form; never 120000.5, "abc", True or a negative."""
    if isinstance(amount, bool):
        amount = None
    elif isinstance(amount, str) and re.fullmatch(r"\s*\d+\s*", amount):
        amount = int(amount)
    elif isinstance(amount, (float, Decimal)):
        try:
            amount = int(amount) if amount == int(amount) else None
        except (ValueError, OverflowError, ArithmeticError):  # nan, inf
            amount = None
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise PaymentMismatch(_("Enter the amount received, in whole đồng."))
    return amount


@transaction.atomic
def confirm_transfer(*, order: Order, bank_reference: str, amount, user) -> tuple[Payment, bool]:
    """The cooperative saw the transfer in its bank account and records it ("mark transfer
    received"). The bank's transaction reference is required and the amount must be the
    order's total; the same reference cannot pay two orders. Returns (payment, created):
    the same transfer confirmed twice for the same order gives the first payment, not created.
    Raises PaymentMismatch (an OrderError) with a message for the person."""
    reference = normalise_bank_reference(bank_reference or "")
    if not reference:
        raise PaymentMismatch(_("Enter the bank's transaction reference, as shown in your bank account."))
    if len(reference) > MAX_TRANSACTION_ID_LENGTH:
        raise PaymentMismatch(_("This bank reference is too long."))
    amount = _whole_dong(amount)
    current = Order.objects.get(pk=order.pk)
    existing = (
        Payment.objects.filter(method=PaymentMethod.VIETQR, provider_reference=reference)
        .select_related("order")
        .first()
    )
    if existing and existing.order_id != current.pk:
        # Not naming that order: it may belong to another cooperative.
        raise PaymentMismatch(
            _("The bank reference %(reference)s was already recorded for another order.")
            % {"reference": reference}
        )
    if existing:
        return existing, False
    if amount != current.total:
        raise PaymentMismatch(
            _(
                "The amount received (%(amount)s) is not the order total (%(total)s). "
                "Do not mark it paid: contact the buyer about the difference."
            )
            % {"amount": format_vnd(amount), "total": format_vnd(current.total)}
        )
    payment, created = record_payment(
        order=current,
        method=PaymentMethod.VIETQR,
        amount=amount,
        provider_reference=reference,
        received_at=timezone.now(),
        actor=user,
        source="admin",
    )
    if payment.order_id != current.pk:  # recorded for another order in a race
        raise PaymentMismatch(
            _("The bank reference %(reference)s was already recorded for another order.")
            % {"reference": reference}
        )
    order.status, order.paid_at = current.status, current.paid_at
    return payment, created
