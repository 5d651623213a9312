"""The queue's views: the list (status, village, crop; number, name, phone), an application's page
with everything the officer decides on, the desk entry (numbered, received, the applicant told)
and the correction of the applicant's details (logged; the status is never edited)."""

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse

from wagtail.admin.views import generic

from website.spreadsheets import SafeSpreadsheetExportMixin

from ..selectors import duplicate_ids, possible_duplicates, waiting_days
from ..services import add_documents, allowed_steps, enter_on_behalf
from .access import may_act, visible_applications
from .steps import STEPS, step_for_status


class VisibleOnlyMixin:
    """One application at a time, among those the user may see (404 for the others)."""

    def get_object(self, queryset=None):
        return get_object_or_404(visible_applications(self.request.user), pk=self.kwargs["pk"])


class ApplicationIndexView(SafeSpreadsheetExportMixin, generic.IndexView):
    # The export holds what applicants typed on the public form: never a formula.
    def get_base_queryset(self):
        return (
            visible_applications(self.request.user)
            .select_related("cooperative")
            .annotate(
                hectares=Coalesce(
                    Sum("plots__area_hectares"),
                    Value(0),
                    output_field=DecimalField(max_digits=10, decimal_places=2),
                )
            )
        )

    def get_table(self, object_list):
        # The "Possible duplicate" flag of the whole page at once (the column reads it).
        object_list = list(object_list)
        flagged = duplicate_ids(object_list)
        for application in object_list:
            application.possible_duplicate = application.pk in flagged
        return super().get_table(object_list)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        condition = (
            Q(number__icontains=query) | Q(applicant_name__icontains=query) | Q(phone__icontains=query)
        )
        digits = "".join(c for c in query if c.isdigit())
        if len(digits) >= 4:
            condition |= Q(phone__contains=digits.lstrip("0"))
        return queryset.filter(condition)


class ApplicationInspectView(VisibleOnlyMixin, generic.InspectView):
    template_name = "applications/admin/inspect.html"
    url_namespace = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        acting = may_act(self.request.user)
        context.update(
            application=application,
            plots=application.plots.all(),
            households=application.households.all(),
            files=application.files.select_related("inspection"),
            steps=application.steps.select_related("by"),
            inspections=application.inspections.prefetch_related("photos"),
            # Named only among the applications this reader may see (another cooperative's
            # applicant stays unnamed to a cooperative's editor).
            duplicates=[
                other
                for other in possible_duplicates(application)
                if acting or visible_applications(self.request.user).filter(pk=other.pk).exists()
            ],
            waiting_days=waiting_days(application),
            may_act=acting,
            actions=[
                {
                    "label": STEPS[step]["label"],
                    "url": reverse(f"{self.url_namespace}:step", args=[application.pk, step]),
                    "destructive": step == "refuse",
                }
                for step in (step_for_status(status) for status in allowed_steps(application))
                if acting and step
            ],
            file_url_name=f"{self.url_namespace}:file",
            duplicate_url_name=f"{self.url_namespace}:inspect",
        )
        return context


class ApplicationCreateView(generic.CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        enter_on_behalf(instance, user=self.request.user, files=self.form.cleaned_data.get("documents") or ())
        self.form.save_m2m()
        return instance


class ApplicationEditView(VisibleOnlyMixin, generic.EditView):
    def save_instance(self):
        instance = super().save_instance()
        add_documents(instance, self.form.cleaned_data.get("documents") or ())
        return instance
