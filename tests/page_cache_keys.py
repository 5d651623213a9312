"""A local-memory cache that remembers every key written to it, for the tests that check what a
stranger can make the page cache keep (website/page_cache.py): the number of entries written is
what fills Redis, whatever the keys are called."""

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache


class KeyRecordingCache(LocMemCache):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys_written = set()

    def add(self, key, *args, **kwargs):
        self.keys_written.add(key)
        return super().add(key, *args, **kwargs)

    def set(self, key, *args, **kwargs):
        self.keys_written.add(key)
        return super().set(key, *args, **kwargs)


def record_cache_keys(settings) -> KeyRecordingCache:
    """Swap the default cache for a recording one (pytest-django's `settings` puts the old one
    back after the test), emptied, and return it."""
    settings.CACHES = {
        "default": {
            "BACKEND": f"{__name__}.KeyRecordingCache",
            "LOCATION": "page-cache-key-recording",
        }
    }
    cache = caches["default"]
    cache.clear()
    return cache
