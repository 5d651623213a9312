"""The officer's forms: the applicant's details (desk entry and edit) and the small form of each
step (a reason, a planned date, an inspection, a grant)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from growers.crops import OTHER, crop_choices
from growers.models import GrowingArea, InspectionResult
from sms.phones import normalise_phone

from ..forms import is_pdf, photo_type
from ..models import ApplicationStatus

REASON_HELP = _("Sent to the applicant by SMS, in their language: write it for them, plainly.")


class ApplicationAdminForm(WagtailAdminModelForm):
    """The applicant's details as the officer types them at the desk or corrects them later, and
    the papers they brought (scanned or photographed: kept private, applications/viewsets/steps)."""

    documents = forms.FileField(required=False)  # replaced in __init__ (defined further down)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"] = MultipleFileField(
            label=_("Papers brought"),
            required=False,
            accept="application/pdf,image/jpeg,image/png,image/webp",
            help_text=_("PDF, JPEG, PNG or WebP, at most 10 MB each."),
        )
        if "crop" in self.fields:
            choices = crop_choices()
            current = self.instance.crop if self.instance and self.instance.pk else ""
            if current and current not in dict(choices):
                choices.append((current, current))
            self.fields["crop"] = forms.ChoiceField(label=_("crop"), choices=choices, initial=current)

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data.get("phone", ""))
        if not phone:
            raise forms.ValidationError(_("Give a phone number that can receive SMS, such as 0912 345 678."))
        return phone

    def clean_documents(self):
        documents = self.cleaned_data.get("documents") or []
        for document in documents:
            if document.size > MAX_PHOTO_BYTES:
                raise forms.ValidationError(_("%(name)s is larger than 10 MB.") % {"name": document.name})
            # What the file is, read from its content (a browser's claim is not checked by anyone).
            kind = "application/pdf" if is_pdf(document) else photo_type(document)
            if kind is None:
                raise forms.ValidationError(
                    _("%(name)s is not a PDF, JPEG, PNG or WebP file.") % {"name": document.name}
                )
            document.content_type = kind
        return documents

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("crop") == OTHER and not (cleaned.get("crop_other") or "").strip():
            self.add_error("crop_other", _("Write the crop's name."))
        return cleaned


class StepForm(forms.Form):
    """The reason (and, for an inspection, the planned day) of a simple step."""

    reason = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=REASON_HELP,
        max_length=300,
    )
    planned_for = forms.DateField(
        label=_("Inspection planned for"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, to_status, **kwargs):
        super().__init__(*args, **kwargs)
        self.to_status = to_status
        if to_status in (ApplicationStatus.NEEDS_INFORMATION, ApplicationStatus.REFUSED):
            self.fields["reason"].required = True
        if to_status == ApplicationStatus.INSPECTION_PLANNED:
            self.fields["planned_for"].required = True
        else:
            del self.fields["planned_for"]

    def clean_planned_for(self):
        day = self.cleaned_data.get("planned_for")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("The planned day cannot be in the past."))
        return day


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, accept="image/jpeg,image/png,image/webp", **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


MAX_PHOTO_BYTES = 10 * 1024 * 1024


class InspectionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    inspector = forms.CharField(label=_("Inspector"), max_length=150)
    result = forms.ChoiceField(label=_("Result"), choices=InspectionResult.choices)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    photos = MultipleFileField(label=_("Photos"), required=False)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The inspection's date cannot be in the future."))
        return day

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        for photo in photos:
            if photo.size > MAX_PHOTO_BYTES:
                raise forms.ValidationError(_("%(name)s is larger than 10 MB.") % {"name": photo.name})
            kind = photo_type(photo)
            if kind is None:
                raise forms.ValidationError(
                    _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": photo.name}
                )
            photo.content_type = kind
        return photos


class GrantForm(forms.Form):
    code = forms.CharField(label=_("Growing-area code"), max_length=32)
    name = forms.CharField(label=_("Name of the growing area"), max_length=200)
    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
    issuing_authority = forms.CharField(label=_("Issuing authority"), max_length=255)
    issued_on = forms.DateField(label=_("Issue date"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False)
    certificate_number = forms.CharField(
        label=_("Certificate number"),
        max_length=64,
        required=False,
        help_text=_("Only if the applicant holds a certificate for the standard they named."),
    )
    reason = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=300,
        help_text=REASON_HELP,
    )

    def __init__(self, *args, needs_point=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_point = needs_point
        if needs_point:
            for name in ("latitude", "longitude"):
                self.fields[name].required = True
                self.fields[name].help_text = _("No plot has a point or a boundary: give the area's point.")
        if not self.initial.get("issuing_authority"):
            self.initial["issuing_authority"] = GrowingArea._meta.get_field("issuing_authority").default

    def clean(self):
        cleaned = super().clean()
        issued, until = cleaned.get("issued_on"), cleaned.get("valid_until")
        if issued and until and until <= issued:
            self.add_error("valid_until", _("The valid-until date must be after the issue date."))
        return cleaned
