"""Deployment warnings (`manage.py check --deploy`, and a log line when production starts, from
config/wsgi.py): settings that work but will hurt in production, which the settings cannot refuse
because they may be meant. Silence one you have weighed with SILENCED_SYSTEM_CHECKS."""

import os

from django.conf import settings
from django.core import checks

from website.weak_secrets import guessable

TAG = "website"


def web_processes() -> int:
    """gunicorn's workers as deploy/entrypoint.sh starts them (WEB_CONCURRENCY, 2 unless set)."""
    try:
        return int(os.environ.get("WEB_CONCURRENCY", "").strip() or 2)
    except ValueError:
        return 2


@checks.register(TAG, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    processes = web_processes()
    if backend.endswith(("LocMemCache", "DummyCache")) and processes > 1:
        return [
            checks.Warning(
                f"REDIS_URL is not set, so the cache is per process: with {processes} web processes "
                f"(WEB_CONCURRENCY, gunicorn's workers) each keeps its own rate-limit counters, so a "
                f"client gets {processes} times every limit, and its own copy of cached pages.",
                hint="Set REDIS_URL to a Redis every web process reaches, or WEB_CONCURRENCY=1.",
                id="website.W001",
            )
        ]
    return []


@checks.register(TAG, deploy=True)
def check_rate_limit_proxy_count(app_configs=None, **kwargs):
    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return []
    count = getattr(settings, "RATE_LIMIT_PROXY_COUNT", 0)
    behind_tls_proxy = getattr(settings, "SECURE_SSL_REDIRECT", False)
    declared = bool(os.environ.get("RATE_LIMIT_PROXY_COUNT", "").strip())
    if behind_tls_proxy and not count and not declared:
        return [
            checks.Warning(
                "RATE_LIMIT_PROXY_COUNT is not set although a proxy terminates HTTPS in front "
                "(SECURE_SSL_REDIRECT is on): every client then has the proxy's address, and one "
                "client's failed logins lock out all staff.",
                hint="Set RATE_LIMIT_PROXY_COUNT to the number of proxies that append to "
                "X-Forwarded-For (CDN + load balancer = 2), or to 0 if yours sends none.",
                id="website.W002",
            )
        ]
    if count and not behind_tls_proxy:
        return [
            checks.Warning(
                f"RATE_LIMIT_PROXY_COUNT is {count} but SECURE_SSL_REDIRECT is off, as when clients "
                "reach the site without a proxy: any client that does can send a made-up "
                "X-Forwarded-For and escape every rate limit.",
                hint="Set RATE_LIMIT_PROXY_COUNT=0 unless every request passes through that many "
                "proxies, and let only the proxy reach the site.",
                id="website.W003",
            )
        ]
    return []


@checks.register(TAG, deploy=True)
def check_site_base_url(app_configs=None, **kwargs):
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    if getattr(settings, "SECURE_SSL_REDIRECT", False) and not base_url.startswith("https://"):
        return [
            checks.Warning(
                f"SITE_BASE_URL is {base_url!r}, not the site's https:// address: the links in "
                "order and admin mail and the QR codes on printed labels would point there.",
                hint="Set SITE_BASE_URL to the public address, e.g. https://shop.example.vn.",
                id="website.W004",
            )
        ]
    return []


@checks.register(TAG, deploy=True)
def check_bank_webhook_secret(app_configs=None, **kwargs):
    secret = getattr(settings, "BANK_WEBHOOK_SECRET", "")
    if secret and guessable(secret, 32):
        return [
            checks.Warning(
                "BANK_WEBHOOK_SECRET is short or guessable (under 32 random characters): anyone who "
                "guesses it can mark orders paid.",
                hint="Ask the bank for a longer random secret if it can issue one; until then keep "
                "the webhook's address private and watch the payments log.",
                id="website.W005",
            )
        ]
    return []
