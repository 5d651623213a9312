"""Signal wiring for the growers' models: cached pages show growing-area codes, their status and
which cooperatives share them (website/page_cache.py), and a CDN keeps a code's pages (cdn.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from website import page_cache
from website.signal_handlers import invalidate_page_cache_on_change

from . import cdn
from .models import GrowingArea, StatusChange


def register_signal_handlers() -> None:
    invalidate_page_cache_on_change(GrowingArea, StatusChange)
    # A code shared with (or withdrawn from) a cooperative changes its batches' verdicts.
    m2m_changed.connect(
        page_cache.invalidate, sender=GrowingArea.shared_with.through, dispatch_uid="page-cache-area-shared"
    )

    # What a CDN keeps of a code (cdn.py): changed, renamed or deleted.
    pre_save.connect(cdn.growing_area_before_save, sender=GrowingArea, dispatch_uid="cdn-area-before-save")
    post_save.connect(cdn.growing_area_saved, sender=GrowingArea, dispatch_uid="cdn-area-saved")
    post_delete.connect(cdn.growing_area_deleted, sender=GrowingArea, dispatch_uid="cdn-area-delete")
