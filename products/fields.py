from django.db import models
from django.utils.translation import gettext_lazy as _

from .gtin import is_valid_gtin, normalise_gtin


class GTINField(models.CharField):
    """Accepts GTIN-8/12/13/14, checks the check digit and stores 14 digits (or NULL)."""

    description = _("GTIN, stored as 14 digits")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 14)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is None or not str(value).strip():
            return None
        return normalise_gtin(value)

    def pre_save(self, model_instance, add):
        # full_clean() normalises; code that saves without it (imports, the shell) must still
        # store the 14 digits that GS1 Digital Link URLs carry, NULL rather than '' (so that
        # packs without a GTIN do not collide on unique), and never an invalid GTIN.
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        # Not CharField's, which runs to_python and so raised ValidationError for a lookup
        # such as filter(gtin=<a mistyped code from a URL>). A valid GTIN in any accepted
        # form finds the stored 14 digits; anything else is looked up as it is and matches
        # nothing.
        value = models.Field.get_prep_value(self, value)
        if value is None:
            return None
        value = str(value)
        return normalise_gtin(value) if is_valid_gtin(value) else value

    def formfield(self, **kwargs):
        kwargs.setdefault("max_length", 20)  # people type spaces and dashes; we strip them
        return super().formfield(**kwargs)
