"""What the public side of applications limits per client (website/ratelimit.py's counters, with
their clock and settings; RATE_LIMITS may override each): applications sent, and wrong tries at
the status page (a number with the wrong digits, or a number that does not exist: the same), so
that nobody can guess their way through other people's applications. Counted in the views, which
answer over the limit with the form and a sentence in the reader's language (not the
middleware's bare 429)."""

import re

from website import ratelimit

LIMITS = {
    "application_submit": (5, 3600),  # applications one client sends in an hour
    "application_status_miss": (10, 3600),  # wrong numbers or digits one client tries in an hour
}


APPLY_PATH = re.compile(ratelimit.LANGUAGE_PREFIX + r"growing-areas/apply/$")


def register() -> None:
    from django.conf import settings

    from website.request_guard import register_upload_path

    ratelimit.register_rules(limits=LIMITS)
    # The form's photos and papers: a larger body than the 1 MB of other public forms.
    register_upload_path(APPLY_PATH, settings.APPLICATION_REQUEST_BODY_MAX_SIZE)


def _counter(name: str, request) -> tuple[str, int, int]:
    allowed, seconds = ratelimit.limits()[name]
    rule = ratelimit.Rule(name, (), None)
    key = ratelimit._current(rule, ratelimit.client_address(request), seconds, ratelimit.time.time())
    return key, allowed, seconds


def over_limit(name: str, request) -> bool:
    """Whether this client has used up `name` in this window (without counting this request)."""
    from django.conf import settings
    from django.core.cache import cache

    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return False
    key, allowed, _seconds = _counter(name, request)
    return (cache.get(key) or 0) >= allowed


def count(name: str, request) -> None:
    from django.conf import settings

    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return
    key, _allowed, seconds = _counter(name, request)
    ratelimit.RateLimitMiddleware._increment(key, seconds)
