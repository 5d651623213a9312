"""Card payment through Stripe Checkout, only where a deployment has Stripe keys (DESIGN §2:
Stripe does not onboard Vietnamese businesses, so VietQR stays the default).

One Checkout Session covers every unpaid order of a checkout (the buyer pays once; Stripe pays
the platform account, which settles with each cooperative). Amounts are in VND, a zero-decimal
currency: unit_amount is the price in đồng, never ×100. The orders are confirmed by the
webhook (orders/webhooks.py), never by the buyer coming back to the success URL."""

import datetime
import html
import logging

import stripe

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .models import Order, OrderStatus
from .selectors import order_lines_for_buyer

logger = logging.getLogger(__name__)

# Stripe accepts expires_at from 30 minutes to 24 hours after the session is created.
SESSION_MIN_LIFETIME = datetime.timedelta(minutes=31)
SESSION_MAX_LIFETIME = datetime.timedelta(hours=23, minutes=55)
PLACED_CHECKOUTS_SESSION_KEY = "placed_checkouts"


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def stripe_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def stripe_client() -> stripe.StripeClient:
    """A client configured for this call (no global state shared between threads);
    STRIPE_API_BASE points it at a local Stripe-compatible server in tests."""
    base_addresses = {"api": settings.STRIPE_API_BASE.rstrip("/")} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses=base_addresses, max_network_retries=1
    )


def order_page_url(order: Order) -> str:
    """The buyer's order page in the language they ordered in (its prefix, /en/orders/…)."""
    try:
        with translation.override(order.language):
            return order.get_absolute_url()
    except NoReverseMatch:  # the contract path (DESIGN §4), should the URL name move
        return f"/orders/{order.token}/"


def session_expires_at(orders, *, now=None) -> int:
    """As close to the orders' own payment deadline as Stripe allows."""
    now = now or timezone.now()
    deadline = min(order.expires_at for order in orders)
    deadline = max(deadline, now + SESSION_MIN_LIFETIME)
    deadline = min(deadline, now + SESSION_MAX_LIFETIME)
    return int(deadline.timestamp())


# Languages of this site that Stripe Checkout speaks; any other lets Stripe follow the browser.
STRIPE_LOCALES = {"vi", "en"}


def _stripe_locale() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in STRIPE_LOCALES else "auto"


def checkout_session_params(orders, *, success_url: str, cancel_url: str) -> dict:
    line_items = []
    for order in orders:
        # Product names as the buyer's order page shows them, in the active language.
        for line in order_lines_for_buyer(order):
            line_items.append(
                {
                    "price_data": {
                        "currency": "vnd",
                        "unit_amount": int(line.unit_price),  # zero-decimal: đồng as they are
                        "product_data": {"name": f"{line.shown_title} – {line.pack_label}"},
                    },
                    "quantity": int(line.quantity),
                }
            )
        if order.shipping_fee:
            line_items.append(
                {
                    "price_data": {
                        "currency": "vnd",
                        "unit_amount": int(order.shipping_fee),
                        "product_data": {"name": _("Shipping – order %(number)s") % {"number": order.number}},
                    },
                    "quantity": 1,
                }
            )
    checkout_id = str(orders[0].checkout_id)
    metadata = {
        "checkout_id": checkout_id,
        "order_ids": ",".join(str(order.pk) for order in orders),
        "order_numbers": ",".join(order.number for order in orders),
    }
    params = {
        "mode": "payment",
        "currency": "vnd",
        "line_items": line_items,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "client_reference_id": checkout_id,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        "expires_at": session_expires_at(orders),
        # Stripe's payment page in the buyer's language where Stripe has it (it has no Hmong).
        "locale": _stripe_locale(),
    }
    email = next((order.buyer_email for order in orders if order.buyer_email), "")
    if email:
        params["customer_email"] = email
    return params


