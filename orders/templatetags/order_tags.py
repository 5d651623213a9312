"""What the pages of other apps (the product and trace pages) show of the orders app: a pack's
add-to-cart form, with one buyer's share of the pack."""

from django import template

from orders.forms import buyer_share

register = template.Library()


@register.filter
def share_of_one_buyer(variant) -> int | None:
    """The most of `variant` one buyer may take, or None when that is its whole stock."""
    return buyer_share(variant)


@register.inclusion_tag("orders/includes/add_to_cart.html", takes_context=True)
def add_to_cart(context, variant):
    """One pack's add-to-cart form; Django copies the CSRF token into it, the request brings the
    buyer back to the page they were on."""
    return {"request": context.get("request"), "variant": variant}
