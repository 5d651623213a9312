"""Rate limits on what a script would hammer: logins here, and the paths each app registers from
its AppConfig.ready (register_rules: checkouts and payment webhooks in orders/rate_limits.py,
trace-code lookups in traceability/rate_limits.py, so the short codes printed on labels cannot be
enumerated). Over the limit the answer is 429 with a plain sentence and Retry-After; nothing else
changes.

Every form that checks a password (PASSWORD_PATHS, and a password change on the account page) is
limited per address ("login"), and the failed guesses of one account, or of one private page's
password, are counted whatever the address ("login_failures", "page_password_failures",
PasswordGuessMiddleware): past that limit the account (or page) is locked for a while, but not for
clients that have passed it before (a signed "known sign-in" cookie; for a page, the session that
passed its restriction).

Counters are fixed windows in Django's cache (Redis in production, so all web processes share
them; per process otherwise, and while Redis is unreachable: website/cache.py keeps keys under
"ratelimit:" in the process's memory then), keyed by the client's address. Settings:
- RATE_LIMITS: rule name -> (requests, seconds); RATE_LIMITS_ENABLED (off only in the test settings,
  where the rate-limit tests switch it back on);
- RATE_LIMIT_PROXY_COUNT: how many proxies (CDN, load balancer) append to X-Forwarded-For in
  front of the site; 0 means the client is REMOTE_ADDR. A request that shows the count is wrong
  (fewer entries than the count, except from loopback without X-Forwarded-For: the image's health
  check; or a count of 0 with X-Forwarded-For from a private address) is logged once per process
  as a warning (website.W003, website.W002; website/checks.py warns at start-up for what the
  settings alone show).
"""

import hashlib
import ipaddress
import logging
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.models import PageViewRestriction

LANGUAGE_PREFIX = r"^/(?:[a-z]{2,3}(?:-[a-z0-9]+)?/)?"

# Every address whose POST checks a password: the admin's login, password reset (the form, and the
# link's page that sets a new password), Wagtail's front-end login and a private page's password
# form (in every language). The account page checks one only when a new password is posted
# (ACCOUNT_PATH, changes_password).
PASSWORD_PATHS = re.compile(
    r"^/admin/(?:login|password_reset)/"
    r"|" + LANGUAGE_PREFIX + r"_util/(?:login/$|authenticate_with_password/)"
)
ACCOUNT_PATH = re.compile(r"^/admin/account/")
# The account page's password panel (wagtail.admin.views.account.ChangePasswordPanel, prefix
# "password") checks the old password only when one of the new-password fields is filled in;
# saving the other preferences (name, language, avatar) checks nothing.
PASSWORD_CHANGE_FIELDS = ("password-new_password1", "password-new_password2")


def changes_password(request) -> bool:
    try:
        return any(request.POST.get(field) for field in PASSWORD_CHANGE_FIELDS)
    except Exception:  # an unreadable body: the view answers it
        return False


# Failed guesses are counted per account (the username tried) or per private page's restriction.
ACCOUNT_LOGIN_PATHS = re.compile(r"^/admin/login/$|" + LANGUAGE_PREFIX + r"_util/login/$")
PAGE_PASSWORD_PATH = re.compile(LANGUAGE_PREFIX + r"_util/authenticate_with_password/(?P<restriction>\d+)/")


@dataclass(frozen=True)
class Rule:
    name: str
    methods: tuple[str, ...]
    path: re.Pattern
    # Count only answers with these status codes (e.g. 404: an unknown trace code); None counts all.
    counted_statuses: tuple[int, ...] | None = None
    # Count only requests this says yes to (e.g. a POST that changes a password); None counts all.
    applies: Callable[[HttpRequest], bool] | None = None

    def matches(self, request) -> bool:
        return (
            request.method in self.methods
            and bool(self.path.match(request.path_info))
            and (self.applies is None or self.applies(request))
        )


# The website's own rules; each app registers the paths it limits from its AppConfig.ready
# (register_rules: orders its checkout and webhooks, traceability its trace codes).
RULES: list[Rule] = [
    Rule("login", ("POST",), PASSWORD_PATHS),
    Rule("login", ("POST",), ACCOUNT_PATH, applies=changes_password),
    # The password-reset link checks its token when opened.
    Rule("login", ("GET", "HEAD"), re.compile(r"^/admin/password_reset/confirm/")),
]

