"""Production: every secret and host from the environment. A missing or weak SECRET_KEY, an empty
or '*' ALLOWED_HOSTS, no DATABASE_URL, a Stripe key without its webhook secret or a
SITE_BASE_URL that is no address stops start-up with one clear line on
stderr (no traceback to read through); an unreachable database is caught the same way in
config/wsgi.py. What is risky but may be meant (no Redis, the proxy count, a short bank secret) is a
warning of `manage.py check --deploy` and a log line at start-up (website/checks.py)."""

import os
import sys

from pythonjsonlogger.core import RESERVED_ATTRS

from django.core.exceptions import ImproperlyConfigured


def refuse_to_start(reason: str) -> None:
    sys.stderr.write(f"Refusing to start: {reason}\n")
    raise SystemExit(2)


# A value base.py cannot use (such as an unknown BACKGROUND_TASKS) stops start-up the same way.
try:
    from .base import *  # noqa: F403
except ImproperlyConfigured as error:
    refuse_to_start(str(error))
from website.weak_secrets import MAKE_A_KEY, guessable  # noqa: E402

from .base import (  # noqa: E402 (after the guarded import above)
    ALLOWED_HOSTS,
    CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY_ADMIN,
    MIDDLEWARE,
    SECRET_KEY,
    SMS_BACKEND,
    SMS_GATEWAY_URL,
    STORAGES,
    STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET,
)

DEV_KEY = "dev-only-insecure-key-do-not-use-in-production"


def weak_secret_key(key: str) -> str:
    """Why a key is unfit for production ("" when it is fine)."""
    if not key:
        return "SECRET_KEY is not set; set it to 50 or more random characters."
    if key == DEV_KEY or guessable(key, 50):
        return f"SECRET_KEY is too weak; use 50 or more random characters ({MAKE_A_KEY})."
    return ""


if problem := weak_secret_key(SECRET_KEY):
    refuse_to_start(problem)
if not ALLOWED_HOSTS:
    refuse_to_start("ALLOWED_HOSTS is empty; list the site's host names, comma-separated.")
if "*" in ALLOWED_HOSTS:
    refuse_to_start(
        "ALLOWED_HOSTS is '*', which accepts any Host header (links in password-reset mail can be "
        "forged); list the site's host names, comma-separated."
    )
# Without it, base.py's SQLite file beside manage.py: an empty database in the container, lost with
# it, while /healthz says ok.
if not os.environ.get("DATABASE_URL", "").strip():
    refuse_to_start(
        "DATABASE_URL is not set; point it at the site's database (postgres://user:password@host:5432/name)."
    )
if STRIPE_SECRET_KEY and not STRIPE_WEBHOOK_SECRET:
    refuse_to_start(
        "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not set, so no card payment could "
        "ever be confirmed; set the webhook's signing secret (whsec_…) or unset both."
    )
# A weak BANK_WEBHOOK_SECRET is only a warning (website.W005): the bank issues it.
if SMS_BACKEND == "http" and not SMS_GATEWAY_URL.startswith(("https://", "http://")):
    refuse_to_start(
        f"SMS_BACKEND is 'http' but SMS_GATEWAY_URL is not an address ({SMS_GATEWAY_URL!r}); set the "
        "SMS gateway's address, e.g. https://sms.example.vn/send, or SMS_BACKEND=console."
    )
# A weak SMS_WEBHOOK_SECRET is a warning too (sms.W001): the gateway may issue it.
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", "").strip()
if SITE_BASE_URL and not SITE_BASE_URL.startswith(("https://", "http://")):
    refuse_to_start(
        f"SITE_BASE_URL is not an address ({SITE_BASE_URL!r}); give the public address with its "
        "scheme, e.g. https://shop.example.vn."
    )

DEBUG = False

# HTTPS behind a proxy or CDN that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") != "0"
# The load balancer's health check speaks plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Served over HTTPS only: anything a page still asks for over http:// is fetched over https://
# (the Content-Security-Policy is in base.py, so dev and test send it too). Not on a local run
# without TLS, where it would send the page's own images and the admin's scripts to a closed port.
if SECURE_SSL_REDIRECT:
    CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True}
    }
    CONTENT_SECURITY_POLICY_ADMIN = {
        "DIRECTIVES": {**CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"], "upgrade-insecure-requests": True}
    }

# Static files served by the web process itself through whitenoise, compressed and with hashed
# names (cached for a year by browsers and the CDN); collected when the image is built.
MIDDLEWARE = [
    MIDDLEWARE[0],  # SecurityMiddleware first, as whitenoise asks
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],
]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Mail (new orders and payments to cooperatives and buyers, orders/notifications.py) through the
# deployment's SMTP relay. Unless a worker sends it (BACKGROUND_TASKS=database, base.py), mail
# is sent in the request that placed the order, so a relay that stops answering must not hold a
# buyer's checkout: give up after EMAIL_TIMEOUT seconds (the order is placed either way; the
# failure is logged).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"  # STARTTLS, usually port 587
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"  # TLS from the start, usually port 465
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    refuse_to_start("EMAIL_USE_TLS and EMAIL_USE_SSL are both set; choose one (587: TLS, 465: SSL).")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One JSON object per line, which container platforms and log collectors read without a
    # parsing rule: time (UTC), level, logger, message, anything passed with `extra=` (a
    # check's id, an order's number) and the traceback as "exception". Django's request
    # object is left out: its messages name the path already.
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message"],
            "rename_fields": {"levelname": "level", "name": "logger", "exc_info": "exception"},
            "timestamp": "time",
            "reserved_attrs": [*RESERVED_ATTRS, "request", "server_time"],
            "json_ensure_ascii": False,
        }
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        # Bad Host headers are noise from scanners, not errors of the site.
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}
