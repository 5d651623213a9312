from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from website.i18n import FallbackRouteMixin
from website.page_cache import CachedPageMixin


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

    # The home template lists the cooperatives and featured products with the tags growers and
    # products offer (growers_tags, products_tags).


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
