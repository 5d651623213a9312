from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from website.i18n import FallbackRouteMixin, default_language, locale_id, localized_pages
from website.page_cache import CachedPageMixin
from website.page_queries import public


class User(AbstractUser):
    """The project's own user model, in place from the first migration so that fields
    (a phone number, a preferred language) can be added later without a painful swap."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class HomePage(CachedPageMixin, FallbackRouteMixin, Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + ["intro"]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["growers.CooperativeIndexPage", "products.ShopPage", "growers.GrowingAreaIndexPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from growers.models import CooperativePage
        from products.selectors import catalogue_products, product_cards

        context = super().get_context(request, *args, **kwargs)
        # The originals (Vietnamese tree) are the lists: a translation is another copy of the same
        # cooperative or product, and only the original carries prices and stock. Each is then
        # shown with its translation's title and address where one is live.
        originals = locale_id(default_language())
        cooperatives = public(CooperativePage.objects.live()).filter(locale_id=originals).order_by("title")
        context["cooperatives"] = localized_pages(cooperatives)
        context["featured_products"] = product_cards(
            catalogue_products().order_by(F("ocop_stars").desc(nulls_last=True), "title")[:6]
        )
        return context


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    sample_data_notice = models.CharField(
        _("sample data notice"),
        max_length=255,
        blank=True,
        help_text=_("Shown on every page while the site holds demonstration data."),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    panels = ["sample_data_notice", FieldPanel("contact_phone"), "contact_email"]

    class Meta:
        verbose_name = _("site settings")
