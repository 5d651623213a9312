"""The public registry's filters (/growing-areas/?q=&status=&crop=&village=)."""

import re

import django_filters
from anyascii import anyascii

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .codes import lookup_key
from .models import EXPIRED, GrowingArea, GrowingAreaStatus


def fold(text: str) -> str:
    """'Thảo quả Lả Dì Thàng' -> 'thao qua la di thang': buyers often type without diacritics."""
    return anyascii(text or "").lower()


# What a buyer is told (the effective status, expired included): the same words as the status
# badges (growers/includes/status.html).
STATUS_CHOICES = [
    (GrowingAreaStatus.ACTIVE.value, _("Valid")),
    (GrowingAreaStatus.SUSPENDED.value, _("Suspended")),
    (GrowingAreaStatus.REVOKED.value, _("Revoked")),
    (EXPIRED, _("Expired")),
]


CODE_LIKE = re.compile(r"[A-Za-z0-9.\-\s]+")


class RegistryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Code or name"), max_length=100)
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES,
        method="filter_status",
        label=pgettext_lazy("public registry filter", "Status"),
        empty_label=_("Any status"),
    )
    crop = django_filters.ChoiceFilter(field_name="crop_name", label=_("Crop"), empty_label=_("Any crop"))
    village = django_filters.ChoiceFilter(
        field_name="village", label=_("Village"), empty_label=_("Any village")
    )

    class Meta:
        model = GrowingArea
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The crops and villages that are in the register, read once per request (before the
        # form is built) so that a select lists exactly what can be found.
        for name, column in (("crop", "crop_name"), ("village", "village")):
            values = set(GrowingArea.objects.values_list(column, flat=True).distinct())
            # In the order of the Vietnamese alphabet's base letters ('Đương quy' among the Ds),
            # not the database's byte order.
            ordered = sorted((value for value in values if value), key=lambda value: (fold(value), value))
            self.filters[name].extra["choices"] = [(value, value) for value in ordered]

    def filter_status(self, queryset, name, value):
        return queryset.with_effective_status(value)

    def filter_q(self, queryset, name, value):
        """Every word must appear in the code, name, village or crop, ignoring case and
        diacritics; or the letters and digits typed must be part of the code, ignoring dashes.

        Matched in Python: the register of a commune (or a province) is a few thousand short
        rows at most, and folding Vietnamese in SQL would need a column of its own."""
        words = fold(value).split()
        # Only something shaped like a code is compared with codes: lookup_key("Thảo") would
        # be "THO", which is no code.
        key = lookup_key(value) if CODE_LIKE.fullmatch(value.strip()) else ""
        if not words:
            return queryset
        rows = queryset.values_list(
            "pk", "code", "lookup_key", "name", "village", "crop_name", "crop_scientific_name"
        )
        matching = []
        for pk, code, area_key, *text in rows:
            haystack = fold(" ".join([code, *text]))
            if all(word in haystack for word in words) or (len(key) >= 3 and key in area_key):
                matching.append(pk)
        return queryset.filter(pk__in=matching)
