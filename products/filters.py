import re

import django_filters

from django import forms
from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.coreutils import get_supported_content_language_variant

from growers.models import CertificationScheme, CooperativePage
from website.i18n import active_language, locale_id
from website.page_queries import public

from .models import Category, OcopStars, ProductCertification, ProductPage, fold_for_search


def _stars_or_more(stars: int) -> str:
    return gettext("%(stars)s stars or more") % {"stars": stars}


# Built once at import, shown in each visitor's language: interpolated only when rendered.
stars_or_more = lazy(_stars_or_more, str)


class PriceField(forms.IntegerField):
    """Whole đồng, typed the way the site prints prices: '150.000', '150 000' and '150.000 ₫'
    all mean 150000. Without this, Django's IntegerField drops a trailing '.000' and reads
    '150.000' as 150."""

    default_error_messages = {
        "invalid": _("Type the price in whole đồng, for example 150000 or 150.000."),
    }
    grouped = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})+$")
    currency = re.compile(r"\s*(?:₫|đ|đồng|vnd|vnđ)$", re.IGNORECASE)
    # A text box with a numeric keypad, not type="number": a number box takes '150.000' for
    # 150 with three decimals, so the buyer would be shown, and resubmit, the wrong price.
    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def to_python(self, value):
        if isinstance(value, str):
            value = self.currency.sub("", value.strip())
            if self.grouped.match(value):
                value = re.sub(r"[.,\s]", "", value)
        return super().to_python(value)


class PriceFilter(django_filters.NumberFilter):
    """Whole đồng only: 'abc', '1.5' or '-3' are form errors, not crashes."""

    field_class = PriceField


class TickBox(forms.CheckboxInput):
    """A checkbox that also reads '0', 'off' and 'no' in a hand-written link as unticked
    (Django's reads any value but 'false' as ticked)."""

    unticked = {"", "0", "false", "off", "no"}

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if isinstance(value, str) and value.strip().lower() in self.unticked:
            return False
        return super().value_from_datadict(data, files, name)


class CatalogueForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cooperative = self.fields.get("cooperative")
        if cooperative is not None:
            cooperative.label_from_instance = CooperativeTitles(cooperative.queryset)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The highest price must not be below the lowest."))
        return cleaned


class CooperativeTitles:
    """A cooperative choice's label in the visitor's language: the title of its live translation
    where there is one, fetched for every choice in one query the first time a label is asked."""

    def __init__(self, originals):
        self.originals = originals
        self.titles = None

    def __call__(self, cooperative) -> str:
        if self.titles is None:
            active = locale_id(active_language())
            self.titles = {}
            if active is not None and active != cooperative.locale_id:
                self.titles = dict(
                    CooperativePage.objects.live()
                    .filter(locale_id=active, translation_key__in=self.originals.values("translation_key"))
                    .values_list("translation_key", "title")
                )
        return self.titles.get(cooperative.translation_key, cooperative.title)


class CatalogueFilter(django_filters.FilterSet):
    # Products without a rating or without a price on sale go last in every order, on
    # PostgreSQL too (which puts NULLs first in a descending sort, SQLite in an ascending one).
    ORDERINGS = {
        "featured": (F("ocop_stars").desc(nulls_last=True), "title"),
        "price": (F("from_price").asc(nulls_last=True), "title"),
        "-price": (F("from_price").desc(nulls_last=True), "title"),
        "name": ("title",),
        "newest": (F("first_published_at").desc(nulls_last=True), "title"),
    }

    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label=_("All categories"),
        label=_("Category"),
    )
    cooperative = django_filters.ModelChoiceFilter(
        # The Vietnamese pages only: a translation is the same cooperative, under the same slug.
        # By language code, not Locale id, as the queryset is built once, at import.
        queryset=public(CooperativePage.objects.live())
        .filter(locale__language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        .order_by("title"),
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
        choices=[(str(value), stars_or_more(value)) for value in OcopStars.values],
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
        method="filter_in_stock", label=_("In stock only"), widget=TickBox
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
        """Every word must be in the product's words (title, summary, category, folded to ASCII)
        or in those of one of its live translations: "cardamom" finds thảo quả once its English
        page says so. The list stays the originals, with their prices and stock."""
        for word in fold_for_search(value).split():
            translation_says_it = ProductPage.objects.filter(
                translation_key=OuterRef("translation_key"), live=True, search_text__contains=word
            ).exclude(locale_id=OuterRef("locale_id"))
            queryset = queryset.filter(Q(search_text__contains=word) | Exists(translation_says_it))
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
