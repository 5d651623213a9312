"""What the pages of other apps show of the orders app: one buyer's share of a pack, on the
add-to-cart form they include (orders/includes/add_to_cart.html)."""

from django import template

from orders.forms import buyer_share

register = template.Library()


@register.filter
def share_of_one_buyer(variant) -> int | None:
    """The most of `variant` one buyer may take, or None when that is its whole stock."""
    return buyer_share(variant)
