"""The register's panel on the Wagtail dashboard."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.functional import cached_property

from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry

from ..models import GrowingArea, GrowingAreaStatus, StatusChange
from .filters import EXPIRING_SOON_DAYS
from .viewset import growing_area_viewset

DASHBOARD_LIMIT = 10


class GrowingAreasDashboardPanel(Component):
    """Codes expiring within 30 days, suspended codes and how many have expired, for anyone who
    may see the register. Four queries, however many codes there are."""

    name = "growing_areas"
    template_name = "growers/admin/dashboard_panel.html"
    order = 150

    def __init__(self, request):
        self.request = request

    @cached_property
    def policy(self):
        return policy_registry.get_by_type(GrowingArea)

    def is_shown(self):
        return self.policy.user_has_any_permission(self.request.user, ["add", "change", "view"])

    def render_html(self, parent_context=None):
        if not self.is_shown():
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        namespace = growing_area_viewset.url_namespace
        link_view = "edit" if self.policy.user_has_permission(self.request.user, "change") else "inspect"
        last_suspension = StatusChange.objects.filter(
            area=OuterRef("pk"), to_status=GrowingAreaStatus.SUSPENDED
        ).order_by("-effective_date", "-changed_at")
        suspended = (
            GrowingArea.objects.filter(status=GrowingAreaStatus.SUSPENDED)
            .annotate(
                suspended_on=Subquery(last_suspension.values("effective_date")[:1]),
                suspension_reason=Subquery(last_suspension.values("reason")[:1]),
            )
            .order_by("code")
        )
        expiring = GrowingArea.objects.expiring_within(EXPIRING_SOON_DAYS).order_by("valid_until", "code")
        index_url = reverse(f"{namespace}:index")
        return {
            "expiring": list(expiring[:DASHBOARD_LIMIT]),
            "expiring_count": expiring.count(),
            "expiring_url": f"{index_url}?expiring={EXPIRING_SOON_DAYS}",
            "suspended": list(suspended[:DASHBOARD_LIMIT]),
            "suspended_url": f"{index_url}?status={GrowingAreaStatus.SUSPENDED}",
            "expired_count": GrowingArea.objects.with_effective_status("expired").count(),
            "expired_url": f"{index_url}?status=expired",
            "link_url_name": f"{namespace}:{link_view}",
            "days": EXPIRING_SOON_DAYS,
        }
