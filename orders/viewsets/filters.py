"""The order desk's list filters."""

import django_filters

from django import forms
from django.utils.translation import gettext_lazy

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from growers.models import CooperativePage

from ..models import Order, OrderStatus, PaymentMethod
from .access import cooperatives_edited_by, sees_all_orders


def _visible_cooperatives(request):
    if request is None:
        return CooperativePage.objects.none()
    user = request.user
    cooperatives = CooperativePage.objects.order_by("title")
    if sees_all_orders(user):
        return cooperatives
    return cooperatives.filter(pk__in=cooperatives_edited_by(user))


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=OrderStatus.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Placed"), widget=DateRangePickerWidget
    )
    payment_method = django_filters.ChoiceFilter(
        label=gettext_lazy("Payment"),
        choices=PaymentMethod.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    cooperative = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Cooperative"), queryset=_visible_cooperatives
    )

    class Meta:
        model = Order
        fields = []
