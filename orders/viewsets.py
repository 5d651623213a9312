"""The order desk in the Wagtail admin: each cooperative handles its own orders.

Orders come from checkouts only: there is no add, edit, copy or delete view, for anyone. What
remains is the list (filters, search, CSV export), the order's page (lines, buyer, delivery,
payments, timeline), the status transitions ORDER_TRANSITIONS allows, and "transfer received"
for orders waiting for a bank transfer; plus a list of bank notices that need a person.

Who sees which orders (OrderPermissionPolicy, used by every one of these views):

- a superuser: every order, and may act on every order;
- an agriculture officer (member of growers.services.OFFICERS_GROUP_NAME) with
  ``orders.view_order``: every order, read-only (the orders are the cooperatives' business;
  the officer looks, for the commune's statistics, and does not move them), without the
  buyers' personal data (BUYER_FIELDS, event notes, bank transfer notes: Decree 13/2023);
- a cooperative's editor (``orders.view_order`` and ``orders.change_order_status``, given by
  growers.services.ensure_cooperative_editors): the orders of the cooperatives whose page the
  user may change, and nothing else; an order of another cooperative answers 404 in every view;
- anyone else, even with ``orders.view_order``: no order at all (fail closed).

Marking an order paid is only done by recording a payment (transfer received, bank webhook,
Stripe): the plain status buttons never offer "paid", so that every paid order has its payment.
"""

import datetime

import django_filters

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.generic.edit import FormView

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from growers.models import CooperativePage
from growers.services import OFFICERS_GROUP_NAME
from website.spreadsheets import SafeSpreadsheetExportMixin
from website.templatetags.site_tags import vnd

from .admin_forms import StatusChangeForm, TransferReceivedForm
from .exceptions import OrderError
from .models import (
    ORDER_TRANSITIONS,
    BankNotification,
    BankNotificationOutcome,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentMethod,
    UnreadableBankNotice,
)
from .payments import confirm_transfer, normalise_bank_reference
from .services import change_status

# The actions a person may take on an order here, by permission.
READ_ACTIONS = ("view",)
STATUS_ACTION = "change_status"
# Paid only by recording a payment; see the module docstring.
MANUAL_TARGETS = [status for status in OrderStatus if status != OrderStatus.PAID]
TRANSITION_LABELS = {
    OrderStatus.PACKED: gettext_lazy("Mark packed"),
    OrderStatus.SHIPPED: gettext_lazy("Mark shipped"),
    OrderStatus.DELIVERED: gettext_lazy("Mark delivered"),
    OrderStatus.CANCELLED: gettext_lazy("Cancel order"),
    OrderStatus.REFUNDED: gettext_lazy("Mark refunded"),
}
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


# Who sees what ------------------------------------------------------------------------------


def cooperatives_edited_by(user):
    """Primary keys of the cooperatives whose page this user may change (their editors)."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return CooperativePage.objects.filter(pk__in=pages.values("pk")).values("pk")


def sees_all_orders(user) -> bool:
    if user.is_superuser:
        return True
    if not hasattr(user, "_order_desk_sees_all"):
        user._order_desk_sees_all = user.is_active and user.groups.filter(name=OFFICERS_GROUP_NAME).exists()
    return user._order_desk_sees_all


# What only the cooperative that sells needs: the buyer's own data (Decree 13/2023 on personal
# data). The officer reads orders for statistics (counts, amounts) and is shown none of it.
BUYER_FIELDS = ("buyer_name", "buyer_phone", "buyer_email", "delivery_address", "note")


def sees_buyers(user) -> bool:
    """Whether the order desk shows this user the buyers' personal data: superusers and the
    cooperatives' editors (of their own orders, the only ones they see); not the officer."""
    return user.is_superuser or not sees_all_orders(user)


