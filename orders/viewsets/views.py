"""The order desk's pages: the list of orders (with its export), an order's page, and the
bank notices that need a person."""

import datetime

from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_info, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic

from website.money import format_vnd as vnd
from website.spreadsheets import SafeSpreadsheetExportMixin

from ..admin_forms import StatusChangeForm
from ..models import BankNotification, BankNotificationOutcome, OrderStatus
from .access import (
    BUYER_FIELDS,
    STATUS_ACTION,
    TRANSITION_LABELS,
    allowed_targets,
    may_receive_transfer,
    order_permission_policy,
    sees_all_orders,
    sees_buyers,
    visible_orders,
)

# Who moved an order when no person did (OrderEvent.source holds the machine word).
SOURCE_LABELS = {
    "buyer": gettext_lazy("The buyer, at checkout"),
    "bank": gettext_lazy("Bank notice"),
    "stripe": gettext_lazy("Stripe (card payment)"),
    "expiry": gettext_lazy("Automatic: time to pay ran out"),
    "admin": gettext_lazy("Order desk"),
}
REVIEW_OUTCOMES = (
    BankNotificationOutcome.WRONG_AMOUNT,
    BankNotificationOutcome.UNKNOWN_REFERENCE,
    BankNotificationOutcome.ORDER_CLOSED,
    BankNotificationOutcome.PAID_TWICE,
)


class OrderDeskMixin:
    """Shared by the order desk's views: the URLs of the actions, and the buttons for them."""

    url_namespace = None

    def action_url(self, name, order):
        return reverse(f"{self.url_namespace}:{name}", args=(quote(order.pk),))

    def may_act_on(self, order) -> bool:
        return order_permission_policy.user_has_permission_for_instance(
            self.request.user, STATUS_ACTION, order
        )


def local_time(value) -> str:
    """An aware datetime in the site's time zone, as website.admin_display shows every
    DateTimeField in an inspect view (for a getter that must say something else when empty)."""
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _export_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value


def _export_time_xlsx(value):
    return timezone.make_naive(value) if timezone.is_aware(value) else value


def _column_name(column) -> str:
    return column if isinstance(column, str) else column.name


class OrderIndexView(OrderDeskMixin, SafeSpreadsheetExportMixin, generic.IndexView):
    # The export's times in the site's time zone, like every time shown (Wagtail's default
    # writes them in UTC).
    custom_value_preprocess = {
        **generic.IndexView.custom_value_preprocess,
        datetime.datetime: {"csv": _export_time, "xlsx": _export_time_xlsx},
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not sees_buyers(request.user):
            # No column, export field or search by the buyer's data (a phone typed in the search
            # box would tell whether that person ordered).
            self.list_display = [c for c in self.list_display if _column_name(c) not in BUYER_FIELDS]
            self.list_export = [field for field in self.list_export if field not in BUYER_FIELDS]
            self.search_fields = [field for field in self.search_fields or [] if field not in BUYER_FIELDS]

    def get_base_queryset(self):
        # Everything the list, its results fragment, search and the CSV export show comes from here.
        return visible_orders(self.request.user).select_related("cooperative")


class OrderInspectView(OrderDeskMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(visible_orders(self.request.user), pk=self.pk)

    def get_status_display_value(self):
        return self.object.get_status_display()

    def get_total_display_value(self):
        return vnd(self.object.total)

    def get_paid_at_display_value(self):
        if self.object.paid_at is None:
            return _("Not paid yet")
        return local_time(self.object.paid_at)

    def get_language_display_value(self):
        # The language the buyer ordered in, named in the admin's language ("English", "Tiếng Anh").
        code = self.object.language
        try:
            return get_language_info(code)["name_translated"]
        except KeyError:
            return code

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        may_act = self.may_act_on(order)
        context.update(
            lines=order.lines.all(),
            payments=order.payments.select_related("recorded_by").order_by("received_at"),
            events=[_with_source_label(event) for event in order.events.select_related("actor")],
            transitions=[
                {
                    "status": status,
                    "label": TRANSITION_LABELS[status],
                    "destructive": status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED),
                }
                for status in (allowed_targets(order) if may_act else [])
            ],
            transition_url=self.action_url("transition", order) if may_act else "",
            transfer_url=self.action_url("transfer", order)
            if may_act and may_receive_transfer(order)
            else "",
            status_form=StatusChangeForm(),
            shows_buyer=sees_buyers(self.request.user),
        )
        return context


def _with_source_label(event):
    event.source_label = SOURCE_LABELS.get(event.source, event.source)
    return event


class BankNoticeIndexView(generic.IndexView):
    """Bank notices that no order took: wrong amount, unknown reference, order closed. Anyone
    who sees all orders sees them all; a cooperative sees those matched to its own orders."""

    model = BankNotification
    permission_policy = order_permission_policy
    any_permission_required = ["view"]
    page_title = gettext_lazy("Bank notices to review")
    header_icon = "warning"
    list_display = [
        "transaction_id",
        Column("amount", label=gettext_lazy("Amount"), accessor=lambda notice: vnd(notice.amount)),
        "description",
        "outcome",
        Column(
            "order", label=pgettext_lazy("bank notice", "Order"), accessor=lambda notice: notice.order or "—"
        ),
        DateColumn("received_at", label=gettext_lazy("Received")),
    ]
    default_ordering = "-received_at"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not sees_buyers(request.user):
            # A transfer's note often carries the payer's name or phone.
            self.list_display = [c for c in self.list_display if _column_name(c) != "description"]

    def get_base_queryset(self):
        notices = BankNotification.objects.filter(outcome__in=REVIEW_OUTCOMES).select_related("order")
        user = self.request.user
        if not sees_all_orders(user):
            notices = notices.filter(order__in=visible_orders(user))
        return notices

    def get_inspect_url(self, instance):
        return None
