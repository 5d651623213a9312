"""The buyer's order page, reached only by its token, and its VietQR code as a PNG."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from traceability.qr import qr_png, qr_svg

from ..models import Order, OrderStatus, PaymentMethod
from ..selectors import order_lines_for_buyer
from ..vietqr import bank_name, vietqr_payload
from .checkout_pages import _card_payment_url
from .responses import _private

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
