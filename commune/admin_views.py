"""The officer's reports in the admin: a month, its numbers on screen, and the same numbers as
XLSX and PDF. Officers (and superusers) only; a cooperative's editor and anonymous are refused
(anonymous users are sent to the login page by Wagtail's admin-access check)."""

import datetime
import re

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import reports, selectors

# Only the officers' group has it (growers.services.OFFICER_PERMISSIONS); editors do not.
REPORT_PERMISSION = "growers.change_status_growingarea"
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def may_see_reports(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(REPORT_PERMISSION))


def period_from(request) -> tuple[selectors.Period, str]:
    """The month asked for (?month=YYYY-MM), else the last full month; and an error to show
    when what was typed is not a month that has begun."""
    default = selectors.Period.last_full_month()
    typed = request.GET.get("month", "").strip()
    if not typed:
        return default, ""
    match = MONTH.match(typed)
    try:
        first_day = datetime.date(int(match.group(1)), int(match.group(2)), 1) if match else None
    except ValueError:
        first_day = None
    if first_day is None or first_day.year < 2000:
        return default, _("“%(typed)s” is not a month: choose one as YYYY-MM.") % {"typed": typed[:20]}
    if first_day > timezone.localdate():
        return default, _("%(month)s has not begun: the report shows the last full month.") % {
            "month": f"{first_day:%m/%Y}"
        }
    return selectors.Period(first_day), ""


class ReportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_see_reports(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class ReportView(ReportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "commune/admin/reports.html"
    page_title = gettext_lazy("Reports")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        from growers.viewsets import growing_area_viewset

        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{growing_area_viewset.url_namespace}:index"), "label": _("Growing areas")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        period, error = period_from(self.request)
        if error:
            messages.error(self.request, error)
        last = selectors.Period.last_full_month()
        report = selectors.report(period)
        context = super().get_context_data(**kwargs)
        context.update(
            period=period,
            month_value=f"{period.first_day:%Y-%m}",
            last_month_value=f"{last.first_day:%Y-%m}",
            last_month=last,
            max_month=f"{timezone.localdate():%Y-%m}",
            report=report,
            sections=reports.sections(report),
        )
        return context


class DownloadView(ReportPermissionMixin, View):
    kind = "xlsx"

    def get(self, request, *args, **kwargs):
        period, _error = period_from(request)
        report = selectors.report(period)
        name = f"growing-area-report-{period.first_day:%Y-%m}.{self.kind}"
        if self.kind == "pdf":
            from traceability.labels import LabelFontsMissing

            try:
                content = reports.as_pdf(report)
            except LabelFontsMissing as error:
                # The fonts with the Vietnamese letters are missing: say so, offer the XLSX.
                messages.error(request, str(error))
                return redirect(f"{reverse('commune_reports')}?month={period.first_day:%Y-%m}")
            response = HttpResponse(content, content_type="application/pdf")
        else:
            response = HttpResponse(
                reports.as_xlsx(report),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_reports(request.user)


def admin_urls():
    return [
        path("commune/reports/", ReportView.as_view(), name="commune_reports"),
        path("commune/reports/xlsx/", DownloadView.as_view(kind="xlsx"), name="commune_report_xlsx"),
        path("commune/reports/pdf/", DownloadView.as_view(kind="pdf"), name="commune_report_pdf"),
    ]


def menu_item() -> ReportsMenuItem:
    return ReportsMenuItem(
        gettext_lazy("Reports"),
        reverse("commune_reports"),
        name="commune-reports",
        icon_name="table",
        order=20,
    )
