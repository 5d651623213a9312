"""Signal wiring for batches: a batch saved (its recall included) changes its own cached trace
pages and no other (website/page_cache.py: the batch's page tag); a batch published or
unpublished, or a change of a code it cites, changes what a CDN keeps of it (cdn.py)."""

from django.db.models.signals import post_save, pre_delete

from wagtail.signals import page_published, page_unpublished

from growers.models import GrowingArea
from website import page_cache
from website.signal_handlers import invalidate_on_change

from . import cdn
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
