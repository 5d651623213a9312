"""Who sees which orders at the order desk, and what may be done to them (see the package
docstring, orders/viewsets/__init__.py); also who may read the unreadable bank notices."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from growers.models import CooperativePage
from growers.selectors import cooperatives_edited_by
from growers.services import OFFICERS_GROUP_NAME

from ..models import ORDER_TRANSITIONS, Order, OrderStatus, UnreadableBankNotice

# The actions a person may take on an order here, by permission.
READ_ACTIONS = ("view",)
STATUS_ACTION = "change_status"
# Paid only by recording a payment; see the package docstring.
MANUAL_TARGETS = [status for status in OrderStatus if status != OrderStatus.PAID]
TRANSITION_LABELS = {
    OrderStatus.PACKED: gettext_lazy("Mark packed"),
    OrderStatus.SHIPPED: gettext_lazy("Mark shipped"),
    OrderStatus.DELIVERED: gettext_lazy("Mark delivered"),
    OrderStatus.CANCELLED: gettext_lazy("Cancel order"),
    OrderStatus.REFUNDED: gettext_lazy("Mark refunded"),
}


# Who sees what ------------------------------------------------------------------------------


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
    user's own cooperatives; see the package docstring. "add", "change" and "delete" are refused
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
