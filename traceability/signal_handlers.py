"""Signal wiring for batches: a batch saved (its recall included) changes its own cached trace
pages and no other (website/page_cache.py: the batch's page tag); a batch published or
unpublished, or a change of a code it cites, changes what a CDN keeps of it (cdn.py)."""

from django.db.models.signals import post_delete, post_save, pre_delete

from wagtail.signals import page_published, page_unpublished

from growers.models import GrowingArea, Season
from website import page_cache
from website.signal_handlers import invalidate_on_change

from . import cdn, yields
from .models import BatchPage


def register_signal_handlers() -> None:
    # Saved as a draft too: a recall made while a draft is in progress updates the live row
    # beside the draft's save (recall.py).
    invalidate_on_change(BatchPage, lambda batch: [page_cache.page_tag(batch)])

    page_published.connect(cdn.batch_published_or_unpublished, sender=BatchPage, dispatch_uid="cdn-batch-pub")
    page_unpublished.connect(
        cdn.batch_published_or_unpublished, sender=BatchPage, dispatch_uid="cdn-batch-unpub"
    )
    post_save.connect(cdn.growing_area_saved, sender=GrowingArea, dispatch_uid="cdn-area-saved-batches")
    pre_delete.connect(
        cdn.growing_area_before_delete, sender=GrowingArea, dispatch_uid="cdn-area-delete-batches"
    )

    # A batch is linked to the season it was harvested in (yields.link_seasons) when it is
    # published, and again when a season of a code it cites is declared, changed or removed.
    page_published.connect(link_published_batch, sender=BatchPage, dispatch_uid="yields-link-batch")
    post_save.connect(relink_batches_of_season, sender=Season, dispatch_uid="yields-season-saved")
    post_delete.connect(relink_batches_of_season, sender=Season, dispatch_uid="yields-season-deleted")


def link_published_batch(sender, instance, **kwargs):
    yields.link_seasons(instance.specific)


def relink_batches_of_season(sender, instance, **kwargs):
    for batch in BatchPage.objects.live().filter(growing_areas=instance.growing_area_id).distinct():
        yields.link_seasons(batch)
