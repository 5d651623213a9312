"""What a CDN keeps of a growing-area code (website/cdn.py): the registry list and the code's
page in every language, and its JSON (/api/v1/growing-areas/<code>). Purged once the change is
committed, from the signal handlers (signal_handlers.py); other apps purge what they show of a
code themselves (the batches and products citing it)."""

from django.urls import reverse

from website import cdn

from .models import GrowingArea, GrowingAreaIndexPage


def urls_of_codes(batch, codes) -> None:
    """The registry list and each code's page, in every language, and each code's JSON (one
    query for the registries whatever the number of codes)."""
    for registry in GrowingAreaIndexPage.objects.live():
        cdn.add_page(batch, registry)
        for code in codes:
            cdn.add_page(batch, registry, registry.reverse_subpage("growing_area", kwargs={"code": code}))
    for code in codes:
        cdn.add_neutral(batch, reverse("api_growing_area", kwargs={"code": code}))


def purge_growing_area_on_commit(area: GrowingArea) -> None:
    cdn.purge_on_commit(urls_of_codes, area.code)


# Signal handlers (connected in signal_handlers.py) -----------------------------------------------


def growing_area_saved(sender, instance, raw=False, **kwargs):
    """Any change of a code (status, valid-until, households, name...) shows on its pages."""
    if not raw:
        purge_growing_area_on_commit(instance)


def growing_area_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """A code renamed leaves its old address saying "not registered"."""
    if (
        raw
        or not cdn.enabled()
        or instance.pk is None
        or (update_fields is not None and "code" not in update_fields)
    ):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("code", flat=True).first()
    if old and old != instance.code:
        cdn.purge_on_commit(urls_of_codes, old)


def growing_area_deleted(sender, instance, **kwargs):
    purge_growing_area_on_commit(instance)
