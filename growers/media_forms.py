"""The base form of the pages a cooperative edits (its own page, products, batches): it refuses
images and documents the editor may not choose, whatever id is posted. Apart from growers.forms
because the page models use it and the registry's forms use those models."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry


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
