"""Checkout (one order per cooperative, placed by orders.services) and its confirmation page."""

import contextlib
import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from website.ratelimit import allow_mail, client_address, mail_allowed

from ..cart import Cart
from ..exceptions import CheckoutBusy, OrderError
from ..forms import CheckoutForm
from ..models import Order, PaymentMethod
from ..services import Buyer, buyer_client_key, place_orders, release_expired_holds
from .cart_pages import _say_dropped
from .responses import _private, _see_other

CHECKOUT_SESSION_KEY = "checkout_id"
# Checkouts this session placed: only they may see their confirmation page.
PLACED_SESSION_KEY = "placed_checkouts"
PLACED_KEPT = 20


def _buyer_language() -> str:
    """The language the buyer is reading (the URL's prefix), as one of LANGUAGES."""
    try:
        return get_supported_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _checkout_id(request) -> str:
    checkout_id = request.session.get(CHECKOUT_SESSION_KEY)
    if not checkout_id:
        checkout_id = str(uuid.uuid4())
        request.session[CHECKOUT_SESSION_KEY] = checkout_id
    return checkout_id


def _placed(request) -> list[str]:
    return list(request.session.get(PLACED_SESSION_KEY, []))


def _card_payment_url(checkout_id) -> str:
    """The redirect to Stripe Checkout (orders/stripe_checkout.py, mounted as "payments"), or ''
    when card payment is not set up here."""
    if not settings.STRIPE_SECRET_KEY:
        return ""
    for name in ("payments:stripe_checkout", "orders:stripe_checkout"):
        with contextlib.suppress(NoReverseMatch):
            return reverse(name, args=[checkout_id])
    return ""


def _after_placing(checkout_id: uuid.UUID, orders: list[Order]) -> str:
    if orders and orders[0].payment_method == PaymentMethod.STRIPE:
        url = _card_payment_url(checkout_id)
        if url:
            return url
    return reverse("orders:checkout_done", args=[checkout_id])


@never_cache
def checkout(request):
    cart = Cart(request)
    if request.method == "POST":
        form = CheckoutForm(request.POST)
        posted_id = request.POST.get("checkout_id", "")
        # A second submission of a form already placed: the same orders, not new ones.
        if posted_id in _placed(request):
            return _see_other(reverse("orders:checkout_done", args=[posted_id]))
    elif request.method in ("GET", "HEAD"):
        form = CheckoutForm(initial={"checkout_id": _checkout_id(request)})
    else:
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})

    if not cart:
        messages.info(request, _("Your cart is empty."))
        return _see_other(reverse("orders:cart"))

    if request.method == "POST":
        release_expired_holds(variant_ids=list(cart.items))
    groups = cart.groups()
    _say_dropped(request, cart)
    if request.method == "POST" and (cart.dropped or cart.capped):
        # Never place an order for fewer products than the buyer saw: let them look again.
        return _see_other(reverse("orders:cart"))
    if request.method == "POST" and form.is_valid():
        checkout_id = form.cleaned_data["checkout_id"]
        problems = [
            _("%(product)s (%(pack)s): %(problem)s")
            % {"product": line.page.title, "pack": line.variant.pack_label, "problem": line.problem}
            for group in groups
            for line in group.lines
            if line.problem
        ]
        if str(checkout_id) != request.session.get(CHECKOUT_SESSION_KEY):
            # Not the form this session was given (an old tab, an expired session, or someone
            # else's id): never let it reach another checkout's orders.
            form = CheckoutForm(request.POST.copy())
            form.data["checkout_id"] = _checkout_id(request)
            form.is_valid()
            form.add_error(
                None,
                # Translators: “Place order” is the checkout page's button.
                _("This checkout page is out of date. Check it again and press “Place order” once more."),
            )
        elif problems:
            for problem in problems:
                form.add_error(None, problem)
            form.add_error(None, _("Change the quantities in your cart, then order again."))
        else:
            data = form.cleaned_data
            client = client_address(request)
            buyer = Buyer(
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                delivery_method=data["delivery_method"],
                delivery_address=data["delivery_address"],
                note=data["note"].strip(),
                payment_method=data["payment_method"],
                language=_buyer_language(),
                client=buyer_client_key(client),
                # Decided now, counted only once the orders exist (below): a refused checkout
                # uses up none of the client's confirmation mails.
                mail_held=bool(data["email"]) and not mail_allowed("order_mail_client", client),
            )
            try:
                orders = place_orders(items=cart.items, buyer=buyer, checkout_id=checkout_id)
            except CheckoutBusy as error:
                # Nothing was placed and the cart is kept: the same button works again.
                response = render(request, "orders/checkout_busy.html", {"reason": error}, status=503)
                response["Retry-After"] = "5"
                return _private(response)
            except OrderError as error:
                form.add_error(None, _("The order could not be placed: %(reason)s") % {"reason": error})
            else:
                if buyer.email and not buyer.mail_held:
                    allow_mail("order_mail_client", client)
                cart.clear()
                request.session.pop(CHECKOUT_SESSION_KEY, None)
                request.session[PLACED_SESSION_KEY] = (_placed(request) + [str(checkout_id)])[-PLACED_KEPT:]
                return _see_other(_after_placing(checkout_id, orders))

    return _private(
        render(
            request,
            "orders/checkout.html",
            {"form": form, "groups": groups, "total": sum(group.total for group in groups)},
        )
    )


@require_safe
def checkout_done(request, checkout_id):
    if str(checkout_id) not in _placed(request):
        raise Http404
    orders = list(Order.objects.filter(checkout_id=checkout_id).select_related("cooperative").order_by("pk"))
    if not orders:
        raise Http404
    return _private(
        render(
            request,
            "orders/checkout_done.html",
            {"orders": orders, "total": sum(order.total for order in orders)},
        )
    )
