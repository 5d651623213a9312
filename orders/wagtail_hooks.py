from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from wagtail import hooks

from growers.models import CooperativePage

from .models import Order
from .viewsets import OrdersViewSetGroup


@hooks.register("register_admin_viewset")
def register_order_desk():
    return OrdersViewSetGroup()


# What growers' groups may do at the order desk (growers/services.py) ----------------------------


@hooks.register("cooperative_editor_permissions")
def cooperative_editors_handle_their_orders():
    """A cooperative's editors handle their own cooperative's orders (orders/viewsets/ narrows
    these to their orders)."""
    return [("orders", "view_order"), ("orders", "change_order_status")]


@hooks.register("officer_permissions")
def officers_read_every_order():
    """Agriculture officers see every cooperative's orders, read-only (orders/viewsets/)."""
    return [("orders", "view_order")]


@hooks.register("before_serve_page")
def release_expired_holds_of_product(page, request, serve_args, serve_kwargs):
    """A product page shows its packs' stock and offers the packs in stock: units held by unpaid
    orders past their deadline are put back first, cron or no cron (one query when none are)."""
    from products.models import ProductPage, ProductVariant

    from .services import release_expired_holds

    if isinstance(page, ProductPage):
        original = page.original
        release_expired_holds(variant_ids=ProductVariant.objects.filter(page_id=original.pk).values("pk"))


# Orders keep their cooperative (the seller of record, PROTECT) --------------------------------


@hooks.register("keep_page_from_deletion")
def cited_by_orders(page) -> bool:
    cooperatives = CooperativePage.objects.descendant_of(page, inclusive=True)
    return Order.objects.filter(cooperative__in=cooperatives).exists()


@hooks.register("before_delete_page", order=1)
def refuse_to_delete_what_orders_cite(request, page):
    """A cooperative page with orders cannot go, even for a superuser. Say so instead of failing
    on the database. After growers' own check (order 0), which refuses first what the user may
    not delete at all."""
    if cited_by_orders(page):
        messages.error(
            request,
            _("“%(title)s” cannot be deleted: orders were placed with this cooperative. Unpublish it.")
            % {"title": page.get_admin_display_title()},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
