from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import admin_views
from .models import BatchPage

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
    """On the admin dashboard: the user's batches scanned more often than their labels allow."""

    name = "suspicious_scans"
    order = 90

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        from django.urls import reverse
        from django.utils.html import format_html, format_html_join

        from .selectors import batches_with_suspicious_scans, scan_warning_multiple

        batches = list(batches_with_suspicious_scans(self.user)[:20])
        if not batches:
            return ""
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> (lô {}): {} lượt quét / {} gói</li>',
            (
                (
                    reverse("wagtailadmin_pages:edit", args=[b.pk]),
                    b.title,
                    b.lot,
                    b.total_scans,
                    b.package_count,
                )
                for b in batches
            ),
        )
        return format_html(
            '<section class="panel w-mb-8" aria-labelledby="suspicious-scans-heading">'
            '<h2 id="suspicious-scans-heading">⚠ {}</h2><p>{}</p><ul>{}</ul></section>',
            _("Copied labels may be in circulation"),
            _("These batches were scanned more than %(multiple)d times their number of packages.")
            % {"multiple": scan_warning_multiple()},
            rows,
        )


@hooks.register("construct_homepage_panels")
def add_suspicious_scans_panel(request, panels):
    panels.append(SuspiciousScansPanel(request.user))
