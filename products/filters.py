import django_filters

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from growers.models import CertificationScheme, CooperativePage

from .models import Category, OcopStars, ProductCertification, ProductPage, fold_for_search


class PriceFilter(django_filters.NumberFilter):
    """Whole đồng only: 'abc', '1.5' or '-3' are form errors, not crashes."""

    field_class = forms.IntegerField


class CatalogueForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The highest price must not be below the lowest."))
        return cleaned


class CatalogueFilter(django_filters.FilterSet):
    ORDERINGS = {
        "featured": ("-ocop_stars", "title"),
        "price": ("from_price", "title"),
        "-price": ("-from_price", "title"),
        "name": ("title",),
        "newest": ("-first_published_at", "title"),
    }

    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label=_("All categories"),
        label=_("Category"),
    )
    cooperative = django_filters.ModelChoiceFilter(
        queryset=CooperativePage.objects.live().public().order_by("title"),
        to_field_name="slug",
        empty_label=_("All cooperatives"),
        label=_("Cooperative"),
        method="filter_cooperative",
    )
    certification = django_filters.ChoiceFilter(
        choices=CertificationScheme.choices,
        empty_label=_("Any certification"),
        label=_("Certification"),
        method="filter_certification",
    )
    ocop = django_filters.ChoiceFilter(
        choices=[(str(value), _("%(stars)s stars or more") % {"stars": value}) for value in OcopStars.values],
        empty_label=_("Any OCOP rating"),
        label=_("OCOP rating"),
        method="filter_ocop",
    )
    min_price = PriceFilter(
        field_name="from_price", lookup_expr="gte", label=_("Lowest price (₫)"), min_value=0
    )
    max_price = PriceFilter(
        field_name="from_price", lookup_expr="lte", label=_("Highest price (₫)"), min_value=0
    )
    in_stock = django_filters.BooleanFilter(
        method="filter_in_stock", label=_("In stock only"), widget=forms.CheckboxInput
    )
    ordering = django_filters.ChoiceFilter(
        choices=[
            ("featured", _("Best rated first")),
            ("price", _("Price: low to high")),
            ("-price", _("Price: high to low")),
            ("name", _("Name")),
            ("newest", _("Newest")),
        ],
        empty_label=None,
        label=_("Sort by"),
        method="filter_ordering",
    )

    class Meta:
        model = ProductPage
        fields = []
        form = CatalogueForm

    def filter_q(self, queryset, name, value):
        for word in fold_for_search(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_cooperative(self, queryset, name, value):
        return queryset.descendant_of(value) if value else queryset

    def filter_certification(self, queryset, name, value):
        return queryset.filter(Exists(ProductCertification.objects.filter(page=OuterRef("pk"), scheme=value)))

    def filter_ocop(self, queryset, name, value):
        return queryset.filter(ocop_stars__gte=int(value))

    def filter_in_stock(self, queryset, name, value):
        return queryset.filter(in_stock=True) if value else queryset

    def filter_ordering(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset, so it also holds without the field

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        ordering = self.form.cleaned_data.get("ordering") or "featured"
        return queryset.order_by(*self.ORDERINGS.get(ordering, self.ORDERINGS["featured"]))
