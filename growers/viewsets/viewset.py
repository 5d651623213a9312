"""The register's ModelViewSet (its views, list, export, inspect fields and edit form) and the
"Growing areas" menu group it sits in."""

from django.urls import path
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)
from wagtail.admin.ui.tables import StatusTagColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from ..forms import GrowingAreaForm
from ..importer.columns import COLUMNS
from ..models import GrowingArea
from .filters import GrowingAreaFilterSet
from .seasons import season_viewset
from .status_actions import STATUS_ACTIONS, StatusChangeView
from .views import (
    GrowingAreaCreateView,
    GrowingAreaDeleteView,
    GrowingAreaEditView,
    GrowingAreaIndexView,
    GrowingAreaInspectView,
)


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
    # The spreadsheet import's columns in its order (growers/importer/columns.py), the status after
    # the name; households and boundaries are lists, not cells of a list view.
    list_export = [
        "code",
        "name",
        "effective_status_label",
        *(
            column.field
            for column in COLUMNS
            if column.field not in ("code", "name", "households", "boundary")
        ),
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
                    # Whom the season reminders reach by SMS (growers/reminders.py); never public.
                    MultiFieldPanel(
                        ["contact_name", "contact_phone", "contact_language"],
                        heading=gettext_lazy("Holder's contact (for texts)"),
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
        # Not offered in the group editor: only superusers delete codes (see growers.viewsets).
        return super().get_permissions_to_register().exclude(codename="delete_growingarea")


growing_area_viewset = GrowingAreaViewSet()


class GrowingAreasViewSetGroup(ViewSetGroup):
    """The "Growing areas" menu: the register now; later tools (import) join it."""

    menu_label = gettext_lazy("Growing areas")
    menu_icon = "site"
    menu_order = 250
    items = (growing_area_viewset, season_viewset)
    submenu_hook = "register_growing_areas_menu_item"
