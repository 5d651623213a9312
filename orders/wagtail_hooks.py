from wagtail import hooks

from .viewsets import OrdersViewSetGroup


@hooks.register("register_admin_viewset")
def register_order_desk():
    return OrdersViewSetGroup()


@hooks.register("before_serve_page")
def release_expired_holds_of_product(page, request, serve_args, serve_kwargs):
    """A product page shows its packs' stock and offers the packs in stock: units held by unpaid
    orders past their deadline are put back first, cron or no cron (one query when none are)."""
    from products.models import ProductPage, ProductVariant

    from .services import release_expired_holds

    if isinstance(page, ProductPage):
        original = page.original
        release_expired_holds(variant_ids=ProductVariant.objects.filter(page_id=original.pk).values("pk"))
