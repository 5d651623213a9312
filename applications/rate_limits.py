"""What the public side of applications limits per client (website/ratelimit.py's counters, with
their clock and settings; RATE_LIMITS may override each): applications sent, and wrong tries at
the status page (a number with the wrong digits, or a number that does not exist: the same), so
that nobody can guess their way through other people's applications. Counted in the views, which
answer over the limit with the form and a sentence in the reader's language (not the
middleware's bare 429), through website.ratelimit's public counters (peek, then count)."""

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


def over_limit(name: str, request) -> bool:
    """Whether this client has used up `name` in this window (without counting this request)."""
    return not ratelimit.mail_allowed(name, ratelimit.client_address(request))


def count(name: str, request) -> None:
    """Count one more under `name` for this client (the same window and counter as over_limit)."""
    ratelimit.allow_mail(name, ratelimit.client_address(request))