# Requests allowed per window (requests, seconds), by rule name; RATE_LIMITS overrides any of them.
DEFAULT_LIMITS = {
    "login": (10, 60),
    "login_failures": (10, 900),
    # A private page's password is shared by its visitors; strangers failing on it lock out only
    # visitors who have not passed it in their session, and only past this higher count.
    "page_password_failures": (50, 900),
}


def register_rules(*rules: Rule, limits: dict[str, tuple[int, int]] | None = None) -> None:
    """Limit more paths (an app's, from its AppConfig.ready), with the default (requests, seconds)
    of each new rule name in `limits`. Registering the same rule again changes nothing."""
    RULES.extend(rule for rule in rules if rule not in RULES)
    for name, limit in (limits or {}).items():
        DEFAULT_LIMITS.setdefault(name, limit)


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
        # The same check id as the deploy check's (website/checks.py) for the same mistake; not for
        # a request from this machine without X-Forwarded-For (the image's health check,
        # deploy/healthcheck.py, asks gunicorn for /healthz past the proxy on every set-up).
        if "website.W003" in warned or (not forwarded and from_loopback(remote)):
            return remote
        warn_once(
            "website.W003",
            f"RATE_LIMIT_PROXY_COUNT is {proxies} but a request from {remote} arrived with "
            f"{len(forwarded)} X-Forwarded-For entries: if clients can reach the site past the "
            "proxies, any of them escapes every rate limit with a made-up X-Forwarded-For; "
            "otherwise the count is too high.",
        )
    elif forwarded and "website.W002" not in warned and from_private_network(remote):
        warn_once(
            "website.W002",
            f"RATE_LIMIT_PROXY_COUNT is 0 but requests come through a proxy ({remote}, with "
            "X-Forwarded-For): every client then has the proxy's address, and one client's failed "
            "logins lock out all staff. Set RATE_LIMIT_PROXY_COUNT to the number of proxies.",
        )
    return remote


def from_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


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
        matching = [rule for rule in RULES if rule.matches(request)]
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


# A browser that has signed in to an account keeps a signed list of (digests of) the accounts it
# signed in to, for this long; such a browser is not locked out when the account's failures pass
# their limit (someone else guessing its password), only limited per address like anyone.
KNOWN_LOGIN_COOKIE = "known_login"
KNOWN_LOGIN_SECONDS = 30 * 24 * 60 * 60
KNOWN_LOGIN_SALT = "website.ratelimit.known-login"
KNOWN_LOGIN_KEEP = 5


def password_subject(request) -> str | None:
    """What a POST to a password form guesses at: "user:<username>" (the username tried, as
    Django's login form normalises it) or "page:<restriction id>"; None for the other forms."""
    if request.method != "POST":
        return None
    if ACCOUNT_LOGIN_PATHS.match(request.path_info):
        try:
            username = request.POST.get("username", "")
        except Exception:  # an unreadable body: the view answers it
            return None
        return "user:" + unicodedata.normalize("NFKC", str(username).strip())
    if found := PAGE_PASSWORD_PATH.match(request.path_info):
        return "page:" + found["restriction"]
    return None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()[:24]


def _failures_key(subject: str, seconds: int, now: float) -> str:
    return f"ratelimit:login_failures:{int(now // seconds)}:{_digest(subject)}"


