from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Website")

    def ready(self):
        from wagtail.models import Locale

        from . import i18n

        # Locale ids are remembered per process (website/i18n.py); forget them when one changes.
        post_save.connect(i18n.forget_locale_ids, sender=Locale, dispatch_uid="website-forget-locales")
        post_delete.connect(i18n.forget_locale_ids, sender=Locale, dispatch_uid="website-forget-locales-del")
