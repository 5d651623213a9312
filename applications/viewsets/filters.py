"""The queue's filters: status, village, crop."""

import django_filters

from django import forms
from django.utils.translation import gettext_lazy

from wagtail.admin.filters import WagtailFilterSet

from growers.crops import crop_choices

from ..models import Application, ApplicationStatus


def _villages():
    values = Application.objects.order_by("village").values_list("village", flat=True).distinct()
    return [(value, value) for value in values if value]


class ApplicationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=ApplicationStatus.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    village = django_filters.ChoiceFilter(
        label=gettext_lazy("Village"), choices=_villages, empty_label=gettext_lazy("All")
    )
    crop = django_filters.ChoiceFilter(
        label=gettext_lazy("Crop"), choices=crop_choices, empty_label=gettext_lazy("All")
    )

    class Meta:
        model = Application
        fields = ["status", "village", "crop"]
