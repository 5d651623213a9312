"""Label sheets and QR downloads for one batch, in the Wagtail admin.

Whoever may edit the batch page may print its labels: a cooperative's editors for their own
batches only (their page permissions cover their cooperative's subtree), and superusers. The
URLs are registered through Wagtail's register_admin_urls hook (wagtail_hooks.py), so anonymous
users are sent to the login page first."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from products.models import ProductVariant

from .labels import (
    A4_SHEET,
    LAYOUTS,
    MAX_LABELS,
    PIN_INSIDE,
    PIN_SCRATCH,
    LabelError,
    default_count,
    labels_filename,
    render_labels,
    render_unit_labels,
    unit_labels_filename,
)
from .links import check_address, label_url, label_variant
from .models import BatchPage, Unit
from .qr import qr_png, qr_svg
from .unit_services import UnitPrintingError, group_serial, units_for_printing, void_unit

# labels.py names its layouts in English for the print_labels command; the admin says them in
# the editor's language.
LAYOUT_LABELS = {
    "a4": gettext_lazy("A4 sheet, 3 × 8 labels of 70 × 37 mm"),
    "roll": gettext_lazy("Roll, 50 × 30 mm (thermal printer)"),
}


def _at_most_labels() -> str:
    return _("At most %(max)d at a time.") % {"max": MAX_LABELS}


KIND_BATCH = "batch"
KIND_UNITS = "units"


class LabelForm(forms.Form):
    layout = forms.ChoiceField(
        label=gettext_lazy("Layout"),
        choices=[(key, LAYOUT_LABELS.get(key, layout.name)) for key, layout in LAYOUTS.items()],
        initial=A4_SHEET.key,
        widget=forms.RadioSelect,
    )
    count = forms.IntegerField(
        label=gettext_lazy("Number of labels"),
        min_value=1,
        max_value=MAX_LABELS,
        # Interpolated when shown, so that it is in the language of whoever reads it.
        help_text=lazy(_at_most_labels, str)(),
    )
    skip = forms.IntegerField(
        label=gettext_lazy("Labels already used on the first sheet"),
        min_value=0,
        max_value=A4_SHEET.per_page - 1,
        initial=0,
        required=False,
        help_text=gettext_lazy("A4 sheets only: printing starts after this many labels (left to right)."),
    )
    variant = forms.ModelChoiceField(
        label=gettext_lazy("Pack size the labels are for"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Choose a pack size"),
        help_text=gettext_lazy(
            "With a GTIN the QR carries the GS1 Digital Link; without one, the short trace code."
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("What to print"),
        choices=[
            (KIND_BATCH, gettext_lazy("Batch labels: the same QR on every package of the lot")),
            (
                KIND_UNITS,
                gettext_lazy("Units: each package its own QR, serial and secret PIN (copies show up)"),
            ),
        ],
        initial=KIND_BATCH,
        required=False,
        widget=forms.RadioSelect,
    )
    pin_layout = forms.ChoiceField(
        label=gettext_lazy("Units: where the PIN goes"),
        choices=[
            (PIN_INSIDE, gettext_lazy("Inside: a second sheet of PIN labels, to stick inside each package")),
            (
                PIN_SCRATCH,
                gettext_lazy("Scratch-off: in a box on the label, to cover with a scratch-off sticker"),
            ),
        ],
        initial=PIN_INSIDE,
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "The PIN is never in the QR. Printing the same number of units again prints the same "
            "serials and PINs; a larger number adds new units after them."
        ),
    )

    def __init__(self, *args, batch: BatchPage, **kwargs):
        super().__init__(*args, **kwargs)
        product = batch.product
        variants = product.variants.filter(is_active=True) if product else None
        self.fields["variant"].queryset = variants if variants is not None else ProductVariant.objects.none()
        self.packs = list(variants) if variants is not None else []
        if len(self.packs) == 1:
            # The only pack size: no choice to make. With several, the editor must choose.
            self.fields["variant"].initial = self.packs[0].pk
        elif len(self.packs) > 1:
            self.fields["variant"].required = True
            self.fields["variant"].error_messages["required"] = _(
                "Choose the pack size the labels are for: this product has several."
            )
        self.fields["count"].initial = default_count(batch, A4_SHEET)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("layout") != A4_SHEET.key:
            cleaned["skip"] = 0
        if not cleaned.get("variant") and len(self.packs) == 1:
            cleaned["variant"] = self.packs[0]
        cleaned["kind"] = cleaned.get("kind") or KIND_BATCH
        cleaned["pin_layout"] = cleaned.get("pin_layout") or PIN_INSIDE
        return cleaned


class BatchMixin:
    """Loads the batch and refuses users who may not edit it."""

    def dispatch(self, request, *args, page_id, **kwargs):
        self.batch = get_object_or_404(BatchPage, pk=page_id)
        if not self.batch.permissions_for_user(request.user).can_edit():
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class BatchLabelsView(BatchMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET without parameters: the form; GET with them: the PDF (a plain GET form, so the
    printed file can be bookmarked or downloaded again)."""

    template_name = "traceability/admin/labels.html"
    page_title = gettext_lazy("Print labels")
    header_icon = "tag"

    def get_page_subtitle(self):
        return self.batch.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_pages:edit", args=[self.batch.pk]), "label": self.batch.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        if "layout" in request.GET:
            form = LabelForm(request.GET, batch=self.batch)
            if form.is_valid() and form.cleaned_data["kind"] == KIND_UNITS:
                # Units are made when printed: a change, so only by POST (the form posts).
                form.add_error(None, _("Print units from the form below."))
            elif form.is_valid():
                return self.printed(form)
        else:
            form = LabelForm(batch=self.batch)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = LabelForm(request.POST, batch=self.batch)
        if form.is_valid():
            return self.printed(form)
        return self.render_to_response(self.get_context_data(form=form))

    def printed(self, form):
        try:
            return self.pdf_response(form.cleaned_data)
        except (LabelError, UnitPrintingError) as error:
            # Told on the form (e.g. the label fonts are missing), never a 500.
            form.add_error(None, str(error))
        return self.render_to_response(self.get_context_data(form=form))

    def pdf_response(self, data) -> HttpResponse:
        if data["kind"] == KIND_UNITS:
            units = units_for_printing(self.batch, data["variant"], data["count"], self.request.user)
            pdf = render_unit_labels(
                self.batch,
                units,
                pin_layout=data["pin_layout"],
                layout=data["layout"],
                skip=data["skip"] or 0,
            )
            filename = unit_labels_filename(self.batch, data["layout"], data["pin_layout"])
        else:
            pdf = render_labels(
                self.batch,
                layout=data["layout"],
                count=data["count"],
                variant=data["variant"],
                skip=data["skip"] or 0,
            )
            filename = labels_filename(self.batch, data["layout"])
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batch"] = self.batch
        context["qr_url"] = label_url(self.batch)
        context["qr_variant"] = label_variant(self.batch)
        context["svg_url"] = reverse("traceability_batch_qr_svg", args=[self.batch.pk])
        context["png_url"] = reverse("traceability_batch_qr_png", args=[self.batch.pk])
        context["check_address"] = check_address()
        context["units_url"] = reverse("traceability_batch_units", args=[self.batch.pk])
        context["unit_count"] = self.batch.units.filter(voided_at__isnull=True).count()
        return context


class VoidUnitForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why void it"),
        max_length=200,
        error_messages={"required": gettext_lazy("Say why the unit is voided.")},
    )


class BatchUnitsView(BatchMixin, WagtailAdminTemplateMixin, TemplateView):
    """The batch's serialised units: serial, pack size, made, voided (with why), and how many
    times each was checked. Never a PIN."""

    template_name = "traceability/admin/units.html"
    page_title = gettext_lazy("Units")
    header_icon = "list-ul"
    per_page = 100

    def get_page_subtitle(self):
        return self.batch.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_pages:edit", args=[self.batch.pk]), "label": self.batch.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        units = (
            Unit.objects.filter(batch=self.batch)
            .select_related("pack", "voided_by")
            .annotate(check_count=Count("checks"))
            .order_by("id")
        )
        page = Paginator(units, self.per_page).get_page(self.request.GET.get("p"))
        for unit in page.object_list:
            unit.grouped_serial = group_serial(unit.serial)
        context.update(
            batch=self.batch,
            page_obj=page,
            live=self.batch.units.filter(voided_at__isnull=True).count(),
            void_form=VoidUnitForm(),
            labels_url=reverse("traceability_batch_labels", args=[self.batch.pk]),
        )
        return context


class VoidUnitView(BatchMixin, View):
    """POST: void one unit of the batch, with the reason; back to the units list."""

    http_method_names = ["post"]

    def post(self, request, *args, unit_id, **kwargs):
        unit = get_object_or_404(Unit, pk=unit_id, batch=self.batch)
        form = VoidUnitForm(request.POST)
        back = reverse("traceability_batch_units", args=[self.batch.pk])
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(back)
        try:
            void_unit(unit, form.cleaned_data["reason"], request.user)
        except UnitPrintingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Unit %(serial)s is void.") % {"serial": group_serial(unit.serial)})
        return redirect(back)


class BatchQRView(BatchMixin, View):
    """The batch's QR as an SVG (for print designers) or a PNG; `?variant=<id>` picks the pack
    size whose GTIN it carries."""

    def get(self, request, *args, fmt, **kwargs):
        variant = None
        if request.GET.get("variant"):
            try:
                variant = ProductVariant.objects.get(page=self.batch.product, pk=int(request.GET["variant"]))
            except (ValueError, ProductVariant.DoesNotExist) as error:
                raise Http404(_("No such pack size for this batch.")) from error
        url = label_url(self.batch, variant)
        if fmt == "svg":
            response = HttpResponse(qr_svg(url, size_mm=40), content_type="image/svg+xml")
        else:
            response = HttpResponse(qr_png(url, box_size=12), content_type="image/png")
        response["Content-Disposition"] = f'attachment; filename="qr-{self.batch.short_code}.{fmt}"'
        return response


def admin_urls():
    return [
        path("batches/<int:page_id>/labels/", BatchLabelsView.as_view(), name="traceability_batch_labels"),
        path("batches/<int:page_id>/units/", BatchUnitsView.as_view(), name="traceability_batch_units"),
        path(
            "batches/<int:page_id>/units/<int:unit_id>/void/",
            VoidUnitView.as_view(),
            name="traceability_batch_unit_void",
        ),
        path(
            "batches/<int:page_id>/qr.svg",
            BatchQRView.as_view(),
            {"fmt": "svg"},
            name="traceability_batch_qr_svg",
        ),
        path(
            "batches/<int:page_id>/qr.png",
            BatchQRView.as_view(),
            {"fmt": "png"},
            name="traceability_batch_qr_png",
        ),
    ]
