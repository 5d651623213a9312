"""Rate limits on what a script would hammer: logins, checkouts, payment webhooks and trace-code
lookups (so the short codes printed on labels cannot be enumerated). Over the limit the answer is
429 with a plain sentence and Retry-After; nothing else changes.

Counters are fixed windows in Django's cache (Redis in production, so all web processes share
them; per process otherwise), keyed by the client's address. Settings:
- RATE_LIMITS: rule name -> (requests, seconds); RATE_LIMITS_ENABLED (off only in the test settings,
  where the rate-limit tests switch it back on);
- RATE_LIMIT_PROXY_COUNT: how many proxies (CDN, load balancer) append to X-Forwarded-For in
  front of the site; 0 means the client is REMOTE_ADDR. A request that shows the count is wrong
  (fewer entries than the count; or a count of 0 with X-Forwarded-For from a private address) is
  logged once per process as a warning (website.W003, website.W002; website/checks.py warns at
  start-up for what the settings alone show).
"""

import hashlib
import ipaddress
import logging
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


logger = logging.getLogger(__name__)
# What this process has already warned about (once each, not on every request).
warned: set[str] = set()


def warn_once(check_id: str, message: str) -> None:
    if check_id not in warned:
        warned.add(check_id)
        logger.warning(message, extra={"check": check_id})


def client_address(request) -> str:
    proxies = getattr(settings, "RATE_LIMIT_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies:
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
        # The same check id as the deploy check's (website/checks.py) for the same mistake.
        warn_once(
            "website.W003",
            f"RATE_LIMIT_PROXY_COUNT is {proxies} but a request from {remote} arrived with "
            f"{len(forwarded)} X-Forwarded-For entries: if clients can reach the site past the "
            "proxies, any of them escapes every rate limit with a made-up X-Forwarded-For; "
            "otherwise the count is too high.",
        )
    elif forwarded and from_private_network(remote):
        warn_once(
            "website.W002",
            f"RATE_LIMIT_PROXY_COUNT is 0 but requests come through a proxy ({remote}, with "
            "X-Forwarded-For): every client then has the proxy's address, and one client's failed "
            "logins lock out all staff. Set RATE_LIMIT_PROXY_COUNT to the number of proxies.",
        )
    return remote


def from_private_network(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback


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
