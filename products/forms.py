from django import forms
from django.utils.translation import gettext_lazy as _

from growers.forms import refuse_codes_of_other_cooperatives
from growers.media_forms import ChoosableMediaPageForm
from growers.models import GrowingArea, cooperative_owning
from website.i18n import default_language, locale_id


class ProductPageForm(ChoosableMediaPageForm):
    """Offers only currently valid growing-area codes as a product's origin. A code the product
    already cites stays listed after it lapses, so an editor can still change prices or stock;
    the public pages say plainly that such a code is no longer valid. Only the codes of the
    product's own cooperative, or those the officer shared with it, are offered and accepted.

    A translation (a page in another language than Vietnamese) needs no pack size: its packs,
    prices and stock are the Vietnamese original's (ProductPage.original)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relax_packs_for_translation()
        field = self.fields.get("origin_areas")
        if field is None:
            return
        # The ids, not the relation: a draft or a revision being reverted holds its codes as
        # instances in memory (modelcluster), not as a query the database could use.
        already_cited = [area.pk for area in self.instance.origin_areas.all()] if self.instance.pk else []
        self.cooperative = cooperative_owning(self.instance if self.instance.pk else self.parent_page)
        field.queryset = (
            GrowingArea.objects.currently_valid() | GrowingArea.objects.filter(pk__in=already_cited)
        ).distinct()
        # Another cooperative's valid code is read from the POST, so that clean() can name it and
        # say why it is refused; only this cooperative's codes are offered.
        offered = GrowingArea.objects.currently_valid().citable_by(
            self.cooperative
        ) | GrowingArea.objects.filter(pk__in=already_cited)
        field.help_text = _(
            "Only codes registered to this cooperative (or shared with it by the officer) and valid "
            "today can be added."
        )
        field.widget = forms.CheckboxSelectMultiple(choices=forms.ModelMultipleChoiceField(offered).choices)

    def clean(self):
        cleaned = super().clean()
        if "origin_areas" in self.fields:
            refuse_codes_of_other_cooperatives(self, "origin_areas", self.cooperative)
        return cleaned

    def relax_packs_for_translation(self):
        variants = self.formsets.get("variants")
        page_locale = self.instance.locale_id
        if variants is None or page_locale is None or page_locale == locale_id(default_language()):
            return
        # The formsets are built in super().__init__ with InlinePanel's min_num=1; nothing has
        # counted or validated their forms yet, so changing the rule here takes effect.
        variants.min_num = 0
        variants.validate_min = False
