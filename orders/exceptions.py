class OrderError(Exception):
    """Base of the orders app's refusals; the message is meant for the person."""


class OutOfStock(OrderError):
    """Fewer units left than asked for."""


class InvalidTransition(OrderError):
    """A status change the order's state machine does not allow."""


class PaymentMismatch(OrderError):
    """A payment notice that cannot be matched to exactly one order for its exact amount."""


class OrderLimitExceeded(OrderError):
    """More of a pack than one buyer may hold unpaid (orders.services.order_share_limit)."""


class CheckoutBusy(OrderError):
    """The database kept rolling the checkout back (deadlocks under load): nothing was done."""
