"""Signed notices from the bank: read, kept once per transaction, and matched to the order
waiting for exactly that transfer."""

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..exceptions import PaymentMismatch
from ..models import (
    BankNotification,
    BankNotificationOutcome,
    Order,
    OrderStatus,
    Payment,
    PaymentMethod,
    UnreadableBankNotice,
)
from ..services import record_payment
from .references import find_order_for_description, normalise_bank_reference

# The package's logger, one name for all its modules (what log filters and alerts look for).
logger = logging.getLogger("orders.payments")


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
