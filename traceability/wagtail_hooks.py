from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import admin_views
from .links import site_base_url
from .models import BatchPage

# Published batches stay where they are (growers/wagtail_hooks.py may_delete_or_move) ----------


@hooks.register("keep_page_in_place")
def keep_published_batches_in_place(user, page):
    """A published batch has labels in circulation: deleting or moving it (to another product,
    another GTIN) would leave their QR codes pointing nowhere. Drafts may go; a superuser is
    never asked."""
    specific_class = page.specific_class
    return bool(specific_class and issubclass(specific_class, BatchPage) and page.first_published_at)


# Labels and QR codes ------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_label_urls():
    # Wagtail wraps these in its admin-access check: anonymous users go to the login page.
    return admin_views.admin_urls()


class PrintLabelsMenuItem(PageMenuItem):
    label = _("Print labels")
    icon_name = "tag"
    url_name = "traceability_batch_labels"

    def is_shown(self, user):
        return issubclass(self.page.specific_class or type(None), BatchPage) and (
            self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_header_buttons")
def print_labels_header_button(page, user, view_name, next_url=None):
    yield PrintLabelsMenuItem(page=page, priority=12)


@hooks.register("register_page_listing_more_buttons")
def print_labels_listing_button(page, user, next_url=None):
    yield PrintLabelsMenuItem(page=page, priority=7)


@hooks.register("after_publish_page")
def tell_editor_the_published_batch_codes(request, page):
    """At once after a batch is published (created or edited): its short code, the trace
    address its labels carry without a GTIN, and a button to print its labels. Shown to the
    editor who published it, in their own messages only."""
    batch = page.specific
    if not isinstance(batch, BatchPage) or not batch.live:
        return
    trace_url = f"{site_base_url()}/t/{batch.short_code}"
    messages.success(
        request,
        format_html(
            "{} <code>{}</code> · {} <code>{}</code>",
            _("Batch published. Trace code:"),
            batch.short_code,
            _("trace address:"),
            trace_url,
        ),
        buttons=[
            messages.button(reverse("traceability_batch_labels", args=[batch.pk]), _("Print labels")),
            messages.button(trace_url, _("Open the trace page"), new_window=True),
        ],
    )


class BatchUnitsMenuItem(PrintLabelsMenuItem):
    label = _("Units (serials)")
    icon_name = "list-ul"
    url_name = "traceability_batch_units"


@hooks.register("register_page_listing_more_buttons")
def batch_units_listing_button(page, user, next_url=None):
    yield BatchUnitsMenuItem(page=page, priority=8)


@hooks.register("register_log_actions")
def register_unit_log_actions(actions):
    from .unit_services import register_unit_log_actions as register

    register(actions)


# Batches are not translated (traceability/translation.py) -------------------------------------


@hooks.register("register_admin_urls", order=-1)
def register_batch_translation_url():
    # Before simple_translation's hook (order 0): the same path answers here first.
    from .translation import admin_urls as translation_admin_urls

    return translation_admin_urls()


# Recall by an agriculture officer (traceability/recall_views.py, traceability/recall.py) ------


@hooks.register("register_admin_urls")
def register_recall_urls():
    from .recall_views import admin_urls as recall_admin_urls

    return recall_admin_urls()


@hooks.register("register_admin_menu_item")
def register_recall_menu_item():
    from .recall_views import menu_item

    return menu_item()


@hooks.register("register_log_actions")
def register_recall_log_actions(actions):
    from .recall import register_recall_log_actions as register

    register(actions)


# Trace page and scan counts (traceability/views.py, traceability/selectors.py) ----------------


@hooks.register("before_serve_page")
def serve_batch_trace_page(page, request, serve_args, serve_kwargs):
    # The batch's own URL shows the same trace page as /t/<code>, and counts the scan.
    from .views import serve_batch_page

    return serve_batch_page(page, request, serve_args, serve_kwargs)


class SuspiciousScansPanel(Component):
    """On the admin dashboard: the user's batches opened by more people in more places than their
    packages explain, and for batches printed as units, which units (their serials, never their
    PINs) were checked from too many places or on too many days (selectors.suspicious_units)."""

    name = "suspicious_scans"
    order = 90
    template_name = "traceability/admin/suspicious_scans_panel.html"

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        from .selectors import (
            batches_with_suspicious_scans,
            scan_warning_multiple,
            suspicious_units,
            unit_pin_days_limit,
            unit_places_limit,
        )

        batches = list(batches_with_suspicious_scans(self.user)[:20])
        units_by_batch = {}
        for unit in suspicious_units(self.user)[:100]:
            units_by_batch.setdefault(unit.batch, []).append(unit)
        if not batches and not units_by_batch:
            return ""
        context = {
            "batches": batches,
            "unit_batches": list(units_by_batch.items()),
            "multiple": scan_warning_multiple(),
            "unit_places": unit_places_limit(),
            "unit_pin_days": unit_pin_days_limit(),
        }
        return render_to_string(self.template_name, context)


@hooks.register("construct_homepage_panels")
def add_suspicious_scans_panel(request, panels):
    panels.append(SuspiciousScansPanel(request.user))


# Borrowed codes: kilograms over a code's season limit (traceability/yields.py) ----------------


@hooks.register("register_admin_urls")
def register_yield_urls():
    from .yield_views import admin_urls as yield_admin_urls

    return yield_admin_urls()


@hooks.register("register_log_actions")
def register_yield_log_actions(actions):
    from .yield_views import register_yield_log_actions as register

    register(actions)


class YieldLimitsPanel(Component):
    """On the officer's dashboard: codes near or over their season's limit (yields.usages_to_watch)
    and the batches waiting for the officer's confirmation to go over it."""

    name = "yield_limits"
    order = 95
    template_name = "traceability/admin/yield_limits_panel.html"
    LIMIT = 30

    def render_html(self, parent_context=None):
        from .models import YieldConfirmation
        from .yields import usages_to_watch

        usages = usages_to_watch()
        pending = list(
            YieldConfirmation.objects.filter(confirmed_at__isnull=True)
            .select_related("growing_area", "requested_by")
            .order_by("requested_at")[: self.LIMIT]
        )
        if not usages and not pending:
            return ""
        context = {
            "usages": usages[: self.LIMIT],
            "more": max(len(usages) - self.LIMIT, 0),
            "pending": pending,
        }
        return render_to_string(self.template_name, context)


@hooks.register("construct_homepage_panels")
def add_yield_limits_panel(request, panels):
    from .recall import may_recall_as_officer

    if may_recall_as_officer(request.user):
        panels.append(YieldLimitsPanel())


@hooks.register("describe_season")
def kilograms_sold_in_season(season):
    """On a code's admin page (growers), each season's kilograms in published batches against its
    limit: growers may not import traceability, so it asks through this hook."""
    from .yields import kg_text, usage

    found = usage(season.growing_area, season.starts_on)
    if found.limit_kg is None:
        return _("%(used)s kg in published batches") % {"used": kg_text(found.used_kg)}
    return _("%(used)s / %(limit)s kg (%(share)s%%)") % {
        "used": kg_text(found.used_kg),
        "limit": kg_text(found.limit_kg),
        "share": round((found.share or 0) * 100),
    }
