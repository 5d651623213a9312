"""The "Code applications" ModelViewSet: list, an application's page, desk entry, correction of
the applicant's details, the steps and the private files."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import Application, ApplicationStatus
from ..selectors import waiting_days
from .access import application_permission_policy
from .filters import ApplicationFilterSet
from .forms import ApplicationAdminForm
from .steps import FileView, StepView
from .views import ApplicationCreateView, ApplicationEditView, ApplicationIndexView, ApplicationInspectView


def _is_open(application):
    return application.status not in (ApplicationStatus.GRANTED, ApplicationStatus.REFUSED)


def _hectares(application):
    return f"{application.hectares:.2f}"


def _duplicate_flag(application):
    # Set for the whole page by ApplicationIndexView.get_table (selectors.duplicate_ids).
    return gettext_lazy("Possible duplicate") if getattr(application, "possible_duplicate", False) else ""


class ApplicationViewSet(ModelViewSet):
    model = Application
    name = "code_applications"
    url_prefix = "code-applications"
    icon = "form"
    menu_label = gettext_lazy("Code applications")
    menu_order = 260
    add_to_admin_menu = True
    permission_policy = application_permission_policy

    index_view_class = ApplicationIndexView
    add_view_class = ApplicationCreateView
    edit_view_class = ApplicationEditView
    inspect_view_class = ApplicationInspectView
    step_view_class = StepView
    file_view_class = FileView

    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["number", "applicant_name", "phone"]
    filterset_class = ApplicationFilterSet
    list_per_page = 50
    ordering = "received_at"
    list_display = [
        # The number opens the application's page, where the next step's buttons are, for
        # everyone (Wagtail's title column would open the correction form for those who may
        # change it; the application's page links to that form).
        TitleColumn(
            "number",
            label=gettext_lazy("Number"),
            sort_key="number",
            get_url=lambda application: reverse("code_applications:inspect", args=[application.pk]),
        ),
        "applicant_name",
        "village",
        Column("crop", label=gettext_lazy("Crop"), accessor="crop_label"),
        Column("hectares", label=gettext_lazy("Total (ha)"), sort_key="hectares", accessor=_hectares),
        DateColumn("received_at", label=gettext_lazy("Received"), sort_key="received_at"),
        Column("waiting", label=gettext_lazy("Days"), accessor=waiting_days),
        StatusTagColumn(
            "get_status_display", label=gettext_lazy("Status"), sort_key="status", primary=_is_open
        ),
        Column("duplicate", label=gettext_lazy("Duplicate?"), accessor=_duplicate_flag),
    ]
    list_export = [
        "number",
        "applicant_name",
        "phone",
        "village",
        "crop_label",
        "total_hectares",
        "received_at",
        "status",
        "decided_at",
    ]
    export_filename = "code-applications"

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            "applicant_kind",
                            "applicant_name",
                            "cooperative",
                            FieldRowPanel(["phone", "email"]),
                            "language",
                        ],
                        heading=gettext_lazy("Applicant"),
                    ),
                    MultiFieldPanel(
                        ["village", FieldRowPanel(["crop", "crop_other"]), "variety", "standard", "notes"],
                        heading=gettext_lazy("Crop"),
                    ),
                    FieldPanel("documents", heading=gettext_lazy("Papers brought")),
                ],
                heading=gettext_lazy("Applicant"),
            ),
            ObjectList(
                [InlinePanel("plots", heading=gettext_lazy("Plots"), label=gettext_lazy("Plot"), min_num=1)],
                heading=gettext_lazy("Plots"),
            ),
            ObjectList(
                [
                    InlinePanel(
                        "households", heading=gettext_lazy("Households"), label=gettext_lazy("Household")
                    )
                ],
                heading=gettext_lazy("Households"),
            ),
        ],
        base_form_class=ApplicationAdminForm,
    )

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            url_namespace=self.url_namespace, delete_url_name=None, **kwargs
        )

    @property
    def step_view(self):
        return self.construct_view(self.step_view_class)

    @property
    def file_view(self):
        return self.construct_view(self.file_view_class)

    def get_urlpatterns(self):
        patterns = [p for p in super().get_urlpatterns() if getattr(p, "name", "") not in ("delete", "copy")]
        return patterns + [
            path("<int:pk>/step/<str:step>/", self.step_view, name="step"),
            path("<int:pk>/files/<int:file_pk>/", self.file_view, name="file"),
        ]

    def get_permissions_to_register(self):
        # Not offered in the group editor: applications are refused, never deleted.
        return super().get_permissions_to_register().exclude(codename="delete_application")


application_viewset = ApplicationViewSet()
