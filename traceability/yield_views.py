"""The officer's confirmation of a batch that would put a code over its season's limit
(YIELD_LIMIT_MODE "confirm", traceability/yields.py): a form with the reason at
/admin/yield-confirmations/<id>/confirm/, for officers only, kept in the batch's history."""

from django import forms
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import LogFormatter, log

from .models import YieldConfirmation
from .recall_views import OfficerOnlyMixin

YIELD_CONFIRMED_ACTION = "traceability.batch.yield_confirmed"


class ConfirmYieldForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why may this batch go over the code's limit?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Kept in the batch's history, e.g. the field was inspected and the harvest seen."
        ),
        error_messages={"required": gettext_lazy("Say why the kilograms are confirmed.")},
    )


@transaction.atomic
def confirm_yield(*, request: YieldConfirmation, reason: str, user) -> YieldConfirmation:
    """Confirm once: a request another officer confirmed meanwhile is returned as they left it."""
    request = YieldConfirmation.objects.select_for_update().get(pk=request.pk)
    if request.is_confirmed:
        return request
    request.confirmed_by, request.confirmed_at, request.reason = user, timezone.now(), reason
    request.save(update_fields=["confirmed_by", "confirmed_at", "reason"])
    if request.batch_id is not None:
        log(
            instance=request.batch,
            action=YIELD_CONFIRMED_ACTION,
            user=user,
            data={
                "code": request.growing_area.code,
                "total_kg": str(request.total_kg),
                "limit_kg": str(request.limit_kg),
                "reason": reason,
            },
        )
    return request


class ConfirmYieldView(OfficerOnlyMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "traceability/admin/confirm_yield.html"
    header_icon = "warning"
    form_class = ConfirmYieldForm
    page_title = gettext_lazy("Confirm kilograms over a code's limit")

    @cached_property
    def request_row(self):
        # Read after OfficerOnlyMixin's check: to others, every request is just refused.
        return get_object_or_404(
            YieldConfirmation.objects.select_related("growing_area", "product"), pk=self.kwargs["pk"]
        )

    def get_page_subtitle(self):
        return f"{self.request_row.lot} · {self.request_row.growing_area.code}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(request_row=self.request_row, **kwargs)

    def form_valid(self, form):
        if self.request_row.is_confirmed:
            messages.warning(self.request, _("This request was already confirmed."))
            return redirect("wagtailadmin_home")
        confirm_yield(request=self.request_row, reason=form.cleaned_data["reason"], user=self.request.user)
        messages.success(
            self.request,
            _("Confirmed: lot %(lot)s may bring %(code)s to %(total)s kg.")
            % {
                "lot": self.request_row.lot,
                "code": self.request_row.growing_area.code,
                "total": self.request_row.total_kg,
            },
        )
        return redirect("wagtailadmin_home")


class YieldConfirmedFormatter(LogFormatter):
    label = gettext_lazy("Confirm kilograms over a code's limit")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return _("%(code)s: %(total)s kg confirmed over its limit of %(limit)s kg: %(reason)s") % {
            "code": data.get("code", ""),
            "total": data.get("total_kg", ""),
            "limit": data.get("limit_kg", ""),
            "reason": data.get("reason", ""),
        }


def register_yield_log_actions(actions):
    actions.register_action(YIELD_CONFIRMED_ACTION)(YieldConfirmedFormatter)


def admin_urls():
    return [
        path(
            "yield-confirmations/<int:pk>/confirm/",
            ConfirmYieldView.as_view(),
            name="traceability_confirm_yield",
        )
    ]
