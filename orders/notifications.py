"""Emails about orders, to the buyer (when they gave an address) and to the cooperative (its
editors), on a new order and on payment. Plain text. The buyer's are written in the language
they ordered in (Order.language), with links that keep its prefix; the cooperative's in the
site's language (Vietnamese), whatever language the task runs in.

Sent by the tasks in orders/tasks.py, enqueued by orders/signal_handlers.py once the order's
transaction has committed: a rolled-back checkout mails nobody, and a mail server that is down
never fails a checkout or a payment."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from growers.selectors import cooperative_editors_group
from website.money import format_vnd
from website.ratelimit import allow_mail

from .models import Order, Payment
from .selectors import order_lines_for_buyer

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def order_page_url(order: Order) -> str:
    """The buyer's page, reached by its token, in the active language (its prefix)."""
    return absolute_url(order.get_absolute_url())


def order_desk_url(order: Order) -> str:
    """The order in the admin's order desk, for the cooperative."""
    try:
        return absolute_url(reverse("order_desk:inspect", args=[order.pk]))
    except NoReverseMatch:
        return ""


def cooperative_recipients(cooperative) -> list[str]:
    """The email addresses of the cooperative's active editors."""
    group = cooperative_editors_group(cooperative)
    if group is None:
        return []
    emails = group.user_set.filter(is_active=True).exclude(email="").values_list("email", flat=True)
    return sorted(set(emails))


def _context(order: Order, **extra) -> dict:
    """What the templates need, in the active language (product titles, the order page's link)."""
    lines = order_lines_for_buyer(order)
    return {
        "order": order,
        "cooperative": order.cooperative,
        "lines": [
            {
                "line": line,
                "unit_price": format_vnd(line.unit_price),
                "line_total": format_vnd(line.line_total),
            }
            for line in lines
        ],
        "subtotal": format_vnd(order.subtotal),
        "shipping_fee": format_vnd(order.shipping_fee),
        "total": format_vnd(order.total),
        "order_url": order_page_url(order),
        "desk_url": order_desk_url(order),
        **extra,
    }


def may_mail_buyer(order: Order) -> bool:
    """Whether the new-order mail may go to the address the buyer typed: not when the checkout
    held it (Order.buyer_mail_held: the client that placed it had asked for too many; stored with
    the order, so a worker with a cache of its own sees it too), nor once that address has had
    its share (orders/rate_limits.py). The order stands either way; its page is the
    buyer's record."""
    if order.buyer_mail_held:
        logger.info("Order %s: confirmation mail held (too many from one client).", order.number)
        return False
    if not allow_mail("order_mail_recipient", order.buyer_email):
        logger.info("Order %s: confirmation mail held (too many to one address).", order.number)
        return False
    return True


def _send(*, subject: str, template: str, context: dict, recipients: list[str]) -> int:
    if not recipients:
        return 0
    body = render_to_string(f"orders/email/{template}", context)
    # One message per recipient: a buyer's address is never shown to the cooperative's other
    # editors, and one bad address does not hold back the others.
    sent = 0
    for recipient in recipients:
        sent += send_mail(subject, body, None, [recipient])
    return sent


def buyer_language(order: Order) -> str:
    """The order's language if this site still offers it, else the site's."""
    if order.language in dict(settings.LANGUAGES):
        return order.language
    return settings.LANGUAGE_CODE


def send_new_order_emails(order: Order) -> int:
    # Subjects hold only the order's number and the site's words, never what the buyer typed.
    sent = 0
    if order.buyer_email and may_mail_buyer(order):
        with translation.override(buyer_language(order)):
            sent += _send(
                subject=_("Your order %(number)s has been received") % {"number": order.number},
                template="new_order_buyer.txt",
                context=_context(order),
                recipients=[order.buyer_email],
            )
    recipients = cooperative_recipients(order.cooperative)
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            context = _context(order)
            words = {"number": order.number, "total": context["total"]}
            subject = _("New order %(number)s: %(total)s") % words
            sent += _send(
                subject=subject,
                template="new_order_cooperative.txt",
                context=context,
                recipients=recipients,
            )
    return sent


def send_payment_emails(payment: Payment) -> int:
    order = payment.order
    amount = format_vnd(payment.amount)
    sent = 0
    if order.buyer_email:
        with translation.override(buyer_language(order)):
            sent += _send(
                subject=_("Payment received for order %(number)s") % {"number": order.number},
                template="paid_buyer.txt",
                context=_context(order, payment=payment, amount=amount),
                recipients=[order.buyer_email],
            )
    recipients = cooperative_recipients(order.cooperative)
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            sent += _send(
                subject=_("Order %(number)s paid: %(amount)s") % {"number": order.number, "amount": amount},
                template="paid_cooperative.txt",
                context=_context(order, payment=payment, amount=amount),
                recipients=recipients,
            )
    return sent
