"""Settings shared by every environment. Secrets and per-deployment values come from the
environment (see README, "Environment"); nothing secret is written here."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the checkout (or /app in the image)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
DEBUG = False

INSTALLED_APPS = [
    "website",
    "growers",
    "products",
    "traceability",
    "orders",
    # The SMS channel (texts in and out, the officer's list); between growers and website.
    "sms",
    # Applications for growing-area codes (public form, the officer's queue); above growers.
    "applications",
    # The commune's progress page and the officer's reports, reading every app; on top of orders.
    "commune",
    # The demo site's data and its `seed_demo` command; sits on top of the apps above.
    "demo",
    "wagtail.contrib.forms",
    # Purges a CDN's copy of a page when it is published (configured below from the environment).
    "wagtail.contrib.frontend_cache",
    # Translations of pages: the "Translate" action copies a page into another language's tree
    # for a translator to edit in the ordinary page editor (see README, "Languages").
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Content-Security-Policy (website/csp.py); listed for its system checks of the settings.
    "csp",
    # Background tasks (below): the framework, and the database backend's queue table and worker.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, strict for the public pages, the admin's own
    # for the admin (website/csp.py; the policies are below).
    "website.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # /en/…, /hmn/… choose the language; paths without a prefix are Vietnamese, except the
    # language-neutral trace URLs, which read the cookie, then Accept-Language (website/i18n.py).
    "django.middleware.locale.LocaleMiddleware",
    # A plain 400 for a NUL byte in the address or a form not in UTF-8, 413 for a body larger
    # than expected, before anything reads it (website/request_guard.py).
    "website.request_guard.RequestGuardMiddleware",
    # 429 for floods of logins, checkouts, webhooks and trace-code guesses (website/ratelimit.py).
    "website.ratelimit.RateLimitMiddleware",
    # 429 for an account (or a private page) whose password is being guessed from many addresses,
    # except in browsers that signed in to it before (website/ratelimit.py).
    "website.ratelimit.PasswordGuessMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "website.i18n.languages",
            ],
        },
    },
]

# The embedded default is a SQLite file beside manage.py; production requires DATABASE_URL
# (PostgreSQL) and refuses to start without it.
try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
            # A kept connection is checked (one ping) before a request's first query, and opened
            # anew if the server dropped it (a restart, a failover): else the first request of
            # each web process after a database restart would fail (docs/deploy.md).
            conn_health_checks=True,
        )
    }
except ValueError as error:  # an unknown scheme, a port that is no number
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read ({error}).") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several web processes writing at once (scans, carts, checkouts): a transaction takes the
    # write lock when it begins, and waits for it, instead of failing half-way with "database is
    # locked"; write-ahead logging lets readers go on while one process writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "website.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache that keeps the site up while Redis is down: pages rendered
            # afresh, rate limits counted per process, /healthz "degraded" (website/cache.py;
            # docs/deploy.md, "When Redis is down").
            "BACKEND": "website.cache.OutageTolerantRedisCache",
            "LOCATION": REDIS_URL,
            # Apart from anything else kept in the same Redis (another site, a benchmark run).
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
            "OPTIONS": {
                # redis' default (5 s; none before redis-py 8) would make a Redis host that does
                # not answer hold every request. Redis answers in well under a millisecond.
                "socket_connect_timeout": 0.5,
                "socket_timeout": 1,
                # While it is down, each process tries it again this often (one request waits
                # up to the timeouts above), so the cache is back within seconds of Redis.
                "RETRY_SECONDS": 5,
            },
        }
    }

# Languages of the interface and of the content. Vietnamese is the default and the fallback
# for anything not yet translated. More are added with SITE_LANGUAGES, as "code:Name" pairs,
# e.g. "vi:Tiếng Việt,en:English,hmn:Hmoob,ium:Iu Mien" (then a catalogue, and a Locale in the
# admin under Settings → Locales).
LANGUAGE_CODE = "vi"
LANGUAGES = [
    tuple(part.strip() for part in item.split(":", 1))
    for item in env_list("SITE_LANGUAGES", "vi:Tiếng Việt,en:English,hmn:Hmoob")
    if ":" in item
]
# Django knows no Hmong, Dao (Iu Mien, Kim Mun) or Hà Nhì (Hani): name them for {% get_language_info %}.
LANG_INFO.update(
    {
        "hmn": {"bidi": False, "code": "hmn", "name": "Hmong", "name_local": "Hmoob"},
        "ium": {"bidi": False, "code": "ium", "name": "Iu Mien", "name_local": "Iu Mienh"},
        "mji": {"bidi": False, "code": "mji", "name": "Kim Mun", "name_local": "Kim Mun"},
        "hni": {"bidi": False, "code": "hni", "name": "Hani", "name_local": "Haqniq"},
    }
)
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The admin is used in Vietnamese or English; Wagtail has no Hmong catalogue.
WAGTAILADMIN_PERMITTED_LANGUAGES = [(code, name) for code, name in LANGUAGES if code in ("vi", "en")]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = []
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# More than one machine (DESIGN §6): uploads and renditions in an S3-compatible bucket (MinIO,
# Ceph, Wasabi, Spaces, AWS) when AWS_STORAGE_BUCKET_NAME is set; the variables are
# django-storages' own names (docs/deploy.md). The keys are not copied here: django-storages reads
# AWS_S3_ACCESS_KEY_ID / AWS_S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
# from the environment itself, and boto3 falls back to its own profile or the instance's role.
if media_bucket := os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip():
    # The host (a CDN or the bucket's public domain) that serves media: plain, unsigned URLs.
    media_domain = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip()
    media_domain = media_domain.removeprefix("https://").removeprefix("http://").strip("/")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": media_bucket,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL", "").strip() or None,  # not AWS
            "region_name": os.environ.get("AWS_S3_REGION_NAME", "").strip() or None,
            "signature_version": "s3v4",  # boto3 still signs links with the deprecated v2 otherwise
            "custom_domain": media_domain or None,
            # Without a public domain, links are signed and expire (a private bucket).
            "querystring_auth": os.environ.get("AWS_QUERYSTRING_AUTH", "0" if media_domain else "1") != "0",
            "file_overwrite": False,
            "default_acl": None,  # the bucket's policy decides who reads
            # Originals and renditions get a new name when their content changes.
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }
    if media_domain:
        MEDIA_URL = f"https://{media_domain}/"
# Without a bucket, the web process serves the images under MEDIA_ROOT itself (website/media.py),
# unless a proxy in front serves the media folder (SERVE_MEDIA=0; docs/deploy.md, "Media").
SERVE_MEDIA = os.environ.get("SERVE_MEDIA", "0" if media_bucket else "1").strip() != "0"

# Wagtail's page editor posts many fields for pages with inline variants and StreamFields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Chợ xã Sì Lở Lầu"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Audio clips (spoken descriptions) and certificates; nothing executable.
WAGTAILDOCS_EXTENSIONS = ["pdf", "mp3", "m4a", "ogg", "oga", "wav", "csv", "xlsx", "kml", "geojson"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Request bodies (website/request_guard.py): 413 beyond these, checked on Content-Length before
# anything is read. Outside the admin only the application form for a growing-area code takes
# uploads (APPLICATION_REQUEST_BODY_MAX_SIZE below); in the admin, signed-in staff
# upload images, documents and spreadsheets (growers/import_views.py: 5 MB + 5 MB at most).
REQUEST_BODY_MAX_SIZE = int(os.environ.get("REQUEST_BODY_MAX_SIZE", 1024 * 1024))
ADMIN_REQUEST_BODY_MAX_SIZE = int(
    os.environ.get(
        "ADMIN_REQUEST_BODY_MAX_SIZE",
        max(WAGTAILIMAGES_MAX_UPLOAD_SIZE, WAGTAILDOCS_MAX_UPLOAD_SIZE, 10 * 1024 * 1024) + 1024 * 1024,
    )
)
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "avif"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# "Forgot password" with its mails limited per recipient and per client (website/ratelimit.py).
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "website.password_reset.ThrottledPasswordResetForm"
# No Gravatar pictures in the admin: they would tell gravatar.com who uses the admin (a hash of
# their e-mail address), cost a slow link a request, and need a third host in the admin's
# Content-Security-Policy. Wagtail shows its default avatar, or the picture uploaded in Account.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
# Date-times too: the admin's date-time picker shows and reads this format (a value it cannot
# read, such as 22/11/2026 07:00 under Wagtail's default %Y-%m-%d %H:%M, became "now" when the
# field was left); the server reads it first among DATETIME_INPUT_FORMATS (website/formats/).
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
# ... and read day first in every language (website/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["website.formats"]

CATALOGUE_PAGE_SIZE = 12

# A CDN in front (DESIGN §6): Wagtail purges a page's URLs from it on publish. CDN_PURGE_URL for
# an HTTP PURGE endpoint (Varnish, nginx proxy_cache_purge); CLOUDFLARE_BEARER_TOKEN and
# CLOUDFLARE_ZONE_ID for Cloudflare. Unset: nothing to purge. See docs/deploy.md.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("CDN_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["CDN_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_BEARER_TOKEN"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["CLOUDFLARE_BEARER_TOKEN"],
        "ZONEID": os.environ.get("CLOUDFLARE_ZONE_ID", ""),
    }

# Background tasks: order and payment mail (orders/tasks.py), and Wagtail's own (CDN purges,
# the reference index, image focal points). BACKGROUND_TASKS picks where they run:
# - "immediate" (the default): in the request that enqueues them, once its transaction commits.
#   Nothing more to run, which suits a laptop or the smallest deployment; but a buyer's checkout
#   waits for the mail relay, and an editor's publish for the CDN.
# - "database": queued in the site's database and run by a worker process,
#   `manage.py db_worker` (deploy/entrypoint.sh worker; compose.yaml runs one). Nothing runs
#   without the worker. See docs/deploy.md, "Background tasks".
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
BACKGROUND_TASKS = os.environ.get("BACKGROUND_TASKS", "").strip().lower() or "immediate"
if BACKGROUND_TASKS not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"BACKGROUND_TASKS is {BACKGROUND_TASKS!r}; set it to one of: {', '.join(TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[BACKGROUND_TASKS]}}

# Anonymous trace, catalogue and home pages are kept this many seconds in the cache
# (website/page_cache.py); a change makes stale at once the pages that show it (a publish, a
# code's status, a recall, a price, a pack selling out), and leaves the others kept. 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 10 * 60))

# Rate limits (website/ratelimit.py): on unless switched off; RATE_LIMIT_PROXY_COUNT is the number
# of proxies in front that append to X-Forwarded-For (0: the client is the connection's address).
RATE_LIMITS_ENABLED = True
# Set it wrong and either any client escapes the limits or all share one: the deploy check warns
# (website/checks.py) and so does the first request that shows it (website/ratelimit.py).
_proxy_count = os.environ.get("RATE_LIMIT_PROXY_COUNT", "").strip() or "0"
if not _proxy_count.isdigit():
    raise ImproperlyConfigured(
        f"RATE_LIMIT_PROXY_COUNT is {_proxy_count!r}; set it to the number of proxies in front (0, 1, 2…)."
    )
RATE_LIMIT_PROXY_COUNT = int(_proxy_count)

# Orders: unpaid orders expire (stock released) after this many seconds. Two hours: transfers
# between Vietnamese banks arrive within seconds (NAPAS 247), and an unpaid order holds stock.
ORDER_PAYMENT_TIMEOUT = int(os.environ.get("ORDER_PAYMENT_TIMEOUT", 2 * 60 * 60))
# One buyer (one order, or the unpaid orders of one phone or one client address together) may
# hold at most this share of a pack's stock, but always at least ORDER_SHARE_FLOOR units.
ORDER_MAX_SHARE = float(os.environ.get("ORDER_MAX_SHARE", "0.5"))
ORDER_SHARE_FLOOR = int(os.environ.get("ORDER_SHARE_FLOOR", "5"))
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# A local Stripe-compatible server (tests); empty means Stripe's own API.
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
BANK_WEBHOOK_SECRET = os.environ.get("BANK_WEBHOOK_SECRET", "")

# SMS (sms/; docs/deploy.md, "SMS"). SMS_BACKEND: "console" (texts written to the log), "locmem"
# (kept in sms.outbox: the tests) or "http" (POSTed to SMS_GATEWAY_URL with SMS_GATEWAY_TOKEN).
# Received texts come signed under SMS_WEBHOOK_SECRET to /webhooks/sms/ (refused while it is empty);
# those starting with SMS_KEYWORD are answered, at most SMS_RATE_LIMIT (texts, seconds) per sender.
SMS_BACKENDS = ("console", "locmem", "http")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "").strip().lower() or "console"
if SMS_BACKEND not in SMS_BACKENDS:
    raise ImproperlyConfigured(
        f"SMS_BACKEND is {SMS_BACKEND!r}; set it to one of: {', '.join(SMS_BACKENDS)}."
    )
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "").strip()
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", "10"))
SMS_WEBHOOK_SECRET = os.environ.get("SMS_WEBHOOK_SECRET", "")
SMS_KEYWORD = os.environ.get("SMS_KEYWORD", "").strip() or "SLL"
SMS_RATE_LIMIT = (10, 10 * 60)

# The shape a growing-area code must have (after trimming and upper-casing). No official
# pattern exists for domestic codes; the default accepts 3-32 of A-Z, 0-9, "-" and ".",
# starting with a letter (export codes look like VN-DTOR-0017).
GROWING_AREA_CODE_PATTERN = os.environ.get("GROWING_AREA_CODE_PATTERN", r"^[A-Z][A-Z0-9.\-]{2,31}$")

# Growing-area code applications and seasons (applications/, growers/crops.py; DESIGN §2).
# The smallest area one code covers: an application below it is accepted with a warning that
# the officer may group plots.
GROWING_AREA_MIN_HECTARES = {"perennial": 1, "annual": 0.1}
# A season's typical yield per crop key (kg per hectare), overriding growers/crops.py's figures;
# the limit of a code whose holder declared no expected yield is its area times this.
TYPICAL_YIELD_KG_PER_HA = {}
# What happens to a batch that would put a code over its season's limit (borrowed codes):
# "refuse" (the batch is not saved; the editor reads why) or "confirm" (it waits for an
# officer's confirmation, listed on the officer's dashboard). Codes at or above NEAR share of
# their limit are listed as near it.
YIELD_LIMIT_MODE = os.environ.get("YIELD_LIMIT_MODE", "").strip().lower() or "refuse"
if YIELD_LIMIT_MODE not in ("refuse", "confirm"):
    raise ImproperlyConfigured(f"YIELD_LIMIT_MODE is {YIELD_LIMIT_MODE!r}; set it to refuse or confirm.")
YIELD_NEAR_LIMIT_SHARE = 0.9
# The SMS keyword an applicant texts with the application's number to read its status from the
# phone they applied with ("MSVT 2026-0007"; mã số vùng trồng).
# The largest application form (its photos, papers and boundary files together) the public form
# takes (website/request_guard.py); each file has its own limit (applications/forms.py).
APPLICATION_REQUEST_BODY_MAX_SIZE = int(os.environ.get("APPLICATION_REQUEST_BODY_MAX_SIZE", 12 * 1024 * 1024))
APPLICATION_SMS_KEYWORD = os.environ.get("APPLICATION_SMS_KEYWORD", "").strip() or "MSVT"
# Folders under MEDIA_ROOT never served as media, even in development (website/media.py): an
# application's papers and photos (applications.models.application_file_path), streamed by the
# officer's queue to those who may see the application.
MEDIA_PRIVATE_FOLDERS = ("applications",)

# Content-Security-Policy (django-csp 4; website/csp.py picks the policy by path; docs/deploy.md).
# Media from another host (a CDN, a bucket): an absolute MEDIA_URL's origin is allowed by
# website/csp.py on its own; CSP_MEDIA_HOSTS names more (comma-separated, e.g.
# https://commune-market.s3.ap-southeast-1.amazonaws.com for a private bucket's signed links).
CSP_MEDIA_HOSTS = env_list("CSP_MEDIA_HOSTS")
# Public pages: no script at all; no inline style but the stylesheet base.html inlines (its sha256
# is added by website/csp.py); nothing from other hosts but media; no framing, no <base>, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *CSP_MEDIA_HOSTS],
        "media-src": [SELF, *CSP_MEDIA_HOSTS],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        # Checkout answers a card payment with a redirect to Stripe Checkout, and Chrome applies
        # form-action to the redirects that follow a form's POST (orders/stripe_checkout.py).
        "form-action": [SELF, "https://checkout.stripe.com"],
    }
}
# The Wagtail admin (every path under /admin/), what Wagtail 8 needs and no more (found by loading
# its pages in Chromium, tests/browser/test_content_security_policy.py): inline scripts (each
# widget starts itself with one, e.g. initDateChooser(...)); inline styles (Draftail, the rich-text
# editor, adds <style> elements); blob: images (thumbnails of images being uploaded); framing by
# itself (the preview panel).
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *CSP_MEDIA_HOSTS],
        "media-src": [SELF, *CSP_MEDIA_HOSTS],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
    }
}
