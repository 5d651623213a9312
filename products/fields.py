from django.db import models
from django.utils.translation import gettext_lazy as _

from .gtin import normalise_gtin


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

    def formfield(self, **kwargs):
        kwargs.setdefault("max_length", 20)  # people type spaces and dashes; we strip them
        return super().formfield(**kwargs)
