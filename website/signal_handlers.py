"""Signal wiring for the website's own models and Wagtail's: what a cached page shows
(website/page_cache.py) and the locale ids remembered per process (website/i18n.py). Each app
above connects its own models the same way, from its own signal_handlers.py, with
`invalidate_on_change` and the tags its pages declare."""

from django.db.models.signals import post_delete, post_save

from . import i18n, page_cache


def invalidate_on_change(model, tags_of, *, on_create=True) -> None:
    """When a row of `model` is saved or deleted, invalidate the tags `tags_of(row)` names
    (`on_create=False`: not when it is first saved, which no page can show yet)."""

    def changed(sender, instance, created=False, **kwargs):
        if created and not on_create:
            return
        if tags := list(tags_of(instance)):
            page_cache.invalidate(*tags)

    name = model._meta.label_lower
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"page-cache-save-{name}")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"page-cache-delete-{name}")


def everything(instance):
    return [page_cache.SITE]


def tags_of_page(page) -> list[str]:
    """A page's own words and address, and the lists of its type."""
    return [page_cache.page_tag(page), page_cache.pages_tag(page.specific_class or type(page))]


def page_published(sender, instance, **kwargs):
    page_cache.invalidate(*tags_of_page(instance))


def page_unpublished(sender, instance, **kwargs):
    # A page unpublished hides the pages below it, which cached pages do not name by their
    # ancestors: for a page with children (a cooperative, a product) every page goes stale.
    tags = tags_of_page(instance)
    if instance.numchild:
        tags.append(page_cache.SITE)
    page_cache.invalidate(*tags)


def page_deleted(sender, instance, **kwargs):
    # Sent for each page deleted, the pages below it included.
    page_cache.invalidate(*tags_of_page(instance))


def page_moved_or_renamed(sender, **kwargs):
    # The addresses of the page and of every page below it change, and cached pages link to them.
    page_cache.invalidate(page_cache.SITE)


def site_settings_saved(created, **kwargs):
    # Not on their first save: Wagtail creates the row, with its defaults, the first time a page
    # reads it, in the middle of rendering that page, which showed those very defaults. An edit
    # in the admin saves the existing row.
    if not created:
        page_cache.invalidate(page_cache.SITE)


def register_signal_handlers() -> None:
    """Pages published, unpublished, moved, renamed or deleted; languages and view restrictions (a
    page made private must stop being served from the cache at once) and the site settings (the
    sample-data banner on every page): every page; images and documents replaced, edited or
    deleted (a new one is on no page yet): the pages that declared them."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Locale, Page, PageViewRestriction
    from wagtail.signals import page_published as published
    from wagtail.signals import page_slug_changed, post_page_move
    from wagtail.signals import page_unpublished as unpublished

    from .models import SiteSettings

    published.connect(page_published, dispatch_uid="page-cache-published")
    unpublished.connect(page_unpublished, dispatch_uid="page-cache-unpublished")
    post_delete.connect(page_deleted, sender=Page, dispatch_uid="page-cache-page-deleted")
    post_page_move.connect(page_moved_or_renamed, dispatch_uid="page-cache-page-moved")
    page_slug_changed.connect(page_moved_or_renamed, dispatch_uid="page-cache-page-renamed")
    invalidate_on_change(Locale, everything)
    invalidate_on_change(PageViewRestriction, everything)
    invalidate_on_change(get_image_model(), lambda image: [page_cache.image_tag(image.pk)], on_create=False)
    invalidate_on_change(get_document_model(), lambda doc: [page_cache.document_tag(doc.pk)], on_create=False)
    post_save.connect(site_settings_saved, sender=SiteSettings, dispatch_uid="page-cache-save-settings")
    post_delete.connect(
        lambda **kwargs: page_cache.invalidate(page_cache.SITE),
        sender=SiteSettings,
        weak=False,
        dispatch_uid="page-cache-delete-settings",
    )

    # Locale ids are remembered per process; forget them when one changes.
    post_save.connect(i18n.forget_locale_ids, sender=Locale, dispatch_uid="website-forget-locales")
    post_delete.connect(i18n.forget_locale_ids, sender=Locale, dispatch_uid="website-forget-locales-del")
