"""Who counts as a person looking at a trace page or a unit (DESIGN §2, issue "honest counts").

A scan is a person opening the page, not a page load: link-preview fetchers and crawlers (they
fetch a link shared in Zalo or Facebook before anyone opens it), HEAD requests and the browser's
prefetches are not counted, and one visitor reopening the same page the same day counts once.
That is remembered in a first-party cookie listing what this browser has already been counted
for today (nothing is stored about the visitor on the server). Places are counted by a keyed hash
of the client's network (an IPv4 /24, an IPv6 /48), never its address."""

import ipaddress
import re

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from website.ratelimit import client_address

SEEN_COOKIE = "seen"
# Enough for a market day's worth of packages; the oldest are forgotten first.
SEEN_COOKIE_KEYS = 40

# Link previewers, crawlers and monitors that announce themselves. Matched anywhere in the
# User-Agent, case-insensitively.
ROBOT_USER_AGENTS = re.compile(
    r"bot\b|bot/|crawler|spider|slurp|facebookexternalhit|facebookcatalog|meta-externalagent"
    r"|whatsapp|telegram|twitterbot|slackbot|slack-imgproxy|discordbot|linkedinbot|skypeuripreview"
    r"|embedly|pinterest|redditbot|applebot|bingpreview|microsoftpreview|googlebot|linkpreview"
    r"|urlpreview|google-inspectiontool|adsbot|mediapartners|curl/|wget/|python-requests"
    r"|python-urllib|go-http-client|okhttp|java/|libwww|httpclient|uptimerobot|pingdom",
    re.IGNORECASE,
)
# Zalo's in-app browser says "Zalo" in a browser's User-Agent (Mozilla/5.0 ...); its link
# preview fetcher does not present itself as a browser.
ZALO_FETCHER = re.compile(r"zalo", re.IGNORECASE)


def counts_as_person(request) -> bool:
    """A GET that a person's browser made to show the page now: not HEAD, not a prefetch or
    prerender (Sec-Purpose, Purpose, X-Moz, X-Purpose), not a robot's User-Agent."""
    if request.method != "GET":
        return False
    meta = request.META
    for header in ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_MOZ", "HTTP_X_PURPOSE"):
        if "prefetch" in meta.get(header, "").lower() or "prerender" in meta.get(header, "").lower():
            return False
    agent = meta.get("HTTP_USER_AGENT", "")
    if ZALO_FETCHER.search(agent) and "mozilla/" not in agent.lower():
        return False
    # No User-Agent at all is counted: the rate limit on trace codes bounds what a script adds.
    return not ROBOT_USER_AGENTS.search(agent)


def _today() -> str:
    return timezone.localdate().strftime("%Y%m%d")


def _seen_keys(request) -> list[str]:
    day, _, keys = request.COOKIES.get(SEEN_COOKIE, "").partition(":")
    if day != _today():
        return []
    return [key for key in keys.split(",") if key][-SEEN_COOKIE_KEYS:]


def seen_today(request, key: str) -> bool:
    """Whether this browser was already counted today for `key` (e.g. "b12" for a batch,
    "u345" for a unit)."""
    return key in _seen_keys(request)


def remember_seen(response, request, *counted: str) -> None:
    """Mark the `counted` keys as counted today in the response's cookie (kept until the next
    day). One call per response: a second would replace the first's cookie."""
    keys = [k for k in _seen_keys(request) if k not in counted] + list(counted)
    response.set_cookie(
        SEEN_COOKIE,
        f"{_today()}:{','.join(keys[-SEEN_COOKIE_KEYS:])}",
        max_age=24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def place_of(request) -> str:
    """A keyed hash of the client's network: the same for everyone behind one mobile operator's
    block or one village's Wi-Fi, different across places; 16 hex characters."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
        prefix = 24 if ip.version == 4 else 48
        network = str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
    except ValueError:
        network = address or "unknown"
    return salted_hmac("traceability.visitors.place", network, algorithm="sha256").hexdigest()[:16]
