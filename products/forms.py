from django import forms
from django.utils.translation import gettext_lazy as _

from growers.forms import ChoosableMediaPageForm
from growers.models import GrowingArea
from website.i18n import default_language, locale_id


class ProductPageForm(ChoosableMediaPageForm):
    """Offers only currently valid growing-area codes as a product's origin. A code the product
    already cites stays listed after it lapses, so an editor can still change prices or stock;
    the public pages say plainly that such a code is no longer valid.

    A translation (a page in another language than Vietnamese) needs no pack size: its packs,
    prices and stock are the Vietnamese original's (ProductPage.original)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relax_packs_for_translation()
        field = self.fields.get("origin_areas")
        if field is None:
            return
        already_cited = self.instance.origin_areas.all() if self.instance.pk else GrowingArea.objects.none()
        field.queryset = (
            GrowingArea.objects.currently_valid() | GrowingArea.objects.filter(pk__in=already_cited)
        ).distinct()
        field.help_text = _("Only codes that are registered and valid today can be added.")
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)

    def relax_packs_for_translation(self):
        variants = self.formsets.get("variants")
        page_locale = self.instance.locale_id
        if variants is None or page_locale is None or page_locale == locale_id(default_language()):
            return
        # The formsets are built in super().__init__ with InlinePanel's min_num=1; nothing has
        # counted or validated their forms yet, so changing the rule here takes effect.
        variants.min_num = 0
        variants.validate_min = False