class OrderPermissionPolicy(ModelPermissionPolicy):
    """Model permissions (``view_order``, ``change_order_status``) narrowed to the orders of the
    user's own cooperatives; see the module docstring. "add", "change" and "delete" are refused
    to everybody, superusers included: orders are written by checkouts and services only."""

    def _get_permission_codename(self, action):
        if action == STATUS_ACTION:
            return "change_order_status"
        return super()._get_permission_codename(action)

    def user_has_permission(self, user, action):
        if action not in (*READ_ACTIONS, STATUS_ACTION):
            return False
        return user.is_active and user.has_perm(self._get_permission_name(action))

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action in (*READ_ACTIONS, STATUS_ACTION)]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)

    def instances_user_has_any_permission_for(self, user, actions):
        actions = [action for action in actions if self.user_has_permission(user, action)]
        orders = self.model._default_manager.all()
        if not actions:
            return orders.none()
        if user.is_superuser:
            return orders
        if sees_all_orders(user) and any(action in READ_ACTIONS for action in actions):
            # Officers read every order; the status actions stay with each cooperative.
            return orders
        return orders.filter(cooperative__in=cooperatives_edited_by(user))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def users_with_any_permission_for_instance(self, actions, instance):
        # Superusers, officers, and the editors of the order's cooperative with the permission.
        users = self.users_with_any_permission(actions)
        editors = Q(is_superuser=True)
        if any(action in READ_ACTIONS for action in actions):
            editors |= Q(groups__name=OFFICERS_GROUP_NAME)
        editors |= Q(
            groups__page_permissions__page__in=CooperativePage.objects.filter(pk=instance.cooperative_id),
            groups__page_permissions__permission__codename="change_page",
        )
        return users.filter(editors).distinct()


order_permission_policy = OrderPermissionPolicy(Order)
register_permission_policy(Order, order_permission_policy)


def visible_orders(user):
    return order_permission_policy.instances_user_has_permission_for(user, "view")


def actionable_orders(user):
    return order_permission_policy.instances_user_has_permission_for(user, STATUS_ACTION)


def allowed_targets(order: Order) -> list[str]:
    """The statuses a person may move the order to from here, in the order of STATUS values."""
    allowed = ORDER_TRANSITIONS[OrderStatus(order.status)]
    return [status for status in MANUAL_TARGETS if status in allowed]


def may_receive_transfer(order: Order) -> bool:
    # Card orders too: their page shows the VietQR code as well, and some buyers use it.
    return order.status == OrderStatus.PENDING_PAYMENT


# Filters ------------------------------------------------------------------------------------


def _visible_cooperatives(request):
    if request is None:
        return CooperativePage.objects.none()
    user = request.user
    cooperatives = CooperativePage.objects.order_by("title")
    if sees_all_orders(user):
        return cooperatives
    return cooperatives.filter(pk__in=cooperatives_edited_by(user))


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=OrderStatus.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Placed"), widget=DateRangePickerWidget
    )
    payment_method = django_filters.ChoiceFilter(
        label=gettext_lazy("Payment"),
        choices=PaymentMethod.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    cooperative = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Cooperative"), queryset=_visible_cooperatives
    )

    class Meta:
        model = Order
        fields = []


# Views --------------------------------------------------------------------------------------


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


