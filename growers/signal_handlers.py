"""Signal wiring for the growers' models: cached pages show growing-area codes, their status and
which cooperatives share them (website/page_cache.py: each code's tag), and a CDN keeps a code's
pages (cdn.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from website import page_cache
from website.signal_handlers import invalidate_on_change

from . import cdn
from .models import GrowingArea, Season, StatusChange
from .registry import area_tag


def area_shared_or_withdrawn(sender, instance, action, reverse, pk_set, **kwargs):
    """A code shared with (or withdrawn from) a cooperative changes its batches' verdicts. From the
    cooperative's side, `pk_set` holds the codes (None when all are cleared: then every page)."""
    if not action.startswith("post_"):
        return
    if not reverse:
        page_cache.invalidate(area_tag(instance.pk))
    elif pk_set:
        page_cache.invalidate(*(area_tag(pk) for pk in pk_set))
    else:
        page_cache.invalidate(page_cache.SITE)


def register_signal_handlers() -> None:
    invalidate_on_change(GrowingArea, lambda area: [area_tag(area.pk)], on_create=False)
    invalidate_on_change(StatusChange, lambda change: [area_tag(change.area_id)])
    # A code's page lists its seasons.
    invalidate_on_change(Season, lambda season: [area_tag(season.growing_area_id)])
    m2m_changed.connect(
        area_shared_or_withdrawn,
        sender=GrowingArea.shared_with.through,
        dispatch_uid="page-cache-area-shared",
    )

    # What a CDN keeps of a code (cdn.py): changed, renamed or deleted.
    pre_save.connect(cdn.growing_area_before_save, sender=GrowingArea, dispatch_uid="cdn-area-before-save")
    post_save.connect(cdn.growing_area_saved, sender=GrowingArea, dispatch_uid="cdn-area-saved")
    post_delete.connect(cdn.growing_area_deleted, sender=GrowingArea, dispatch_uid="cdn-area-delete")
