"""Settings for the benchmark harness (bench/run.py): production settings, served over plain
HTTP on loopback. The runner supplies SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and MEDIA_ROOT
through the environment, as a deployment would; only what plain HTTP on 127.0.0.1 needs is
changed here, so the numbers stay those of the production configuration."""

import os

from config.settings.production import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"

# No TLS on loopback: an HTTPS redirect would turn every measured request into a 301.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# The cache stays as production has it (Redis when REDIS_URL is set, else Django's default
# per-process local memory). BENCH_CACHE=off swaps in the dummy cache, so that nothing can be
# served from a cache: the runner uses it to measure pages "rendered fresh".
if os.environ.get("BENCH_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# The load generator is one client on loopback hammering one trace code: the per-address limits
# (website/ratelimit.py) would turn the measurement into 429s.
RATE_LIMITS_ENABLED = False

# No mail server on loopback: every order's mail would wait on a refused connection, and sending
# mail is not what is measured. The messages are still rendered; the dummy backend drops them.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
