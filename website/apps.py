from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Website")

    def ready(self):
        from wagtail.models import Locale

        from . import i18n, page_cache

        self.connect_page_cache_invalidation(page_cache.invalidate)

        # Locale ids are remembered per process (website/i18n.py); forget them when one changes.
        post_save.connect(i18n.forget_locale_ids, sender=Locale, dispatch_uid="website-forget-locales")
        post_delete.connect(i18n.forget_locale_ids, sender=Locale, dispatch_uid="website-forget-locales-del")

    @staticmethod
    def connect_page_cache_invalidation(invalidate):
        """Whatever a cached page shows (website/page_cache.py): pages published, unpublished,
        moved or deleted; growing-area codes and their status; batches (recall); packs (price,
        stock; stock taken by orders calls invalidate itself); languages; view restrictions."""
        from wagtail.models import Locale, Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished

        from growers.models import GrowingArea, StatusChange
        from products.models import ProductVariant
        from traceability.models import BatchPage

        page_published.connect(invalidate, dispatch_uid="page-cache-published")
        page_unpublished.connect(invalidate, dispatch_uid="page-cache-unpublished")
        post_delete.connect(invalidate, sender=Page, dispatch_uid="page-cache-page-deleted")
        # A page made private must stop being served from the cache at once.
        for model in (GrowingArea, StatusChange, ProductVariant, BatchPage, Locale, PageViewRestriction):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}")
