"""Changes of state for orders: placing them (with stock reservation), moving them through
their statuses, recording payments, expiring unpaid ones. Views, admin actions, webhooks and
tasks call these; nothing else writes an order's status, a payment or a variant's stock."""

from .expiry import expire_unpaid_orders, release_expired_holds
from .placing import Buyer, buyer_client_key, order_share_limit, place_orders
from .retries import RETRYABLE_SQLSTATES, TRANSACTION_ATTEMPTS, is_retryable, run_atomically_with_retries
from .status import change_status, record_payment
from .stock import lock_variants, release_stock, reserve_stock

__all__ = [
    "RETRYABLE_SQLSTATES",
    "TRANSACTION_ATTEMPTS",
    "Buyer",
    "buyer_client_key",
    "change_status",
    "expire_unpaid_orders",
    "is_retryable",
    "lock_variants",
    "order_share_limit",
    "place_orders",
    "record_payment",
    "release_expired_holds",
    "release_stock",
    "reserve_stock",
    "run_atomically_with_retries",
]
