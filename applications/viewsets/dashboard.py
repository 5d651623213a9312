"""The queue's panel on the Wagtail dashboard: how many applications wait at each step, and those
that have waited longest."""

from django.urls import reverse

from wagtail.admin.ui.components import Component

from ..models import OPEN_STATUSES, ApplicationStatus
from ..selectors import counts_by_status, oldest_waiting, waiting_days
from .access import visible_applications
from .viewset import application_viewset

DASHBOARD_LIMIT = 5


class ApplicationsDashboardPanel(Component):
    name = "code_applications"
    template_name = "applications/admin/dashboard_panel.html"
    order = 140

    def __init__(self, request):
        self.request = request

    def is_shown(self):
        return application_viewset.permission_policy.user_has_permission(self.request.user, "view")

    def render_html(self, parent_context=None):
        if not self.is_shown():
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        namespace = application_viewset.url_namespace
        index_url = reverse(f"{namespace}:index")
        visible = visible_applications(self.request.user)
        counts = counts_by_status(visible)
        labels = dict(ApplicationStatus.choices)
        oldest = oldest_waiting(visible, DASHBOARD_LIMIT)
        return {
            "waiting": [
                {"label": labels[status], "count": counts[status], "url": f"{index_url}?status={status}"}
                for status in OPEN_STATUSES
            ],
            "waiting_total": sum(counts[status] for status in OPEN_STATUSES),
            "oldest": [
                {"application": application, "days": waiting_days(application)} for application in oldest
            ],
            "index_url": index_url,
            "inspect_url_name": f"{namespace}:inspect",
        }
