"""The officer's steps, each a small form: ask for information, mark the information received,
plan the inspection, record it, grant the code, refuse; and the download of an application's
private files. Every step calls applications.services; a step the rules refuse (already taken by
another officer, wrong status) is answered with a message, never an error page."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic.edit import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import LogFormatter

from ..exceptions import ApplicationRefused
from ..models import Application, ApplicationFile, ApplicationStatus
from ..selectors import application_point_or_none
from ..services import advance, allowed_steps, default_area_name, grant, record_inspection
from .access import application_permission_policy, visible_applications
from .forms import GrantForm, InspectionForm, StepForm

S = ApplicationStatus
# Each step: the status it leads to, the button's words, what is said when done.
STEPS = {
    "ask": {
        "to": S.NEEDS_INFORMATION,
        "label": gettext_lazy("Ask for information"),
        "done": gettext_lazy("%(number)s: the applicant is asked for more information."),
    },
    "received": {
        "to": S.RECEIVED,
        "label": gettext_lazy("Information received"),
        "done": gettext_lazy("%(number)s is back in the queue as received."),
    },
    "plan": {
        "to": S.INSPECTION_PLANNED,
        "label": gettext_lazy("Plan the inspection"),
        "done": gettext_lazy("%(number)s: the inspection is planned."),
    },
    "inspect": {
        "to": S.INSPECTED,
        "label": gettext_lazy("Record the inspection"),
        "done": gettext_lazy("%(number)s: the inspection is recorded."),
    },
    "grant": {
        "to": S.GRANTED,
        "label": gettext_lazy("Grant the code"),
        "done": gettext_lazy("%(number)s is granted: code %(code)s is in the register."),
    },
    "refuse": {
        "to": S.REFUSED,
        "label": gettext_lazy("Refuse"),
        "done": gettext_lazy("%(number)s is refused; the applicant is told why."),
    },
}
BY_STATUS = {step["to"]: name for name, step in STEPS.items()}


def step_for_status(status: str) -> str | None:
    return BY_STATUS.get(status)


class StepView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    model = Application
    permission_policy = application_permission_policy
    permission_required = "change"
    template_name = "applications/admin/step.html"
    url_namespace = None
    header_icon = "form"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.step = kwargs["step"]
        if self.step not in STEPS:
            raise Http404
        self.to_status = STEPS[self.step]["to"]
        self.object = get_object_or_404(Application, pk=kwargs["pk"])

    def get(self, request, *args, **kwargs):
        if refused := self.refuse_if_not_allowed():
            return refused
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if refused := self.refuse_if_not_allowed():
            return refused
        return super().post(request, *args, **kwargs)

    def refuse_if_not_allowed(self):
        if self.to_status in allowed_steps(self.object):
            return None
        messages.error(
            self.request,
            _("Application %(number)s is %(status)s: “%(step)s” is not possible now.")
            % {
                "number": self.object.number,
                "status": self.object.get_status_display().lower(),
                "step": STEPS[self.step]["label"],
            },
        )
        return redirect(self.get_success_url())

    def get_form_class(self):
        return {"inspect": InspectionForm, "grant": GrantForm}.get(self.step, StepForm)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.step == "grant":
            kwargs["needs_point"] = application_point_or_none(self.object) is None
        elif self.step != "inspect":
            kwargs["to_status"] = self.to_status
        return kwargs

    def get_initial(self):
        if self.step == "grant":
            return {"name": default_area_name(self.object)}
        if self.step == "inspect":
            return {"inspector": self.request.user.get_full_name() or self.request.user.get_username()}
        return {}

    def form_valid(self, form):
        data = form.cleaned_data
        user = self.request.user
        try:
            if self.step == "inspect":
                record_inspection(
                    self.object,
                    date=data["date"],
                    inspector=data["inspector"],
                    result=data["result"],
                    notes=data["notes"],
                    user=user,
                    photos=data["photos"],
                )
            elif self.step == "grant":
                grant(
                    self.object,
                    user=user,
                    code=data["code"],
                    decision_number=data["decision_number"],
                    issued_on=data["issued_on"],
                    valid_until=data["valid_until"],
                    name=data["name"],
                    issuing_authority=data["issuing_authority"],
                    reason=data["reason"],
                    latitude=data.get("latitude"),
                    longitude=data.get("longitude"),
                    certificate_number=data["certificate_number"],
                )
            else:
                advance(
                    self.object,
                    to_status=self.to_status,
                    reason=data["reason"],
                    user=user,
                    planned_for=data.get("planned_for"),
                )
        except ApplicationRefused as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        self.object.refresh_from_db()
        code = self.object.growing_area.code if self.object.growing_area_id else ""
        messages.success(
            self.request, STEPS[self.step]["done"] % {"number": self.object.number, "code": code}
        )
        return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse(f"{self.url_namespace}:inspect", args=(quote(self.object.pk),))

    def get_page_title(self):
        return STEPS[self.step]["label"]

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse(f"{self.url_namespace}:index"),
                "label": capfirst(Application._meta.verbose_name_plural),
            },
            {"url": self.get_success_url(), "label": self.object.number},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            step=self.step,
            button_label=STEPS[self.step]["label"],
            action_url=self.request.path,
            cancel_url=self.get_success_url(),
            destructive=self.step == "refuse",
        )
        return context


# Files, private: streamed to those who may see the application -------------------------------

# Shown in the browser; anything else is downloaded (a document must never run as a page here).
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


class FileView(PermissionCheckedMixin, View):
    model = Application
    permission_policy = application_permission_policy
    permission_required = "view"

    def get(self, request, pk, file_pk):
        application = get_object_or_404(visible_applications(request.user), pk=pk)
        attachment = get_object_or_404(ApplicationFile, pk=file_pk, application=application)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            as_attachment=attachment.content_type not in INLINE_TYPES,
            filename=attachment.original_name,
            content_type=attachment.content_type
            if attachment.content_type in INLINE_TYPES
            else "application/octet-stream",
        )
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "sandbox"
        return response


# Wagtail's history of an application -----------------------------------------------------------


def register_step_log_actions(actions):
    """Wagtail's history shows "Refused: <reason>" and so on for the steps' log entries."""
    words = {
        S.RECEIVED: (gettext_lazy("Information received"), gettext_lazy("Received: %(reason)s")),
        S.NEEDS_INFORMATION: (
            gettext_lazy("Ask for information"),
            gettext_lazy("Information asked: %(reason)s"),
        ),
        S.INSPECTION_PLANNED: (
            gettext_lazy("Plan the inspection"),
            gettext_lazy("Inspection planned: %(reason)s"),
        ),
        S.INSPECTED: (gettext_lazy("Record the inspection"), gettext_lazy("Inspected: %(reason)s")),
        S.GRANTED: (gettext_lazy("Grant the code"), gettext_lazy("Granted: %(reason)s")),
        S.REFUSED: (gettext_lazy("Refuse"), gettext_lazy("Refused: %(reason)s")),
    }
    for status, (label, with_reason) in words.items():

        class StepFormatter(LogFormatter):
            def format_message(self, log_entry, _with=with_reason, _label=label):
                data = log_entry.data or {}
                reason = data.get("reason") or data.get("code") or data.get("planned_for") or ""
                return _with % {"reason": reason} if reason else str(_label)

        StepFormatter.label = label
        actions.register_action(f"applications.application.{status}")(StepFormatter)
