"""Rate limits on what a script would hammer: logins, checkouts, payment webhooks and trace-code
lookups (so the short codes printed on labels cannot be enumerated). Over the limit the answer is
429 with a plain sentence and Retry-After; nothing else changes.

Counters are fixed windows in Django's cache (Redis in production, so all web processes share
them; per process otherwise), keyed by the client's address. Settings:
- RATE_LIMITS: rule name -> (requests, seconds); RATE_LIMITS_ENABLED (off only in the test settings,
  where the rate-limit tests switch it back on);
- RATE_LIMIT_PROXY_COUNT: how many proxies (CDN, load balancer) append to X-Forwarded-For in
  front of the site; 0 means the client is REMOTE_ADDR.
"""

import hashlib
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

LANGUAGE_PREFIX = r"^/(?:[a-z]{2,3}(?:-[a-z0-9]+)?/)?"


@dataclass(frozen=True)
class Rule:
    name: str
    methods: tuple[str, ...]
    path: re.Pattern
    # Count only answers with these status codes (e.g. 404: an unknown trace code); None counts all.
    counted_statuses: tuple[int, ...] | None = None


RULES = (
    Rule("login", ("POST",), re.compile(r"^/admin/login/$")),
    Rule("checkout", ("POST",), re.compile(LANGUAGE_PREFIX + r"checkout/$")),
    Rule("webhook", ("POST",), re.compile(r"^/webhooks/")),
    Rule("trace", ("GET", "HEAD"), re.compile(r"^/(?:t/|01/|api/v1/batches/)")),
    # Guessing codes: unknown codes are limited far more tightly than real scans.
    Rule("trace_miss", ("GET", "HEAD"), re.compile(r"^/(?:t/|01/|api/v1/batches/)"), (404,)),
)

DEFAULT_LIMITS = {
    "login": (10, 60),
    "checkout": (20, 60),
    "webhook": (300, 60),
    "trace": (120, 60),
    "trace_miss": (20, 600),
}


def client_address(request) -> str:
    proxies = getattr(settings, "RATE_LIMIT_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "RATE_LIMITS", {})}


def _key(rule: Rule, address: str, window: int) -> str:
    digest = hashlib.sha256(address.encode()).hexdigest()[:24]
    return f"ratelimit:{rule.name}:{window}:{digest}"


def _current(rule: Rule, address: str, seconds: int, now: float) -> str:
    return _key(rule, address, int(now // seconds))


def too_many_requests(retry_after: int) -> HttpResponse:
    response = HttpResponse(
        _("Too many requests from your connection. Please wait a minute and try again."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "RATE_LIMITS_ENABLED", True):
            return self.get_response(request)
        now = time.time()
        address = client_address(request)
        matching = [r for r in RULES if request.method in r.methods and r.path.match(request.path_info)]
        configured = limits()
        for rule in matching:
            allowed, seconds = configured[rule.name]
            key = _current(rule, address, seconds, now)
            if rule.counted_statuses is None:
                over = self._increment(key, seconds) > allowed  # this request counts
            else:
                over = cache.get(key, 0) >= allowed  # earlier misses count; this one is not known yet
            if over:
                return too_many_requests(seconds - int(now % seconds) or 1)
        response = self.get_response(request)
        for rule in matching:
            if rule.counted_statuses and response.status_code in rule.counted_statuses:
                _allowed, seconds = configured[rule.name]
                self._increment(_current(rule, address, seconds, now), seconds)
        return response

    @staticmethod
    def _increment(key: str, seconds: int) -> int:
        # add() then incr(): atomic on Redis and on the local-memory cache.
        cache.add(key, 0, timeout=seconds + 1)
        try:
            return cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=seconds + 1)
            return 1


# Mails a stranger can make the site send -------------------------------------------------------
#
# An order confirmation or a password reset goes to whatever address was typed, so a script could
# use the site to flood an inbox (with a name or an address it typed in the body). Counted per
# recipient and per client, in the same cache windows; over the limit the mail is not sent and
# nothing else changes (the order is placed, the answer is the same page).

MAIL_LIMITS = {
    "order_mail_recipient": (5, 24 * 3600),  # order confirmations to one address a day
    "order_mail_client": (10, 3600),  # order confirmations one client asks for in an hour
    "password_reset_recipient": (3, 3600),
    "password_reset_client": (10, 3600),
}


def allow_mail(limit: str, key: str) -> bool:
    """Count one more mail for `key` (an email address, or a client's address) under `limit` (a
    name of MAIL_LIMITS, overridable in RATE_LIMITS); False once over. Always True when
    RATE_LIMITS_ENABLED is off."""
    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return True
    allowed, seconds = {**MAIL_LIMITS, **limits()}[limit]
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:24]
    key = f"ratelimit:{limit}:{int(time.time() // seconds)}:{digest}"
    return RateLimitMiddleware._increment(key, seconds) <= allowed
