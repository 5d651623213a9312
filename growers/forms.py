"""Admin forms for the growing-area register: the registration form used by the viewset's panels
and the form behind the suspend / reinstate / revoke actions; and the base form of the pages
cooperatives edit, which refuses other cooperatives' media."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from .codes import normalise_code
from .geometry import GeometryError, boundary_from_file
from .models import GrowingArea, original_page


class BoundaryField(forms.JSONField):
    """GeoJSON typed or pasted into a text box. Django's own message ("Enter a valid JSON.") does
    not say where the text goes wrong; this one does."""

    def prepare_value(self, value):
        # An area without a boundary shows an empty box, not the word "null".
        return "" if value is None else super().prepare_value(value)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            try:
                json.loads(value)
            except json.JSONDecodeError as error:
                raise ValidationError(
                    _("The boundary is not valid JSON: %(error)s"), code="invalid", params={"error": error}
                ) from error
            raise


class GrowingAreaForm(WagtailAdminModelForm):
    """Registration form. The code is normalised and checked by the model (GrowingArea.clean);
    `status` is not a form field at all: it changes only through the status actions."""

    boundary = BoundaryField(
        label=_("Boundary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "A GeoJSON Polygon, [longitude, latitude] pairs, e.g. "
            '{"type": "Polygon", "coordinates": [[[103.27, 22.62], [103.28, 22.62], [103.28, 22.63], '
            "[103.27, 22.62]]]}. Leave empty if there is no surveyed boundary."
        ),
    )
    boundary_file = forms.FileField(
        label=_("Boundary file"),
        required=False,
        help_text=_(
            "Or upload the boundary as a GeoJSON (.geojson) or KML (.kml) file; it replaces the text."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "code" in self.fields:
            self.fields["code"].help_text = _(
                "As written on the decision, e.g. VN-DTOR-0017. Spaces are removed and letters upper-cased."
            )
            self.fields["code"].error_messages["unique"] = _("This code is already registered.")

        if "shared_with" in self.fields:
            self.fields["shared_with"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["shared_with"].choices
            )

    def clean_code(self):
        return normalise_code(self.cleaned_data.get("code"))

    def clean_cooperative(self):
        cooperative = self.cleaned_data.get("cooperative")
        # The page chooser offers translated copies too; a copy is the same cooperative, and the
        # register records the original (as the spreadsheet import does).
        return original_page(cooperative) if cooperative else cooperative

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("boundary_file")
        if upload:
            try:
                cleaned_data["boundary"] = boundary_from_file(upload.name, upload.read())
            except GeometryError as error:
                self.add_error("boundary_file", str(error))
        return cleaned_data


class StatusChangeForm(forms.Form):
    """Why and from when a code is suspended, reinstated or revoked. The change itself is made
    by growers.services.change_status, which also refuses transitions the rules forbid."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the code's history for good, e.g. the inspection or decision that led to it."),
        error_messages={"required": _("Give a reason for the change.")},
    )
    effective_date = forms.DateField(
        label=_("Effective date"),
        widget=AdminDateInput,
        help_text=_("The date of the decision; today unless it was taken earlier."),
    )

    def __init__(self, *args, area, confirm_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.fields["effective_date"].initial = timezone.localdate()
        if confirm_label:
            self.fields["confirm"] = forms.BooleanField(
                label=confirm_label,
                error_messages={"required": _("Tick the box to confirm: revoking cannot be undone.")},
            )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give a reason for the change."))
        return reason

    def clean_effective_date(self):
        day = self.cleaned_data["effective_date"]
        if day > timezone.localdate():
            raise ValidationError(
                _("The change takes effect as soon as it is saved: the date cannot be in the future.")
            )
        if day < self.area.issued_on:
            raise ValidationError(
                _("The date cannot be before the code was issued (%(issued)s).")
                % {"issued": date_format(self.area.issued_on, "SHORT_DATE_FORMAT")}
            )
        last = (
            self.area.status_changes.order_by("-effective_date")
            .values_list("effective_date", flat=True)
            .first()
        )
        if last and day < last:
            raise ValidationError(
                _("The date cannot be before the code's last status change (%(last)s).")
                % {"last": date_format(last, "SHORT_DATE_FORMAT")}
            )
        return day


def refuse_codes_of_other_cooperatives(form, field_name: str, cooperative) -> None:
    """Adds an error to `form`'s growing-area field for each chosen code `cooperative` may not
    cite (the page forms of products and batches): the widget offers only the citable ones, yet
    a crafted POST, or a code cited before this rule, must not pass."""
    chosen = form.cleaned_data.get(field_name)
    if not chosen:
        return
    citable = set(
        GrowingArea.objects.citable_by(cooperative)
        .filter(pk__in=[a.pk for a in chosen])
        .values_list("pk", flat=True)
    )
    foreign = [area.code for area in chosen if area.pk not in citable]
    if foreign:
        form.add_error(
            field_name,
            gettext("Not registered to this cooperative, nor shared with it by the officer: %(codes)s.")
            % {"codes": ", ".join(sorted(foreign))},
        )
