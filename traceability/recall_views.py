"""The agriculture officer's recall in the Wagtail admin: a list of every batch (searchable by lot,
short code or product) at /admin/batches/, and a form at /admin/batches/<id>/recall/ to recall a
batch or cancel its recall. Officers have no page permissions, so these views, not the page
editor, are their way in; cooperative editors recall their own batches in the page editor."""

from django import forms
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from .codes import normalise_short_code
from .models import BatchPage
from .recall import RecallRefused, cancel_recall, may_recall_as_officer, recall_batch

LIST_LIMIT = 100


class RecallForm(forms.Form):
    recalled_on = forms.DateField(label=gettext_lazy("Recalled on"), widget=AdminDateInput)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown to every buyer who scans the package: say plainly what is wrong."),
        error_messages={"required": gettext_lazy("Say why the batch is recalled; buyers will read it.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recalled_on"].initial = timezone.localdate()


class CancelRecallForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the recall cancelled?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the batch's history."),
        error_messages={"required": gettext_lazy("Say why the recall is cancelled.")},
    )


class OfficerOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_recall_as_officer(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class BatchListView(OfficerOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "traceability/recall/batch_list.html"
    page_title = gettext_lazy("Batches")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        batches = BatchPage.objects.all().order_by("-harvest_start", "lot")
        if query:
            batches = batches.filter(
                Q(lot__icontains=query)
                | Q(short_code=normalise_short_code(query))
                | Q(title__icontains=query)
            )
        context.update(query=query, batches=batches[:LIST_LIMIT], limit=LIST_LIMIT)
        return context


class RecallView(OfficerOnlyMixin, WagtailAdminTemplateMixin, FormView):
    """Recall a batch, or, when it is recalled, cancel the recall."""

    template_name = "traceability/recall/recall.html"
    header_icon = "warning"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.batch = get_object_or_404(BatchPage, pk=kwargs["batch_id"])

    def get_page_title(self):
        return _("Cancel the recall") if self.batch.is_recalled else _("Recall a batch")

    def get_page_subtitle(self):
        return f"{self.batch.title} ({self.batch.lot}, {self.batch.short_code})"

    def get_form_class(self):
        return CancelRecallForm if self.batch.is_recalled else RecallForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(batch=self.batch, cancel_url=reverse("traceability_recall_batches"))
        return context

    def form_valid(self, form):
        try:
            if self.batch.is_recalled:
                cancel_recall(batch=self.batch, reason=form.cleaned_data["reason"], user=self.request.user)
                messages.success(
                    self.request, _("The recall of %(lot)s is cancelled.") % {"lot": self.batch.lot}
                )
            else:
                recall_batch(
                    batch=self.batch,
                    recalled_on=form.cleaned_data["recalled_on"],
                    reason=form.cleaned_data["reason"],
                    user=self.request.user,
                )
                messages.success(self.request, _("%(lot)s is recalled.") % {"lot": self.batch.lot})
        except RecallRefused as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        return redirect("traceability_recall_batches")


class OfficerBatchesMenuItem(MenuItem):
    def is_shown(self, request):
        return may_recall_as_officer(request.user)


def admin_urls():
    """Registered through the register_admin_urls hook: Wagtail's admin-access check (and the
    login redirect for anonymous users) wraps them."""
    return [
        path("batches/", BatchListView.as_view(), name="traceability_recall_batches"),
        path("batches/<int:batch_id>/recall/", RecallView.as_view(), name="traceability_recall_batch"),
    ]


def menu_item() -> OfficerBatchesMenuItem:
    return OfficerBatchesMenuItem(
        gettext_lazy("Batches (recall)"),
        reverse("traceability_recall_batches"),
        name="traceability-recall-batches",
        icon_name="warning",
        order=320,
    )
