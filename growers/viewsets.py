"""The agriculture officer's register of growing-area codes in the Wagtail admin.

One ModelViewSet (list with filters, search and export; add; edit; inspect; history; usage;
delete for superusers only) plus three status actions (suspend, reinstate, revoke), each a form
that calls growers.services.change_status. Permissions are Django's model permissions, read
through Wagtail's ModelPermissionPolicy:

- view_growingarea: list, inspect, export (cooperative editors, officers);
- add / change_growingarea: add and edit, with households, certifications and inspections;
  history and usage (officers);
- change_status_growingarea: the status actions (officers);
- delete: superusers only, whatever permissions a group is given: a code that must go is
  revoked, so that its history stays.
"""

import django_filters

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic.edit import FormView

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.permissions import policy_registry

from website.spreadsheets import SafeSpreadsheetExportMixin

from .codes import lookup_key
from .exceptions import StatusChangeRefused
from .forms import GrowingAreaForm, StatusChangeForm
from .models import EFFECTIVE_STATUS_LABELS, GrowingArea, GrowingAreaStatus, StatusChange
from .services import allowed_status_actions, change_status

EXPIRING_SOON_DAYS = 30
DASHBOARD_LIMIT = 10

# The words for each status action, in the order the buttons appear.
STATUS_ACTIONS = {
    "suspend": {
        "label": gettext_lazy("Suspend"),
        "button": gettext_lazy("Suspend %(code)s"),
        "icon": "lock",
        "done": gettext_lazy("%(code)s suspended."),
        # Whole sentences, one per action: the words around the status differ between languages.
        "refused": gettext_lazy("%(code)s is %(status)s, so it cannot be suspended."),
        "refused_final": gettext_lazy("%(code)s is revoked; revoking is final, so it cannot be suspended."),
    },
    "reinstate": {
        "label": gettext_lazy("Reinstate"),
        "button": gettext_lazy("Reinstate %(code)s"),
        "icon": "lock-open",
        "done": gettext_lazy("%(code)s reinstated: it is active again."),
        "refused": gettext_lazy("%(code)s is %(status)s, so it cannot be reinstated."),
        "refused_final": gettext_lazy("%(code)s is revoked; revoking is final, so it cannot be reinstated."),
    },
    "revoke": {
        "label": gettext_lazy("Revoke"),
        "button": gettext_lazy("Revoke %(code)s"),
        "icon": "circle-xmark",
        "done": gettext_lazy("%(code)s revoked. Revoking is final."),
        "refused": gettext_lazy("%(code)s is %(status)s, so it cannot be revoked."),
        "refused_final": gettext_lazy("%(code)s is revoked; revoking is final, so it cannot be revoked."),
    },
}


# Filters ------------------------------------------------------------------------------------


def _distinct_values(field_name):
    def choices():
        values = GrowingArea.objects.order_by(field_name).values_list(field_name, flat=True).distinct()
        return [(value, value) for value in values if value]

    return choices


class GrowingAreaFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=list(EFFECTIVE_STATUS_LABELS.items()),
        method="filter_status",
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    crop = django_filters.ChoiceFilter(
        field_name="crop_name",
        label=gettext_lazy("Crop"),
        choices=_distinct_values("crop_name"),
        empty_label=gettext_lazy("All"),
    )
    village = django_filters.ChoiceFilter(
        label=gettext_lazy("Village"),
        choices=_distinct_values("village"),
        empty_label=gettext_lazy("All"),
    )
    expiring = django_filters.ChoiceFilter(
        label=gettext_lazy("Expiring"),
        choices=[
            (str(EXPIRING_SOON_DAYS), gettext_lazy("within 30 days")),
            ("90", gettext_lazy("within 90 days")),
        ],
        method="filter_expiring",
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = GrowingArea
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.with_effective_status(value)

    def filter_expiring(self, queryset, name, value):
        return queryset.expiring_within(int(value))


# Views --------------------------------------------------------------------------------------


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
        return context


class StatusChangeView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Suspend, reinstate or revoke one code: a form for the reason and the effective date,
    then growers.services.change_status. A transition the rules refuse is answered with a
    message on the code's page, never an error page."""

    model = GrowingArea
    permission_required = "change_status"
    action = None
    form_class = StatusChangeForm
    template_name = "growers/admin/status_change.html"
    index_url_name = None
    edit_url_name = None
    inspect_url_name = None
    header_icon = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(GrowingArea, pk=kwargs["pk"])

    def get(self, request, *args, **kwargs):
        if refused := self.refuse_if_not_allowed():
            return refused
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if refused := self.refuse_if_not_allowed():
            return refused
        return super().post(request, *args, **kwargs)

    @cached_property
    def target_status(self):
        return allowed_status_actions(self.object).get(self.action)

    def refuse_if_not_allowed(self):
        if self.target_status is not None:
            return None
        words = STATUS_ACTIONS[self.action]
        final = self.object.status == GrowingAreaStatus.REVOKED
        message = words["refused_final"] if final else words["refused"]
        messages.error(
            self.request,
            message % {"code": self.object.code, "status": self.object.get_status_display().lower()},
        )
        return redirect(self.get_success_url())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["area"] = self.object
        if self.action == "revoke":
            kwargs["confirm_label"] = _(
                "I understand that revoking %(code)s is final: it can never be reinstated."
            ) % {"code": self.object.code}
        return kwargs

    def form_valid(self, form):
        try:
            change_status(
                area=self.object,
                to_status=self.target_status,
                reason=form.cleaned_data["reason"],
                user=self.request.user,
                effective_date=form.cleaned_data["effective_date"],
            )
        except StatusChangeRefused as refusal:
            # The rules, checked again under a row lock: another officer got there first.
            messages.error(self.request, str(refusal))
            return redirect(self.get_success_url())
        messages.success(self.request, STATUS_ACTIONS[self.action]["done"] % {"code": self.object.code})
        return redirect(self.get_success_url())

    def get_success_url(self):
        policy = policy_registry.get_by_type(GrowingArea)
        if self.edit_url_name and policy.user_has_permission(self.request.user, "change"):
            return reverse(self.edit_url_name, args=(quote(self.object.pk),))
        return reverse(self.inspect_url_name, args=(quote(self.object.pk),))

    def get_page_title(self):
        return STATUS_ACTIONS[self.action]["label"]

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": capfirst(GrowingArea._meta.verbose_name_plural)},
            {"url": self.get_success_url(), "label": self.object.code},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            action=self.action,
            action_label=STATUS_ACTIONS[self.action]["label"],
            button_label=STATUS_ACTIONS[self.action]["button"] % {"code": self.object.code},
            action_url=self.request.path,
            cancel_url=self.get_success_url(),
            is_final=self.action == "revoke",
        )
        return context


# Panels -------------------------------------------------------------------------------------


