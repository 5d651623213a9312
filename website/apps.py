from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Website")

    def ready(self):
        from django.db import models

        from wagtail.admin.ui.fields import register_display_class
        from wagtail.models import Locale

        from . import cdn, checks, i18n, page_cache  # noqa: F401 (checks registers itself)
        from .admin_display import LocalDateTimeDisplay

        register_display_class(models.DateTimeField, display_class=LocalDateTimeDisplay)

        self.connect_page_cache_invalidation(page_cache.invalidate)
        self.connect_cdn_purge(cdn)

        # Locale ids are remembered per process (website/i18n.py); forget them when one changes.
        post_save.connect(i18n.forget_locale_ids, sender=Locale, dispatch_uid="website-forget-locales")
        post_delete.connect(i18n.forget_locale_ids, sender=Locale, dispatch_uid="website-forget-locales-del")

    @staticmethod
    def connect_page_cache_invalidation(invalidate):
        """Whatever a cached page shows (website/page_cache.py): pages published, unpublished,
        moved or deleted; growing-area codes and their status; batches (recall); packs (price,
        stock; stock taken by orders calls invalidate itself); languages; view restrictions;
        categories, site settings, images and documents."""
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Locale, Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished

        from growers.models import GrowingArea, StatusChange
        from products.models import Category, ProductVariant
        from traceability.models import BatchPage

        from .models import SiteSettings

        page_published.connect(invalidate, dispatch_uid="page-cache-published")
        page_unpublished.connect(invalidate, dispatch_uid="page-cache-unpublished")
        post_delete.connect(invalidate, sender=Page, dispatch_uid="page-cache-page-deleted")
        # A page made private must stop being served from the cache at once. Categories name the
        # catalogue's filters, the site settings the sample-data banner on every page; an image or
        # clip replaced or deleted takes its renditions' addresses with it.
        watched = (GrowingArea, StatusChange, ProductVariant, BatchPage, Locale, PageViewRestriction)
        watched += (Category, get_image_model(), get_document_model())
        for model in watched:
            post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}")
        # A code shared with (or withdrawn from) a cooperative changes its batches' verdicts.
        m2m_changed.connect(
            invalidate, sender=GrowingArea.shared_with.through, dispatch_uid="page-cache-area-shared"
        )

        def settings_saved(created, **kwargs):
            # Not on their first save: Wagtail creates the row, with its defaults, the first time
            # a page reads it, in the middle of rendering that page, which showed those very
            # defaults. An edit in the admin saves the existing row.
            if not created:
                invalidate()

        post_save.connect(
            settings_saved, sender=SiteSettings, weak=False, dispatch_uid="page-cache-save-settings"
        )
        post_delete.connect(invalidate, sender=SiteSettings, dispatch_uid="page-cache-delete-settings")

    @staticmethod
    def connect_cdn_purge(cdn):
        """What a CDN keeps beyond a published page's own URL (website/cdn.py): a code's pages,
        its batches' trace pages and the API when the code is changed (its status through
        growers.services.change_status, which also asks directly), renamed or deleted; a batch's
        trace pages and API when it is published or unpublished (a recall in the page editor;
        traceability/recall.py asks directly, as it may not publish)."""
        from wagtail.signals import page_published, page_unpublished

        from growers.models import GrowingArea
        from traceability.models import BatchPage

        pre_save.connect(
            cdn.growing_area_before_save, sender=GrowingArea, dispatch_uid="cdn-area-before-save"
        )
        post_save.connect(cdn.growing_area_saved, sender=GrowingArea, dispatch_uid="cdn-area-saved")
        pre_delete.connect(cdn.growing_area_before_delete, sender=GrowingArea, dispatch_uid="cdn-area-delete")
        page_published.connect(
            cdn.batch_published_or_unpublished, sender=BatchPage, dispatch_uid="cdn-batch-pub"
        )
        page_unpublished.connect(
            cdn.batch_published_or_unpublished, sender=BatchPage, dispatch_uid="cdn-batch-unpub"
        )
