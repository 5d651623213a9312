"""Label sheets and QR downloads for one batch, in the Wagtail admin.

Whoever may edit the batch page may print its labels: a cooperative's editors for their own
batches only (their page permissions cover their cooperative's subtree), and superusers. The
URLs are registered through Wagtail's register_admin_urls hook (wagtail_hooks.py), so anonymous
users are sent to the login page first."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from products.models import ProductVariant

from .labels import (
    A4_SHEET,
    LAYOUTS,
    MAX_LABELS,
    LabelError,
    default_count,
    labels_filename,
    render_labels,
)
from .links import label_url, label_variant
from .models import BatchPage
from .qr import qr_png, qr_svg

# labels.py names its layouts in English for the print_labels command; the admin says them in
# the editor's language.
LAYOUT_LABELS = {
    "a4": gettext_lazy("A4 sheet, 3 × 8 labels of 70 × 37 mm"),
    "roll": gettext_lazy("Roll, 50 × 30 mm (thermal printer)"),
}


def _at_most_labels() -> str:
    return _("At most %(max)d at a time.") % {"max": MAX_LABELS}


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
        label=gettext_lazy("Pack size"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Any (the QR uses the first pack size with a GTIN)"),
        help_text=gettext_lazy(
            "With a GTIN the QR carries the GS1 Digital Link; without one, the short trace code."
        ),
    )

    def __init__(self, *args, batch: BatchPage, **kwargs):
        super().__init__(*args, **kwargs)
        product = batch.product
        variants = product.variants.filter(is_active=True) if product else None
        self.fields["variant"].queryset = variants if variants is not None else ProductVariant.objects.none()
        self.fields["count"].initial = default_count(batch, A4_SHEET)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("layout") != A4_SHEET.key:
            cleaned["skip"] = 0
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
            if form.is_valid():
                try:
                    return self.pdf_response(form.cleaned_data)
                except LabelError as error:
                    # Told on the form (e.g. the label fonts are missing), never a 500.
                    form.add_error(None, str(error))
        else:
            form = LabelForm(batch=self.batch)
        return self.render_to_response(self.get_context_data(form=form))

    def pdf_response(self, data) -> HttpResponse:
        pdf = render_labels(
            self.batch,
            layout=data["layout"],
            count=data["count"],
            variant=data["variant"],
            skip=data["skip"] or 0,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = labels_filename(self.batch, data["layout"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batch"] = self.batch
        context["qr_url"] = label_url(self.batch)
        context["qr_variant"] = label_variant(self.batch)
        context["svg_url"] = reverse("traceability_batch_qr_svg", args=[self.batch.pk])
        context["png_url"] = reverse("traceability_batch_qr_png", args=[self.batch.pk])
        return context


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
