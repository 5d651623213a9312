"""Confirming bank transfers (VietQR): matching a signed notice from the bank to an order by its
payment reference and exact amount, and the cooperative's own "transfer received" check in the
admin. Both end in orders.services.record_payment, under the same (method, reference) key, so
that one transfer is never counted twice, whichever way it is confirmed first."""

import datetime
import hashlib
import json
import logging
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from website.money import format_vnd

from .exceptions import PaymentMismatch
from .models import (
    BankNotification,
    BankNotificationOutcome,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    UnreadableBankNotice,
)
from .services import record_payment

logger = logging.getLogger(__name__)

# What new_payment_reference() makes: "SLL" and 9 more. Banks upper- or lower-case transfer
# notes, add their own prefixes ("MBVCB.123.", "CT DEN:..."), and some cut the note into pieces
# with spaces or dashes, so the note is squeezed to its letters and digits before searching.
REFERENCE_PREFIX = "SLL"
REFERENCE_LENGTH = 12
_NOT_ALPHANUMERIC = re.compile(r"[^A-Z0-9]")
MAX_TRANSACTION_ID_LENGTH = 100
MAX_AMOUNT = 2**63 - 1


class InvalidBankNotice(ValueError):
    """A signed body that is not a usable notice (bad JSON, missing or ill-typed fields)."""


@dataclass(frozen=True)
class BankNotice:
    transaction_id: str
    amount: int
    description: str
    account: str
    occurred_at: datetime.datetime | None


@dataclass(frozen=True)
class BankNoticeResult:
    notification: BankNotification
    duplicate: bool


def normalise_bank_reference(reference: str) -> str:
    """A bank's transaction reference as typed by a person or sent by the bank: no spaces,
    upper case ("ft 2312 3456" and "FT23123456" are the same transfer)."""
    return "".join(str(reference).split()).upper()


def reference_candidates(description: str) -> list[str]:
    """Every 12-character window starting with SLL in the squeezed, upper-cased note."""
    squeezed = _NOT_ALPHANUMERIC.sub("", (description or "").upper())
    candidates = []
    start = squeezed.find(REFERENCE_PREFIX)
    while start != -1:
        candidate = squeezed[start : start + REFERENCE_LENGTH]
        if len(candidate) == REFERENCE_LENGTH and candidate not in candidates:
            candidates.append(candidate)
        start = squeezed.find(REFERENCE_PREFIX, start + 1)
    return candidates


def find_order_for_description(description: str) -> Order | None:
    """The one order whose payment reference is in the note; None when there is none, or when
    the note names more than one order (a person must look at it)."""
    candidates = reference_candidates(description)
    if not candidates:
        return None
    orders = list(Order.objects.filter(payment_reference__in=candidates)[:2])
    return orders[0] if len(orders) == 1 else None


def storable_text(text: str) -> str:
    """Text any database keeps: NUL removed (PostgreSQL refuses it in text) and a lone surrogate,
    which JSON's \\ud800 escapes allow but UTF-8 cannot encode, written as its escape."""
    return text.replace("\x00", "").encode("utf-8", "backslashreplace").decode("utf-8")


