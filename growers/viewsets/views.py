"""The register's own views: list (with search and export), add, edit, delete and inspect, with
the buttons for the status actions the rules allow."""

from django.contrib.admin.utils import quote
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button

from website.spreadsheets import SafeSpreadsheetExportMixin

from ..codes import lookup_key
from ..models import Season
from ..services import allowed_status_actions
from .seasons import season_permission_policy
from .status_actions import STATUS_ACTIONS


class GrowingAreaPermissionsMixin:
    """Deleting is for superusers only, even if a group is given the delete permission: a code is
    revoked rather than deleted, so that what products and batches cite keeps its history."""

    #: The viewset's URL namespace, for the status actions' URLs.
    url_namespace = None

    def user_has_permission(self, permission):
        if permission == "delete" and not self.request.user.is_superuser:
            return False
        return super().user_has_permission(permission)

    def user_has_permission_for_instance(self, permission, instance):
        if permission == "delete" and not self.request.user.is_superuser:
            return False
        return super().user_has_permission_for_instance(permission, instance)

    def status_action_buttons(self, area, priority=40):
        """Buttons for the status actions the rules allow from the area's status, for users who
        may change status."""
        if not self.user_has_permission("change_status"):
            return []
        return [
            Button(
                STATUS_ACTIONS[action]["label"],
                url=reverse(f"{self.url_namespace}:{action}", args=(quote(area.pk),)),
                icon_name=STATUS_ACTIONS[action]["icon"],
                priority=priority + index,
            )
            for index, action in enumerate(
                action for action in STATUS_ACTIONS if action in allowed_status_actions(area)
            )
        ]


class GrowingAreaIndexView(GrowingAreaPermissionsMixin, SafeSpreadsheetExportMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("cooperative")

    def search_queryset(self, queryset):
        """Search code and name as typed, and the code as the public lookup does: without case,
        spaces or dashes, so that 'vn dtor 17' finds VN-DTOR-17."""
        if not self.is_searching:
            return queryset
        query = Q(code__icontains=self.search_query) | Q(name__icontains=self.search_query)
        if key := lookup_key(self.search_query):
            query |= Q(lookup_key__contains=key)
        return queryset.filter(query)

    def get_list_more_buttons(self, instance):
        return super().get_list_more_buttons(instance) + self.status_action_buttons(instance)


class GrowingAreaEditView(GrowingAreaPermissionsMixin, generic.EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons + self.status_action_buttons(self.object)
        if history_url := self.get_history_url():
            buttons.append(Button(_("History"), url=history_url, icon_name="history", priority=60))
        return buttons


class GrowingAreaCreateView(GrowingAreaPermissionsMixin, generic.CreateView):
    pass


class GrowingAreaDeleteView(GrowingAreaPermissionsMixin, generic.DeleteView):
    pass


class GrowingAreaInspectView(GrowingAreaPermissionsMixin, generic.InspectView):
    history_url_name = None

    def get_status_display_value(self):
        return self.object.effective_status_label

    def get_cooperative_display_value(self):
        return self.object.cooperative or "—"

    def get_boundary_display_value(self):
        boundary = self.object.boundary
        if not boundary:
            return _("None recorded")
        rings = boundary["coordinates"] if boundary["type"] == "Polygon" else boundary["coordinates"][0]
        return _("%(kind)s with %(count)d corners") % {
            "kind": boundary["type"],
            "count": max(len(rings[0]) - 1, 0),
        }

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons + self.status_action_buttons(self.object)
        if self.history_url_name and self.user_has_any_permission(["add", "change", "delete"]):
            buttons.append(
                Button(
                    _("History"),
                    url=reverse(self.history_url_name, args=(quote(self.object.pk),)),
                    icon_name="history",
                    priority=60,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = self.object
        context["status_changes"] = area.status_changes.select_related("changed_by")
        context["inspections"] = area.inspections.all()
        context["certifications"] = area.certifications.all()
        # Household heads' names and phones are personal data: the officers who keep the
        # register see them; viewers (cooperative editors) see how many households there are.
        context["may_see_households"] = self.user_has_permission("change")
        context["households"] = area.households.all()
        # Seasons (declared and actual yields, kilograms sold) only to those who see this code's
        # seasons in the Seasons listing: its holder's editors and the officers.
        probe = Season(growing_area=area)
        context["may_see_seasons"] = season_permission_policy.user_has_permission_for_instance(
            self.request.user, "view", probe
        )
        context["seasons"] = area.seasons.all() if context["may_see_seasons"] else Season.objects.none()
        context["may_declare_seasons"] = season_permission_policy.user_has_permission_for_instance(
            self.request.user, "add", probe
        )
        # Apps above this one (traceability) add what they know of each season: kilograms used.
        context["season_rows"] = [
            (season, [note for fn in hooks.get_hooks("describe_season") if (note := fn(season))])
            for season in context["seasons"]
        ]
        return context
