"""Signal wiring for the website's own models and Wagtail's: whatever a cached page shows
(website/page_cache.py) and the locale ids remembered per process (website/i18n.py). Each app
above connects its own models the same way, from its own signal_handlers.py, with
`invalidate_page_cache_on_change`."""

from django.db.models.signals import post_delete, post_save

from . import i18n, page_cache


def invalidate_page_cache_on_change(*models) -> None:
    """Make every cached page stale when a row of one of `models` is saved or deleted."""
    for model in models:
        post_save.connect(
            page_cache.invalidate, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}"
        )
        post_delete.connect(
            page_cache.invalidate, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}"
        )


def site_settings_saved(created, **kwargs):
    # Not on their first save: Wagtail creates the row, with its defaults, the first time a page
    # reads it, in the middle of rendering that page, which showed those very defaults. An edit
    # in the admin saves the existing row.
    if not created:
        page_cache.invalidate()


def register_signal_handlers() -> None:
    """Pages published, unpublished, moved or deleted; languages; view restrictions (a page made
    private must stop being served from the cache at once); the site settings (the sample-data
    banner on every page); images and documents (one replaced or deleted takes its renditions'
    addresses with it)."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Locale, Page, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished

    from .models import SiteSettings

    invalidate = page_cache.invalidate
    page_published.connect(invalidate, dispatch_uid="page-cache-published")
    page_unpublished.connect(invalidate, dispatch_uid="page-cache-unpublished")
    post_delete.connect(invalidate, sender=Page, dispatch_uid="page-cache-page-deleted")
    invalidate_page_cache_on_change(Locale, PageViewRestriction, get_image_model(), get_document_model())
    post_save.connect(site_settings_saved, sender=SiteSettings, dispatch_uid="page-cache-save-settings")
    post_delete.connect(invalidate, sender=SiteSettings, dispatch_uid="page-cache-delete-settings")

    # Locale ids are remembered per process; forget them when one changes.
    post_save.connect(i18n.forget_locale_ids, sender=Locale, dispatch_uid="website-forget-locales")
    post_delete.connect(i18n.forget_locale_ids, sender=Locale, dispatch_uid="website-forget-locales-del")