class OrderActionView(OrderDeskMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Base of the actions on one order. Only the orders of the user's own cooperatives are
    found (404 for the others); refusals of the rules come back as a message on the order's
    page, never as an error page."""

    model = Order
    permission_policy = order_permission_policy
    permission_required = STATUS_ACTION
    index_url_name = None
    inspect_url_name = None
    header_icon = "list-ul"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = kwargs["pk"]

    @cached_property
    def object(self):
        return get_object_or_404(actionable_orders(self.request.user), pk=self.pk)

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=(quote(self.object.pk),))

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": capfirst(Order._meta.verbose_name_plural)},
            {"url": self.get_success_url(), "label": self.object.number},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_page_subtitle(self):
        return self.object.number


class OrderTransitionView(OrderActionView):
    """POST only, from the buttons on the order's page."""

    form_class = StatusChangeForm

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def form_invalid(self, form):
        messages.error(self.request, _("Choose what should happen to the order."))
        return redirect(self.get_success_url())

    def form_valid(self, form):
        order = self.object
        to_status = form.cleaned_data["to_status"]
        if to_status not in MANUAL_TARGETS:
            if to_status == OrderStatus.PAID:
                messages.error(
                    self.request,
                    _("An order becomes paid when its payment is recorded: use “Transfer received”."),
                )
            else:
                messages.error(self.request, _("Unknown status."))
            return redirect(self.get_success_url())
        try:
            change_status(
                order=order,
                to_status=to_status,
                actor=self.request.user,
                note=form.cleaned_data["note"],
                source="admin",
            )
        except OrderError as refusal:
            messages.error(self.request, str(refusal))
        else:
            messages.success(
                self.request,
                _("Order %(number)s is now “%(status)s”.")
                % {"number": order.number, "status": OrderStatus(to_status).label},
            )
        return redirect(self.get_success_url())


class TransferReceivedView(OrderActionView):
    """The cooperative saw the transfer on its account: record the payment (order becomes paid)."""

    form_class = TransferReceivedForm
    template_name = "orders/admin/transfer_received.html"
    page_title = gettext_lazy("Transfer received")

    def get(self, request, *args, **kwargs):
        return self.refuse_if_not_waiting() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        refused = self.refuse_if_not_waiting()
        if refused:
            return refused
        if "bank_reference" not in request.POST:
            # Pressed on the order's page: show this form with the note typed there, no error yet.
            note = request.POST.get("note", "")[:500]
            form = self.get_form_class()(initial={**self.get_initial(), "note": note})
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def refuse_if_not_waiting(self):
        if may_receive_transfer(self.object):
            return None
        messages.error(
            self.request,
            _("Order %(number)s is “%(status)s”, not waiting for a bank transfer.")
            % {"number": self.object.number, "status": self.object.get_status_display()},
        )
        return redirect(self.get_success_url())

    def get_initial(self):
        return {"amount": self.object.total}

    def form_valid(self, form):
        order = self.object
        reference = normalise_bank_reference(form.cleaned_data["bank_reference"])
        # confirm_transfer names the order a reference was already used for; when that order
        # belongs to another cooperative, say so without naming it.
        used_elsewhere = (
            Payment.objects.filter(method=PaymentMethod.VIETQR, provider_reference=reference)
            .exclude(order__in=visible_orders(self.request.user))
            .exists()
        )
        if used_elsewhere:
            form.add_error("bank_reference", _("This bank reference is already recorded for another order."))
            return self.form_invalid(form)
        note = form.cleaned_data["note"].strip()
        try:
            with transaction.atomic():
                payment, created = confirm_transfer(
                    order=order,
                    bank_reference=reference,
                    amount=form.cleaned_data["amount"],
                    user=self.request.user,
                )
                if created and note:
                    # The timeline's "paid" step already names the bank reference; add the note.
                    OrderEvent.objects.filter(
                        order=order, to_status=OrderStatus.PAID, note=payment.provider_reference
                    ).update(note=f"{payment.provider_reference}\n{note}")
        except OrderError as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        if created:
            messages.success(
                self.request,
                _("Transfer %(reference)s recorded: order %(number)s is paid.")
                % {"reference": reference, "number": order.number},
            )
        else:
            messages.warning(self.request, _("This transfer was already recorded for this order."))
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(order=self.object, action_url=self.request.path, cancel_url=self.get_success_url())
        return context


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


# The viewset --------------------------------------------------------------------------------


def _is_waiting(order):
    return order.status == OrderStatus.PENDING_PAYMENT


class OrderViewSet(ModelViewSet):
    model = Order
    icon = "list-ul"
    menu_label = gettext_lazy("Orders")
    add_to_admin_menu = False
    # Not "orders": that namespace is the buyer's pages (orders/urls.py).
    name = "order_desk"
    url_prefix = "orders"
    permission_policy = order_permission_policy

    index_view_class = OrderIndexView
    inspect_view_class = OrderInspectView
    transition_view_class = OrderTransitionView
    transfer_view_class = TransferReceivedView
    bank_notice_view_class = BankNoticeIndexView

    list_display = [
        "number",
        "cooperative",
        "buyer_name",
        Column(
            "total", label=gettext_lazy("Total"), accessor=lambda order: vnd(order.total), sort_key="total"
        ),
        StatusTagColumn(
            "get_status_display", label=gettext_lazy("Status"), sort_key="status", primary=_is_waiting
        ),
        DateColumn("created_at", label=gettext_lazy("Placed")),
    ]
    filterset_class = OrderFilterSet
    search_fields = ["number", "payment_reference", "buyer_name", "buyer_phone"]
    search_backend_name = None
    list_per_page = 50
    ordering = "-created_at"
    list_export = [
        "number",
        "created_at",
        "cooperative.title",
        "get_status_display",
        "payment_method",
        "payment_reference",
        "total",
        "paid_at",
        "buyer_name",
        "buyer_phone",
        "buyer_email",
        "delivery_method",
        "delivery_address",
        "note",
    ]
    export_headings = {
        "number": gettext_lazy("Order number"),
        "created_at": gettext_lazy("Placed at"),
        "cooperative.title": gettext_lazy("Cooperative"),
        "get_status_display": gettext_lazy("Status"),
        "payment_method": gettext_lazy("Payment method"),
        "payment_reference": gettext_lazy("Payment reference"),
        "total": gettext_lazy("Total (VND)"),
        "paid_at": gettext_lazy("Paid at"),
        "buyer_name": gettext_lazy("Buyer"),
        "buyer_phone": gettext_lazy("Phone"),
        "buyer_email": gettext_lazy("Email"),
        "delivery_method": gettext_lazy("Delivery"),
        "delivery_address": gettext_lazy("Delivery address"),
        "note": gettext_lazy("Note"),
    }
    export_filename = "orders"

    inspect_view_enabled = True
    inspect_view_fields = [
        "number",
        "status",
        "cooperative",
        "total",
        "payment_method",
        "payment_reference",
        "created_at",
        "expires_at",
        "paid_at",
        "language",
    ]
    inspect_template_name = "orders/admin/inspect.html"
    copy_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, delete, history or usage views (see the module docstring).
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                "url_namespace": self.url_namespace,
                **kwargs,
            }
        )

    def get_action_view(self, view_class):
        return self.construct_view(
            view_class,
            url_namespace=self.url_namespace,
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    @property
    def bank_notice_view(self):
        return self.construct_bank_notice_view()

    @property
    def bank_notice_results_view(self):
        return self.construct_bank_notice_view(results_only=True)

    def construct_bank_notice_view(self, **kwargs):
        return self.construct_view(
            self.bank_notice_view_class,
            model=BankNotification,
            header_icon="warning",
            inspect_url_name=None,
            index_url_name=self.get_url_name("bank_notices"),
            index_results_url_name=self.get_url_name("bank_notices_results"),
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path(
                "inspect/<int:pk>/status/",
                self.get_action_view(self.transition_view_class),
                name="transition",
            ),
            path(
                "inspect/<int:pk>/transfer-received/",
                self.get_action_view(self.transfer_view_class),
                name="transfer",
            ),
            path("bank-notices/", self.bank_notice_view, name="bank_notices"),
            path("bank-notices/results/", self.bank_notice_results_view, name="bank_notices_results"),
        ]

    @property
    def url_finder_class(self):
        # Links from elsewhere in the admin (e.g. search) lead to the order's page.
        from wagtail.admin.admin_url_finder import ModelAdminURLFinder

        return type(
            "OrderAdminURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")}
        )

    def get_permissions_to_register(self):
        # Only what the desk uses: nobody is given add, change or delete of orders here.
        return (
            super().get_permissions_to_register().filter(codename__in=["view_order", "change_order_status"])
        )