def known_logins(request) -> list[str]:
    try:
        value = signing.loads(
            request.COOKIES.get(KNOWN_LOGIN_COOKIE, ""), salt=KNOWN_LOGIN_SALT, max_age=KNOWN_LOGIN_SECONDS
        )
    except signing.BadSignature:
        return []
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def too_many_failed_logins(retry_after: int) -> HttpResponse:
    minutes = max(1, -(-retry_after // 60))
    response = HttpResponse(
        ngettext(
            "Too many failed sign-ins. Please wait %(minutes)d minute and try again.",
            "Too many failed sign-ins. Please wait %(minutes)d minutes and try again.",
            minutes,
        )
        % {"minutes": minutes},
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def passed_before(request, subject: str) -> bool:
    """Whether this client has passed the subject's password before: a browser with the signed
    "known sign-in" cookie for the account, or a session that passed the private page's
    restriction (Wagtail records it there; PageViewRestriction.accept_request reads it)."""
    if subject.startswith("user:"):
        return _digest(subject) in known_logins(request)
    restriction = PageViewRestriction.objects.filter(pk=subject.removeprefix("page:")).first()
    return restriction is not None and restriction.accept_request(request)


class PasswordGuessMiddleware:
    """Failed guesses of one account's password (or of one private page's) from any address: past
    RATE_LIMITS["login_failures"] (["page_password_failures"] for a page) in a window, further
    tries at that account are answered 429 until the window ends, except from a client that
    passed it before (passed_before). Only failures count: the form shown again (200), not a
    redirect (signed in) nor a refusal (no CSRF token, 4xx), which anyone can cause without
    guessing anything. The per-address limit ("login" in RULES) is the other half. After
    RateLimitMiddleware and SessionMiddleware, before the views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        subject = password_subject(request) if getattr(settings, "RATE_LIMITS_ENABLED", True) else None
        if subject is None:
            return self.get_response(request)
        limit = "page_password_failures" if subject.startswith("page:") else "login_failures"
        allowed, seconds = limits()[limit]
        now = time.time()
        key = _failures_key(subject, seconds, now)
        if cache.get(key, 0) >= allowed and not passed_before(request, subject):
            return too_many_failed_logins(seconds - int(now % seconds) or 1)
        response = self.get_response(request)
        if 300 <= response.status_code < 400:
            self._remember_sign_in(request, response, subject)
        elif response.status_code == 200:
            RateLimitMiddleware._increment(key, seconds)
        return response

    @staticmethod
    def _remember_sign_in(request, response, subject: str) -> None:
        user = getattr(request, "user", None)
        if not subject.startswith("user:") or not getattr(user, "is_authenticated", False):
            return
        known = [_digest(subject)] + [item for item in known_logins(request) if item != _digest(subject)]
        response.set_cookie(
            KNOWN_LOGIN_COOKIE,
            signing.dumps(known[:KNOWN_LOGIN_KEEP], salt=KNOWN_LOGIN_SALT),
            max_age=KNOWN_LOGIN_SECONDS,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def count_against(request, name: str) -> HttpResponse | None:
    """Count this request under the rule `name` where the middleware cannot tell it by its path
    (a Wagtail page's own URL, e.g. a batch's page, which counts a scan as /t/ does): the same
    counter per client as the rule's own paths. Returns the 429 to answer when over the limit,
    else None. A request whose path the rule already matched was counted by the middleware and
    is not counted twice."""
    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return None
    rules = [rule for rule in RULES if rule.name == name and rule.counted_statuses is None]
    if any(rule.matches(request) for rule in rules):
        return None
    allowed, seconds = limits()[name]
    now = time.time()
    key = _current(rules[0], client_address(request), seconds, now)
    if RateLimitMiddleware._increment(key, seconds) > allowed:
        return too_many_requests(seconds - int(now % seconds) or 1)
    return None


# Mails a stranger can make the site send -------------------------------------------------------
#
# An order confirmation or a password reset goes to whatever address was typed, so a script could
# use the site to flood an inbox (with a name or an address it typed in the body). Counted per
# recipient and per client, in the same cache windows; over the limit the mail is not sent and
# nothing else changes (the order is placed, the answer is the same page).

# An app registers its own mails' limits with register_rules(limits=...) (orders/rate_limits.py).
MAIL_LIMITS = {
    "password_reset_recipient": (3, 3600),
    "password_reset_client": (10, 3600),
}


def _mail_counter(limit: str, key: str) -> tuple[str, int, int]:
    """The cache key counting `key`'s mails under `limit` in this window, the mails allowed in
    it, and the window's length in seconds."""
    allowed, seconds = {**MAIL_LIMITS, **limits()}[limit]
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:24]
    return f"ratelimit:{limit}:{int(time.time() // seconds)}:{digest}", allowed, seconds


def allow_mail(limit: str, key: str) -> bool:
    """Count one more mail for `key` (an email address, or a client's address) under `limit` (a
    name of MAIL_LIMITS, overridable in RATE_LIMITS); False once over. Always True when
    RATE_LIMITS_ENABLED is off."""
    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return True
    counter, allowed, seconds = _mail_counter(limit, key)
    return RateLimitMiddleware._increment(counter, seconds) <= allowed


def mail_allowed(limit: str, key: str) -> bool:
    """Whether one more mail for `key` under `limit` would be allowed now, without counting it
    (count it with allow_mail once it is really sent, e.g. once the order it confirms exists)."""
    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return True
    counter, allowed, _seconds = _mail_counter(limit, key)
    return (cache.get(counter) or 0) < allowed
