from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from growers.models import GrowingArea


class ProductPageForm(WagtailAdminPageForm):
    """Offers only currently valid growing-area codes as a product's origin. A code the product
    already cites stays listed after it lapses, so an editor can still change prices or stock;
    the public pages say plainly that such a code is no longer valid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("origin_areas")
        if field is None:
            return
        already_cited = self.instance.origin_areas.all() if self.instance.pk else GrowingArea.objects.none()
        field.queryset = (
            GrowingArea.objects.currently_valid() | GrowingArea.objects.filter(pk__in=already_cited)
        ).distinct()
        field.help_text = _("Only codes that are registered and valid today can be added.")
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
