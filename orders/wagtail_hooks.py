from wagtail import hooks

from .viewsets import OrdersViewSetGroup


@hooks.register("register_admin_viewset")
def register_order_desk():
    return OrdersViewSetGroup()
