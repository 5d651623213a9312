"""Confirming bank transfers (VietQR): matching a signed notice from the bank to an order by its
payment reference and exact amount, and the cooperative's own "transfer received" check in the
admin. Both end in orders.services.record_payment, under the same (method, reference) key, so
that one transfer is never counted twice, whichever way it is confirmed first."""

from .bank_notices import (
    MAX_AMOUNT,
    MAX_TRANSACTION_ID_LENGTH,
    BankNotice,
    BankNoticeResult,
    InvalidBankNotice,
    handle_bank_notice,
    keep_unreadable_bank_notice,
    parse_bank_notice,
    read_bank_notice,
    storable_text,
)
from .references import (
    REFERENCE_LENGTH,
    REFERENCE_PREFIX,
    find_order_for_description,
    normalise_bank_reference,
    reference_candidates,
)
from .stripe_events import STRIPE_PAID_EVENTS, handle_stripe_event
from .transfers import confirm_transfer

__all__ = [
    "MAX_AMOUNT",
    "MAX_TRANSACTION_ID_LENGTH",
    "REFERENCE_LENGTH",
    "REFERENCE_PREFIX",
    "STRIPE_PAID_EVENTS",
    "BankNotice",
    "BankNoticeResult",
    "InvalidBankNotice",
    "confirm_transfer",
    "find_order_for_description",
    "handle_bank_notice",
    "handle_stripe_event",
    "keep_unreadable_bank_notice",
    "normalise_bank_reference",
    "parse_bank_notice",
    "read_bank_notice",
    "reference_candidates",
    "storable_text",
]