def parse_bank_notice(data) -> BankNotice:
    """Check the JSON fields; raise InvalidBankNotice with a short reason. Texts are made
    storable (storable_text): a genuine notice is kept and matched whatever odd characters its
    note carries."""
    if not isinstance(data, dict):
        raise InvalidBankNotice("the body must be a JSON object")
    transaction_id = data.get("transaction_id")
    if isinstance(transaction_id, int) and not isinstance(transaction_id, bool):
        transaction_id = str(transaction_id)
    if isinstance(transaction_id, str):
        transaction_id = storable_text(transaction_id)
    if not isinstance(transaction_id, str) or not transaction_id.strip():
        raise InvalidBankNotice("transaction_id is required")
    transaction_id = transaction_id.strip()
    if len(transaction_id) > MAX_TRANSACTION_ID_LENGTH:
        raise InvalidBankNotice("transaction_id is too long")
    amount = data.get("amount")
    # VND has no minor unit: a whole number of đồng, never 120000.5 nor "120000".
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise InvalidBankNotice("amount must be an integer number of đồng")
    if amount <= 0:
        raise InvalidBankNotice("amount must be positive")
    if amount > MAX_AMOUNT:  # beyond the database's bigint: refused, not a 500
        raise InvalidBankNotice("amount is too large")
    description = data.get("description") or ""
    account = data.get("account") or ""
    if not isinstance(description, str) or not isinstance(account, str):
        raise InvalidBankNotice("description and account must be strings")
    description = storable_text(description)
    account = storable_text(account).strip()
    if len(account) > 40:
        raise InvalidBankNotice("account is too long")
    occurred_at = data.get("occurred_at")
    if occurred_at in (None, ""):
        occurred_at = None
    else:
        if not isinstance(occurred_at, str):
            raise InvalidBankNotice("occurred_at must be an ISO 8601 date and time")
        try:
            parsed = parse_datetime(occurred_at.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            raise InvalidBankNotice("occurred_at must be an ISO 8601 date and time")
        if timezone.is_naive(parsed):
            # Vietnamese banks send local time (the project's TIME_ZONE) when they omit the offset.
            parsed = timezone.make_aware(parsed)
        occurred_at = parsed
    return BankNotice(
        transaction_id=transaction_id,
        amount=amount,
        description=description,
        account=account,
        occurred_at=occurred_at,
    )


def read_bank_notice(body: bytes) -> BankNotice:
    """The notice in a signed body; InvalidBankNotice, with a short reason for the bank's
    operator, when the body cannot be read as one."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidBankNotice("the body must be JSON in UTF-8") from None
    except RecursionError:  # arrays or objects nested thousands deep
        raise InvalidBankNotice("the body is nested too deeply") from None
    return parse_bank_notice(data)


def keep_unreadable_bank_notice(*, body: bytes, reason: str) -> UnreadableBankNotice:
    """Keep a correctly signed body that is not a readable notice for a person to look at: as
    text (undecodable bytes written as \\xNN escapes, NUL removed), its first
    MAX_STORED_CHARACTERS, with the reason. The same body delivered again is kept once."""
    text = storable_text(body.decode("utf-8", "backslashreplace"))
    notice, created = UnreadableBankNotice.objects.get_or_create(
        body_sha256=hashlib.sha256(body).hexdigest(),
        defaults={
            "body": text[: UnreadableBankNotice.MAX_STORED_CHARACTERS],
            "body_size": len(body),
            "reason": reason[:200],
        },
    )
    if created:
        logger.error("unreadable bank notice kept for review (id %s): %s", notice.pk, reason)
    return notice


def _same_account(notice_account: str, order: Order) -> bool:
    expected = order.cooperative.bank_account_number
    if not notice_account or not expected:
        return True
    return normalise_bank_reference(notice_account) == normalise_bank_reference(expected)


def _outcome_for_status(status: str) -> str:
    if status == OrderStatus.CANCELLED:
        return BankNotificationOutcome.ORDER_CLOSED
    # Another transfer for an order already paid: the buyer has paid twice.
    return BankNotificationOutcome.PAID_TWICE


@transaction.atomic
def handle_bank_notice(notice: BankNotice, *, raw_body: str) -> BankNoticeResult:
    """Store the notice (once per transaction id) and, when it matches an order waiting for
    exactly this amount, record the payment. Whatever it says, it is kept; only a match
    changes an order. A notice seen again returns what was stored the first time."""
    existing = BankNotification.objects.filter(transaction_id=notice.transaction_id).first()
    if existing:
        return BankNoticeResult(existing, duplicate=True)
    try:
        # Inserted first: a concurrent delivery of the same notice waits here on the unique
        # index until this transaction ends, then finds the row and changes nothing.
        with transaction.atomic():
            notification = BankNotification.objects.create(
                transaction_id=notice.transaction_id,
                amount=notice.amount,
                description=notice.description,
                account=notice.account,
                occurred_at=notice.occurred_at,
                raw_body=raw_body,
                outcome=BankNotificationOutcome.UNKNOWN_REFERENCE,
            )
    except IntegrityError:
        return BankNoticeResult(BankNotification.objects.get(transaction_id=notice.transaction_id), True)

    outcome, order = _match(notice)
    notification.outcome = outcome
    notification.order = order
    notification.save(update_fields=["outcome", "order"])
    log = logger.info if outcome == BankNotificationOutcome.MATCHED else logger.warning
    log(
        "bank notice %s (%s VND): %s%s",
        notice.transaction_id,
        notice.amount,
        outcome,
        f" for order {order.number}" if order else "",
    )
    return BankNoticeResult(notification, duplicate=False)


def _match(notice: BankNotice) -> tuple[str, Order | None]:
    order = find_order_for_description(notice.description)
    if order is None:
        return BankNotificationOutcome.UNKNOWN_REFERENCE, None
    order = Order.objects.select_for_update().select_related("cooperative").get(pk=order.pk)
    if not _same_account(notice.account, order):
        # Money that reached another account than the order's cooperative's does not pay it.
        return BankNotificationOutcome.UNKNOWN_REFERENCE, order
    reference = normalise_bank_reference(notice.transaction_id)
    if Payment.objects.filter(
        order=order, method=PaymentMethod.VIETQR, provider_reference=reference
    ).exists():
        # The cooperative already recorded this very transfer by hand.
        return BankNotificationOutcome.ALREADY_PAID, order
    if order.status != OrderStatus.PENDING_PAYMENT:
        return _outcome_for_status(order.status), order
    if notice.amount != order.total:
        return BankNotificationOutcome.WRONG_AMOUNT, order
    try:
        payment, created = record_payment(
            order=order,
            method=PaymentMethod.VIETQR,
            amount=notice.amount,
            provider_reference=reference,
            received_at=notice.occurred_at,
            source="bank",
        )
    except PaymentMismatch:
        order.refresh_from_db(fields=["status", "total"])
        if order.status != OrderStatus.PENDING_PAYMENT:
            return _outcome_for_status(order.status), order
        return BankNotificationOutcome.WRONG_AMOUNT, order
    if not created:
        # The cooperative already recorded this very transfer by hand.
        return BankNotificationOutcome.ALREADY_PAID, payment.order
    return BankNotificationOutcome.MATCHED, order


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


# --- Stripe ---------------------------------------------------------------------------------

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
    from .exceptions import InvalidTransition
    from .services import change_status, lock_variants

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
                # in the buyer's own (orders.views._event_explanation).
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
    from .models import StripeEvent

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
