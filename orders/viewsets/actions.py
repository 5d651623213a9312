"""The actions on one order at the order desk: a status change, and "transfer received"."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic.edit import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..admin_forms import StatusChangeForm, TransferReceivedForm
from ..exceptions import OrderError
from ..models import Order, OrderEvent, OrderStatus, Payment, PaymentMethod
from ..payments import confirm_transfer, normalise_bank_reference
from ..services import change_status
from .access import (
    MANUAL_TARGETS,
    STATUS_ACTION,
    actionable_orders,
    may_receive_transfer,
    order_permission_policy,
    visible_orders,
)
from .views import OrderDeskMixin


class OrderActionView(OrderDeskMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Base of the actions on one order. Only the orders of the user's own cooperatives are
    found (404 for the others); refusals of the rules come back as a message on the order's
    page, never as an error page."""

    model = Order
    permission_policy = order_permission_policy
    permission_required = STATUS_ACTION
    index_url_name = None
    inspect_url_name = None
    header_icon = "list-ul"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = kwargs["pk"]

    @cached_property
    def object(self):
        return get_object_or_404(actionable_orders(self.request.user), pk=self.pk)

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=(quote(self.object.pk),))

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": capfirst(Order._meta.verbose_name_plural)},
            {"url": self.get_success_url(), "label": self.object.number},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_page_subtitle(self):
        return self.object.number


class OrderTransitionView(OrderActionView):
    """POST only, from the buttons on the order's page."""

    form_class = StatusChangeForm

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def form_invalid(self, form):
        messages.error(self.request, _("Choose what should happen to the order."))
        return redirect(self.get_success_url())

    def form_valid(self, form):
        order = self.object
        to_status = form.cleaned_data["to_status"]
        if to_status not in MANUAL_TARGETS:
            if to_status == OrderStatus.PAID:
                messages.error(
                    self.request,
                    _("An order becomes paid when its payment is recorded: use “Transfer received”."),
                )
            else:
                messages.error(self.request, _("Unknown status."))
            return redirect(self.get_success_url())
        try:
            change_status(
                order=order,
                to_status=to_status,
                actor=self.request.user,
                note=form.cleaned_data["note"],
                source="admin",
            )
        except OrderError as refusal:
            messages.error(self.request, str(refusal))
        else:
            messages.success(
                self.request,
                _("Order %(number)s is now “%(status)s”.")
                % {"number": order.number, "status": OrderStatus(to_status).label},
            )
        return redirect(self.get_success_url())


class TransferReceivedView(OrderActionView):
    """The cooperative saw the transfer on its account: record the payment (order becomes paid)."""

    form_class = TransferReceivedForm
    template_name = "orders/admin/transfer_received.html"
    page_title = gettext_lazy("Transfer received")

    def get(self, request, *args, **kwargs):
        return self.refuse_if_not_waiting() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        refused = self.refuse_if_not_waiting()
        if refused:
            return refused
        if "bank_reference" not in request.POST:
            # Pressed on the order's page: show this form with the note typed there, no error yet.
            note = request.POST.get("note", "")[:500]
            form = self.get_form_class()(initial={**self.get_initial(), "note": note})
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def refuse_if_not_waiting(self):
        if may_receive_transfer(self.object):
            return None
        messages.error(
            self.request,
            _("Order %(number)s is “%(status)s”, not waiting for a bank transfer.")
            % {"number": self.object.number, "status": self.object.get_status_display()},
        )
        return redirect(self.get_success_url())

    def get_initial(self):
        return {"amount": self.object.total}

    def form_valid(self, form):
        order = self.object
        reference = normalise_bank_reference(form.cleaned_data["bank_reference"])
        # confirm_transfer names the order a reference was already used for; when that order
        # belongs to another cooperative, say so without naming it.
        used_elsewhere = (
            Payment.objects.filter(method=PaymentMethod.VIETQR, provider_reference=reference)
            .exclude(order__in=visible_orders(self.request.user))
            .exists()
        )
        if used_elsewhere:
            form.add_error("bank_reference", _("This bank reference is already recorded for another order."))
            return self.form_invalid(form)
        note = form.cleaned_data["note"].strip()
        try:
            with transaction.atomic():
                payment, created = confirm_transfer(
                    order=order,
                    bank_reference=reference,
                    amount=form.cleaned_data["amount"],
                    user=self.request.user,
                )
                if created and note:
                    # The timeline's "paid" step already names the bank reference; add the note.
                    OrderEvent.objects.filter(
                        order=order, to_status=OrderStatus.PAID, note=payment.provider_reference
                    ).update(note=f"{payment.provider_reference}\n{note}")
        except OrderError as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        if created:
            messages.success(
                self.request,
                _("Transfer %(reference)s recorded: order %(number)s is paid.")
                % {"reference": reference, "number": order.number},
            )
        else:
            messages.warning(self.request, _("This transfer was already recorded for this order."))
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(order=self.object, action_url=self.request.path, cancel_url=self.get_success_url())
        return context
