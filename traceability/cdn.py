"""What a CDN keeps of a batch (website/cdn.py): its JSON and EPCIS
(/api/v1/batches/<short-code>, /epcis), which show its recall and its codes' status. Purged once
the change is committed: a recall (recall.py asks directly, as it may not publish), a publish
in the page editor, a change of a code it cites (signal_handlers.py).

Its trace pages (/t/<short-code>, /01/<GTIN>/10/<lot> and the batch's own page in every
language) count a scan on every view (views.py): they are never kept by a CDN (their answers say
so) and so never purged; BatchPage.get_cached_paths keeps Wagtail from purging its page."""

from django.urls import reverse

from website import cdn

from .models import BatchPage


def urls_of_batches(batch, short_codes) -> None:
    for code in short_codes:
        cdn.add_neutral(batch, reverse("api_batch", kwargs={"code": code}))
        cdn.add_neutral(batch, reverse("api_batch_epcis", kwargs={"code": code}))


def urls_of_batches_citing(batch, area_ids) -> None:
    """The batches citing the growing areas of `area_ids` (one query whatever their number)."""
    codes = BatchPage.objects.filter(growing_areas__in=area_ids).values_list("short_code", flat=True)
    urls_of_batches(batch, sorted(set(codes)))


def purge_batch_on_commit(batch: BatchPage) -> None:
    cdn.purge_on_commit(urls_of_batches, batch.short_code)


# Signal handlers (connected in signal_handlers.py) -----------------------------------------------


def batch_published_or_unpublished(sender, instance, **kwargs):
    """A batch edited in the page editor, its recall fields included."""
    purge_batch_on_commit(instance)


def growing_area_saved(sender, instance, raw=False, **kwargs):
    """A batch's JSON shows its codes and their status."""
    if not raw:
        cdn.purge_on_commit(urls_of_batches_citing, instance.pk)


def growing_area_before_delete(sender, instance, **kwargs):
    """Before the rows citing it go: its batches stop showing it."""
    if cdn.enabled():
        codes = BatchPage.objects.filter(growing_areas=instance).values_list("short_code", flat=True)
        cdn.purge_on_commit(urls_of_batches, *codes)
