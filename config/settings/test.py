import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Uploaded and generated files go to a throwaway folder, never into media/.
MEDIA_ROOT = tempfile.mkdtemp(prefix="commune-market-test-media-")
# Tasks run at once whatever the environment says; tests of the queue and worker set their own.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Hundreds of tests post from one address; tests/website/test_rate_limits.py switches it on.
RATE_LIMITS_ENABLED = False
# Texts sent are kept in sms.outbox, like mail in django.core.mail.outbox.
SMS_BACKEND = "locmem"
