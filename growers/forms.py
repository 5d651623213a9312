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

from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateInput
from wagtail.blocks import StreamBlockValidationError
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

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


class ChoosableMediaPageForm(WagtailAdminPageForm):
    """Refuses images and documents the editor may not choose, whatever id the form posts: in an
    image or document field of the page or of its inline panels (gallery, photos, trace events,
    lab tests) and in StreamField blocks (pictures, recordings). What Wagtail's chooser lists is
    what may be chosen: for a cooperative's editor, their own cooperative's collection. Media
    already on the page (put there by the administrator, say) may stay.

    A refused choice is blanked in the form shown again, so that the error page does not show
    the refused image's title or thumbnail."""

    media_error = _("You may only use images and documents of your own cooperative. Choose another one.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.media_already_used = (
            media_references(
                [self.instance, *(child for fs in self.formsets.values() for child in fs.get_queryset())]
            )
            if self.instance.pk
            else set()
        )

    def is_valid(self):
        valid = super().is_valid()
        return self.refuse_unchoosable_media() and valid

    def refuse_unchoosable_media(self) -> bool:
        if self.for_user is None:
            return True
        refused = []  # (form, field name, model, id, key in the posted data or None)
        for form in [self, *(form for formset in self.formsets.values() for form in formset.forms)]:
            cleaned = getattr(form, "cleaned_data", None) or {}
            if cleaned.get("DELETE"):
                continue
            for name, field in form.fields.items():
                value = cleaned.get(name)
                if value is None:
                    continue
                model = getattr(getattr(field, "queryset", None), "model", None)
                if model in media_models():
                    refused.append((form, name, model, str(value.pk), form.add_prefix(name)))
                elif hasattr(field, "block"):
                    for ref_model, object_id, model_path, _content_path in field.block.extract_references(
                        value
                    ):
                        if ref_model in media_models():
                            refused.append((form, name, ref_model, object_id, model_path.rsplit(".", 1)[-1]))
        refused = [item for item in refused if not self.may_use(item[2], item[3])]
        if not refused:
            return True
        self.data = self.data.copy()
        for form, name, _model, object_id, key in refused:
            if hasattr(form.fields[name], "block"):
                self.blank_stream_choice(form.add_prefix(name), key, object_id)
                if name not in form.errors:
                    form.add_error(name, StreamBlockValidationError(non_block_errors=[self.media_error]))
            else:
                self.data[key] = ""
                if name not in form.errors:
                    form.add_error(name, self.media_error)
        for form in (form for formset in self.formsets.values() for form in formset.forms):
            form.data = self.data
        return False

    def may_use(self, model, object_id: str) -> bool:
        if (model, object_id) in self.media_already_used:
            return True
        choosable = policy_registry.get_by_type(model).instances_user_has_any_permission_for(
            self.for_user, ["choose"]
        )
        return choosable.filter(pk=object_id).exists()

    def blank_stream_choice(self, prefix: str, key: str, object_id: str) -> None:
        """Empty the refused chooser inside a StreamField's posted data: the field named `key`
        (the block's child, e.g. "image") under the StreamField's prefix holding that id."""
        for data_key in list(self.data.keys()):
            if (
                data_key.startswith(f"{prefix}-")
                and data_key.endswith(f"-{key}")
                and self.data[data_key] == object_id
            ):
                self.data[data_key] = ""


def media_models() -> tuple:
    return (get_image_model(), get_document_model())


def media_references(objects) -> set[tuple]:
    """(model, id) of every image and document the saved objects (a page and the rows of its
    inline panels) use, in their own fields and in their StreamFields."""
    used = set()
    for obj in objects:
        for field in obj._meta.concrete_fields:
            if field.is_relation and field.related_model in media_models() and getattr(obj, field.attname):
                used.add((field.related_model, str(getattr(obj, field.attname))))
            elif isinstance(field, StreamField):
                for model, object_id, _model_path, _content_path in field.stream_block.extract_references(
                    getattr(obj, field.attname)
                ):
                    if model in media_models():
                        used.add((model, object_id))
    return used
