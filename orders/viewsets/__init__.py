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

from .access import (
    BUYER_FIELDS,
    MANUAL_TARGETS,
    READ_ACTIONS,
    STATUS_ACTION,
    TRANSITION_LABELS,
    OrderPermissionPolicy,
    SuperusersReadOnlyPolicy,
    actionable_orders,
    allowed_targets,
    cooperatives_edited_by,
    may_receive_transfer,
    order_permission_policy,
    sees_all_orders,
    sees_buyers,
    unreadable_notice_policy,
    visible_orders,
)
from .actions import OrderActionView, OrderTransitionView, TransferReceivedView
from .desk import (
    BankNoticesMenuItem,
    OrdersViewSetGroup,
    OrderViewSet,
    UnreadableBankNoticeViewSet,
    order_viewset,
    unreadable_bank_notice_viewset,
)
from .filters import OrderFilterSet
from .views import (
    REVIEW_OUTCOMES,
    SOURCE_LABELS,
    BankNoticeIndexView,
    OrderDeskMixin,
    OrderIndexView,
    OrderInspectView,
    local_time,
)

__all__ = [
    "BUYER_FIELDS",
    "MANUAL_TARGETS",
    "READ_ACTIONS",
    "REVIEW_OUTCOMES",
    "SOURCE_LABELS",
    "STATUS_ACTION",
    "TRANSITION_LABELS",
    "BankNoticeIndexView",
    "BankNoticesMenuItem",
    "OrderActionView",
    "OrderDeskMixin",
    "OrderFilterSet",
    "OrderIndexView",
    "OrderInspectView",
    "OrderPermissionPolicy",
    "OrderTransitionView",
    "OrderViewSet",
    "OrdersViewSetGroup",
    "SuperusersReadOnlyPolicy",
    "TransferReceivedView",
    "UnreadableBankNoticeViewSet",
    "actionable_orders",
    "allowed_targets",
    "cooperatives_edited_by",
    "local_time",
    "may_receive_transfer",
    "order_permission_policy",
    "order_viewset",
    "sees_all_orders",
    "sees_buyers",
    "unreadable_bank_notice_viewset",
    "unreadable_notice_policy",
    "visible_orders",
]
