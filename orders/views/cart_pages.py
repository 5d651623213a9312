"""The buyer's cart: the cart page, adding, changing and taking out packs."""

import contextlib

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from products.models import ProductVariant

from ..cart import Cart
from ..forms import CartLineForm, CartRemoveForm, share_message, shown_title
from ..services import release_expired_holds
from .responses import _back, _first_error, _see_other


def _share_said(variant, limit: int) -> str:
    """The cart now holds one buyer's share of the pack, lowered to it: said in the buyer's words."""
    return share_message(
        limit=limit, product=shown_title(variant.page), pack=variant.pack_label, in_cart=limit
    )


def _say_dropped(request, cart: Cart) -> None:
    if cart.dropped:
        messages.warning(
            request, _("A product in your cart is no longer for sale and was taken out of the cart.")
        )
    for line in cart.capped:
        messages.warning(
            request,
            share_message(
                limit=line.quantity,
                product=line.page.title,
                pack=line.variant.pack_label,
                in_cart=line.quantity,
            ),
        )


@never_cache
@require_safe
def cart_detail(request):
    cart = Cart(request)
    release_expired_holds(variant_ids=list(cart.items))
    groups = cart.groups()
    _say_dropped(request, cart)
    return render(
        request,
        "orders/cart.html",
        {
            "groups": groups,
            "total": sum(group.total for group in groups),
            "has_problems": any(line.problem for group in groups for line in group.lines),
        },
    )


@require_POST
def cart_add(request):
    cart = Cart(request)
    # Units held by unpaid orders past their deadline are on sale again, cron or no cron.
    # The pack as a subquery: a posted id that is no number, or one beyond any row's, names none.
    with contextlib.suppress(ValueError, TypeError):
        release_expired_holds(
            variant_ids=ProductVariant.objects.filter(pk=request.POST.get("variant", "")).values("pk")
        )
    form = CartLineForm(request.POST, already_in_cart=cart.quantity_of)
    if form.is_valid():
        variant, quantity = form.cleaned_data["variant"], form.cleaned_data["quantity"]
        cart.add(variant.pk, quantity)
        if form.capped_at:
            messages.warning(request, _share_said(variant, form.capped_at))
        else:
            messages.success(
                request,
                _("Added %(quantity)s × %(product)s (%(pack)s) to the cart.")
                % {"quantity": quantity, "product": shown_title(variant.page), "pack": variant.pack_label},
            )
    else:
        messages.error(request, _first_error(form))
    return _back(request, reverse("orders:cart"))


@require_POST
def cart_update(request):
    cart = Cart(request)
    form = CartLineForm(request.POST)
    if form.is_valid():
        variant, quantity = form.cleaned_data["variant"], form.cleaned_data["quantity"]
        if variant.pk in cart:
            cart.set(variant.pk, quantity)
            words = {"quantity": quantity, "product": shown_title(variant.page), "pack": variant.pack_label}
            if form.capped_at:
                messages.warning(request, _share_said(variant, form.capped_at))
            else:
                changed = _("Quantity of %(product)s (%(pack)s) changed: %(quantity)s.") % words
                messages.success(request, changed)
        else:
            messages.error(request, _("This product is not in your cart."))
    else:
        messages.error(request, _first_error(form))
    return _see_other(reverse("orders:cart"))


@require_POST
def cart_remove(request):
    cart = Cart(request)
    form = CartRemoveForm(request.POST)
    if form.is_valid() and form.cleaned_data["variant"] in cart:
        cart.remove(form.cleaned_data["variant"])
        messages.success(request, _("The product was taken out of your cart."))
    else:
        messages.error(request, _("This product is not in your cart."))
    return _see_other(reverse("orders:cart"))
