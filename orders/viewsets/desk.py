"""The order desk's viewsets and its "Orders" menu."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy

from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.base import ViewSetGroup

from website.admin_viewsets import ReadOnlyModelViewSet
from website.money import format_vnd as vnd

from ..models import BankNotification, Order, OrderStatus, UnreadableBankNotice
from .access import order_permission_policy, unreadable_notice_policy
from .actions import OrderTransitionView, TransferReceivedView
from .filters import OrderFilterSet
from .views import BankNoticeIndexView, OrderIndexView, OrderInspectView


def _is_waiting(order):
    return order.status == OrderStatus.PENDING_PAYMENT


class OrderViewSet(ReadOnlyModelViewSet):
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

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"url_namespace": self.url_namespace, **kwargs})

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
        return super().get_urlpatterns() + [
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

    def get_permissions_to_register(self):
        # Only what the desk uses: nobody is given add, change or delete of orders here.
        return (
            super().get_permissions_to_register().filter(codename__in=["view_order", "change_order_status"])
        )


order_viewset = OrderViewSet()


class UnreadableBankNoticeViewSet(ReadOnlyModelViewSet):
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
    inspect_view_fields = ["received_at", "reason", "body_size", "body_sha256", "body"]

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
