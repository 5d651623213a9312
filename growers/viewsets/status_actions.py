"""The three status actions (suspend, reinstate, revoke): their words, the form view that calls
growers.services.change_status, and how Wagtail's history shows the changes."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic.edit import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import LogFormatter
from wagtail.permissions import policy_registry

from ..exceptions import StatusChangeRefused
from ..forms import StatusChangeForm
from ..models import GrowingArea, GrowingAreaStatus
from ..services import allowed_status_actions, change_status

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
