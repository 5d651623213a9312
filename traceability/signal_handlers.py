"""Signal wiring for batches: a batch saved (its recall included) changes its cached trace pages
(website/page_cache.py); a batch published or unpublished, or a change of a code it cites,
changes what a CDN keeps of it (cdn.py)."""

from django.db.models.signals import post_save, pre_delete

from wagtail.signals import page_published, page_unpublished

from growers.models import GrowingArea
from website.signal_handlers import invalidate_page_cache_on_change

from . import cdn
from .models import BatchPage


def register_signal_handlers() -> None:
    invalidate_page_cache_on_change(BatchPage)

    page_published.connect(cdn.batch_published_or_unpublished, sender=BatchPage, dispatch_uid="cdn-batch-pub")
    page_unpublished.connect(
        cdn.batch_published_or_unpublished, sender=BatchPage, dispatch_uid="cdn-batch-unpub"
    )
    post_save.connect(cdn.growing_area_saved, sender=GrowingArea, dispatch_uid="cdn-area-saved-batches")
    pre_delete.connect(
        cdn.growing_area_before_delete, sender=GrowingArea, dispatch_uid="cdn-area-delete-batches"
    )
