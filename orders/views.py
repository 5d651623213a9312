"""The buyer's side of orders: the cart, checkout, the confirmation page and the order page.
Thin: prices and stock come from the database, orders are placed by orders.services."""

import contextlib
import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from products.models import ProductVariant
from traceability.qr import qr_png, qr_svg
from website.ratelimit import allow_mail, client_address, mail_allowed

from .cart import Cart
from .exceptions import CheckoutBusy, OrderError
from .forms import CartLineForm, CartRemoveForm, CheckoutForm, share_message, shown_title
from .models import Order, OrderStatus, PaymentMethod
from .selectors import order_lines_for_buyer
from .services import Buyer, buyer_client_key, place_orders, release_expired_holds
from .vietqr import bank_name, vietqr_payload

CHECKOUT_SESSION_KEY = "checkout_id"
# Checkouts this session placed: only they may see their confirmation page.
PLACED_SESSION_KEY = "placed_checkouts"
PLACED_KEPT = 20

# Each status's pictogram (website/icons/), always shown beside its words (the status's label),
# never colour alone.
STATUS_ICONS = {
    OrderStatus.PENDING_PAYMENT: "expired",
    OrderStatus.PAID: "valid",
    OrderStatus.PACKED: "packing",
    OrderStatus.SHIPPED: "shipping",
    OrderStatus.DELIVERED: "home",
    OrderStatus.CANCELLED: "revoked",
    OrderStatus.REFUNDED: "money",
}


def _see_other(url: str) -> HttpResponse:
    # A plain redirect to a path (never shortcuts.redirect, which would try a posted word as a
    # URL name and fail).
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _private(response: HttpResponse) -> HttpResponse:
    """For pages whose URL is a secret (the order token) or that show a buyer's data: never
    stored by a shared cache, never indexed, the URL never sent on to another site.
    "same-origin", not "no-referrer": with no referrer at all, Chromium posts this page's forms
    with "Origin: null" and Django's CSRF check refuses the checkout."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response


def _first_error(form) -> str:
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return _("The request is not valid.")


def _buyer_language() -> str:
    """The language the buyer is reading (the URL's prefix), as one of LANGUAGES."""
    try:
        return get_supported_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _back(request, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return _see_other(target)


# Cart -----------------------------------------------------------------------------------


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


# Checkout -------------------------------------------------------------------------------


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


# The buyer's order page -----------------------------------------------------------------


def _order_by_token(token: str) -> Order:
    order = Order.objects.select_related("cooperative").filter(token=token).first()
    if order is None:
        raise Http404
    return order


def _can_pay_by_transfer(order: Order) -> bool:
    return (
        order.status == OrderStatus.PENDING_PAYMENT
        and order.expires_at > timezone.now()
        and order.cooperative.has_bank_account
    )


def _payload(order: Order) -> str:
    cooperative = order.cooperative
    return vietqr_payload(
        bin=cooperative.bank_bin,
        account=cooperative.bank_account_number,
        amount=order.total,
        reference=order.payment_reference,
    )


def _event_explanation(event) -> str:
    """What the buyer reads under a step of the timeline: the automatic steps in their language,
    otherwise the note a person or a payment left (a tracking or transfer number)."""
    if event.source == "expiry":
        return _("Not paid in time; the order cancelled itself.")
    if event.source == "stripe" and event.to_status == OrderStatus.CANCELLED:
        return _("The time to pay by card ran out; the order was cancelled.")
    return event.note


@require_safe
def order_detail(request, token):
    order = _order_by_token(token)
    events = [
        {
            "event": event,
            "icon": STATUS_ICONS[event.to_status],
            "words": OrderStatus(event.to_status).label,
            "explanation": _event_explanation(event),
        }
        for event in order.events.all()
    ]
    pending = order.status == OrderStatus.PENDING_PAYMENT
    context = {
        "order": order,
        "cooperative": order.cooperative,
        "lines": order_lines_for_buyer(order),
        "events": events,
        "status_icon": STATUS_ICONS[order.status],
        "status_words": order.get_status_display(),
        "pending": pending,
        "overdue": pending and order.expires_at <= timezone.now(),
        "can_transfer": _can_pay_by_transfer(order),
    }
    if context["can_transfer"]:
        cooperative = order.cooperative
        context.update(
            qr_svg=qr_svg(_payload(order)),
            qr_png_url=reverse("orders:vietqr_png", args=[order.token]),
            qr_png_name=f"vietqr-{order.number}.png",
            bank_name=bank_name(cooperative.bank_bin),
        )
    if pending and not context["overdue"] and order.payment_method == PaymentMethod.STRIPE:
        url = _card_payment_url(order.checkout_id)
        # The token lets the buyer pay from another device than the one that placed the order.
        context["card_url"] = f"{url}?{urlencode({'token': order.token})}" if url else ""
    return _private(render(request, "orders/order_detail.html", context))


@require_safe
def order_vietqr_png(request, token):
    order = _order_by_token(token)
    if not _can_pay_by_transfer(order):
        raise Http404
    response = HttpResponse(qr_png(_payload(order)), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="vietqr-{order.number}.png"'
    return _private(response)