def create_checkout_session(orders, *, success_url: str, cancel_url: str):
    """Create one Checkout Session for these orders (all of one checkout, all unpaid) and
    remember its id on each. Raises stripe.StripeError when Stripe refuses or cannot be reached."""
    orders = list(orders)
    if not orders:
        raise ValueError("no orders to pay")
    params = checkout_session_params(orders, success_url=success_url, cancel_url=cancel_url)
    session = stripe_client().v1.checkout.sessions.create(params)
    Order.objects.filter(pk__in=[order.pk for order in orders]).update(stripe_session_id=session.id)
    # Stripe keeps a session open at least 30 minutes: an order about to expire is held until
    # its session ends (then checkout.session.expired cancels it), never freed while the buyer
    # can still pay on it. At most once: a second click reuses the open session.
    session_ends = datetime.datetime.fromtimestamp(params["expires_at"], tz=datetime.UTC)
    Order.objects.filter(
        pk__in=[order.pk for order in orders], status=OrderStatus.PENDING_PAYMENT, expires_at__lt=session_ends
    ).update(expires_at=session_ends)
    for order in orders:
        order.stripe_session_id = session.id
        order.expires_at = max(order.expires_at, session_ends)
    return session


def _reusable_session(orders):
    """The checkout's session still open for exactly these orders, if there is one: a second
    click on "pay by card" must not open a second way to pay the same orders."""
    session_ids = {order.stripe_session_id for order in orders}
    if len(session_ids) != 1 or not next(iter(session_ids)):
        return None
    try:
        session = stripe_client().v1.checkout.sessions.retrieve(next(iter(session_ids)))
    except stripe.StripeError:
        return None
    data = session.to_dict()
    order_ids = ",".join(str(order.pk) for order in orders)
    metadata = data.get("metadata") or {}
    if data.get("status") == "open" and data.get("url") and metadata.get("order_ids") == order_ids:
        return session
    return None


def _message_page(title: str, message: str, *, link: str = "", status: int = 200) -> HttpResponse:
    body = (
        f'<!doctype html><html lang="{html.escape(translation.get_language() or settings.LANGUAGE_CODE)}">'
        '<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>"
    )
    if link:
        back = _("Back to your order")
        body += f'<p><a href="{html.escape(link)}">{html.escape(back)}</a></p>'
    body += "</body></html>"
    return HttpResponse(body, status=status)


def _may_pay(request, checkout_id, orders) -> bool:
    placed = request.session.get(PLACED_CHECKOUTS_SESSION_KEY) or []
    if str(checkout_id) in {str(value) for value in placed}:
        return True
    # A buyer back on another device, from the link on their order page (its secret token).
    token = request.POST.get("token") or request.GET.get("token")
    return bool(token) and any(order.token == token for order in orders)


@never_cache
@require_http_methods(["GET", "POST"])
def stripe_checkout(request, checkout_id):
    """Send the buyer to Stripe's payment page for their checkout (303), or explain why not.
    Its URL carries no language: the buyer's is the one they ordered in."""
    if not stripe_enabled():
        raise Http404("Card payment is not offered here.")
    orders = list(Order.objects.filter(checkout_id=checkout_id).select_related("cooperative").order_by("pk"))
    if not orders or not _may_pay(request, checkout_id, orders):
        raise Http404("No such checkout.")
    with translation.override(orders[0].language):
        return _send_to_stripe(request, checkout_id, orders)


def _send_to_stripe(request, checkout_id, orders) -> HttpResponse:
    first_page = request.build_absolute_uri(order_page_url(orders[0]))
    unpaid = [order for order in orders if order.status == OrderStatus.PENDING_PAYMENT]
    if not unpaid:
        return _message_page(
            _("Nothing left to pay"),
            _("These orders are already paid, or were cancelled."),
            link=first_page,
        )
    if any(order.expires_at <= timezone.now() for order in unpaid):
        return _message_page(
            _("Payment time is over"),
            _("The time to pay for this order has passed; please order again."),
            link=first_page,
        )
    session = _reusable_session(unpaid)
    if session is None:
        try:
            session = create_checkout_session(
                unpaid, success_url=f"{first_page}?paid=1", cancel_url=f"{first_page}?cancelled=1"
            )
        except stripe.StripeError as error:
            logger.error("Stripe Checkout session for checkout %s failed: %s", checkout_id, error)
            return _message_page(
                _("Card payment is not available right now"),
                _(
                    "Nothing was charged. Please try again in a few minutes, or pay by bank "
                    "transfer (VietQR) from your order page."
                ),
                link=first_page,
                status=502,
            )
    return HttpResponseSeeOther(session.url)