class StatusHistoryPanel(Panel):
    """Read-only: the code's current status and every change of it, newest first. Shown on the
    edit form (the status itself is changed only through the status actions)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "growers/admin/status_history_panel.html"

        def is_shown(self):
            return self.instance is not None and self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["area"] = self.instance
            context["status_changes"] = self.instance.status_changes.select_related("changed_by")
            return context


# The viewset --------------------------------------------------------------------------------


def effective_status_is_valid(area):
    return area.is_valid


class GrowingAreaViewSet(ModelViewSet):
    model = GrowingArea
    name = "growing_areas"
    url_prefix = "growing-areas"
    icon = "site"
    menu_label = gettext_lazy("Codes")
    add_to_admin_menu = False

    index_view_class = GrowingAreaIndexView
    add_view_class = GrowingAreaCreateView
    edit_view_class = GrowingAreaEditView
    delete_view_class = GrowingAreaDeleteView
    inspect_view_class = GrowingAreaInspectView
    status_change_view_class = StatusChangeView

    list_display = [
        "code",
        "name",
        "village",
        "crop_name",
        "area_hectares",
        "valid_until",
        StatusTagColumn(
            "effective_status_label",
            label=gettext_lazy("Status"),
            sort_key="status",
            primary=effective_status_is_valid,
        ),
    ]
    filterset_class = GrowingAreaFilterSet
    search_fields = ["code", "name"]
    # The database, not Wagtail search: a code is matched as typed and by its lookup key.
    search_backend_name = None
    list_per_page = 50
    ordering = "code"
    list_export = [
        "code",
        "name",
        "effective_status_label",
        "cooperative",
        "village",
        "commune",
        "district",
        "province",
        "crop_name",
        "crop_scientific_name",
        "area_hectares",
        "latitude",
        "longitude",
        "issuing_authority",
        "decision_number",
        "issued_on",
        "valid_until",
    ]
    export_headings = {"effective_status_label": gettext_lazy("Status")}
    export_filename = "growing-areas"

    inspect_view_enabled = True
    inspect_view_fields = [
        "code",
        "name",
        "status",
        "cooperative",
        "crop_name",
        "crop_scientific_name",
        "area_hectares",
        "village",
        "commune",
        "district",
        "province",
        "latitude",
        "longitude",
        "boundary",
        "issuing_authority",
        "decision_number",
        "issued_on",
        "valid_until",
        "updated_at",
    ]
    inspect_template_name = "growers/admin/inspect.html"
    copy_view_enabled = False

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    StatusHistoryPanel(heading=gettext_lazy("Status")),
                    MultiFieldPanel(
                        ["code", "name", "cooperative", "shared_with"], heading=gettext_lazy("Code")
                    ),
                    MultiFieldPanel(
                        [
                            "issuing_authority",
                            "decision_number",
                            FieldRowPanel(["issued_on", "valid_until"]),
                        ],
                        heading=gettext_lazy("Decision"),
                    ),
                    MultiFieldPanel(
                        ["crop_name", "crop_scientific_name", "area_hectares"],
                        heading=gettext_lazy("Crop"),
                    ),
                ],
                heading=gettext_lazy("Registration"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        ["village", "commune", "district", "province"], heading=gettext_lazy("Address")
                    ),
                    MultiFieldPanel(
                        [
                            FieldRowPanel(["latitude", "longitude"]),
                            FieldPanel("boundary"),
                            FieldPanel("boundary_file"),
                        ],
                        heading=gettext_lazy("Location"),
                    ),
                ],
                heading=gettext_lazy("Place"),
            ),
            ObjectList(
                [
                    InlinePanel(
                        "households", heading=gettext_lazy("Households"), label=gettext_lazy("Household")
                    )
                ],
                heading=gettext_lazy("Households"),
            ),
            ObjectList(
                [
                    InlinePanel(
                        "inspections", heading=gettext_lazy("Inspections"), label=gettext_lazy("Inspection")
                    ),
                    InlinePanel(
                        "certifications",
                        heading=gettext_lazy("Certifications"),
                        label=gettext_lazy("Certification"),
                    ),
                ],
                heading=gettext_lazy("Inspections and certifications"),
            ),
        ],
        base_form_class=GrowingAreaForm,
    )

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(url_namespace=self.url_namespace, **kwargs)

    def get_status_change_view(self, action):
        return self.construct_view(self.status_change_view_class, action=action)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(f"<int:pk>/status/{action}/", self.get_status_change_view(action), name=action)
            for action in STATUS_ACTIONS
        ]

    def get_permissions_to_register(self):
        # Not offered in the group editor: only superusers delete codes (see module docstring).
        return super().get_permissions_to_register().exclude(codename="delete_growingarea")


growing_area_viewset = GrowingAreaViewSet()


class GrowingAreasViewSetGroup(ViewSetGroup):
    """The "Growing areas" menu: the register now; later tools (import) join it."""

    menu_label = gettext_lazy("Growing areas")
    menu_icon = "site"
    menu_order = 250
    items = (growing_area_viewset,)
    submenu_hook = "register_growing_areas_menu_item"


# Dashboard ----------------------------------------------------------------------------------


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


# History ------------------------------------------------------------------------------------


def _status_formatter(label, with_reason, without_reason):
    class StatusChangeFormatter(LogFormatter):
        def format_message(self, log_entry):
            reason = (log_entry.data or {}).get("reason")
            if reason:
                return with_reason % {"reason": reason}
            return without_reason

    StatusChangeFormatter.label = label
    return StatusChangeFormatter


def register_status_log_actions(actions):
    """Wagtail's history shows "Suspended: <reason>" and so on for the log entries that
    growers.services.change_status writes."""
    actions.register_action("growers.growing_area.suspend")(
        _status_formatter(
            gettext_lazy("Suspend code"), gettext_lazy("Suspended: %(reason)s"), gettext_lazy("Suspended")
        )
    )
    actions.register_action("growers.growing_area.reinstate")(
        _status_formatter(
            gettext_lazy("Reinstate code"), gettext_lazy("Reinstated: %(reason)s"), gettext_lazy("Reinstated")
        )
    )
    actions.register_action("growers.growing_area.revoke")(
        _status_formatter(
            gettext_lazy("Revoke code"), gettext_lazy("Revoked: %(reason)s"), gettext_lazy("Revoked")
        )
    )
