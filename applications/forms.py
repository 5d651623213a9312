"""The public application form (/growing-areas/apply/): who asks, the crop, a few plots and member
households as fixed rows (no script needed), and the photos, documents and boundary files they
bring, each checked for what it claims to be. Every mistake is said in words next to its field;
nothing is saved until everything is right (views.apply)."""

import io
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from growers.codes import in_vietnam
from growers.crops import OTHER, crop_choices
from growers.geometry import GeometryError, boundary_from_file
from growers.models import Standard
from sms.phones import normalise_phone

from .models import ApplicantKind

PLOT_ROWS = 3
HOUSEHOLD_ROWS = 4
MAX_PHOTOS = 5
MAX_DOCUMENTS = 3
PHOTO_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
BOUNDARY_MAX_BYTES = 1024 * 1024
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PLOT_HECTARES = Decimal("1000")


def vietnamese_mobile(value: str) -> str:
    """A Vietnamese mobile number as +84 and 9 digits, or ValidationError."""
    phone = normalise_phone(value or "")
    if not phone.startswith("+84") or len(phone) != 12 or phone[3] not in "35789":
        raise ValidationError(
            _("Write a Vietnamese mobile number of 10 digits, for example 0912 345 678."), code="phone"
        )
    return phone


class CommaDecimalField(forms.DecimalField):
    """A decimal number written with a dot or a comma ("0,5" as Vietnamese write it)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)


class CoordinateField(forms.CharField):
    """A latitude or longitude in decimal degrees, with a dot or a comma; up to 6 decimals kept."""

    def __init__(self, *, low, high, **kwargs):
        self.low, self.high = low, high
        super().__init__(required=False, **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": "30"}

    def to_python(self, value):
        value = super().to_python(value).replace(",", ".").replace(" ", "")
        if not value:
            return None
        if len(value) > 30:
            raise ValidationError(_("Write the number in degrees, for example 22.6153."), code="number")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValidationError(
                _("Write the number in degrees, for example 22.6153."), code="number"
            ) from None
        if not number.is_finite() or not (self.low <= number <= self.high):
            raise ValidationError(
                _("The number must be between %(low)s and %(high)s.") % {"low": self.low, "high": self.high},
                code="range",
            )
        return number.quantize(Decimal("0.000001"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files if file]


def photo_type(upload) -> str | None:
    """The content type of an uploaded JPEG, PNG or WebP image as Pillow reads it (never what the
    browser claims), or None for anything else."""
    from PIL import Image

    try:
        upload.seek(0)
        data = upload.read()
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except Exception:
        kind = None
    upload.seek(0)
    return PHOTO_FORMATS.get(kind)


def is_pdf(upload) -> bool:
    upload.seek(0)
    start = upload.read(5)
    upload.seek(0)
    return start == b"%PDF-"


def check_photo(upload) -> str:
    """The photo's content type, once Pillow has read it as a JPEG, PNG or WebP image."""
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo “%(name)s” is too big: at most 5 MB."), code="size", params={"name": upload.name}
        )
    kind = photo_type(upload)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a photo we can read: send a JPG, PNG or WebP picture."),
            code="photo",
            params={"name": upload.name},
        )
    return kind


def check_document(upload) -> str:
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The document “%(name)s” is too big: at most 10 MB."), code="size", params={"name": upload.name}
        )
    if not is_pdf(upload):
        raise ValidationError(
            _("“%(name)s” is not a PDF document: send papers as PDF, or take a photo of them."),
            code="document",
            params={"name": upload.name},
        )
    return "application/pdf"