order_viewset = OrderViewSet()


# Signed bank bodies that could not be read as notices --------------------------------------


class SuperusersReadOnlyPolicy(BasePermissionPolicy):
    """Only active superusers, and only to look: no permission to give a group, so neither a
    cooperative's editors nor the officer can be let in by mistake (a body may carry anything)."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


unreadable_notice_policy = SuperusersReadOnlyPolicy(UnreadableBankNotice)
register_permission_policy(UnreadableBankNotice, unreadable_notice_policy)


class UnreadableBankNoticeViewSet(ModelViewSet):
    """Signed bodies from the bank that were refused as unreadable (orders.webhooks): kept for a
    superuser to read, and to tell the bank; never changed here."""

    model = UnreadableBankNotice
    icon = "warning"
    menu_label = gettext_lazy("Unreadable bank notices")
    menu_order = 30
    add_to_admin_menu = False
    name = "unreadable_bank_notices"
    url_prefix = "orders/unreadable-bank-notices"
    permission_policy = unreadable_notice_policy

    list_display = [
        "reason",
        Column("body_size", label=gettext_lazy("Size (bytes)")),
        DateColumn("received_at", label=gettext_lazy("Received")),
    ]
    ordering = "-received_at"
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = ["received_at", "reason", "body_size", "body_sha256", "body"]
    copy_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    @property
    def url_finder_class(self):
        from wagtail.admin.admin_url_finder import ModelAdminURLFinder

        return type(
            "UnreadableBankNoticeURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )

    def get_permissions_to_register(self):
        return Permission.objects.none()


unreadable_bank_notice_viewset = UnreadableBankNoticeViewSet()


class BankNoticesMenuItem(MenuItem):
    def is_shown(self, request):
        return order_permission_policy.user_has_permission(request.user, "view")


class OrdersViewSetGroup(ViewSetGroup):
    """The "Orders" menu: the order desk, the bank notices that need a person, and (superusers
    only) the signed bank bodies that could not be read."""

    menu_label = gettext_lazy("Orders")
    menu_icon = "list-ul"
    menu_order = 260
    items = (order_viewset, unreadable_bank_notice_viewset)

    def get_submenu_items(self):
        return super().get_submenu_items() + [
            BankNoticesMenuItem(
                gettext_lazy("Bank notices to review"),
                reverse(order_viewset.get_url_name("bank_notices")),
                name="bank-notices",
                icon_name="warning",
                order=20,
            )
        ]
