"""/commune/: the commune's progress against its resolution, for anyone (no personal data).

The numbers are computed at most once every PROGRESS_CACHE_SECONDS and kept in the cache (a
Redis that is down answers "nothing kept", website/cache.py: the numbers are then computed for
each request, slower and never wrong); the answer carries Cache-Control public for as long, so
a CDN may keep it too. Only counts are kept, never a name, a phone or an address."""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from . import selectors

CACHE_KEY = "commune:progress:v1"


def cache_seconds() -> int:
    return getattr(settings, "COMMUNE_PROGRESS_CACHE_SECONDS", 300)


def progress_numbers() -> dict:
    numbers = cache.get(CACHE_KEY)
    if numbers is None:
        numbers = selectors.progress()
        cache.set(CACHE_KEY, numbers, cache_seconds())
    return numbers


def percent(share: float | None) -> int | None:
    """A share as a whole percentage for the bars and the words (None: nothing to divide by)."""
    if share is None:
        return None
    return round(share * 100)


def bar(value: int | None, target: int) -> dict:
    """What the bar template draws: the value filled (capped at 100), the target marked."""
    filled = 0 if value is None else max(0, min(100, value))
    return {"value": value, "filled": filled, "target": target}


@require_safe
def progress(request):
    numbers = progress_numbers()
    asked, paid = numbers["asking"], numbers["payments"]
    products = numbers["products_online"]
    context = {
        "numbers": numbers,
        "asking": asked,
        "payments": paid,
        "looks": numbers["looks"],
        "granted_bar": bar(percent(asked.granted_share), 100),
        # The target is "at least one": one product online fills the bar.
        "products_bar": bar(min(products, 1) * 100, 100),
        "cashless_bar": bar(percent(paid.cashless_share), 80),
        "minutes": max(1, cache_seconds() // 60),
    }
    response = render(request, "commune/progress.html", context)
    patch_cache_control(response, public=True, max_age=cache_seconds())
    return response
