"""Signal wiring for batches: a batch saved (its recall included) changes its cached trace pages
(website/page_cache.py)."""

from wagtail.signals import page_published, page_unpublished

from website import cdn
from website.signal_handlers import invalidate_page_cache_on_change

from .models import BatchPage


def register_signal_handlers() -> None:
    invalidate_page_cache_on_change(BatchPage)
    # A batch edited in the page editor, its recall included (website/cdn.py).
    page_published.connect(cdn.batch_published_or_unpublished, sender=BatchPage, dispatch_uid="cdn-batch-pub")
    page_unpublished.connect(
        cdn.batch_published_or_unpublished, sender=BatchPage, dispatch_uid="cdn-batch-unpub"
    )
