"""What the pages of other apps show of the orders app: a pack's add-to-cart form (the product
page's with one buyer's share of the pack; the cached trace page's without it), one buyer's share
for the cart, and the cart's link in every page's header (website's base.html)."""

from django import template

from orders.cart import COUNT_KEY
from orders.forms import buyer_share

register = template.Library()


@register.filter
def share_of_one_buyer(variant) -> int | None:
    """The most of `variant` one buyer may take, or None when that is its whole stock."""
    return buyer_share(variant)


@register.inclusion_tag("orders/includes/add_to_cart.html", takes_context=True)
def add_to_cart(context, variant, with_limit=True):
    """One pack's add-to-cart form; Django copies the CSRF token into it, the request brings the
    buyer back to the page they were on. `with_limit=False` leaves out the most one buyer may
    take, which follows the stock: for pages kept in the page cache, which must not change with
    every sale (website/page_cache.py); the cart still applies the limit and says so."""
    share = buyer_share(variant) if with_limit else None
    return {
        "request": context.get("request"),
        "variant": variant,
        "share": share,
        "most": (share or variant.stock) if with_limit else None,
    }


@register.inclusion_tag("orders/includes/cart_link.html", takes_context=True)
def cart_link(context):
    """The cart's link with the number of items in it, counted from the session: no query."""
    request = context.get("request")
    session = getattr(request, "session", None)
    return {"count": session.get(COUNT_KEY) if session is not None else None}
