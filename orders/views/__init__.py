"""The buyer's side of orders: the cart, checkout, the confirmation page and the order page.
Thin: prices and stock come from the database, orders are placed by orders.services."""

from .cart_pages import cart_add, cart_detail, cart_remove, cart_update
from .checkout_pages import CHECKOUT_SESSION_KEY, PLACED_KEPT, PLACED_SESSION_KEY, checkout, checkout_done
from .order_page import STATUS_ICONS, order_detail, order_vietqr_png

__all__ = [
    "CHECKOUT_SESSION_KEY",
    "PLACED_KEPT",
    "PLACED_SESSION_KEY",
    "STATUS_ICONS",
    "cart_add",
    "cart_detail",
    "cart_remove",
    "cart_update",
    "checkout",
    "checkout_done",
    "order_detail",
    "order_vietqr_png",
]
