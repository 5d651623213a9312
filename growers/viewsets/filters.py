"""The register's filters: status (as the public sees it), crop, village, expiring soon."""

import django_filters

from django import forms
from django.utils.translation import gettext_lazy

from wagtail.admin.filters import WagtailFilterSet

from ..models import EFFECTIVE_STATUS_LABELS, GrowingArea

EXPIRING_SOON_DAYS = 30


def _distinct_values(field_name):
    def choices():
        values = GrowingArea.objects.order_by(field_name).values_list(field_name, flat=True).distinct()
        return [(value, value) for value in values if value]

    return choices


class GrowingAreaFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=list(EFFECTIVE_STATUS_LABELS.items()),
        method="filter_status",
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    crop = django_filters.ChoiceFilter(
        field_name="crop_name",
        label=gettext_lazy("Crop"),
        choices=_distinct_values("crop_name"),
        empty_label=gettext_lazy("All"),
    )
    village = django_filters.ChoiceFilter(
        label=gettext_lazy("Village"),
        choices=_distinct_values("village"),
        empty_label=gettext_lazy("All"),
    )
    expiring = django_filters.ChoiceFilter(
        label=gettext_lazy("Expiring"),
        choices=[
            (str(EXPIRING_SOON_DAYS), gettext_lazy("within 30 days")),
            ("90", gettext_lazy("within 90 days")),
        ],
        method="filter_expiring",
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = GrowingArea
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.with_effective_status(value)

    def filter_expiring(self, queryset, name, value):
        return queryset.expiring_within(int(value))