class ApplicationForm(forms.Form):
    # A random token written into the form when it is shown: the same form sent twice (a double
    # press, a reload of the POST) makes one application (views.apply).
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    applicant_kind = forms.ChoiceField(
        label=_("Who is asking?"),
        choices=ApplicantKind.choices,
        widget=forms.RadioSelect,
        initial=ApplicantKind.HOUSEHOLD,
    )
    applicant_name = forms.CharField(
        label=_("Your name (or the group's name)"),
        max_length=150,
        help_text=_("As on your identity card."),
    )
    phone = forms.CharField(
        label=_("Your mobile phone"),
        max_length=30,
        help_text=_("We send you a text message at each step."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("E-mail (if you have one)"), required=False, max_length=254)
    village = forms.CharField(label=_("Village (bản)"), max_length=100)
    crop = forms.ChoiceField(label=_("What do you grow?"), choices=())
    crop_other = forms.CharField(label=_("Other crop: write its name"), max_length=100, required=False)
    variety = forms.CharField(label=_("Variety (if you know it)"), max_length=100, required=False)
    standard = forms.ChoiceField(
        label=_("Standard you follow"),
        required=False,
        choices=[("", _("I do not know"))] + list(Standard.choices),
    )
    photos = MultipleFileField(
        label=_("Photos of your plots (if you have them)"),
        required=False,
        help_text=_("JPG, PNG or WebP; up to 5 photos of at most 5 MB each."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    documents = MultipleFileField(
        label=_("Papers (if you have them)"),
        required=False,
        help_text=_("PDF; up to 3 documents of at most 10 MB each. All files together: at most 12 MB."),
        widget=MultipleFileInput(attrs={"accept": "application/pdf"}),
    )
    notes = forms.CharField(
        label=_("Anything else the officer should know"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crop"].choices = [("", _("Choose…"))] + crop_choices()

    def clean_phone(self):
        return vietnamese_mobile(self.cleaned_data["phone"])

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise ValidationError(_("Send at most 5 photos."), code="count")
        self.photo_types = [check_photo(photo) for photo in photos]
        return photos

    def clean_documents(self):
        documents = self.cleaned_data.get("documents") or []
        if len(documents) > MAX_DOCUMENTS:
            raise ValidationError(_("Send at most 3 documents."), code="count")
        self.document_types = [check_document(document) for document in documents]
        return documents

    def clean(self):
        data = super().clean()
        if data.get("crop") == OTHER and not (data.get("crop_other") or "").strip():
            self.add_error("crop_other", _("You chose “Other”: write the crop's name here."))
        if data.get("crop") != OTHER:
            data["crop_other"] = ""
        return data


class PlotForm(forms.Form):
    area_hectares = CommaDecimalField(
        label=_("Area in hectares (ha)"),
        max_digits=8,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("The area must be more than 0 ha.")),
            MaxValueValidator(MAX_PLOT_HECTARES, message=_("The area must be at most 1000 ha.")),
        ],
        help_text=_("1 ha = 10,000 m². Example: 0.5"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    description = forms.CharField(
        label=_("Where is it? (in words)"),
        max_length=200,
        required=False,
        help_text=_("Example: behind the school, by the stream."),
    )
    latitude = CoordinateField(
        label=_("Latitude (if you know it)"),
        low=Decimal("-90"),
        high=Decimal("90"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = CoordinateField(
        label=_("Longitude (if you know it)"),
        low=Decimal("-180"),
        high=Decimal("180"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    boundary_file = forms.FileField(
        label=_("Boundary file (if you have one)"),
        required=False,
        help_text=_("GeoJSON or KML from a map app; at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.kml"}),
    )

    def clean_boundary_file(self):
        upload = self.cleaned_data.get("boundary_file")
        self.boundary = None
        if not upload:
            return upload
        if upload.size > BOUNDARY_MAX_BYTES:
            raise ValidationError(_("The boundary file is too big: at most 1 MB."), code="size")
        try:
            self.boundary = boundary_from_file(upload.name, upload.read())
        except GeometryError as error:
            raise ValidationError(str(error), code="boundary") from None
        except Exception:
            raise ValidationError(_("The boundary file cannot be read."), code="boundary") from None
        finally:
            upload.seek(0)
        return upload

    def clean(self):
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (
            (latitude is None) != (longitude is None)
            and not self.has_error("latitude")
            and not self.has_error("longitude")
        ):
            self.add_error(
                "longitude" if longitude is None else "latitude",
                _("Write both numbers (latitude and longitude), or neither."),
            )
        elif (
            latitude is not None
            and longitude is not None
            and not in_vietnam(float(latitude), float(longitude))
        ):
            self.add_error(
                "latitude",
                _(
                    "This point is not in Vietnam. Check the numbers: latitude first (about 22), "
                    "then longitude (about 103)."
                ),
            )
        return data


class HouseholdForm(forms.Form):
    head_name = forms.CharField(label=_("Head of household"), max_length=150)
    village = forms.CharField(label=_("Village"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    area_hectares = CommaDecimalField(
        label=_("Area (ha)"),
        max_digits=8,
        decimal_places=2,
        required=False,
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("The area must be more than 0 ha.")),
            MaxValueValidator(MAX_PLOT_HECTARES, message=_("The area must be at most 1000 ha.")),
        ],
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        return vietnamese_mobile(phone) if phone.strip() else ""


PlotFormSet = formset_factory(
    PlotForm, extra=PLOT_ROWS - 1, min_num=1, max_num=PLOT_ROWS, absolute_max=PLOT_ROWS
)
HouseholdFormSet = formset_factory(
    HouseholdForm, extra=HOUSEHOLD_ROWS, max_num=HOUSEHOLD_ROWS, absolute_max=HOUSEHOLD_ROWS
)


class StatusForm(forms.Form):
    digits = forms.RegexField(
        label=_("The last 4 digits of the phone you gave"),
        regex=r"^\s*\d{4}\s*$",
        max_length=8,
        error_messages={"invalid": _("Write 4 digits, for example 5678.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
    )
